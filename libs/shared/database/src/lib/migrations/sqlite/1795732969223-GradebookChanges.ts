import { MigrationInterface, QueryRunner } from 'typeorm';

export class GradebookChanges1795732969223 implements MigrationInterface {
  name = 'GradebookChanges1795732969223';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "gradebook_changes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "school_id" varchar(36) NOT NULL, "occurred_at" datetime(3) NOT NULL, "object_type" varchar(16) NOT NULL, "sourced_id" varchar(255) NOT NULL, "action" varchar(16) NOT NULL, "client_id" varchar(64), "integrator_id" varchar(36), "user_id" varchar(255), "before" text, "after" text)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0c2eabf80c32e8519362838aee" ON "gradebook_changes" ("school_id", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_0c2eabf80c32e8519362838aee"');
    await queryRunner.query('DROP TABLE "gradebook_changes"');
  }
}
