import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Instant, Json, RequiredStr, Str, Text } from '../columns';

const Id = () => PrimaryColumn({ name: 'id', type: 'varchar', length: 36 });
const FkId = (name: string, nullable = false) =>
  Column({ name, type: 'varchar', length: 36, nullable });

/**
 * A platform credential of an integrator (not of a school): a client-credentials client whose
 * tokens reach only the platform API, with platform scopes. Secrets as in `oauth_clients`.
 */
@Entity({ name: 'integrator_clients' })
@Index(['integratorId'])
export class IntegratorClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @FkId('integrator_id') integratorId!: string;

  /** Platform scopes (`approvals.read`, ...), never OneRoster ones. */
  @Json('scopes', false)
  scopes!: string[];

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
}

/**
 * The outbox: an event about an integrator's approvals or credentials, written in the
 * transaction of the change it tells of (with one delivery per live webhook), so no event is
 * lost and none is told of a change that rolled back.
 */
@Entity({ name: 'platform_events' })
@Index(['integratorId', 'createdAt'])
export class PlatformEventEntity {
  @Id() id!: string;

  @FkId('integrator_id') integratorId!: string;

  @RequiredStr('type', 32)
  type!: string;

  /** The delivered JSON body, frozen when the event is written. */
  @Text('body', false)
  body!: string;

  @Instant('created_at', false)
  createdAt!: Date;
}

/** An https endpoint of an integrator that receives its events, signed with `secret`. */
@Entity({ name: 'webhook_endpoints' })
@Index(['integratorId'])
export class WebhookEndpointEntity {
  @Id() id!: string;

  @FkId('integrator_id') integratorId!: string;

  @Column({ name: 'url', type: 'varchar', length: 2048 })
  url!: string;

  /** Event types delivered to it. */
  @Json('events', false)
  events!: string[];

  /** The HMAC key; kept in clear because every delivery is signed with it. */
  @RequiredStr('secret')
  secret!: string;

  @Instant('created_at', false)
  createdAt!: Date;

  @Instant('deleted_at')
  deletedAt!: Date | null;
}

/**
 * One event to deliver to one endpoint, and where its delivery stands. A dispatcher claims a
 * due row with a conditional update (status, attempt and lease as read), so two instances
 * never make the same attempt; a lease that runs out (its instance died) makes it due again.
 */
@Entity({ name: 'webhook_deliveries' })
@Index(['status', 'nextAttemptAt'])
@Index(['endpointId', 'createdAt'])
export class WebhookDeliveryEntity {
  @Id() id!: string;

  @FkId('event_id') eventId!: string;

  @FkId('endpoint_id') endpointId!: string;

  @FkId('integrator_id') integratorId!: string;

  /** `pending`, `delivering`, `succeeded` or `failed` (attempts exhausted). */
  @RequiredStr('status', 16)
  status!: string;

  /** Attempts made (or being made). */
  @Column({ name: 'attempts', type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'response_code', type: 'int', nullable: true })
  responseCode!: number | null;

  /** When the next attempt is due (pending), or the lease ends (delivering). */
  @Instant('next_attempt_at')
  nextAttemptAt!: Date | null;

  @Instant('created_at', false)
  createdAt!: Date;

  @Instant('delivered_at')
  deliveredAt!: Date | null;
}

/** The log of a delivery: one row per attempt. */
@Entity({ name: 'webhook_attempts' })
@Index(['deliveryId', 'attempt'], { unique: true })
export class WebhookAttemptEntity {
  @Id() id!: string;

  @FkId('delivery_id') deliveryId!: string;

  @Column({ name: 'attempt', type: 'int' })
  attempt!: number;

  @Instant('at', false)
  at!: Date;

  @Column({ name: 'response_code', type: 'int', nullable: true })
  responseCode!: number | null;

  @Str('error', 500)
  error!: string | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;
}
