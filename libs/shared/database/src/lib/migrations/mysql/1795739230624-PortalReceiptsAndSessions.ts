import { MigrationInterface, QueryRunner } from 'typeorm';

export class PortalReceiptsAndSessions1795739230624 implements MigrationInterface {
  name = 'PortalReceiptsAndSessions1795739230624';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `approval_receipts` (`id` varchar(36) NOT NULL, `approval_id` varchar(36) NOT NULL, `school_id` varchar(36) NOT NULL, `application_id` varchar(36) NOT NULL, `integrator_id` varchar(36) NOT NULL, `decision` varchar(16) NOT NULL, `decided_at` datetime(3) NOT NULL, `decided_by_account_id` varchar(36) NOT NULL, `body` text NOT NULL, `digest` varchar(64) NOT NULL, INDEX `IDX_667156a96db451ffe6c6cb5c1c` (`integrator_id`), INDEX `IDX_66f31539034af8777ca878972f` (`school_id`), INDEX `IDX_c0626e27b3038fa82eae2734cc` (`approval_id`, `decided_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `portal_sessions` (`id` varchar(64) NOT NULL, `account_id` varchar(36) NULL, `csrf_token` varchar(64) NOT NULL, `login_state` text NULL, `id_token` text NULL, `created_at` datetime(3) NOT NULL, `last_seen_at` datetime(3) NOT NULL, `expires_at` datetime(3) NOT NULL, INDEX `IDX_5b054f66f632ee73961a0eb895` (`expires_at`), INDEX `IDX_5dd35891931d1f2cef9d5696de` (`account_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP INDEX `IDX_5dd35891931d1f2cef9d5696de` ON `portal_sessions`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_5b054f66f632ee73961a0eb895` ON `portal_sessions`',
    );
    await queryRunner.query('DROP TABLE `portal_sessions`');
    await queryRunner.query(
      'DROP INDEX `IDX_c0626e27b3038fa82eae2734cc` ON `approval_receipts`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_66f31539034af8777ca878972f` ON `approval_receipts`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_667156a96db451ffe6c6cb5c1c` ON `approval_receipts`',
    );
    await queryRunner.query('DROP TABLE `approval_receipts`');
  }
}
