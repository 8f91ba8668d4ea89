import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiUsageRecords1796409420969 implements MigrationInterface {
  name = 'ApiUsageRecords1796409420969';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `api_usage_daily` ADD `records` int NOT NULL DEFAULT '0'",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `api_usage_daily` DROP COLUMN `records`',
    );
  }
}
