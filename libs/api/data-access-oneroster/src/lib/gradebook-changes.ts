import type { DataSource } from 'typeorm';
import { GradebookChangeEntity } from '@oneroster/entities';
import { recordAudit } from '@oneroster/data-access-audit';
import {
  ServiceUnavailableError,
  UnknownObjectError,
} from '@oneroster/util-oneroster-query';
import type { TenantScope } from './reader';

/**
 * The read side of the gradebook change log, for one school of the caller's at a time:
 * changes after a cursor, in id order (see GradebookChangeEntity for why that order never
 * lets a later commit appear behind a cursor already handed out).
 */
export async function gradebookChangesAfter(
  ds: DataSource,
  scope: TenantScope,
  schoolId: string,
  after: number,
  limit: number,
): Promise<GradebookChangeEntity[]> {
  if (!scope.schoolIds.includes(schoolId))
    throw new UnknownObjectError(`Unknown object: school ${schoolId}`);
  return ds
    .getRepository(GradebookChangeEntity)
    .createQueryBuilder('c')
    .where('c.schoolId = :schoolId', { schoolId })
    .andWhere('c.id > :after', { after })
    .orderBy('c.id', 'ASC')
    .limit(limit)
    .getMany();
}

/** Who collects the feed, as the school's audit trail records it. */
export interface ChangeCollector {
  /** The token's `client_id` (every token the auth server issues carries one). */
  clientId: string | null;
  /** The signed-in user, for tokens of the OIDC hybrid flow. */
  userId: string | null;
  ip: string | null;
}

/** What a collection of the feed answers: the page and the cursor to resume from. */
export interface CollectedChanges {
  changes: GradebookChangeEntity[];
  next: number;
}

/**
 * One page of the change feed for `collector`, recorded in the school's audit trail.
 * Rules:
 * - a non-empty page writes one `gradebook.changes_collected` event for the school before
 *   it is answered: actor type `client` with the collector's client id (the portal names it
 *   by its application, as it names the MIS's imports), details `count`, `firstChangeId`,
 *   `lastChangeId`, `after` (the cursor asked for) and `next`;
 * - an empty page (a poll with nothing new) records nothing, so a collector polling every
 *   few seconds does not fill the trail;
 * - when the event cannot be written the page is not answered (503 `server_busy`): an
 *   audit trail that silently misses collections could not say who took which write-backs.
 *   Collecting is idempotent, so the collector simply asks again with the same cursor.
 */
export async function collectGradebookChanges(
  ds: DataSource,
  scope: TenantScope,
  schoolId: string,
  page: { after: number; limit: number },
  collector: ChangeCollector,
): Promise<CollectedChanges> {
  const changes = await gradebookChangesAfter(
    ds,
    scope,
    schoolId,
    page.after,
    page.limit,
  );
  const next = changes.length ? changes[changes.length - 1].id : page.after;
  if (!changes.length) return { changes, next };
  try {
    await recordAudit(
      ds,
      collector.clientId
        ? {
            client: { clientId: collector.clientId, name: null },
            ip: collector.ip,
          }
        : null,
      {
        action: 'gradebook.changes_collected',
        targetType: 'gradebook_changes',
        targetId: String(next),
        schoolId,
        details: {
          count: changes.length,
          firstChangeId: changes[0].id,
          lastChangeId: next,
          after: page.after,
          next,
          ...(collector.userId ? { userId: collector.userId } : {}),
        },
      },
    );
  } catch (e) {
    throw new AuditUnavailableError(e);
  }
  return { changes, next };
}

/** The collection's audit event could not be written: the page is not answered. */
export class AuditUnavailableError extends ServiceUnavailableError {
  constructor(readonly reason: unknown) {
    super(
      'The collection could not be recorded in the audit trail; retry with the same cursor',
    );
  }
}
