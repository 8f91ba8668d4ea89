import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2ScoreScalesAndAssessments1796328157056 implements MigrationInterface {
  name = 'V1p2ScoreScalesAndAssessments1796328157056';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `score_scales` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, `type` varchar(255) NOT NULL, `course_sourced_id` varchar(255) NULL, `class_sourced_id` varchar(255) NOT NULL, `score_scale_value` text NOT NULL, INDEX `IDX_7e312e1c64881634159fd631ea` (`sourced_id`, `school_id`), INDEX `IDX_2d61cf85251b4434c3332d3ad9` (`school_id`, `date_last_modified`), INDEX `IDX_a53cfeb6e146aaa070f552a6db` (`school_id`, `status`), INDEX `IDX_6da6c178d23b9db4d2837d2e5e` (`school_id`, `class_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `assessment_line_items` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, `description` text NULL, `class_sourced_id` varchar(255) NULL, `parent_sourced_id` varchar(255) NULL, `score_scale_sourced_id` varchar(255) NULL, `result_value_min` double NULL, `result_value_max` double NULL, `learning_objective_set` text NULL, INDEX `IDX_86cf03e8d2a48fb2e197d79faf` (`sourced_id`, `school_id`), INDEX `IDX_329e975d81da38f978357cfc46` (`school_id`, `date_last_modified`), INDEX `IDX_21ba8e838f46a21f8901b8da00` (`school_id`, `status`), INDEX `IDX_1c1bbb756e9429600118310f82` (`school_id`, `class_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      "CREATE TABLE `assessment_results` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `assessment_line_item_sourced_id` varchar(255) NOT NULL, `student_sourced_id` varchar(255) NOT NULL, `score` double NULL, `text_score` varchar(255) NULL, `score_date` date NOT NULL, `score_scale_sourced_id` varchar(255) NULL, `score_percentile` double NULL, `score_status` varchar(64) NOT NULL, `comment` text NULL, `learning_objective_set` text NULL, `in_progress` tinyint NULL, `incomplete` tinyint NULL, `late` tinyint NULL, `missing` tinyint NULL, INDEX `IDX_1141c9ec8dc5e25dca4a4381dc` (`sourced_id`, `school_id`), INDEX `IDX_db8b4e4e08e854f30353b7b92c` (`school_id`, `date_last_modified`), INDEX `IDX_19eae377d15ca0c80e2021f027` (`school_id`, `status`), INDEX `IDX_7c0e12fe2a75e07977c6e7ed66` (`school_id`, `student_sourced_id`), INDEX `IDX_80caf5a7ab97117c8882eebe8f` (`school_id`, `assessment_line_item_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB",
    );
    await queryRunner.query(
      'ALTER TABLE `gradebook_changes` MODIFY `object_type` varchar(32) NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `gradebook_changes` MODIFY `object_type` varchar(16) NOT NULL',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_80caf5a7ab97117c8882eebe8f` ON `assessment_results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_7c0e12fe2a75e07977c6e7ed66` ON `assessment_results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_19eae377d15ca0c80e2021f027` ON `assessment_results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_db8b4e4e08e854f30353b7b92c` ON `assessment_results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_1141c9ec8dc5e25dca4a4381dc` ON `assessment_results`',
    );
    await queryRunner.query('DROP TABLE `assessment_results`');
    await queryRunner.query(
      'DROP INDEX `IDX_1c1bbb756e9429600118310f82` ON `assessment_line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_21ba8e838f46a21f8901b8da00` ON `assessment_line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_329e975d81da38f978357cfc46` ON `assessment_line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_86cf03e8d2a48fb2e197d79faf` ON `assessment_line_items`',
    );
    await queryRunner.query('DROP TABLE `assessment_line_items`');
    await queryRunner.query(
      'DROP INDEX `IDX_6da6c178d23b9db4d2837d2e5e` ON `score_scales`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_a53cfeb6e146aaa070f552a6db` ON `score_scales`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_2d61cf85251b4434c3332d3ad9` ON `score_scales`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_7e312e1c64881634159fd631ea` ON `score_scales`',
    );
    await queryRunner.query('DROP TABLE `score_scales`');
  }
}
