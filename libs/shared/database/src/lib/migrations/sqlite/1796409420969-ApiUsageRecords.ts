import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiUsageRecords1796409420969 implements MigrationInterface {
  name = 'ApiUsageRecords1796409420969';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_ef7553a9afe30318f83fe2864d"');
    await queryRunner.query(
      'CREATE TABLE "temporary_api_usage_daily" ("school_id" varchar(36) NOT NULL, "integrator_id" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, "route" varchar(255) NOT NULL, "requests" integer NOT NULL DEFAULT (0), "records" integer NOT NULL DEFAULT (0), PRIMARY KEY ("school_id", "integrator_id", "day", "route"))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_api_usage_daily"("school_id", "integrator_id", "day", "route", "requests") SELECT "school_id", "integrator_id", "day", "route", "requests" FROM "api_usage_daily"',
    );
    await queryRunner.query('DROP TABLE "api_usage_daily"');
    await queryRunner.query(
      'ALTER TABLE "temporary_api_usage_daily" RENAME TO "api_usage_daily"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ef7553a9afe30318f83fe2864d" ON "api_usage_daily" ("integrator_id", "day") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_ef7553a9afe30318f83fe2864d"');
    await queryRunner.query(
      'ALTER TABLE "api_usage_daily" RENAME TO "temporary_api_usage_daily"',
    );
    await queryRunner.query(
      'CREATE TABLE "api_usage_daily" ("school_id" varchar(36) NOT NULL, "integrator_id" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, "route" varchar(255) NOT NULL, "requests" integer NOT NULL DEFAULT (0), PRIMARY KEY ("school_id", "integrator_id", "day", "route"))',
    );
    await queryRunner.query(
      'INSERT INTO "api_usage_daily"("school_id", "integrator_id", "day", "route", "requests") SELECT "school_id", "integrator_id", "day", "route", "requests" FROM "temporary_api_usage_daily"',
    );
    await queryRunner.query('DROP TABLE "temporary_api_usage_daily"');
    await queryRunner.query(
      'CREATE INDEX "IDX_ef7553a9afe30318f83fe2864d" ON "api_usage_daily" ("integrator_id", "day") ',
    );
  }
}
