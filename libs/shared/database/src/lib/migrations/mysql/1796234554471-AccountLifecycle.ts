import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountLifecycle1796234554471 implements MigrationInterface {
  name = 'AccountLifecycle1796234554471';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `accounts` ADD `must_change_password` tinyint NOT NULL DEFAULT 0',
    );
    await queryRunner.query(
      'ALTER TABLE `accounts` ADD `password_changed_at` datetime(3) NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `accounts` DROP COLUMN `password_changed_at`',
    );
    await queryRunner.query(
      'ALTER TABLE `accounts` DROP COLUMN `must_change_password`',
    );
  }
}
