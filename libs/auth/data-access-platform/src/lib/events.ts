import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { PlatformEvent, PlatformEventType } from '@oneroster/contracts';
import {
  PlatformEventEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from '@oneroster/entities';

/**
 * The outbox. Rules enforced:
 * - an event is written with `em`, i.e. in the transaction of the change it tells of: a
 *   committed change always has its event, a rolled-back one never;
 * - in the same transaction one delivery per live endpoint of the integrator that takes the
 *   event's type is written, due at once; an endpoint registered later does not receive
 *   events written before it;
 * - the body is frozen when written (replays send the same bytes' content).
 */
export async function emitPlatformEvent(
  em: EntityManager,
  integratorId: string,
  type: PlatformEventType,
  data: Record<string, unknown>,
): Promise<string> {
  const now = new Date();
  const id = randomUUID();
  const event: PlatformEvent = {
    id,
    type,
    createdAt: now.toISOString(),
    integratorId,
    data,
  };
  await em.getRepository(PlatformEventEntity).insert({
    id,
    integratorId,
    type,
    body: JSON.stringify(event),
    createdAt: now,
  });
  const endpoints = await em
    .getRepository(WebhookEndpointEntity)
    .createQueryBuilder('e')
    .where('e.integratorId = :integratorId AND e.deletedAt IS NULL', {
      integratorId,
    })
    .getMany();
  const rows = endpoints
    .filter((e) => e.events.includes(type))
    .map((e): WebhookDeliveryEntity => ({
      id: randomUUID(),
      eventId: id,
      endpointId: e.id,
      integratorId,
      status: 'pending',
      attempts: 0,
      responseCode: null,
      nextAttemptAt: now,
      createdAt: now,
      deliveredAt: null,
    }));
  if (rows.length) await em.getRepository(WebhookDeliveryEntity).insert(rows);
  return id;
}

/** The event a school's decision makes: a first grant, a change of scopes, or the decision. */
export function approvalEventType(
  previousStatus: string | null,
  decision: 'approved' | 'declined' | 'revoked',
): PlatformEventType {
  if (decision === 'approved')
    return previousStatus === 'approved'
      ? 'approval.changed'
      : 'approval.granted';
  return decision === 'declined' ? 'approval.declined' : 'approval.revoked';
}
