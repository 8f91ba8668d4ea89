import { MigrationInterface, QueryRunner } from 'typeorm';

export class OidcSignInClients1795739260650 implements MigrationInterface {
  name = 'OidcSignInClients1795739260650';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP INDEX `IDX_3e6a370533cc8e57272daad141` ON `oauth_clients`',
    );
    await queryRunner.query(
      'ALTER TABLE `oauth_clients` CHANGE `school_id` `school_id` varchar(36) NULL',
    );
    await queryRunner.query(
      'CREATE INDEX `IDX_3e6a370533cc8e57272daad141` ON `oauth_clients` (`application_id`, `school_id`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP INDEX `IDX_3e6a370533cc8e57272daad141` ON `oauth_clients`',
    );
    await queryRunner.query(
      'ALTER TABLE `oauth_clients` CHANGE `school_id` `school_id` varchar(36) NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX `IDX_3e6a370533cc8e57272daad141` ON `oauth_clients` (`application_id`, `school_id`)',
    );
  }
}
