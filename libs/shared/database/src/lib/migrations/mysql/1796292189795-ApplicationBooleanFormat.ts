import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApplicationBooleanFormat1796292189795 implements MigrationInterface {
  name = 'ApplicationBooleanFormat1796292189795';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "ALTER TABLE `applications` ADD `boolean_format` varchar(8) NOT NULL DEFAULT 'json'",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `applications` DROP COLUMN `boolean_format`',
    );
  }
}
