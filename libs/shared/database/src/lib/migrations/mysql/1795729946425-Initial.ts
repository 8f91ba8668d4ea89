import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795729946425 implements MigrationInterface {
  name = 'Initial1795729946425';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TABLE `orgs` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `name` varchar(255) NOT NULL, `type` varchar(32) NOT NULL, `identifier` varchar(255) NULL, `parent_sourced_id` varchar(255) NULL, INDEX `IDX_1a9efa4888f8d0d9ff7a07834b` (`school_id`, `date_last_modified`), INDEX `IDX_fc99ea7c902d8b5c1886e1bec3` (`school_id`, `status`), INDEX `IDX_0462bc1c06749f4100f5341c6d` (`school_id`, `parent_sourced_id`), INDEX `IDX_f9b78d95c5c28f276403fcf42d` (`school_id`, `type`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `academic_sessions` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, `start_date` date NOT NULL, `end_date` date NOT NULL, `type` varchar(32) NOT NULL, `parent_sourced_id` varchar(255) NULL, `school_year` varchar(4) NOT NULL, INDEX `IDX_c3d762e17bb11125fad1a80c72` (`school_id`, `date_last_modified`), INDEX `IDX_2de21909c79b5ad5413c4e243d` (`school_id`, `status`), INDEX `IDX_36a0e05c66049d5a5b51ebe80e` (`school_id`, `parent_sourced_id`), INDEX `IDX_de07419eefd108c31bde646235` (`school_id`, `type`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `courses` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, `school_year_sourced_id` varchar(255) NULL, `course_code` varchar(64) NULL, `grades` text NULL, `subjects` text NULL, `org_sourced_id` varchar(255) NOT NULL, `subject_codes` text NULL, INDEX `IDX_a1fda2a963c559dfa08fb9d11b` (`school_id`, `date_last_modified`), INDEX `IDX_a5c8a06748aa5bf1d2393bbaee` (`school_id`, `status`), INDEX `IDX_d4506fc9ad00d8c4601e486775` (`school_id`, `school_year_sourced_id`), INDEX `IDX_90aabfea20d5d031948579a177` (`school_id`, `org_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `classes` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, `class_code` varchar(64) NULL, `class_type` varchar(16) NOT NULL, `location` varchar(255) NULL, `grades` text NULL, `subjects` text NULL, `course_sourced_id` varchar(255) NOT NULL, `school_sourced_id` varchar(255) NOT NULL, `subject_codes` text NULL, `periods` text NULL, INDEX `IDX_b373bc4781d16be3048dbbe783` (`school_id`, `date_last_modified`), INDEX `IDX_bdee4f3ac3db3062b3ffd32432` (`school_id`, `status`), INDEX `IDX_584dc179a1b3e63073bdf77816` (`school_id`, `class_type`), INDEX `IDX_ae1e367b6748f8427736a9bb46` (`school_id`, `school_sourced_id`), INDEX `IDX_bebd37f83e33b5cd745514e47e` (`school_id`, `course_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `class_terms` (`school_id` varchar(36) NOT NULL, `class_sourced_id` varchar(255) NOT NULL, `term_sourced_id` varchar(255) NOT NULL, `position` int NOT NULL DEFAULT '0', INDEX `IDX_69dddb881d005925fad45f7696` (`school_id`, `term_sourced_id`), PRIMARY KEY (`school_id`, `class_sourced_id`, `term_sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `user_orgs` (`school_id` varchar(36) NOT NULL, `user_sourced_id` varchar(255) NOT NULL, `org_sourced_id` varchar(255) NOT NULL, `position` int NOT NULL DEFAULT '0', INDEX `IDX_ede3ea5fdc2ffc22154d9da5e1` (`school_id`, `org_sourced_id`), PRIMARY KEY (`school_id`, `user_sourced_id`, `org_sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `user_agents` (`school_id` varchar(36) NOT NULL, `user_sourced_id` varchar(255) NOT NULL, `agent_sourced_id` varchar(255) NOT NULL, `position` int NOT NULL DEFAULT '0', INDEX `IDX_0c18afe00eb8f9aaf70f0f696e` (`school_id`, `agent_sourced_id`), PRIMARY KEY (`school_id`, `user_sourced_id`, `agent_sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `users` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `username` varchar(255) NOT NULL, `user_ids` text NULL, `enabled_user` tinyint NOT NULL, `given_name` varchar(255) NOT NULL, `family_name` varchar(255) NOT NULL, `middle_name` varchar(255) NULL, `role` varchar(16) NOT NULL, `identifier` varchar(255) NULL, `email` varchar(255) NULL, `sms` varchar(64) NULL, `phone` varchar(64) NULL, `grades` text NULL, `password` varchar(255) NULL, INDEX `IDX_c631ea319cacbd536f7e99cd86` (`school_id`, `date_last_modified`), INDEX `IDX_95c056e57b5c42d807e5b26ba3` (`school_id`, `status`), INDEX `IDX_c59085fb3e2f8067d047d51bf0` (`school_id`, `family_name`), INDEX `IDX_6764e21cf26ef8c4a03fbe062d` (`school_id`, `username`), INDEX `IDX_74b19e3e31ad94e3a8f4d199e9` (`school_id`, `email`), INDEX `IDX_c4d163fc1bbd1afdcdece98251` (`school_id`, `role`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `enrollments` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `user_sourced_id` varchar(255) NOT NULL, `class_sourced_id` varchar(255) NOT NULL, `school_sourced_id` varchar(255) NOT NULL, `role` varchar(16) NOT NULL, `is_primary` tinyint NULL, `begin_date` date NULL, `end_date` date NULL, INDEX `IDX_2523c4c58f51170aeb9014da38` (`school_id`, `date_last_modified`), INDEX `IDX_7a74efb86d16908d5cbe8e7cb2` (`school_id`, `status`), INDEX `IDX_82c4b1a3503f62efb920f10a15` (`school_id`, `school_sourced_id`), INDEX `IDX_90ce7cb97be2b5608933aef2b0` (`school_id`, `user_sourced_id`, `role`), INDEX `IDX_496bd6895819c68297786c665c` (`school_id`, `class_sourced_id`, `role`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `demographics` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `birth_date` date NULL, `sex` varchar(16) NULL, `american_indian_or_alaska_native` tinyint NULL, `asian` tinyint NULL, `black_or_african_american` tinyint NULL, `native_hawaiian_or_other_pacific_islander` tinyint NULL, `white` tinyint NULL, `demographic_race_two_or_more_races` tinyint NULL, `hispanic_or_latino_ethnicity` tinyint NULL, `country_of_birth_code` varchar(16) NULL, `state_of_birth_abbreviation` varchar(16) NULL, `city_of_birth` varchar(255) NULL, `public_school_residence_status` varchar(64) NULL, INDEX `IDX_76e48e5aa0903e30f2ad5e6ccb` (`school_id`, `date_last_modified`), INDEX `IDX_7d02709100a3ad863c8f582898` (`school_id`, `status`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `categories` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, INDEX `IDX_e3394ef109a268a9c07869a65a` (`school_id`, `date_last_modified`), INDEX `IDX_31a3b831608dbeafea8b35fc7b` (`school_id`, `status`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `line_items` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NOT NULL, `description` text NULL, `assign_date` datetime(3) NOT NULL, `due_date` datetime(3) NOT NULL, `class_sourced_id` varchar(255) NOT NULL, `category_sourced_id` varchar(255) NOT NULL, `grading_period_sourced_id` varchar(255) NOT NULL, `result_value_min` double NOT NULL, `result_value_max` double NOT NULL, INDEX `IDX_d5d35f3e8cdce06311826ec693` (`school_id`, `date_last_modified`), INDEX `IDX_08ddbbfabd182983a558009450` (`school_id`, `status`), INDEX `IDX_355d5cb580c588e6bbf58a19ea` (`school_id`, `grading_period_sourced_id`), INDEX `IDX_4e7f9aa7925075ad837952cbb1` (`school_id`, `category_sourced_id`), INDEX `IDX_3f2bbf539c52ec5f71f47f0f80` (`school_id`, `class_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `results` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `line_item_sourced_id` varchar(255) NOT NULL, `student_sourced_id` varchar(255) NOT NULL, `score_status` varchar(32) NOT NULL, `score` double NOT NULL, `score_date` date NOT NULL, `comment` text NULL, INDEX `IDX_aaac3cc43cc28c80a1339ef17b` (`school_id`, `date_last_modified`), INDEX `IDX_a026063d02cf0b81cc2991a5aa` (`school_id`, `status`), INDEX `IDX_68b6d8ebd861aee569e0ec19e5` (`school_id`, `student_sourced_id`), INDEX `IDX_04dfb0b25cc3f8785c9df4415a` (`school_id`, `line_item_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `resources` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NULL, `roles` text NULL, `importance` varchar(16) NULL, `vendor_resource_id` varchar(255) NOT NULL, `vendor_id` varchar(255) NULL, `application_id` varchar(255) NULL, INDEX `IDX_d5bf24433905f73941e61c34c1` (`school_id`, `date_last_modified`), INDEX `IDX_8f6ec5da8bdb5b3b6a417a577d` (`school_id`, `status`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `class_resources` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NULL, `class_sourced_id` varchar(255) NOT NULL, `resource_sourced_id` varchar(255) NOT NULL, INDEX `IDX_f5c1db96e1ce5b6a6e8a80de2f` (`school_id`, `date_last_modified`), INDEX `IDX_d4e1aa4ed1ea9146b9128dfdc0` (`school_id`, `status`), INDEX `IDX_79800b8a02283231ea9a0e08a8` (`school_id`, `resource_sourced_id`), INDEX `IDX_915d48ea1a18d48daeabe5cbb6` (`school_id`, `class_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      "CREATE TABLE `course_resources` (`school_id` varchar(36) NOT NULL, `sourced_id` varchar(255) NOT NULL, `status` varchar(16) NOT NULL DEFAULT 'active', `date_last_modified` datetime(3) NOT NULL, `metadata` text NULL, `title` varchar(255) NULL, `course_sourced_id` varchar(255) NOT NULL, `resource_sourced_id` varchar(255) NOT NULL, INDEX `IDX_bf7795593bb5e4c2a0db893dbc` (`school_id`, `date_last_modified`), INDEX `IDX_29439ccd555d4edc026a86d4e3` (`school_id`, `status`), INDEX `IDX_055dcae7549f4d13fe96c1f69c` (`school_id`, `resource_sourced_id`), INDEX `IDX_c0af003244268696ee4bd2d925` (`school_id`, `course_sourced_id`), PRIMARY KEY (`school_id`, `sourced_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    );
    await queryRunner.query(
      'CREATE TABLE `schools` (`id` varchar(36) NOT NULL, `name` varchar(255) NOT NULL, `org_sourced_id` varchar(255) NOT NULL, `identifier` varchar(64) NULL, `sandbox` tinyint NOT NULL DEFAULT 0, `created_at` datetime(3) NOT NULL, INDEX `IDX_94ee6ef810d297ed838cd7f5f2` (`org_sourced_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `integrators` (`id` varchar(36) NOT NULL, `name` varchar(255) NOT NULL, `website` varchar(255) NULL, `contact_email` varchar(255) NULL, `created_at` datetime(3) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `applications` (`id` varchar(36) NOT NULL, `integrator_id` varchar(36) NOT NULL, `name` varchar(255) NOT NULL, `description` text NULL, `requested_scopes` text NOT NULL, `redirect_uris` text NOT NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, INDEX `IDX_b8bb349aa7456cc8d11eec46a7` (`integrator_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `approvals` (`id` varchar(36) NOT NULL, `school_id` varchar(36) NOT NULL, `application_id` varchar(36) NOT NULL, `status` varchar(16) NOT NULL, `scopes` text NOT NULL, `requested_at` datetime(3) NOT NULL, `decided_at` datetime(3) NULL, `decided_by_account_id` varchar(36) NULL, INDEX `IDX_5888764be53c4716fea57528aa` (`application_id`, `status`), UNIQUE INDEX `IDX_5d37ee23efd1db5b9c38457e5c` (`school_id`, `application_id`), PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `oauth_clients` (`client_id` varchar(64) NOT NULL, `application_id` varchar(36) NOT NULL, `school_id` varchar(36) NOT NULL, `secret_hash` varchar(255) NOT NULL, `previous_secret_hash` varchar(255) NULL, `previous_secret_expires_at` datetime(3) NULL, `created_at` datetime(3) NOT NULL, `revoked_at` datetime(3) NULL, INDEX `IDX_3e6a370533cc8e57272daad141` (`application_id`, `school_id`), PRIMARY KEY (`client_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `accounts` (`id` varchar(36) NOT NULL, `email` varchar(255) NOT NULL, `display_name` varchar(255) NOT NULL, `password_hash` varchar(255) NOT NULL, `platform_role` varchar(32) NULL, `integrator_id` varchar(36) NULL, `disabled` tinyint NOT NULL DEFAULT 0, `created_at` datetime(3) NOT NULL, UNIQUE INDEX `IDX_ee66de6cdc53993296d1ceb8aa` (`email`), PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `account_school_roles` (`account_id` varchar(36) NOT NULL, `school_id` varchar(36) NOT NULL, `role` varchar(32) NOT NULL, `user_sourced_id` varchar(255) NULL, INDEX `IDX_1de9b6d4057f0a7654df1da59f` (`school_id`, `role`), PRIMARY KEY (`account_id`, `school_id`, `role`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    await queryRunner.query(
      'CREATE TABLE `audit_events` (`id` int NOT NULL AUTO_INCREMENT, `occurred_at` datetime(3) NOT NULL, `actor_account_id` varchar(36) NULL, `actor_type` varchar(16) NOT NULL, `actor_ip` varchar(64) NULL, `action` varchar(64) NOT NULL, `target_type` varchar(32) NOT NULL, `target_id` varchar(255) NULL, `school_id` varchar(36) NULL, `details` text NULL, INDEX `IDX_435ab94bca6c509d1be0b581d1` (`actor_account_id`, `occurred_at`), INDEX `IDX_4087c70e47c7e68b92662077fd` (`school_id`, `occurred_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP INDEX `IDX_4087c70e47c7e68b92662077fd` ON `audit_events`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_435ab94bca6c509d1be0b581d1` ON `audit_events`',
    );
    await queryRunner.query('DROP TABLE `audit_events`');
    await queryRunner.query(
      'DROP INDEX `IDX_1de9b6d4057f0a7654df1da59f` ON `account_school_roles`',
    );
    await queryRunner.query('DROP TABLE `account_school_roles`');
    await queryRunner.query(
      'DROP INDEX `IDX_ee66de6cdc53993296d1ceb8aa` ON `accounts`',
    );
    await queryRunner.query('DROP TABLE `accounts`');
    await queryRunner.query(
      'DROP INDEX `IDX_3e6a370533cc8e57272daad141` ON `oauth_clients`',
    );
    await queryRunner.query('DROP TABLE `oauth_clients`');
    await queryRunner.query(
      'DROP INDEX `IDX_5d37ee23efd1db5b9c38457e5c` ON `approvals`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_5888764be53c4716fea57528aa` ON `approvals`',
    );
    await queryRunner.query('DROP TABLE `approvals`');
    await queryRunner.query(
      'DROP INDEX `IDX_b8bb349aa7456cc8d11eec46a7` ON `applications`',
    );
    await queryRunner.query('DROP TABLE `applications`');
    await queryRunner.query('DROP TABLE `integrators`');
    await queryRunner.query(
      'DROP INDEX `IDX_94ee6ef810d297ed838cd7f5f2` ON `schools`',
    );
    await queryRunner.query('DROP TABLE `schools`');
    await queryRunner.query(
      'DROP INDEX `IDX_c0af003244268696ee4bd2d925` ON `course_resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_055dcae7549f4d13fe96c1f69c` ON `course_resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_29439ccd555d4edc026a86d4e3` ON `course_resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_bf7795593bb5e4c2a0db893dbc` ON `course_resources`',
    );
    await queryRunner.query('DROP TABLE `course_resources`');
    await queryRunner.query(
      'DROP INDEX `IDX_915d48ea1a18d48daeabe5cbb6` ON `class_resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_79800b8a02283231ea9a0e08a8` ON `class_resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_d4e1aa4ed1ea9146b9128dfdc0` ON `class_resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_f5c1db96e1ce5b6a6e8a80de2f` ON `class_resources`',
    );
    await queryRunner.query('DROP TABLE `class_resources`');
    await queryRunner.query(
      'DROP INDEX `IDX_8f6ec5da8bdb5b3b6a417a577d` ON `resources`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_d5bf24433905f73941e61c34c1` ON `resources`',
    );
    await queryRunner.query('DROP TABLE `resources`');
    await queryRunner.query(
      'DROP INDEX `IDX_04dfb0b25cc3f8785c9df4415a` ON `results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_68b6d8ebd861aee569e0ec19e5` ON `results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_a026063d02cf0b81cc2991a5aa` ON `results`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_aaac3cc43cc28c80a1339ef17b` ON `results`',
    );
    await queryRunner.query('DROP TABLE `results`');
    await queryRunner.query(
      'DROP INDEX `IDX_3f2bbf539c52ec5f71f47f0f80` ON `line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_4e7f9aa7925075ad837952cbb1` ON `line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_355d5cb580c588e6bbf58a19ea` ON `line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_08ddbbfabd182983a558009450` ON `line_items`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_d5d35f3e8cdce06311826ec693` ON `line_items`',
    );
    await queryRunner.query('DROP TABLE `line_items`');
    await queryRunner.query(
      'DROP INDEX `IDX_31a3b831608dbeafea8b35fc7b` ON `categories`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_e3394ef109a268a9c07869a65a` ON `categories`',
    );
    await queryRunner.query('DROP TABLE `categories`');
    await queryRunner.query(
      'DROP INDEX `IDX_7d02709100a3ad863c8f582898` ON `demographics`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_76e48e5aa0903e30f2ad5e6ccb` ON `demographics`',
    );
    await queryRunner.query('DROP TABLE `demographics`');
    await queryRunner.query(
      'DROP INDEX `IDX_496bd6895819c68297786c665c` ON `enrollments`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_90ce7cb97be2b5608933aef2b0` ON `enrollments`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_82c4b1a3503f62efb920f10a15` ON `enrollments`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_7a74efb86d16908d5cbe8e7cb2` ON `enrollments`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_2523c4c58f51170aeb9014da38` ON `enrollments`',
    );
    await queryRunner.query('DROP TABLE `enrollments`');
    await queryRunner.query(
      'DROP INDEX `IDX_c4d163fc1bbd1afdcdece98251` ON `users`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_74b19e3e31ad94e3a8f4d199e9` ON `users`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_6764e21cf26ef8c4a03fbe062d` ON `users`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_c59085fb3e2f8067d047d51bf0` ON `users`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_95c056e57b5c42d807e5b26ba3` ON `users`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_c631ea319cacbd536f7e99cd86` ON `users`',
    );
    await queryRunner.query('DROP TABLE `users`');
    await queryRunner.query(
      'DROP INDEX `IDX_0c18afe00eb8f9aaf70f0f696e` ON `user_agents`',
    );
    await queryRunner.query('DROP TABLE `user_agents`');
    await queryRunner.query(
      'DROP INDEX `IDX_ede3ea5fdc2ffc22154d9da5e1` ON `user_orgs`',
    );
    await queryRunner.query('DROP TABLE `user_orgs`');
    await queryRunner.query(
      'DROP INDEX `IDX_69dddb881d005925fad45f7696` ON `class_terms`',
    );
    await queryRunner.query('DROP TABLE `class_terms`');
    await queryRunner.query(
      'DROP INDEX `IDX_bebd37f83e33b5cd745514e47e` ON `classes`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_ae1e367b6748f8427736a9bb46` ON `classes`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_584dc179a1b3e63073bdf77816` ON `classes`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_bdee4f3ac3db3062b3ffd32432` ON `classes`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_b373bc4781d16be3048dbbe783` ON `classes`',
    );
    await queryRunner.query('DROP TABLE `classes`');
    await queryRunner.query(
      'DROP INDEX `IDX_90aabfea20d5d031948579a177` ON `courses`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_d4506fc9ad00d8c4601e486775` ON `courses`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_a5c8a06748aa5bf1d2393bbaee` ON `courses`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_a1fda2a963c559dfa08fb9d11b` ON `courses`',
    );
    await queryRunner.query('DROP TABLE `courses`');
    await queryRunner.query(
      'DROP INDEX `IDX_de07419eefd108c31bde646235` ON `academic_sessions`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_36a0e05c66049d5a5b51ebe80e` ON `academic_sessions`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_2de21909c79b5ad5413c4e243d` ON `academic_sessions`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_c3d762e17bb11125fad1a80c72` ON `academic_sessions`',
    );
    await queryRunner.query('DROP TABLE `academic_sessions`');
    await queryRunner.query(
      'DROP INDEX `IDX_f9b78d95c5c28f276403fcf42d` ON `orgs`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_0462bc1c06749f4100f5341c6d` ON `orgs`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_fc99ea7c902d8b5c1886e1bec3` ON `orgs`',
    );
    await queryRunner.query(
      'DROP INDEX `IDX_1a9efa4888f8d0d9ff7a07834b` ON `orgs`',
    );
    await queryRunner.query('DROP TABLE `orgs`');
  }
}
