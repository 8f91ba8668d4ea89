import { MigrationInterface, QueryRunner } from 'typeorm';

export class MisImports1796409441645 implements MigrationInterface {
  name = 'MisImports1796409441645';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `oauth_clients` ADD `platform_scopes` text NULL',
    );
    await queryRunner.query(
      'ALTER TABLE `audit_events` ADD `actor_client_id` varchar(64) NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `audit_events` DROP COLUMN `actor_client_id`',
    );
    await queryRunner.query(
      'ALTER TABLE `oauth_clients` DROP COLUMN `platform_scopes`',
    );
  }
}
