import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformApiAndWebhooks1796312458642 implements MigrationInterface {
  name = 'PlatformApiAndWebhooks1796312458642';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"integrator_clients\" (\"client_id\" varchar(64) PRIMARY KEY NOT NULL, \"integrator_id\" varchar(36) NOT NULL, \"scopes\" text NOT NULL, \"secret_hash\" varchar(255) NOT NULL, \"previous_secret_hash\" varchar(255), \"previous_secret_expires_at\" datetime(3), \"created_at\" datetime(3) NOT NULL, \"revoked_at\" datetime(3))");
    await queryRunner.query("CREATE INDEX \"IDX_e06ed7424d30b6aae596e3b510\" ON \"integrator_clients\" (\"integrator_id\") ");
    await queryRunner.query("CREATE TABLE \"platform_events\" (\"id\" varchar(36) PRIMARY KEY NOT NULL, \"integrator_id\" varchar(36) NOT NULL, \"type\" varchar(32) NOT NULL, \"body\" text NOT NULL, \"created_at\" datetime(3) NOT NULL)");
    await queryRunner.query("CREATE INDEX \"IDX_2b947446ef97879bfbbba5c737\" ON \"platform_events\" (\"integrator_id\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"webhook_endpoints\" (\"id\" varchar(36) PRIMARY KEY NOT NULL, \"integrator_id\" varchar(36) NOT NULL, \"url\" varchar(2048) NOT NULL, \"events\" text NOT NULL, \"secret\" varchar(255) NOT NULL, \"created_at\" datetime(3) NOT NULL, \"deleted_at\" datetime(3))");
    await queryRunner.query("CREATE INDEX \"IDX_b916677f31bf05a7bb93370d13\" ON \"webhook_endpoints\" (\"integrator_id\") ");
    await queryRunner.query("CREATE TABLE \"webhook_deliveries\" (\"id\" varchar(36) PRIMARY KEY NOT NULL, \"event_id\" varchar(36) NOT NULL, \"endpoint_id\" varchar(36) NOT NULL, \"integrator_id\" varchar(36) NOT NULL, \"status\" varchar(16) NOT NULL, \"attempts\" integer NOT NULL DEFAULT (0), \"response_code\" integer, \"next_attempt_at\" datetime(3), \"created_at\" datetime(3) NOT NULL, \"delivered_at\" datetime(3))");
    await queryRunner.query("CREATE INDEX \"IDX_90d878c7d3ce99fb2ef328d4d5\" ON \"webhook_deliveries\" (\"endpoint_id\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"IDX_284017efc3cbfe592288749a9c\" ON \"webhook_deliveries\" (\"status\", \"next_attempt_at\") ");
    await queryRunner.query("CREATE TABLE \"webhook_attempts\" (\"id\" varchar(36) PRIMARY KEY NOT NULL, \"delivery_id\" varchar(36) NOT NULL, \"attempt\" integer NOT NULL, \"at\" datetime(3) NOT NULL, \"response_code\" integer, \"error\" varchar(500), \"duration_ms\" integer NOT NULL)");
    await queryRunner.query("CREATE UNIQUE INDEX \"IDX_5ec32a71f45112dcc2ef75373a\" ON \"webhook_attempts\" (\"delivery_id\", \"attempt\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"IDX_5ec32a71f45112dcc2ef75373a\"");
    await queryRunner.query("DROP TABLE \"webhook_attempts\"");
    await queryRunner.query("DROP INDEX \"IDX_284017efc3cbfe592288749a9c\"");
    await queryRunner.query("DROP INDEX \"IDX_90d878c7d3ce99fb2ef328d4d5\"");
    await queryRunner.query("DROP TABLE \"webhook_deliveries\"");
    await queryRunner.query("DROP INDEX \"IDX_b916677f31bf05a7bb93370d13\"");
    await queryRunner.query("DROP TABLE \"webhook_endpoints\"");
    await queryRunner.query("DROP INDEX \"IDX_2b947446ef97879bfbbba5c737\"");
    await queryRunner.query("DROP TABLE \"platform_events\"");
    await queryRunner.query("DROP INDEX \"IDX_e06ed7424d30b6aae596e3b510\"");
    await queryRunner.query("DROP TABLE \"integrator_clients\"");
  }
}
