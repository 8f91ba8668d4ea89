import type { DataSource } from 'typeorm';
import type { SchoolHomeImport, SchoolHomeView } from '@oneroster/contracts';
import {
  AccountEntity,
  AuditEventEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { assertSchoolAdmin, type PortalActor } from './actor';
import type { PortalApprovals } from './approvals';
import { notFound, PortalProblem } from './errors';
import type { PortalImports } from './imports';
import { accountSummary, iso, schoolSummary } from './views';

const RECENT_REVOCATIONS = 5;

/**
 * A school administrator's home page in one answer, for their school only. Rules:
 * - decisions waiting are counted as the applications page groups them (no decision yet,
 *   or a pending request);
 * - apps with access are the approved ones, each with its approved data categories;
 * - the last import is the newest `import.started`/`import.validation_started` audit event
 *   of the school (the audit trail outlives the jobs, which live in the auth server), with
 *   the job's status and report counts while the job is still held, `unknown` after;
 * - the latest revocations, newest first, with who revoked and the receipt.
 */
export class PortalSchoolHome {
  constructor(
    private readonly ds: DataSource,
    private readonly approvals: PortalApprovals,
    private readonly imports: PortalImports,
  ) {}

  async forSchool(
    actor: PortalActor,
    schoolId: string,
  ): Promise<SchoolHomeView> {
    assertSchoolAdmin(actor, schoolId);
    const school = await this.ds
      .getRepository(SchoolEntity)
      .findOneBy({ id: schoolId });
    if (!school) throw notFound('school');
    const [apps, lastImport] = await Promise.all([
      this.approvals.listForSchool(actor, schoolId),
      this.lastImport(actor, schoolId),
    ]);
    const status = (a: (typeof apps)[number]) =>
      a.approval?.status ?? 'pending';
    const byTime = (a: string | null, b: string | null) =>
      (b ?? '').localeCompare(a ?? '');
    return {
      school: schoolSummary(school),
      waitingDecisions: apps.filter((a) => status(a) === 'pending').length,
      withAccess: apps
        .filter((a) => status(a) === 'approved')
        .map(({ application, approval }) => ({
          application: { id: application.id, name: application.name },
          integrator: application.integrator,
          categories: approval?.categories ?? [],
          approvedAt: approval?.decidedAt ?? null,
          approvedBy: approval?.decidedBy ?? null,
          receiptId: approval?.receiptId ?? null,
        })),
      lastImport,
      recentRevocations: apps
        .filter((a) => status(a) === 'revoked')
        .map(({ application, approval }) => ({
          application: { id: application.id, name: application.name },
          integrator: application.integrator,
          revokedAt: approval?.decidedAt ?? null,
          revokedBy: approval?.decidedBy ?? null,
          receiptId: approval?.receiptId ?? null,
        }))
        .sort((a, b) => byTime(a.revokedAt, b.revokedAt))
        .slice(0, RECENT_REVOCATIONS),
    };
  }

  private async lastImport(
    actor: PortalActor,
    schoolId: string,
  ): Promise<SchoolHomeImport | null> {
    const event = await this.ds.getRepository(AuditEventEntity).findOne({
      where: [
        { schoolId, action: 'import.started' },
        { schoolId, action: 'import.validation_started' },
      ],
      order: { id: 'DESC' },
    });
    if (!event?.targetId) return null;
    const by = event.actorAccountId
      ? await this.ds
          .getRepository(AccountEntity)
          .findOneBy({ id: event.actorAccountId })
      : null;
    const job = await this.imports
      .get(actor, schoolId, event.targetId)
      .catch((e: unknown) => {
        if (e instanceof PortalProblem && e.code === 'not_found') return null;
        throw e;
      });
    return {
      jobId: event.targetId,
      mode: event.action === 'import.started' ? 'apply' : 'validate',
      startedAt: iso(event.occurredAt) as string,
      startedBy: by ? accountSummary(by) : null,
      status: job?.status ?? 'unknown',
      finishedAt: job?.finishedAt ?? null,
      errors: job?.report?.errors ?? null,
      warnings: job?.report?.warnings ?? null,
    };
  }
}
