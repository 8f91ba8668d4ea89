import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  ApprovalStatus,
  BooleanFormat,
  GrantableScope,
} from '@oneroster/contracts';
import {
  Instant,
  Json,
  RequiredStr,
  SCHOOL_ID_LENGTH,
  Str,
  Text,
} from '../columns';

const Id = () => PrimaryColumn({ name: 'id', type: 'varchar', length: 36 });
const FkId = (name: string, nullable = false) =>
  Column({ name, type: 'varchar', length: 36, nullable });

/** A company whose software consumes OneRoster data. */
@Entity({ name: 'integrators' })
export class IntegratorEntity {
  @Id() id!: string;

  @RequiredStr('name')
  name!: string;

  @Str('website')
  website!: string | null;

  @Str('contact_email')
  contactEmail!: string | null;

  @Instant('created_at', false)
  createdAt!: Date;
}

/** One product of an integrator, with what it asks schools for. */
@Entity({ name: 'applications' })
@Index(['integratorId'])
export class ApplicationEntity {
  @Id() id!: string;

  @FkId('integrator_id') integratorId!: string;

  @RequiredStr('name')
  name!: string;

  @Text('description')
  description!: string | null;

  @Json('requested_scopes', false)
  requestedScopes!: GrantableScope[];

  /** Where the OIDC hybrid flow may return users to. */
  @Json('redirect_uris', false)
  redirectUris!: string[];

  /** How the OneRoster API writes booleans to this application's tokens: json or string. */
  @Column({
    name: 'boolean_format',
    type: 'varchar',
    length: 8,
    default: 'json',
  })
  booleanFormat!: BooleanFormat;

  @Instant('created_at', false)
  createdAt!: Date;

  @Instant('updated_at', false)
  updatedAt!: Date;
}

/** A school's decision about one application: which scopes it may use, and who decided when. */
@Entity({ name: 'approvals' })
@Index(['schoolId', 'applicationId'], { unique: true })
@Index(['applicationId', 'status'])
export class ApprovalEntity {
  @Id() id!: string;

  @Column({ name: 'school_id', type: 'varchar', length: SCHOOL_ID_LENGTH })
  schoolId!: string;

  @FkId('application_id') applicationId!: string;

  @RequiredStr('status', 16)
  status!: ApprovalStatus;

  /** The approved subset of the application's requested scopes. */
  @Json('scopes', false)
  scopes!: GrantableScope[];

  @Instant('requested_at', false)
  requestedAt!: Date;

  @Instant('decided_at')
  decidedAt!: Date | null;

  @FkId('decided_by_account_id', true)
  decidedByAccountId!: string | null;
}

/**
 * An OAuth client of one application: a client-credentials client for one school, or (school
 * NULL, client id = the application id) the application's OpenID Connect sign-in client.
 * Secrets are stored as slow hashes; during rotation the previous secret stays valid until
 * it expires.
 */
@Entity({ name: 'oauth_clients' })
@Index(['applicationId', 'schoolId'])
export class OAuthClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @FkId('application_id') applicationId!: string;

  /** Null for the application's OpenID Connect client (user sign-in, any approving school). */
  @Column({
    name: 'school_id',
    type: 'varchar',
    length: SCHOOL_ID_LENGTH,
    nullable: true,
  })
  schoolId!: string | null;

  @RequiredStr('secret_hash')
  secretHash!: string;

  @Str('previous_secret_hash')
  previousSecretHash!: string | null;

  @Instant('previous_secret_expires_at')
  previousSecretExpiresAt!: Date | null;

  @Instant('created_at', false)
  createdAt!: Date;

  @Instant('revoked_at')
  revokedAt!: Date | null;

  /**
   * Platform API scopes the school granted this school client (`imports.write`: its MIS
   * imports CSV sets into the school); null or empty: none. Chosen by the school's
   * administrator or an operator, never by the integrator.
   */
  @Json('platform_scopes')
  platformScopes?: string[] | null;
}
