import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApplicationBooleanFormat1796292189795 implements MigrationInterface {
  name = 'ApplicationBooleanFormat1796292189795';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_b8bb349aa7456cc8d11eec46a7"');
    await queryRunner.query(
      'CREATE TABLE "temporary_applications" ("id" varchar(36) PRIMARY KEY NOT NULL, "integrator_id" varchar(36) NOT NULL, "name" varchar(255) NOT NULL, "description" text, "requested_scopes" text NOT NULL, "redirect_uris" text NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "boolean_format" varchar(8) NOT NULL DEFAULT (\'json\'))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_applications"("id", "integrator_id", "name", "description", "requested_scopes", "redirect_uris", "created_at", "updated_at") SELECT "id", "integrator_id", "name", "description", "requested_scopes", "redirect_uris", "created_at", "updated_at" FROM "applications"',
    );
    await queryRunner.query('DROP TABLE "applications"');
    await queryRunner.query(
      'ALTER TABLE "temporary_applications" RENAME TO "applications"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b8bb349aa7456cc8d11eec46a7" ON "applications" ("integrator_id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_b8bb349aa7456cc8d11eec46a7"');
    await queryRunner.query(
      'ALTER TABLE "applications" RENAME TO "temporary_applications"',
    );
    await queryRunner.query(
      'CREATE TABLE "applications" ("id" varchar(36) PRIMARY KEY NOT NULL, "integrator_id" varchar(36) NOT NULL, "name" varchar(255) NOT NULL, "description" text, "requested_scopes" text NOT NULL, "redirect_uris" text NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "applications"("id", "integrator_id", "name", "description", "requested_scopes", "redirect_uris", "created_at", "updated_at") SELECT "id", "integrator_id", "name", "description", "requested_scopes", "redirect_uris", "created_at", "updated_at" FROM "temporary_applications"',
    );
    await queryRunner.query('DROP TABLE "temporary_applications"');
    await queryRunner.query(
      'CREATE INDEX "IDX_b8bb349aa7456cc8d11eec46a7" ON "applications" ("integrator_id") ',
    );
  }
}
