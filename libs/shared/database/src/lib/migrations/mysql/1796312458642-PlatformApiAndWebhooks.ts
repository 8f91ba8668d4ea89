import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlatformApiAndWebhooks1796312458642 implements MigrationInterface {
  name = 'PlatformApiAndWebhooks1796312458642';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `integrator_clients` (`client_id` varchar(64) NOT NULL, `integrator_id` varchar(36) NOT NULL, `scopes` text NOT NULL, `secret_hash` varchar(255) NOT NULL, `previous_secret_hash` varchar(255) NULL, `previous_secret_expires_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL, `revoked_at` datetime(3) NULL, INDEX `IDX_e06ed7424d30b6aae596e3b510` (`integrator_id`), PRIMARY KEY (`client_id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `platform_events` (`id` varchar(36) NOT NULL, `integrator_id` varchar(36) NOT NULL, `type` varchar(32) NOT NULL, `body` text NOT NULL, `created_at` datetime(3) NOT NULL, INDEX `IDX_2b947446ef97879bfbbba5c737` (`integrator_id`, `created_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `webhook_endpoints` (`id` varchar(36) NOT NULL, `integrator_id` varchar(36) NOT NULL, `url` varchar(2048) NOT NULL, `events` text NOT NULL, `secret` varchar(255) NOT NULL, `created_at` datetime(3) NOT NULL, `deleted_at` datetime(3) NULL, INDEX `IDX_b916677f31bf05a7bb93370d13` (`integrator_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `webhook_deliveries` (`id` varchar(36) NOT NULL, `event_id` varchar(36) NOT NULL, `endpoint_id` varchar(36) NOT NULL, `integrator_id` varchar(36) NOT NULL, `status` varchar(16) NOT NULL, `attempts` int NOT NULL DEFAULT '0', `response_code` int NULL, `next_attempt_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL, `delivered_at` datetime(3) NULL, INDEX `IDX_90d878c7d3ce99fb2ef328d4d5` (`endpoint_id`, `created_at`), INDEX `IDX_284017efc3cbfe592288749a9c` (`status`, `next_attempt_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `webhook_attempts` (`id` varchar(36) NOT NULL, `delivery_id` varchar(36) NOT NULL, `attempt` int NOT NULL, `at` datetime(3) NOT NULL, `response_code` int NULL, `error` varchar(500) NULL, `duration_ms` int NOT NULL, UNIQUE INDEX `IDX_5ec32a71f45112dcc2ef75373a` (`delivery_id`, `attempt`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `IDX_5ec32a71f45112dcc2ef75373a` ON `webhook_attempts`");
    await queryRunner.query("DROP TABLE `webhook_attempts`");
    await queryRunner.query("DROP INDEX `IDX_284017efc3cbfe592288749a9c` ON `webhook_deliveries`");
    await queryRunner.query("DROP INDEX `IDX_90d878c7d3ce99fb2ef328d4d5` ON `webhook_deliveries`");
    await queryRunner.query("DROP TABLE `webhook_deliveries`");
    await queryRunner.query("DROP INDEX `IDX_b916677f31bf05a7bb93370d13` ON `webhook_endpoints`");
    await queryRunner.query("DROP TABLE `webhook_endpoints`");
    await queryRunner.query("DROP INDEX `IDX_2b947446ef97879bfbbba5c737` ON `platform_events`");
    await queryRunner.query("DROP TABLE `platform_events`");
    await queryRunner.query("DROP INDEX `IDX_e06ed7424d30b6aae596e3b510` ON `integrator_clients`");
    await queryRunner.query("DROP TABLE `integrator_clients`");
  }
}
