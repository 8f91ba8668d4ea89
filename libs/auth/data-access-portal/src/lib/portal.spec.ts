import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES, type SchoolRole } from '@oneroster/contracts';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  ApplicationEntity,
  ApprovalEntity,
  ApprovalReceiptEntity,
  AuditEventEntity,
  IntegratorEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { loadActor, type PortalActor } from './actor';
import { PortalApprovals } from './approvals';
import { canonicalJson, sha256Hex } from './canonical';
import { PortalProblem } from './errors';
import { PortalSessions } from './sessions';

const { rosterCore, roster, gradebookRead } = ONEROSTER_SCOPES;

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined', () => {
    expect(
      canonicalJson({
        b: 1,
        a: { d: [3, { z: null, y: 'é' }], c: true },
        u: undefined,
      }),
    ).toBe('{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}');
  });
});

/** A small platform: one school, an integrator with one application, an admin account. */
async function aPlatform(ds: DataSource, role: SchoolRole = 'school_admin') {
  const now = new Date();
  const school = {
    id: randomUUID(),
    name: 'Oak School',
    orgSourcedId: `org-${randomUUID()}`,
    identifier: null,
    sandbox: false,
    createdAt: now,
  };
  const integrator = {
    id: randomUUID(),
    name: 'Acme',
    website: null,
    contactEmail: null,
    createdAt: now,
  };
  const app = {
    id: randomUUID(),
    integratorId: integrator.id,
    name: 'Acme Reader',
    description: null,
    requestedScopes: [rosterCore, roster, gradebookRead],
    redirectUris: [],
    createdAt: now,
    updatedAt: now,
  };
  const account = {
    id: randomUUID(),
    email: `${randomUUID()}@oak.example.org`,
    displayName: 'Oak admin',
    passwordHash: 'x',
    platformRole: null,
    integratorId: null,
    disabled: false,
    createdAt: now,
  };
  await ds.getRepository(SchoolEntity).insert(school);
  await ds.getRepository(IntegratorEntity).insert(integrator);
  await ds.getRepository(ApplicationEntity).insert(app);
  await ds.getRepository(AccountEntity).insert(account);
  await ds.getRepository(AccountSchoolRoleEntity).insert({
    accountId: account.id,
    schoolId: school.id,
    role,
    userSourcedId: null,
  });
  const actor = (await loadActor(ds, account.id, '192.0.2.7')) as PortalActor;
  return { school, app, actor };
}

describe.each(testEngines('portal_da'))(
  'portal data access on $name',
  (engine) => {
    let ds: DataSource;
    let approvals: PortalApprovals;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
      approvals = new PortalApprovals(ds);
    }, 60_000);

    afterAll(async () => {
      await ds?.destroy();
    });

    const receiptsOf = (approvalId: string) =>
      ds.getRepository(ApprovalReceiptEntity).countBy({ approvalId });

    it('approve, re-approve (idempotent), re-scope, revoke: one receipt per change', async () => {
      const { school, app, actor } = await aPlatform(ds);
      const first = await approvals.approve(actor, school.id, app.id, {
        scopes: [roster, rosterCore],
      });
      expect(first).toMatchObject({
        status: 'approved',
        scopes: [rosterCore, roster],
      });
      const same = await approvals.approve(actor, school.id, app.id, {
        scopes: [rosterCore, roster],
      });
      expect(same.receiptId).toBe(first.receiptId);
      expect(await receiptsOf(first.id)).toBe(1);
      const narrower = await approvals.approve(actor, school.id, app.id, {
        scopes: [gradebookRead],
      });
      expect(narrower.receiptId).not.toBe(first.receiptId);
      const revoked = await approvals.revoke(actor, school.id, app.id);
      expect(revoked).toMatchObject({ status: 'revoked', scopes: [] });
      expect((await approvals.revoke(actor, school.id, app.id)).receiptId).toBe(
        revoked.receiptId,
      );
      expect(await receiptsOf(first.id)).toBe(3);
      const receipt = await approvals.receipt(
        actor,
        revoked.receiptId as string,
      );
      const { digest, ...rest } = receipt;
      expect(digest).toBe(sha256Hex(canonicalJson(rest)));
      const audit = await ds
        .getRepository(AuditEventEntity)
        .findBy({ targetId: first.id });
      expect(audit.map((e) => e.action).sort()).toEqual([
        'approval.approved',
        'approval.approved',
        'approval.revoked',
      ]);
      expect(audit.every((e) => e.actorIp === '192.0.2.7')).toBe(true);
    });

    it('refuses scopes outside the request and conflicting transitions, writing nothing', async () => {
      const { school, app, actor } = await aPlatform(ds);
      await expect(
        approvals.approve(actor, school.id, app.id, {
          scopes: [ONEROSTER_SCOPES.gradebookDelete],
        }),
      ).rejects.toMatchObject({
        code: 'invalid_request',
        fields: { scopes: expect.any(String) },
      });
      await expect(
        approvals.revoke(actor, school.id, app.id),
      ).rejects.toMatchObject({ code: 'conflict' });
      expect(
        await ds
          .getRepository(ApprovalEntity)
          .countBy({ applicationId: app.id }),
      ).toBe(0);
      await approvals.approve(actor, school.id, app.id, { scopes: [roster] });
      await expect(
        approvals.decline(actor, school.id, app.id, {
          reason: 'changed our mind',
        }),
      ).rejects.toMatchObject({ code: 'conflict', statusCode: 409 });
    });

    it('concurrent decisions never both apply from the same state', async () => {
      const { school, app, actor } = await aPlatform(ds);
      const results = await Promise.allSettled([
        approvals.approve(actor, school.id, app.id, { scopes: [roster] }),
        approvals.approve(actor, school.id, app.id, {
          scopes: [gradebookRead],
        }),
        approvals.approve(actor, school.id, app.id, { scopes: [rosterCore] }),
      ]);
      for (const r of results)
        if (r.status === 'rejected')
          expect((r.reason as PortalProblem).code).toBe('conflict');
      const applied = results.filter((r) => r.status === 'fulfilled').length;
      expect(applied).toBeGreaterThanOrEqual(1);
      const row = await ds
        .getRepository(ApprovalEntity)
        .findOneByOrFail({ applicationId: app.id });
      expect(await receiptsOf(row.id)).toBe(applied);
      const last = await ds
        .getRepository(ApprovalReceiptEntity)
        .find({ where: { approvalId: row.id }, order: { decidedAt: 'DESC' } });
      expect(JSON.parse(last[0].body).scopes).toEqual(row.scopes);
    });

    it('approving the same scopes twice at once is idempotent', async () => {
      const { school, app, actor } = await aPlatform(ds);
      const both = await Promise.all([
        approvals.approve(actor, school.id, app.id, { scopes: [roster] }),
        approvals.approve(actor, school.id, app.id, { scopes: [roster] }),
      ]);
      expect(both[0].receiptId).toBe(both[1].receiptId);
      expect(await receiptsOf(both[0].id)).toBe(1);
    });

    it('checks roles: a teacher is forbidden, another school is not found', async () => {
      const { school, app, actor } = await aPlatform(ds, 'teacher');
      await expect(
        approvals.listForSchool(actor, school.id),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const admin = await aPlatform(ds);
      await expect(
        approvals.approve(admin.actor, school.id, app.id, { scopes: [roster] }),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('sessions: hashed ids, idle expiry, sign-in state used once', async () => {
      const { actor } = await aPlatform(ds);
      const sessions = new PortalSessions(ds, 200);
      const { cookie, csrfToken } = await sessions.create(
        actor.account.id,
        'id-token',
      );
      expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const live = await sessions.resolve(cookie);
      expect(live?.csrfToken).toBe(csrfToken);
      expect(live?.id).not.toContain(cookie);
      await new Promise((r) => setTimeout(r, 250));
      expect(await sessions.resolve(cookie)).toBeNull();
      const login = await sessions.beginLogin({
        state: 's',
        nonce: 'n',
        codeVerifier: 'v',
        returnTo: '/',
      });
      expect(await sessions.resolve(login)).toBeNull();
      expect(await sessions.takeLogin(login)).toEqual({
        state: 's',
        nonce: 'n',
        codeVerifier: 'v',
        returnTo: '/',
      });
      expect(await sessions.takeLogin(login)).toBeNull();
      const other = await sessions.create(actor.account.id, null);
      expect((await sessions.end(other.cookie))?.accountId).toBe(
        actor.account.id,
      );
      expect(await sessions.resolve(other.cookie)).toBeNull();
    });
  },
);
