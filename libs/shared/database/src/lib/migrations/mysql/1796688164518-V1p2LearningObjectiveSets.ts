import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2LearningObjectiveSets1796688164518 implements MigrationInterface {
  name = 'V1p2LearningObjectiveSets1796688164518';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `line_items` ADD `learning_objective_set` text NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `results` ADD `learning_objective_set` text NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `results` DROP COLUMN `learning_objective_set`',
    );
    await queryRunner.query(
      'ALTER TABLE `line_items` DROP COLUMN `learning_objective_set`',
    );
  }
}
