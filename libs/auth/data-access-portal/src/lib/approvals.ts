import { randomUUID } from 'node:crypto';
import { decodeJson, encodeJson } from '@oneroster/database';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  ApprovalReceipt,
  ApprovalStatus,
  ApprovalView,
  GrantableScope,
  SchoolApplicationView,
} from '@oneroster/contracts';
import {
  AccountEntity,
  ApplicationEntity,
  ApprovalEntity,
  ApprovalReceiptEntity,
  IntegratorEntity,
  SchoolEntity,
} from '@oneroster/entities';
import {
  assertDeveloperOf,
  assertSchoolAdmin,
  isSchoolAdmin,
  type PortalActor,
} from './actor';
import { recordAudit } from './audit';
import {
  approvalEventType,
  emitPlatformEvent,
} from '@oneroster/data-access-platform';
import type { InvalidationBus } from '@oneroster/util-invalidation';
import { inTransaction, inTransactionThenPublish } from './transaction';
import { canonicalJson, sha256Hex } from './canonical';
import {
  conflict,
  forbidden,
  invalid,
  isUniqueViolation,
  notFound,
  PortalProblem,
} from './errors';
import { FieldErrors, objectBody } from './validation';
import { grantedScopes } from '@oneroster/data-access-approvals';
import {
  accountSummary,
  categoryViews,
  integratorSummary,
  iso,
  schoolSummary,
  scopeView,
} from './views';

type Decision = Exclude<ApprovalStatus, 'pending'>;

/** Approval views of `approvals`, with who decided and the latest receipt (batched reads). */
export async function approvalViews(
  em: EntityManager | DataSource,
  approvals: ApprovalEntity[],
): Promise<ApprovalView[]> {
  if (!approvals.length) return [];
  const accountIds = [
    ...new Set(approvals.map((a) => a.decidedByAccountId).filter((x) => !!x)),
  ] as string[];
  const accounts = accountIds.length
    ? await em
        .getRepository(AccountEntity)
        .createQueryBuilder('a')
        .where('a.id IN (:...accountIds)', { accountIds })
        .getMany()
    : [];
  const byId = new Map(accounts.map((a) => [a.id, accountSummary(a)]));
  const ids = approvals.map((a) => a.id);
  const receipts = await em
    .getRepository(ApprovalReceiptEntity)
    .createQueryBuilder('r')
    .select(['r.id', 'r.approvalId', 'r.decidedAt'])
    .where('r.approvalId IN (:...ids)', { ids })
    .orderBy('r.decidedAt', 'ASC')
    .getMany();
  const latest = new Map(receipts.map((r) => [r.approvalId, r.id]));
  return approvals.map((a) => ({
    id: a.id,
    schoolId: a.schoolId,
    applicationId: a.applicationId,
    status: a.status,
    scopes: a.status === 'approved' ? [...a.scopes] : [],
    categories: a.status === 'approved' ? categoryViews(a.scopes) : [],
    grantedScopes: a.status === 'approved' ? grantedScopes(a.scopes) : [],
    requestedAt: iso(a.requestedAt) as string,
    decidedAt: iso(a.decidedAt),
    decidedBy: a.decidedByAccountId
      ? (byId.get(a.decidedByAccountId) ?? null)
      : null,
    receiptId: latest.get(a.id) ?? null,
  }));
}

/**
 * Schools' decisions about applications. Rules:
 * - approve: a non-empty subset of the application's requested scopes; approving again with
 *   the same scopes changes nothing (idempotent, no new receipt); with other scopes it
 *   re-scopes the approval; a pending, declined or revoked approval (or none) may be approved;
 * - decline: only a pending request (or none); declining again is idempotent;
 * - revoke: only an approved approval; revoking again is idempotent;
 * - any other transition, or a change racing another one, is a `conflict`;
 * - every decision writes a receipt (frozen canonical JSON + SHA-256 digest) and an audit
 *   event in the same transaction as the change;
 * - every change of a decision (approve, re-scope, decline, revoke; not an idempotent
 *   repeat) is published on the invalidation bus (`application`, the application id) once its
 *   transaction has committed, so every instance's caches drop the old answer at once.
 */
export class PortalApprovals {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: InvalidationBus | null = null,
  ) {}

  async listForSchool(
    actor: PortalActor,
    schoolId: string,
  ): Promise<SchoolApplicationView[]> {
    assertSchoolAdmin(actor, schoolId);
    const [apps, integrators, approvals] = await Promise.all([
      this.ds.getRepository(ApplicationEntity).find({ order: { name: 'ASC' } }),
      this.ds.getRepository(IntegratorEntity).find(),
      this.ds.getRepository(ApprovalEntity).findBy({ schoolId }),
    ]);
    const integratorById = new Map(integrators.map((i) => [i.id, i]));
    const views = await approvalViews(this.ds, approvals);
    const viewByApp = new Map(views.map((v) => [v.applicationId, v]));
    return apps
      .filter((a) => integratorById.has(a.integratorId))
      .map((a) => ({
        application: {
          id: a.id,
          name: a.name,
          description: a.description ?? null,
          integrator: integratorSummary(
            integratorById.get(a.integratorId) as IntegratorEntity,
          ),
          requestedScopes: a.requestedScopes.map(scopeView),
          requestedCategories: categoryViews(a.requestedScopes),
          redirectUris: [...a.redirectUris],
        },
        approval: viewByApp.get(a.id) ?? null,
      }));
  }

  async approve(
    actor: PortalActor,
    schoolId: string,
    applicationId: string,
    body: unknown,
  ): Promise<ApprovalView> {
    assertSchoolAdmin(actor, schoolId);
    const app = await this.application(applicationId);
    const input = objectBody(body);
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const errors = new FieldErrors();
    const scopes = errors.scopes(input, 'scopes', app.requestedScopes);
    if (!errors.empty) throw invalid(errors.fields);
    return this.decide(actor, schoolId, app, 'approved', scopes, null);
  }

  async decline(
    actor: PortalActor,
    schoolId: string,
    applicationId: string,
    body: unknown,
  ): Promise<ApprovalView> {
    assertSchoolAdmin(actor, schoolId);
    const app = await this.application(applicationId);
    const input = objectBody(body ?? {});
    if (!input) throw invalid({ body: 'must be a JSON object' });
    const errors = new FieldErrors();
    const reason = errors.text(input, 'reason', 1000, true) ?? null;
    if (!errors.empty) throw invalid(errors.fields);
    return this.decide(actor, schoolId, app, 'declined', [], reason);
  }

  async revoke(
    actor: PortalActor,
    schoolId: string,
    applicationId: string,
  ): Promise<ApprovalView> {
    assertSchoolAdmin(actor, schoolId);
    const app = await this.application(applicationId);
    return this.decide(actor, schoolId, app, 'revoked', [], null);
  }

  /** A developer asks a school to approve their application (a pending request). */
  async request(
    actor: PortalActor,
    applicationId: string,
    schoolId: string,
  ): Promise<ApprovalView> {
    const app = await this.ds
      .getRepository(ApplicationEntity)
      .findOneBy({ id: applicationId });
    assertDeveloperOf(actor, app?.integratorId, 'application');
    const school = await this.ds
      .getRepository(SchoolEntity)
      .findOneBy({ id: schoolId });
    if (!school || !app) throw notFound('school');
    try {
      return await inTransaction(this.ds, async (em) => {
        const repo = em.getRepository(ApprovalEntity);
        const current = await repo.findOneBy({ schoolId, applicationId });
        if (current?.status === 'pending')
          return (await approvalViews(em, [current]))[0];
        if (current?.status === 'approved')
          throw conflict('the school has already approved this application');
        const now = new Date();
        let row: ApprovalEntity;
        if (current) {
          const res = await repo
            .createQueryBuilder()
            .update()
            .set({ status: 'pending', requestedAt: now })
            .where('id = :id AND status = :status', {
              id: current.id,
              status: current.status,
            })
            .execute();
          if (!res.affected)
            throw conflict('the approval changed meanwhile; reload and retry');
          row = { ...current, status: 'pending', requestedAt: now };
        } else {
          row = repo.create({
            id: randomUUID(),
            schoolId,
            applicationId,
            status: 'pending',
            scopes: [],
            requestedAt: now,
            decidedAt: null,
            decidedByAccountId: null,
          });
          await repo.insert(row);
        }
        await recordAudit(em, actor, {
          action: 'approval.requested',
          targetType: 'approval',
          targetId: row.id,
          schoolId,
          details: { applicationId, applicationName: app.name },
        });
        return (await approvalViews(em, [row]))[0];
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('the approval changed meanwhile; reload and retry');
      throw err;
    }
  }

  /** A receipt, for the school's administrators, the integrator's developers and operators. */
  async receipt(
    actor: PortalActor,
    receiptId: string,
  ): Promise<ApprovalReceipt> {
    const any =
      actor.operator ||
      !!actor.integratorId ||
      [...actor.schoolRoles.values()].some((r) => r.includes('school_admin'));
    if (!any)
      throw forbidden(
        'only school administrators and developers may read receipts',
      );
    const row = await this.ds
      .getRepository(ApprovalReceiptEntity)
      .findOneBy({ id: receiptId });
    if (
      !row ||
      !(
        actor.operator ||
        isSchoolAdmin(actor, row.schoolId) ||
        (actor.integratorId !== null && actor.integratorId === row.integratorId)
      )
    )
      throw notFound('receipt');
    return {
      ...decodeJson<Omit<ApprovalReceipt, 'digest'>>(row.body),
      digest: row.digest,
    };
  }

  private async application(id: string): Promise<ApplicationEntity> {
    const app = await this.ds
      .getRepository(ApplicationEntity)
      .findOneBy({ id });
    if (!app) throw notFound('application');
    return app;
  }

  private async decide(
    actor: PortalActor,
    schoolId: string,
    app: ApplicationEntity,
    decision: Decision,
    scopes: GrantableScope[],
    reason: string | null,
  ): Promise<ApprovalView> {
    try {
      return await inTransactionThenPublish(
        this.ds,
        this.bus,
        async (em, note) => {
          const repo = em.getRepository(ApprovalEntity);
          const current = await repo.findOneBy({
            schoolId,
            applicationId: app.id,
          });
          const status = current?.status ?? null;
          const same =
            status === decision &&
            (decision !== 'approved' ||
              canonicalJson(current?.scopes) === canonicalJson(scopes));
          if (same && current) return (await approvalViews(em, [current]))[0];
          if (decision === 'declined' && status && status !== 'pending')
            throw conflict(
              status === 'approved'
                ? 'the application is approved; revoke it instead'
                : `the approval is ${status}; only a pending request can be declined`,
            );
          if (decision === 'revoked' && status !== 'approved')
            throw conflict(
              status
                ? `the approval is ${status}; only an approved application can be revoked`
                : 'the school has not approved this application',
            );
          const now = new Date();
          const next: ApprovalEntity = {
            id: current?.id ?? randomUUID(),
            schoolId,
            applicationId: app.id,
            status: decision,
            scopes,
            requestedAt: current?.requestedAt ?? now,
            decidedAt: now,
            decidedByAccountId: actor.account.id,
          };
          if (current) {
            // Optimistic check: the row must still be what was read, or another decision won.
            const res = await repo
              .createQueryBuilder()
              .update()
              .set({
                status: next.status,
                scopes: next.scopes,
                decidedAt: now,
                decidedByAccountId: actor.account.id,
              })
              .where('id = :id AND status = :status AND scopes = :scopes', {
                id: current.id,
                status: current.status,
                scopes: encodeJson(current.scopes),
              })
              .execute();
            if (!res.affected)
              throw conflict(
                'the approval changed meanwhile; reload and retry',
              );
          } else await repo.insert(next);
          note('application', app.id);
          const receiptId = await this.writeReceipt(
            em,
            actor,
            next,
            app,
            reason,
          );
          await recordAudit(em, actor, {
            action: `approval.${decision}`,
            targetType: 'approval',
            targetId: next.id,
            schoolId,
            details: {
              applicationId: app.id,
              applicationName: app.name,
              previousStatus: status,
              previousScopes: current?.scopes ?? [],
              scopes,
              receiptId,
              ...(reason ? { reason } : {}),
            },
          });
          // The integrator's webhooks hear of it in this same transaction (the outbox).
          const type = approvalEventType(status, decision);
          await emitPlatformEvent(em, app.integratorId, type, {
            approvalId: next.id,
            applicationId: app.id,
            schoolId,
            status: decision,
            previousStatus: status,
            scopes,
            decidedAt: iso(now),
            receiptId,
          });
          return (await approvalViews(em, [next]))[0];
        },
      );
    } catch (err) {
      const raced =
        isUniqueViolation(err) ||
        (err instanceof PortalProblem && err.code === 'conflict');
      if (!raced) throw err;
      // Lost a race: when the winner made the very same decision, the caller's wish holds
      // (approving twice is idempotent, even at the same moment); otherwise a conflict.
      const now = await this.ds
        .getRepository(ApprovalEntity)
        .findOneBy({ schoolId, applicationId: app.id });
      if (
        now?.status === decision &&
        (decision !== 'approved' ||
          canonicalJson(now.scopes) === canonicalJson(scopes))
      )
        return (await approvalViews(this.ds, [now]))[0];
      if (err instanceof PortalProblem) throw err;
      throw conflict('the approval changed meanwhile; reload and retry');
    }
  }

  private async writeReceipt(
    em: EntityManager,
    actor: PortalActor,
    approval: ApprovalEntity,
    app: ApplicationEntity,
    reason: string | null,
  ): Promise<string> {
    const [school, integrator] = await Promise.all([
      em.getRepository(SchoolEntity).findOneByOrFail({ id: approval.schoolId }),
      em
        .getRepository(IntegratorEntity)
        .findOneByOrFail({ id: app.integratorId }),
    ]);
    const id = randomUUID();
    const receipt: Omit<ApprovalReceipt, 'digest'> = {
      id,
      approvalId: approval.id,
      decision: approval.status as Decision,
      school: schoolSummary(school),
      application: { id: app.id, name: app.name },
      integrator: integratorSummary(integrator),
      scopes: [...approval.scopes],
      categories: categoryViews(approval.scopes),
      grantedScopes: grantedScopes(approval.scopes),
      decidedAt: iso(approval.decidedAt) as string,
      decidedBy: actor.account,
      reason,
    };
    const body = canonicalJson(receipt);
    await em.getRepository(ApprovalReceiptEntity).insert({
      id,
      approvalId: approval.id,
      schoolId: approval.schoolId,
      applicationId: app.id,
      integratorId: app.integratorId,
      decision: approval.status,
      decidedAt: approval.decidedAt as Date,
      decidedByAccountId: actor.account.id,
      body,
      digest: sha256Hex(body),
    });
    return id;
  }
}
