import {
  Column,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { PlatformRole, SchoolRole } from '@oneroster/contracts';
import { Instant, Json, RequiredStr, SCHOOL_ID_LENGTH, Str } from '../columns';

/** A person who signs in: school staff, integrator developers, platform operators. */
@Entity({ name: 'accounts' })
@Index(['email'], { unique: true })
export class AccountEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @RequiredStr('email')
  email!: string;

  @RequiredStr('display_name')
  displayName!: string;

  /** scrypt hash in PHC-like form: `scrypt$N$r$p$salt$hash`. */
  @RequiredStr('password_hash')
  passwordHash!: string;

  @Str('platform_role', 32)
  platformRole!: PlatformRole | null;

  /** For integrator developers: the integrator they work for. */
  @Column({
    name: 'integrator_id',
    type: 'varchar',
    length: 36,
    nullable: true,
  })
  integratorId!: string | null;

  @Column({ name: 'disabled', type: 'boolean', default: false })
  disabled!: boolean;

  /**
   * Set when an operator created the account or reset its password (a one-time password):
   * the sign-in pages ask for a new password before anything else.
   */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  /** When the account's holder last chose its password (null: never, a one-time one). */
  @Instant('password_changed_at')
  passwordChangedAt!: Date | null;

  @Instant('created_at', false)
  createdAt!: Date;
}

/** A role an account holds at one school, optionally linked to its OneRoster user record. */
@Entity({ name: 'account_school_roles' })
@Index(['schoolId', 'role'])
export class AccountSchoolRoleEntity {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @PrimaryColumn({
    name: 'school_id',
    type: 'varchar',
    length: SCHOOL_ID_LENGTH,
  })
  schoolId!: string;

  @PrimaryColumn({ name: 'role', type: 'varchar', length: 32 })
  role!: SchoolRole;

  @Str('user_sourced_id')
  userSourcedId!: string | null;
}

/** Append-only record of every change made through the platform: who, when, from where, what. */
@Entity({ name: 'audit_events' })
@Index(['schoolId', 'occurredAt'])
@Index(['actorAccountId', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'int' })
  id!: number;

  @Instant('occurred_at', false)
  occurredAt!: Date;

  @Column({
    name: 'actor_account_id',
    type: 'varchar',
    length: 36,
    nullable: true,
  })
  actorAccountId!: string | null;

  /** The OAuth client that made the change (actor type `client`), e.g. a school's MIS. */
  @Column({
    name: 'actor_client_id',
    type: 'varchar',
    length: 64,
    nullable: true,
  })
  actorClientId?: string | null;

  /** `account`, `client` (an OAuth client) or `system`. */
  @RequiredStr('actor_type', 16)
  actorType!: string;

  @Str('actor_ip', 64)
  actorIp!: string | null;

  /** Dotted verb, e.g. `approval.approved`, `client.secret_rotated`. */
  @RequiredStr('action', 64)
  action!: string;

  @RequiredStr('target_type', 32)
  targetType!: string;

  @Str('target_id')
  targetId!: string | null;

  @Column({
    name: 'school_id',
    type: 'varchar',
    length: SCHOOL_ID_LENGTH,
    nullable: true,
  })
  schoolId!: string | null;

  @Json('details')
  details!: Record<string, unknown> | null;
}
