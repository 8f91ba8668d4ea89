import { MigrationInterface, QueryRunner } from 'typeorm';

export class V1p2UserResources1796412427182 implements MigrationInterface {
  name = 'V1p2UserResources1796412427182';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `user_resources` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `user_sourced_id` varchar(255) NOT NULL, `resource_sourced_id` varchar(255) NOT NULL, `class_sourced_id` varchar(255) NULL, `org_sourced_id` varchar(255) NULL, INDEX `IDX_c6c59cbea8ade4036102019f67` (`sourced_id`, `school_id`), INDEX `IDX_4b421c78ec39ad98d1caf59faa` (`school_id`, `date_last_modified`), INDEX `IDX_bd5cec13aa9583fa76e9b23c82` (`school_id`, `status`), INDEX `IDX_0dd86e1fb6f15a9928cbe5a2b7` (`school_id`, `resource_sourced_id`), INDEX `IDX_543090afb937ca3e946d743f2d` (`school_id`, `user_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `IDX_543090afb937ca3e946d743f2d` ON `user_resources`");
    await queryRunner.query("DROP INDEX `IDX_0dd86e1fb6f15a9928cbe5a2b7` ON `user_resources`");
    await queryRunner.query("DROP INDEX `IDX_bd5cec13aa9583fa76e9b23c82` ON `user_resources`");
    await queryRunner.query("DROP INDEX `IDX_4b421c78ec39ad98d1caf59faa` ON `user_resources`");
    await queryRunner.query("DROP INDEX `IDX_c6c59cbea8ade4036102019f67` ON `user_resources`");
    await queryRunner.query("DROP TABLE `user_resources`");
  }
}
