import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2UserRoles1796655134026 implements MigrationInterface {
  name = 'V1p2UserRoles1796655134026';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"user_roles\" (\"school_id\" varchar(36) NOT NULL, \"sourced_id\" varchar(255) NOT NULL, \"status\" varchar(16) NOT NULL DEFAULT ('active'), \"date_last_modified\" datetime(3) NOT NULL, \"metadata\" text, \"user_sourced_id\" varchar(255) NOT NULL, \"role_type\" varchar(16) NOT NULL, \"role\" varchar(255) NOT NULL, \"org_sourced_id\" varchar(255) NOT NULL, \"user_profile_sourced_id\" varchar(255), \"begin_date\" varchar(10), \"end_date\" varchar(10), PRIMARY KEY (\"school_id\", \"sourced_id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_46dcf9ee97c82c2e22282f6bc7\" ON \"user_roles\" (\"sourced_id\", \"school_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_da7412643f22b94aa4d11dbdc3\" ON \"user_roles\" (\"school_id\", \"date_last_modified\") ");
    await queryRunner.query("CREATE INDEX \"IDX_1d859f7d112ae5b7b246737e1b\" ON \"user_roles\" (\"school_id\", \"status\") ");
    await queryRunner.query("CREATE INDEX \"IDX_f814b319b0b36b1f8e0dacf542\" ON \"user_roles\" (\"school_id\", \"org_sourced_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_dd339cfee0bdc315b536ec0fff\" ON \"user_roles\" (\"school_id\", \"user_sourced_id\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"IDX_dd339cfee0bdc315b536ec0fff\"");
    await queryRunner.query("DROP INDEX \"IDX_f814b319b0b36b1f8e0dacf542\"");
    await queryRunner.query("DROP INDEX \"IDX_1d859f7d112ae5b7b246737e1b\"");
    await queryRunner.query("DROP INDEX \"IDX_da7412643f22b94aa4d11dbdc3\"");
    await queryRunner.query("DROP INDEX \"IDX_46dcf9ee97c82c2e22282f6bc7\"");
    await queryRunner.query("DROP TABLE \"user_roles\"");
  }
}
