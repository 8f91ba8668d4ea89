import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEventView } from '@oneroster/contracts';
import { AccountEntity, AuditEventEntity } from '@oneroster/entities';
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

/** Appends one audit event for a change `actor` made (in the change's own transaction). */
export async function recordAudit(
  em: EntityManager | DataSource,
  actor: Pick<PortalActor, 'account' | 'ip'> | null,
  entry: AuditEntry,
): Promise<void> {
  const row: Omit<AuditEventEntity, 'id'> = {
    occurredAt: new Date(),
    actorAccountId: actor?.account.id ?? null,
    actorType: actor ? 'account' : 'system',
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
    return events.map((e) => ({
      id: e.id,
      occurredAt: iso(e.occurredAt) as string,
      actor: e.actorAccountId ? (byId.get(e.actorAccountId) ?? null) : null,
      actorType: e.actorType,
      actorIp: e.actorIp ?? null,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId ?? null,
      schoolId: e.schoolId ?? null,
      details: e.details ?? null,
    }));
  }
}
