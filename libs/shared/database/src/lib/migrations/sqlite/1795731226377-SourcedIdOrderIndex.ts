import { MigrationInterface, QueryRunner } from 'typeorm';

export class SourcedIdOrderIndex1795731226377 implements MigrationInterface {
  name = 'SourcedIdOrderIndex1795731226377';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "IDX_92cc3a7322daf1e356e2eda54d" ON "orgs" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d8d191ce86c2a846d1796230e8" ON "academic_sessions" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e41e0aa703469dabfacc8fc5d0" ON "courses" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d2db4152c2470eca745228ba0b" ON "classes" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_eda577655476d8b0aae1d7a9b9" ON "users" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6faae97050feee065a72c17ec4" ON "enrollments" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7021aab1c11206b28c210f6395" ON "demographics" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_bf401365fd9e09148b695bc306" ON "categories" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b589075cdfac31683729effdda" ON "line_items" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0639eeaa9d4c097c681ff9eaa4" ON "results" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_818b4dabe238796ee8e03eab6e" ON "resources" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c73d99e52b58c328b28337dcf4" ON "class_resources" ("sourced_id", "school_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c4e4d0b922ae3b7c25cb7ea860" ON "course_resources" ("sourced_id", "school_id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_c4e4d0b922ae3b7c25cb7ea860"');
    await queryRunner.query('DROP INDEX "IDX_c73d99e52b58c328b28337dcf4"');
    await queryRunner.query('DROP INDEX "IDX_818b4dabe238796ee8e03eab6e"');
    await queryRunner.query('DROP INDEX "IDX_0639eeaa9d4c097c681ff9eaa4"');
    await queryRunner.query('DROP INDEX "IDX_b589075cdfac31683729effdda"');
    await queryRunner.query('DROP INDEX "IDX_bf401365fd9e09148b695bc306"');
    await queryRunner.query('DROP INDEX "IDX_7021aab1c11206b28c210f6395"');
    await queryRunner.query('DROP INDEX "IDX_6faae97050feee065a72c17ec4"');
    await queryRunner.query('DROP INDEX "IDX_eda577655476d8b0aae1d7a9b9"');
    await queryRunner.query('DROP INDEX "IDX_d2db4152c2470eca745228ba0b"');
    await queryRunner.query('DROP INDEX "IDX_e41e0aa703469dabfacc8fc5d0"');
    await queryRunner.query('DROP INDEX "IDX_d8d191ce86c2a846d1796230e8"');
    await queryRunner.query('DROP INDEX "IDX_92cc3a7322daf1e356e2eda54d"');
  }
}
