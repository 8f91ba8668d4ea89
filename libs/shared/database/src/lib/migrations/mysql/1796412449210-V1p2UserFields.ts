import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2UserFields1796412449210 implements MigrationInterface {
  name = 'V1p2UserFields1796412449210';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `users` ADD `user_master_identifier` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `users` ADD `preferred_first_name` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `users` ADD `preferred_middle_name` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `users` ADD `preferred_last_name` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `users` ADD `pronouns` varchar(255) NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `users` ADD `primary_org_sourced_id` varchar(255) NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `users` DROP COLUMN `primary_org_sourced_id`',
    );
    await queryRunner.query('ALTER TABLE `users` DROP COLUMN `pronouns`');
    await queryRunner.query(
      'ALTER TABLE `users` DROP COLUMN `preferred_last_name`',
    );
    await queryRunner.query(
      'ALTER TABLE `users` DROP COLUMN `preferred_middle_name`',
    );
    await queryRunner.query(
      'ALTER TABLE `users` DROP COLUMN `preferred_first_name`',
    );
    await queryRunner.query(
      'ALTER TABLE `users` DROP COLUMN `user_master_identifier`',
    );
  }
}
