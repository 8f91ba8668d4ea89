import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2UserProfiles1796656490372 implements MigrationInterface {
  name = 'V1p2UserProfiles1796656490372';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"user_profiles\" (\"school_id\" varchar(36) NOT NULL, \"sourced_id\" varchar(255) NOT NULL, \"status\" varchar(16) NOT NULL DEFAULT ('active'), \"date_last_modified\" datetime(3) NOT NULL, \"metadata\" text, \"user_sourced_id\" varchar(255) NOT NULL, \"profile_type\" varchar(255) NOT NULL, \"vendor_id\" varchar(255) NOT NULL, \"application_id\" varchar(255), \"description\" varchar(1024), \"credentials\" text, PRIMARY KEY (\"school_id\", \"sourced_id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_6d2a2e762783248797b9686b3e\" ON \"user_profiles\" (\"sourced_id\", \"school_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_9172c2276380a64a2ae6795037\" ON \"user_profiles\" (\"school_id\", \"date_last_modified\") ");
    await queryRunner.query("CREATE INDEX \"IDX_455992bf98a21af5f9c39ed056\" ON \"user_profiles\" (\"school_id\", \"status\") ");
    await queryRunner.query("CREATE INDEX \"IDX_e13f1e4e217e149a2b8cdaca5d\" ON \"user_profiles\" (\"school_id\", \"user_sourced_id\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"IDX_e13f1e4e217e149a2b8cdaca5d\"");
    await queryRunner.query("DROP INDEX \"IDX_455992bf98a21af5f9c39ed056\"");
    await queryRunner.query("DROP INDEX \"IDX_9172c2276380a64a2ae6795037\"");
    await queryRunner.query("DROP INDEX \"IDX_6d2a2e762783248797b9686b3e\"");
    await queryRunner.query("DROP TABLE \"user_profiles\"");
  }
}
