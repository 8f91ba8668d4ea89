import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2UserResources1796412427182 implements MigrationInterface {
  name = 'V1p2UserResources1796412427182';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"user_resources\" (\"school_id\" varchar(36) NOT NULL, \"sourced_id\" varchar(255) NOT NULL, \"status\" varchar(16) NOT NULL DEFAULT ('active'), \"date_last_modified\" datetime(3) NOT NULL, \"metadata\" text, \"user_sourced_id\" varchar(255) NOT NULL, \"resource_sourced_id\" varchar(255) NOT NULL, \"class_sourced_id\" varchar(255), \"org_sourced_id\" varchar(255), PRIMARY KEY (\"school_id\", \"sourced_id\"))");
    await queryRunner.query("CREATE INDEX \"IDX_c6c59cbea8ade4036102019f67\" ON \"user_resources\" (\"sourced_id\", \"school_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_4b421c78ec39ad98d1caf59faa\" ON \"user_resources\" (\"school_id\", \"date_last_modified\") ");
    await queryRunner.query("CREATE INDEX \"IDX_bd5cec13aa9583fa76e9b23c82\" ON \"user_resources\" (\"school_id\", \"status\") ");
    await queryRunner.query("CREATE INDEX \"IDX_0dd86e1fb6f15a9928cbe5a2b7\" ON \"user_resources\" (\"school_id\", \"resource_sourced_id\") ");
    await queryRunner.query("CREATE INDEX \"IDX_543090afb937ca3e946d743f2d\" ON \"user_resources\" (\"school_id\", \"user_sourced_id\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"IDX_543090afb937ca3e946d743f2d\"");
    await queryRunner.query("DROP INDEX \"IDX_0dd86e1fb6f15a9928cbe5a2b7\"");
    await queryRunner.query("DROP INDEX \"IDX_bd5cec13aa9583fa76e9b23c82\"");
    await queryRunner.query("DROP INDEX \"IDX_4b421c78ec39ad98d1caf59faa\"");
    await queryRunner.query("DROP INDEX \"IDX_c6c59cbea8ade4036102019f67\"");
    await queryRunner.query("DROP TABLE \"user_resources\"");
  }
}
