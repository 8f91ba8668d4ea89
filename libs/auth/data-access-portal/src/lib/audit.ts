import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEventView } from '@oneroster/contracts';
import {
  AccountEntity,
  ApplicationEntity,
  AuditEventEntity,
  OAuthClientEntity,
} from '@oneroster/entities';
import { assertOperator, assertSchoolAdmin, type PortalActor } from './actor';
import { invalid } from './errors';
import { accountSummary, iso } from './views';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  schoolId?: string | null;
  details?: Record<string, unknown> | null;
}

/** An OAuth client acting on its own (a school's MIS through the platform API). */
export interface ClientActor {
  client: { clientId: string; name: string | null };
  ip: string | null;
}

export const isClientActor = (actor: unknown): actor is ClientActor =>
  typeof actor === 'object' && actor !== null && 'client' in actor;

/**
 * Appends one audit event for a change `actor` made (in the change's own transaction): an
 * account, a client (actor type `client`, its id kept) or, with none, the system.
 */
export async function recordAudit(
  em: EntityManager | DataSource,
  actor: Pick<PortalActor, 'account' | 'ip'> | ClientActor | null,
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

export interface AuditPage {
  limit?: string | number;
  before?: string | number;
}

/**
 * The audit trail, newest first, paged by id (`before`: the smallest id of the previous
 * page). School administrators read their school's events; operators read all.
 */
export class PortalAudit {
  constructor(private readonly ds: DataSource) {}

  forSchool(actor: PortalActor, schoolId: string, page: AuditPage) {
    assertSchoolAdmin(actor, schoolId);
    return this.list(schoolId, page);
  }

  all(actor: PortalActor, page: AuditPage) {
    assertOperator(actor);
    return this.list(null, page);
  }

  private async list(
    schoolId: string | null,
    page: AuditPage,
  ): Promise<AuditEventView[]> {
    const limit = page.limit === undefined ? 50 : Number(page.limit);
    const before = page.before === undefined ? null : Number(page.before);
    const fields: Record<string, string> = {};
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      fields['limit'] = 'must be a whole number from 1 to 500';
    if (before !== null && (!Number.isInteger(before) || before < 1))
      fields['before'] = 'must be a positive event id';
    if (Object.keys(fields).length) throw invalid(fields);
    const q = this.ds
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .orderBy('e.id', 'DESC')
      .take(limit);
    if (schoolId) q.andWhere('e.schoolId = :schoolId', { schoolId });
    if (before !== null) q.andWhere('e.id < :before', { before });
    const events = await q.getMany();
    const ids = [
      ...new Set(events.map((e) => e.actorAccountId).filter((x) => !!x)),
    ] as string[];
    const accounts = ids.length
      ? await this.ds
          .getRepository(AccountEntity)
          .createQueryBuilder('a')
          .where('a.id IN (:...ids)', { ids })
          .getMany()
      : [];
    const byId = new Map(accounts.map((a) => [a.id, accountSummary(a)]));
    const clientNames = await this.clientNames(events);
    return events.map((e) => ({
      id: e.id,
      occurredAt: iso(e.occurredAt) as string,
      actor: e.actorAccountId ? (byId.get(e.actorAccountId) ?? null) : null,
      actorClient: e.actorClientId
        ? {
            clientId: e.actorClientId,
            name: clientNames.get(e.actorClientId) ?? null,
          }
        : null,
      actorType: e.actorType,
      actorIp: e.actorIp ?? null,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId ?? null,
      schoolId: e.schoolId ?? null,
      details: e.details ?? null,
    }));
  }

  /** A client's name is its application's (read now, as accounts' names are). */
  private async clientNames(
    events: AuditEventEntity[],
  ): Promise<Map<string, string>> {
    const ids = [
      ...new Set(events.map((e) => e.actorClientId).filter((x) => !!x)),
    ] as string[];
    if (!ids.length) return new Map();
    const rows = (await this.ds
      .getRepository(OAuthClientEntity)
      .createQueryBuilder('c')
      .innerJoin(ApplicationEntity, 'a', 'a.id = c.applicationId')
      .select('c.clientId', 'clientId')
      .addSelect('a.name', 'name')
      .where('c.clientId IN (:...ids)', { ids })
      .getRawMany()) as { clientId: string; name: string }[];
    return new Map(rows.map((r) => [r.clientId, r.name]));
  }
}
