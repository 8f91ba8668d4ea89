import { MigrationInterface, QueryRunner } from 'typeorm';

export class MisImports1796409441645 implements MigrationInterface {
  name = 'MisImports1796409441645';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_3e6a370533cc8e57272daad141"');
    await queryRunner.query(
      'CREATE TABLE "temporary_oauth_clients" ("client_id" varchar(64) PRIMARY KEY NOT NULL, "application_id" varchar(36) NOT NULL, "school_id" varchar(36), "secret_hash" varchar(255) NOT NULL, "previous_secret_hash" varchar(255), "previous_secret_expires_at" datetime(3), "created_at" datetime(3) NOT NULL, "revoked_at" datetime(3), "platform_scopes" text)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_oauth_clients"("client_id", "application_id", "school_id", "secret_hash", "previous_secret_hash", "previous_secret_expires_at", "created_at", "revoked_at") SELECT "client_id", "application_id", "school_id", "secret_hash", "previous_secret_hash", "previous_secret_expires_at", "created_at", "revoked_at" FROM "oauth_clients"',
    );
    await queryRunner.query('DROP TABLE "oauth_clients"');
    await queryRunner.query(
      'ALTER TABLE "temporary_oauth_clients" RENAME TO "oauth_clients"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_3e6a370533cc8e57272daad141" ON "oauth_clients" ("application_id", "school_id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_4087c70e47c7e68b92662077fd"');
    await queryRunner.query('DROP INDEX "IDX_435ab94bca6c509d1be0b581d1"');
    await queryRunner.query(
      'CREATE TABLE "temporary_audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "occurred_at" datetime(3) NOT NULL, "actor_account_id" varchar(36), "actor_type" varchar(16) NOT NULL, "actor_ip" varchar(64), "action" varchar(64) NOT NULL, "target_type" varchar(32) NOT NULL, "target_id" varchar(255), "school_id" varchar(36), "details" text, "actor_client_id" varchar(64))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_audit_events"("id", "occurred_at", "actor_account_id", "actor_type", "actor_ip", "action", "target_type", "target_id", "school_id", "details") SELECT "id", "occurred_at", "actor_account_id", "actor_type", "actor_ip", "action", "target_type", "target_id", "school_id", "details" FROM "audit_events"',
    );
    await queryRunner.query('DROP TABLE "audit_events"');
    await queryRunner.query(
      'ALTER TABLE "temporary_audit_events" RENAME TO "audit_events"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4087c70e47c7e68b92662077fd" ON "audit_events" ("school_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_435ab94bca6c509d1be0b581d1" ON "audit_events" ("actor_account_id", "occurred_at") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_435ab94bca6c509d1be0b581d1"');
    await queryRunner.query('DROP INDEX "IDX_4087c70e47c7e68b92662077fd"');
    await queryRunner.query(
      'ALTER TABLE "audit_events" RENAME TO "temporary_audit_events"',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "occurred_at" datetime(3) NOT NULL, "actor_account_id" varchar(36), "actor_type" varchar(16) NOT NULL, "actor_ip" varchar(64), "action" varchar(64) NOT NULL, "target_type" varchar(32) NOT NULL, "target_id" varchar(255), "school_id" varchar(36), "details" text)',
    );
    await queryRunner.query(
      'INSERT INTO "audit_events"("id", "occurred_at", "actor_account_id", "actor_type", "actor_ip", "action", "target_type", "target_id", "school_id", "details") SELECT "id", "occurred_at", "actor_account_id", "actor_type", "actor_ip", "action", "target_type", "target_id", "school_id", "details" FROM "temporary_audit_events"',
    );
    await queryRunner.query('DROP TABLE "temporary_audit_events"');
    await queryRunner.query(
      'CREATE INDEX "IDX_435ab94bca6c509d1be0b581d1" ON "audit_events" ("actor_account_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4087c70e47c7e68b92662077fd" ON "audit_events" ("school_id", "occurred_at") ',
    );
    await queryRunner.query('DROP INDEX "IDX_3e6a370533cc8e57272daad141"');
    await queryRunner.query(
      'ALTER TABLE "oauth_clients" RENAME TO "temporary_oauth_clients"',
    );
    await queryRunner.query(
      'CREATE TABLE "oauth_clients" ("client_id" varchar(64) PRIMARY KEY NOT NULL, "application_id" varchar(36) NOT NULL, "school_id" varchar(36), "secret_hash" varchar(255) NOT NULL, "previous_secret_hash" varchar(255), "previous_secret_expires_at" datetime(3), "created_at" datetime(3) NOT NULL, "revoked_at" datetime(3))',
    );
    await queryRunner.query(
      'INSERT INTO "oauth_clients"("client_id", "application_id", "school_id", "secret_hash", "previous_secret_hash", "previous_secret_expires_at", "created_at", "revoked_at") SELECT "client_id", "application_id", "school_id", "secret_hash", "previous_secret_hash", "previous_secret_expires_at", "created_at", "revoked_at" FROM "temporary_oauth_clients"',
    );
    await queryRunner.query('DROP TABLE "temporary_oauth_clients"');
    await queryRunner.query(
      'CREATE INDEX "IDX_3e6a370533cc8e57272daad141" ON "oauth_clients" ("application_id", "school_id") ',
    );
  }
}
