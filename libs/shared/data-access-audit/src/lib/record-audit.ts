import type { DataSource, EntityManager } from 'typeorm';
import { AuditEventEntity } from '@oneroster/entities';

/** One change (or collection) for the audit trail: what, about what, in which school. */
export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  schoolId?: string | null;
  details?: Record<string, unknown> | null;
}

/** A portal account acting (the actor type `account`). */
export interface AccountActor {
  account: { id: string };
  ip: string | null;
}

/**
 * An OAuth client acting on its own (a school's MIS through the platform API or the
 * gradebook change feed): actor type `client`, its id kept; the audit trail names it by
 * its application, read when the trail is read.
 */
export interface ClientActor {
  client: { clientId: string; name: string | null };
  ip: string | null;
}

export const isClientActor = (actor: unknown): actor is ClientActor =>
  typeof actor === 'object' && actor !== null && 'client' in actor;

/**
 * Appends one `audit_events` row for what `actor` did: an account, a client or, with
 * none, the system. Pass the change's own transaction manager so the event commits (or
 * rolls back) with the change; it throws when the row cannot be written.
 */
export async function recordAudit(
  em: EntityManager | DataSource,
  actor: AccountActor | ClientActor | null,
  entry: AuditEntry,
): Promise<void> {
  const client = isClientActor(actor) ? actor.client : null;
  const account = actor && !isClientActor(actor) ? actor.account : null;
  const row: Omit<AuditEventEntity, 'id'> = {
    occurredAt: new Date(),
    actorAccountId: account?.id ?? null,
    actorClientId: client?.clientId ?? null,
    actorType: client ? 'client' : account ? 'account' : 'system',
    actorIp: actor?.ip ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    schoolId: entry.schoolId ?? null,
    details: entry.details ?? null,
  };
  await em
    .getRepository(AuditEventEntity)
    .save(Object.assign(new AuditEventEntity(), row), { reload: false });
}
