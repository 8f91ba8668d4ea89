import { MigrationInterface, QueryRunner } from 'typeorm';

export class OidcSignInClients1795739260650 implements MigrationInterface {
  name = 'OidcSignInClients1795739260650';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_3e6a370533cc8e57272daad141"');
    await queryRunner.query(
      'CREATE TABLE "temporary_oauth_clients" ("client_id" varchar(64) PRIMARY KEY NOT NULL, "application_id" varchar(36) NOT NULL, "school_id" varchar(36) NOT NULL, "secret_hash" varchar(255) NOT NULL, "previous_secret_hash" varchar(255), "previous_secret_expires_at" datetime(3), "created_at" datetime(3) NOT NULL, "revoked_at" datetime(3))',
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
    await queryRunner.query('DROP INDEX "IDX_3e6a370533cc8e57272daad141"');
    await queryRunner.query(
      'CREATE TABLE "temporary_oauth_clients" ("client_id" varchar(64) PRIMARY KEY NOT NULL, "application_id" varchar(36) NOT NULL, "school_id" varchar(36), "secret_hash" varchar(255) NOT NULL, "previous_secret_hash" varchar(255), "previous_secret_expires_at" datetime(3), "created_at" datetime(3) NOT NULL, "revoked_at" datetime(3))',
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_3e6a370533cc8e57272daad141"');
    await queryRunner.query(
      'ALTER TABLE "oauth_clients" RENAME TO "temporary_oauth_clients"',
    );
    await queryRunner.query(
      'CREATE TABLE "oauth_clients" ("client_id" varchar(64) PRIMARY KEY NOT NULL, "application_id" varchar(36) NOT NULL, "school_id" varchar(36) NOT NULL, "secret_hash" varchar(255) NOT NULL, "previous_secret_hash" varchar(255), "previous_secret_expires_at" datetime(3), "created_at" datetime(3) NOT NULL, "revoked_at" datetime(3))',
    );
    await queryRunner.query(
      'INSERT INTO "oauth_clients"("client_id", "application_id", "school_id", "secret_hash", "previous_secret_hash", "previous_secret_expires_at", "created_at", "revoked_at") SELECT "client_id", "application_id", "school_id", "secret_hash", "previous_secret_hash", "previous_secret_expires_at", "created_at", "revoked_at" FROM "temporary_oauth_clients"',
    );
    await queryRunner.query('DROP TABLE "temporary_oauth_clients"');
    await queryRunner.query(
      'CREATE INDEX "IDX_3e6a370533cc8e57272daad141" ON "oauth_clients" ("application_id", "school_id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_3e6a370533cc8e57272daad141"');
    await queryRunner.query(
      'ALTER TABLE "oauth_clients" RENAME TO "temporary_oauth_clients"',
    );
    await queryRunner.query(
      'CREATE TABLE "oauth_clients" ("client_id" varchar(64) PRIMARY KEY NOT NULL, "application_id" varchar(36) NOT NULL, "school_id" varchar(36) NOT NULL, "secret_hash" varchar(255) NOT NULL, "previous_secret_hash" varchar(255), "previous_secret_expires_at" datetime(3), "created_at" datetime(3) NOT NULL, "revoked_at" datetime(3))',
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
