import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountLifecycle1796234554471 implements MigrationInterface {
  name = 'AccountLifecycle1796234554471';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_ee66de6cdc53993296d1ceb8aa"');
    await queryRunner.query(
      'CREATE TABLE "temporary_accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "email" varchar(255) NOT NULL, "display_name" varchar(255) NOT NULL, "password_hash" varchar(255) NOT NULL, "platform_role" varchar(32), "integrator_id" varchar(36), "disabled" boolean NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, "must_change_password" boolean NOT NULL DEFAULT (0), "password_changed_at" datetime(3))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_accounts"("id", "email", "display_name", "password_hash", "platform_role", "integrator_id", "disabled", "created_at") SELECT "id", "email", "display_name", "password_hash", "platform_role", "integrator_id", "disabled", "created_at" FROM "accounts"',
    );
    await queryRunner.query('DROP TABLE "accounts"');
    await queryRunner.query(
      'ALTER TABLE "temporary_accounts" RENAME TO "accounts"',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_ee66de6cdc53993296d1ceb8aa" ON "accounts" ("email") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_ee66de6cdc53993296d1ceb8aa"');
    await queryRunner.query(
      'ALTER TABLE "accounts" RENAME TO "temporary_accounts"',
    );
    await queryRunner.query(
      'CREATE TABLE "accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "email" varchar(255) NOT NULL, "display_name" varchar(255) NOT NULL, "password_hash" varchar(255) NOT NULL, "platform_role" varchar(32), "integrator_id" varchar(36), "disabled" boolean NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "accounts"("id", "email", "display_name", "password_hash", "platform_role", "integrator_id", "disabled", "created_at") SELECT "id", "email", "display_name", "password_hash", "platform_role", "integrator_id", "disabled", "created_at" FROM "temporary_accounts"',
    );
    await queryRunner.query('DROP TABLE "temporary_accounts"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_ee66de6cdc53993296d1ceb8aa" ON "accounts" ("email") ',
    );
  }
}
