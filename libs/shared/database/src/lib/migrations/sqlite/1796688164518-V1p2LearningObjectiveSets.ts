import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2LearningObjectiveSets1796688164518 implements MigrationInterface {
  name = 'V1p2LearningObjectiveSets1796688164518';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_d5d35f3e8cdce06311826ec693"');
    await queryRunner.query('DROP INDEX "IDX_08ddbbfabd182983a558009450"');
    await queryRunner.query('DROP INDEX "IDX_355d5cb580c588e6bbf58a19ea"');
    await queryRunner.query('DROP INDEX "IDX_4e7f9aa7925075ad837952cbb1"');
    await queryRunner.query('DROP INDEX "IDX_3f2bbf539c52ec5f71f47f0f80"');
    await queryRunner.query('DROP INDEX "IDX_b589075cdfac31683729effdda"');
    await queryRunner.query(
      'CREATE TABLE "temporary_line_items" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "title" varchar(255) NOT NULL, "description" text, "assign_date" datetime(3) NOT NULL, "due_date" datetime(3) NOT NULL, "class_sourced_id" varchar(255) NOT NULL, "category_sourced_id" varchar(255) NOT NULL, "grading_period_sourced_id" varchar(255) NOT NULL, "result_value_min" double NOT NULL, "result_value_max" double NOT NULL, "score_scale_sourced_id" varchar(255), "learning_objective_set" text, PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_line_items"("school_id", "sourced_id", "status", "date_last_modified", "metadata", "title", "description", "assign_date", "due_date", "class_sourced_id", "category_sourced_id", "grading_period_sourced_id", "result_value_min", "result_value_max", "score_scale_sourced_id") SELECT "school_id", "sourced_id", "status", "date_last_modified", "metadata", "title", "description", "assign_date", "due_date", "class_sourced_id", "category_sourced_id", "grading_period_sourced_id", "result_value_min", "result_value_max", "score_scale_sourced_id" FROM "line_items"',
    );
    await queryRunner.query('DROP TABLE "line_items"');
    await queryRunner.query(
      'ALTER TABLE "temporary_line_items" RENAME TO "line_items"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d5d35f3e8cdce06311826ec693" ON "line_items" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_08ddbbfabd182983a558009450" ON "line_items" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_355d5cb580c588e6bbf58a19ea" ON "line_items" ("school_id", "grading_period_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4e7f9aa7925075ad837952cbb1" ON "line_items" ("school_id", "category_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_3f2bbf539c52ec5f71f47f0f80" ON "line_items" ("school_id", "class_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b589075cdfac31683729effdda" ON "line_items" ("sourced_id", "school_id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_aaac3cc43cc28c80a1339ef17b"');
    await queryRunner.query('DROP INDEX "IDX_a026063d02cf0b81cc2991a5aa"');
    await queryRunner.query('DROP INDEX "IDX_68b6d8ebd861aee569e0ec19e5"');
    await queryRunner.query('DROP INDEX "IDX_04dfb0b25cc3f8785c9df4415a"');
    await queryRunner.query('DROP INDEX "IDX_0639eeaa9d4c097c681ff9eaa4"');
    await queryRunner.query(
      'CREATE TABLE "temporary_results" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "line_item_sourced_id" varchar(255) NOT NULL, "student_sourced_id" varchar(255) NOT NULL, "score_status" varchar(32) NOT NULL, "score" double NOT NULL, "score_date" date NOT NULL, "comment" text, "score_scale_sourced_id" varchar(255), "text_score" varchar(255), "in_progress" boolean, "incomplete" boolean, "late" boolean, "missing" boolean, "learning_objective_set" text, PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_results"("school_id", "sourced_id", "status", "date_last_modified", "metadata", "line_item_sourced_id", "student_sourced_id", "score_status", "score", "score_date", "comment", "score_scale_sourced_id", "text_score", "in_progress", "incomplete", "late", "missing") SELECT "school_id", "sourced_id", "status", "date_last_modified", "metadata", "line_item_sourced_id", "student_sourced_id", "score_status", "score", "score_date", "comment", "score_scale_sourced_id", "text_score", "in_progress", "incomplete", "late", "missing" FROM "results"',
    );
    await queryRunner.query('DROP TABLE "results"');
    await queryRunner.query(
      'ALTER TABLE "temporary_results" RENAME TO "results"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_aaac3cc43cc28c80a1339ef17b" ON "results" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a026063d02cf0b81cc2991a5aa" ON "results" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_68b6d8ebd861aee569e0ec19e5" ON "results" ("school_id", "student_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_04dfb0b25cc3f8785c9df4415a" ON "results" ("school_id", "line_item_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0639eeaa9d4c097c681ff9eaa4" ON "results" ("sourced_id", "school_id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_0639eeaa9d4c097c681ff9eaa4"');
    await queryRunner.query('DROP INDEX "IDX_04dfb0b25cc3f8785c9df4415a"');
    await queryRunner.query('DROP INDEX "IDX_68b6d8ebd861aee569e0ec19e5"');
    await queryRunner.query('DROP INDEX "IDX_a026063d02cf0b81cc2991a5aa"');
    await queryRunner.query('DROP INDEX "IDX_aaac3cc43cc28c80a1339ef17b"');
    await queryRunner.query(
      'ALTER TABLE "results" RENAME TO "temporary_results"',
    );
    await queryRunner.query(
      'CREATE TABLE "results" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "line_item_sourced_id" varchar(255) NOT NULL, "student_sourced_id" varchar(255) NOT NULL, "score_status" varchar(32) NOT NULL, "score" double NOT NULL, "score_date" date NOT NULL, "comment" text, "score_scale_sourced_id" varchar(255), "text_score" varchar(255), "in_progress" boolean, "incomplete" boolean, "late" boolean, "missing" boolean, PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'INSERT INTO "results"("school_id", "sourced_id", "status", "date_last_modified", "metadata", "line_item_sourced_id", "student_sourced_id", "score_status", "score", "score_date", "comment", "score_scale_sourced_id", "text_score", "in_progress", "incomplete", "late", "missing") SELECT "school_id", "sourced_id", "status", "date_last_modified", "metadata", "line_item_sourced_id", "student_sourced_id", "score_status", "score", "score_date", "comment", "score_scale_sourced_id", "text_score", "in_progress", "incomplete", "late", "missing" FROM "temporary_results"',
    );
    await queryRunner.query('DROP TABLE "temporary_results"');
    await queryRunner.query(
      'CREATE INDEX "IDX_0639eeaa9d4c097c681ff9eaa4" ON "results" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_04dfb0b25cc3f8785c9df4415a" ON "results" ("school_id", "line_item_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_68b6d8ebd861aee569e0ec19e5" ON "results" ("school_id", "student_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a026063d02cf0b81cc2991a5aa" ON "results" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_aaac3cc43cc28c80a1339ef17b" ON "results" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query('DROP INDEX "IDX_b589075cdfac31683729effdda"');
    await queryRunner.query('DROP INDEX "IDX_3f2bbf539c52ec5f71f47f0f80"');
    await queryRunner.query('DROP INDEX "IDX_4e7f9aa7925075ad837952cbb1"');
    await queryRunner.query('DROP INDEX "IDX_355d5cb580c588e6bbf58a19ea"');
    await queryRunner.query('DROP INDEX "IDX_08ddbbfabd182983a558009450"');
    await queryRunner.query('DROP INDEX "IDX_d5d35f3e8cdce06311826ec693"');
    await queryRunner.query(
      'ALTER TABLE "line_items" RENAME TO "temporary_line_items"',
    );
    await queryRunner.query(
      'CREATE TABLE "line_items" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "title" varchar(255) NOT NULL, "description" text, "assign_date" datetime(3) NOT NULL, "due_date" datetime(3) NOT NULL, "class_sourced_id" varchar(255) NOT NULL, "category_sourced_id" varchar(255) NOT NULL, "grading_period_sourced_id" varchar(255) NOT NULL, "result_value_min" double NOT NULL, "result_value_max" double NOT NULL, "score_scale_sourced_id" varchar(255), PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'INSERT INTO "line_items"("school_id", "sourced_id", "status", "date_last_modified", "metadata", "title", "description", "assign_date", "due_date", "class_sourced_id", "category_sourced_id", "grading_period_sourced_id", "result_value_min", "result_value_max", "score_scale_sourced_id") SELECT "school_id", "sourced_id", "status", "date_last_modified", "metadata", "title", "description", "assign_date", "due_date", "class_sourced_id", "category_sourced_id", "grading_period_sourced_id", "result_value_min", "result_value_max", "score_scale_sourced_id" FROM "temporary_line_items"',
    );
    await queryRunner.query('DROP TABLE "temporary_line_items"');
    await queryRunner.query(
      'CREATE INDEX "IDX_b589075cdfac31683729effdda" ON "line_items" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_3f2bbf539c52ec5f71f47f0f80" ON "line_items" ("school_id", "class_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4e7f9aa7925075ad837952cbb1" ON "line_items" ("school_id", "category_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_355d5cb580c588e6bbf58a19ea" ON "line_items" ("school_id", "grading_period_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_08ddbbfabd182983a558009450" ON "line_items" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d5d35f3e8cdce06311826ec693" ON "line_items" ("school_id", "date_last_modified") ',
    );
  }
}
