import { MigrationInterface, QueryRunner } from 'typeorm';

export class OidcModels1795733044889 implements MigrationInterface {
  name = 'OidcModels1795733044889';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `oidc_models` (`model` varchar(48) NOT NULL, `id` varchar(255) NOT NULL, `payload` text NOT NULL, `grant_id` varchar(255) NULL, `uid` varchar(255) NULL, `user_code` varchar(255) NULL, `expires_at` datetime(3) NULL, `consumed_at` datetime(3) NULL, INDEX `IDX_4599b79e2f9ea86e05b783d19b` (`expires_at`), INDEX `IDX_e875fcdd24acad6236de2cc2ae` (`user_code`), INDEX `IDX_71504394bb9478699e87b6bfce` (`uid`), INDEX `IDX_53ecc7db8e4c5ad25badb4b1c3` (`grant_id`), PRIMARY KEY (`model`, `id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP INDEX `IDX_53ecc7db8e4c5ad25badb4b1c3` ON `oidc_models`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_71504394bb9478699e87b6bfce` ON `oidc_models`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_e875fcdd24acad6236de2cc2ae` ON `oidc_models`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_4599b79e2f9ea86e05b783d19b` ON `oidc_models`',
    );
    await queryRunner.query('DROP TABLE `oidc_models`');
  }
}
