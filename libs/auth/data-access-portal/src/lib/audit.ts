import type { DataSource } from 'typeorm';
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

// The writer is shared with the API (the gradebook change feed's collections).
export {
  isClientActor,
  recordAudit,
  type AuditEntry,
  type ClientActor,
} from '@oneroster/data-access-audit';

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
