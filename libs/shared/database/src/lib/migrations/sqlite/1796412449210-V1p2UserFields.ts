import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2UserFields1796412449210 implements MigrationInterface {
  name = 'V1p2UserFields1796412449210';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_eda577655476d8b0aae1d7a9b9"');
    await queryRunner.query('DROP INDEX "IDX_c4d163fc1bbd1afdcdece98251"');
    await queryRunner.query('DROP INDEX "IDX_74b19e3e31ad94e3a8f4d199e9"');
    await queryRunner.query('DROP INDEX "IDX_6764e21cf26ef8c4a03fbe062d"');
    await queryRunner.query('DROP INDEX "IDX_c59085fb3e2f8067d047d51bf0"');
    await queryRunner.query('DROP INDEX "IDX_95c056e57b5c42d807e5b26ba3"');
    await queryRunner.query('DROP INDEX "IDX_c631ea319cacbd536f7e99cd86"');
    await queryRunner.query(
      'CREATE TABLE "temporary_users" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "username" varchar(255) NOT NULL, "user_ids" text, "enabled_user" boolean NOT NULL, "given_name" varchar(255) NOT NULL, "family_name" varchar(255) NOT NULL, "middle_name" varchar(255), "role" varchar(16) NOT NULL, "identifier" varchar(255), "email" varchar(255), "sms" varchar(64), "phone" varchar(64), "grades" text, "password" varchar(255), "user_master_identifier" varchar(255), "preferred_first_name" varchar(255), "preferred_middle_name" varchar(255), "preferred_last_name" varchar(255), "pronouns" varchar(255), "primary_org_sourced_id" varchar(255), PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_users"("school_id", "sourced_id", "status", "date_last_modified", "metadata", "username", "user_ids", "enabled_user", "given_name", "family_name", "middle_name", "role", "identifier", "email", "sms", "phone", "grades", "password") SELECT "school_id", "sourced_id", "status", "date_last_modified", "metadata", "username", "user_ids", "enabled_user", "given_name", "family_name", "middle_name", "role", "identifier", "email", "sms", "phone", "grades", "password" FROM "users"',
    );
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('ALTER TABLE "temporary_users" RENAME TO "users"');
    await queryRunner.query(
      'CREATE INDEX "IDX_eda577655476d8b0aae1d7a9b9" ON "users" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c4d163fc1bbd1afdcdece98251" ON "users" ("school_id", "role") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_74b19e3e31ad94e3a8f4d199e9" ON "users" ("school_id", "email") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6764e21cf26ef8c4a03fbe062d" ON "users" ("school_id", "username") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c59085fb3e2f8067d047d51bf0" ON "users" ("school_id", "family_name") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_95c056e57b5c42d807e5b26ba3" ON "users" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c631ea319cacbd536f7e99cd86" ON "users" ("school_id", "date_last_modified") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_c631ea319cacbd536f7e99cd86"');
    await queryRunner.query('DROP INDEX "IDX_95c056e57b5c42d807e5b26ba3"');
    await queryRunner.query('DROP INDEX "IDX_c59085fb3e2f8067d047d51bf0"');
    await queryRunner.query('DROP INDEX "IDX_6764e21cf26ef8c4a03fbe062d"');
    await queryRunner.query('DROP INDEX "IDX_74b19e3e31ad94e3a8f4d199e9"');
    await queryRunner.query('DROP INDEX "IDX_c4d163fc1bbd1afdcdece98251"');
    await queryRunner.query('DROP INDEX "IDX_eda577655476d8b0aae1d7a9b9"');
    await queryRunner.query('ALTER TABLE "users" RENAME TO "temporary_users"');
    await queryRunner.query(
      'CREATE TABLE "users" ("school_id" varchar(36) NOT NULL, "sourced_id" varchar(255) NOT NULL, "status" varchar(16) NOT NULL DEFAULT (\'active\'), "date_last_modified" datetime(3) NOT NULL, "metadata" text, "username" varchar(255) NOT NULL, "user_ids" text, "enabled_user" boolean NOT NULL, "given_name" varchar(255) NOT NULL, "family_name" varchar(255) NOT NULL, "middle_name" varchar(255), "role" varchar(16) NOT NULL, "identifier" varchar(255), "email" varchar(255), "sms" varchar(64), "phone" varchar(64), "grades" text, "password" varchar(255), PRIMARY KEY ("school_id", "sourced_id"))',
    );
    await queryRunner.query(
      'INSERT INTO "users"("school_id", "sourced_id", "status", "date_last_modified", "metadata", "username", "user_ids", "enabled_user", "given_name", "family_name", "middle_name", "role", "identifier", "email", "sms", "phone", "grades", "password") SELECT "school_id", "sourced_id", "status", "date_last_modified", "metadata", "username", "user_ids", "enabled_user", "given_name", "family_name", "middle_name", "role", "identifier", "email", "sms", "phone", "grades", "password" FROM "temporary_users"',
    );
    await queryRunner.query('DROP TABLE "temporary_users"');
    await queryRunner.query(
      'CREATE INDEX "IDX_c631ea319cacbd536f7e99cd86" ON "users" ("school_id", "date_last_modified") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_95c056e57b5c42d807e5b26ba3" ON "users" ("school_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c59085fb3e2f8067d047d51bf0" ON "users" ("school_id", "family_name") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6764e21cf26ef8c4a03fbe062d" ON "users" ("school_id", "username") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_74b19e3e31ad94e3a8f4d199e9" ON "users" ("school_id", "email") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c4d163fc1bbd1afdcdece98251" ON "users" ("school_id", "role") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_eda577655476d8b0aae1d7a9b9" ON "users" ("sourced_id", "school_id") ',
    );
  }
}
