import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Instant, Json, RequiredStr, SCHOOL_ID_LENGTH, Text } from '../columns';

/**
 * The record of one approval decision (approved, declined, revoked) as both the school and
 * the integrator see it. `body` is the receipt's canonical JSON, frozen when the decision is
 * made (names included), and `digest` its SHA-256, so a receipt reads the same for ever.
 */
@Entity({ name: 'approval_receipts' })
@Index(['approvalId', 'decidedAt'])
@Index(['schoolId'])
@Index(['integratorId'])
export class ApprovalReceiptEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'approval_id', type: 'varchar', length: 36 })
  approvalId!: string;

  @Column({ name: 'school_id', type: 'varchar', length: SCHOOL_ID_LENGTH })
  schoolId!: string;

  @Column({ name: 'application_id', type: 'varchar', length: 36 })
  applicationId!: string;

  @Column({ name: 'integrator_id', type: 'varchar', length: 36 })
  integratorId!: string;

  /** `approved`, `declined` or `revoked`. */
  @RequiredStr('decision', 16)
  decision!: string;

  @Instant('decided_at', false)
  decidedAt!: Date;

  @Column({ name: 'decided_by_account_id', type: 'varchar', length: 36 })
  decidedByAccountId!: string;

  @Text('body', false)
  body!: string;

  /** SHA-256 (hex) of `body`. */
  @RequiredStr('digest', 64)
  digest!: string;
}

/**
 * A signed-in portal session (or, with no account yet, a sign-in under way). The browser
 * holds a random cookie value; only its SHA-256 is stored, so a leaked table opens no session.
 */
@Entity({ name: 'portal_sessions' })
@Index(['accountId'])
@Index(['expiresAt'])
export class PortalSessionEntity {
  /** SHA-256 (hex) of the cookie value. */
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id!: string;

  /** Null while the sign-in is under way (between login and callback). */
  @Column({ name: 'account_id', type: 'varchar', length: 36, nullable: true })
  accountId!: string | null;

  @RequiredStr('csrf_token', 64)
  csrfToken!: string;

  /** The authorization request under way: state, nonce, PKCE verifier, where to return. */
  @Json('login_state')
  loginState!: {
    state: string;
    nonce: string;
    codeVerifier: string;
    returnTo: string;
  } | null;

  /** The ID token of the sign-in, the `id_token_hint` of the logout. */
  @Text('id_token')
  idToken!: string | null;

  @Instant('created_at', false)
  createdAt!: Date;

  @Instant('last_seen_at', false)
  lastSeenAt!: Date;

  /** Idle expiry: pushed forward while the session is used. */
  @Instant('expires_at', false)
  expiresAt!: Date;
}
