import { MigrationInterface, QueryRunner } from 'typeorm';

export class GradebookChanges1795732969223 implements MigrationInterface {
  name = 'GradebookChanges1795732969223';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `gradebook_changes` (`id` int NOT NULL AUTO_INCREMENT, `school_id` varchar(36) NOT NULL, `occurred_at` datetime(3) NOT NULL, `object_type` varchar(16) NOT NULL, `sourced_id` varchar(255) NOT NULL, `action` varchar(16) NOT NULL, `client_id` varchar(64) NULL, `integrator_id` varchar(36) NULL, `user_id` varchar(255) NULL, `before` text NULL, `after` text NULL, INDEX `IDX_0c2eabf80c32e8519362838aee` (`school_id`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP INDEX `IDX_0c2eabf80c32e8519362838aee` ON `gradebook_changes`',
    );
    await queryRunner.query('DROP TABLE `gradebook_changes`');
  }
}
