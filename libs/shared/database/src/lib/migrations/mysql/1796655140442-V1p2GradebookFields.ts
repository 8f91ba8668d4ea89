import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2GradebookFields1796655140442 implements MigrationInterface {
  name = 'V1p2GradebookFields1796655140442';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `categories` ADD `weight` double NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `line_items` ADD `score_scale_sourced_id` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `results` ADD `score_scale_sourced_id` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `results` ADD `text_score` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `results` ADD `in_progress` tinyint NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `results` ADD `incomplete` tinyint NULL',
    );
    await queryRunner.query('ALTER TABLE `results` ADD `late` tinyint NULL');
    await queryRunner.query('ALTER TABLE `results` ADD `missing` tinyint NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `results` DROP COLUMN `missing`');
    await queryRunner.query('ALTER TABLE `results` DROP COLUMN `late`');
    await queryRunner.query('ALTER TABLE `results` DROP COLUMN `incomplete`');
    await queryRunner.query('ALTER TABLE `results` DROP COLUMN `in_progress`');
    await queryRunner.query('ALTER TABLE `results` DROP COLUMN `text_score`');
    await queryRunner.query(
      'ALTER TABLE `results` DROP COLUMN `score_scale_sourced_id`',
    );
    await queryRunner.query(
      'ALTER TABLE `line_items` DROP COLUMN `score_scale_sourced_id`',
    );
    await queryRunner.query('ALTER TABLE `categories` DROP COLUMN `weight`');
  }
}
