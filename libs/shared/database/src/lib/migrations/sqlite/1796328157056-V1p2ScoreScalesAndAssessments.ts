import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2ScoreScalesAndAssessments1796328157056 implements MigrationInterface {
  name = 'V1p2ScoreScalesAndAssessments1796328157056';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "score_scales" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "title" varchar(255) NOT NULL, "type" varchar(255) NOT NULL, "course_sourced_id" varchar(255), "class_sourced_id" varchar(255) NOT NULL, "score_scale_value" text NOT NULL, PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7e312e1c64881634159fd631ea" ON "score_scales" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2d61cf85251b4434c3332d3ad9" ON "score_scales" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a53cfeb6e146aaa070f552a6db" ON "score_scales" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6da6c178d23b9db4d2837d2e5e" ON "score_scales" ("school_id", "class_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "assessment_line_items" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "title" varchar(255) NOT NULL, "description" text, "class_sourced_id" varchar(255), "parent_sourced_id" varchar(255), "score_scale_sourced_id" varchar(255), "result_value_min" double, "result_value_max" double, "learning_objective_set" text, PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_86cf03e8d2a48fb2e197d79faf" ON "assessment_line_items" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_329e975d81da38f978357cfc46" ON "assessment_line_items" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_21ba8e838f46a21f8901b8da00" ON "assessment_line_items" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1c1bbb756e9429600118310f82" ON "assessment_line_items" ("school_id", "class_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "assessment_results" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "assessment_line_item_sourced_id" varchar(255) NOT NULL, "student_sourced_id" varchar(255) NOT NULL, "score" double, "text_score" varchar(255), "score_date" date NOT NULL, "score_scale_sourced_id" varchar(255), "score_percentile" double, "score_status" varchar(64) NOT NULL, "comment" text, "learning_objective_set" text, "in_progress" boolean, "incomplete" boolean, "late" boolean, "missing" boolean, PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1141c9ec8dc5e25dca4a4381dc" ON "assessment_results" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_db8b4e4e08e854f30353b7b92c" ON "assessment_results" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_19eae377d15ca0c80e2021f027" ON "assessment_results" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7c0e12fe2a75e07977c6e7ed66" ON "assessment_results" ("school_id", "student_sourced_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_80caf5a7ab97117c8882eebe8f" ON "assessment_results" ("school_id", "assessment_line_item_sourced_id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_0c2eabf80c32e8519362838aee"');
    await queryRunner.query(
      'CREATE TABLE "temporary_gradebook_changes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "school_id" varchar(36) NOT NULL, "occurred_at" datetime(3) NOT NULL, "object_type" varchar(32) NOT NULL, "sourced_id" varchar(255) NOT NULL, "action" varchar(16) NOT NULL, "client_id" varchar(64), "integrator_id" varchar(36), "user_id" varchar(255), "before" text, "after" text)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_gradebook_changes"("id", "school_id", "occurred_at", "object_type", "sourced_id", "action", "client_id", "integrator_id", "user_id", "before", "after") SELECT "id", "school_id", "occurred_at", "object_type", "sourced_id", "action", "client_id", "integrator_id", "user_id", "before", "after" FROM "gradebook_changes"',
    );
    await queryRunner.query('DROP TABLE "gradebook_changes"');
    await queryRunner.query(
      'ALTER TABLE "temporary_gradebook_changes" RENAME TO "gradebook_changes"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0c2eabf80c32e8519362838aee" ON "gradebook_changes" ("school_id", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_0c2eabf80c32e8519362838aee"');
    await queryRunner.query(
      'ALTER TABLE "gradebook_changes" RENAME TO "temporary_gradebook_changes"',
    );
    await queryRunner.query(
      'CREATE TABLE "gradebook_changes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "school_id" varchar(36) NOT NULL, "occurred_at" datetime(3) NOT NULL, "object_type" varchar(16) NOT NULL, "sourced_id" varchar(255) NOT NULL, "action" varchar(16) NOT NULL, "client_id" varchar(64), "integrator_id" varchar(36), "user_id" varchar(255), "before" text, "after" text)',
    );
    await queryRunner.query(
      'INSERT INTO "gradebook_changes"("id", "school_id", "occurred_at", "object_type", "sourced_id", "action", "client_id", "integrator_id", "user_id", "before", "after") SELECT "id", "school_id", "occurred_at", "object_type", "sourced_id", "action", "client_id", "integrator_id", "user_id", "before", "after" FROM "temporary_gradebook_changes"',
    );
    await queryRunner.query('DROP TABLE "temporary_gradebook_changes"');
    await queryRunner.query(
      'CREATE INDEX "IDX_0c2eabf80c32e8519362838aee" ON "gradebook_changes" ("school_id", "id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_80caf5a7ab97117c8882eebe8f"');
    await queryRunner.query('DROP INDEX "IDX_7c0e12fe2a75e07977c6e7ed66"');
    await queryRunner.query('DROP INDEX "IDX_19eae377d15ca0c80e2021f027"');
    await queryRunner.query('DROP INDEX "IDX_db8b4e4e08e854f30353b7b92c"');
    await queryRunner.query('DROP INDEX "IDX_1141c9ec8dc5e25dca4a4381dc"');
    await queryRunner.query('DROP TABLE "assessment_results"');
    await queryRunner.query('DROP INDEX "IDX_1c1bbb756e9429600118310f82"');
    await queryRunner.query('DROP INDEX "IDX_21ba8e838f46a21f8901b8da00"');
    await queryRunner.query('DROP INDEX "IDX_329e975d81da38f978357cfc46"');
    await queryRunner.query('DROP INDEX "IDX_86cf03e8d2a48fb2e197d79faf"');
    await queryRunner.query('DROP TABLE "assessment_line_items"');
    await queryRunner.query('DROP INDEX "IDX_6da6c178d23b9db4d2837d2e5e"');
    await queryRunner.query('DROP INDEX "IDX_a53cfeb6e146aaa070f552a6db"');
    await queryRunner.query('DROP INDEX "IDX_2d61cf85251b4434c3332d3ad9"');
    await queryRunner.query('DROP INDEX "IDX_7e312e1c64881634159fd631ea"');
    await queryRunner.query('DROP TABLE "score_scales"');
  }
}
