import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  type ApplicationView,
  type ApprovalReceipt,
  type ApprovalView,
  type AuditEventView,
  type CreatedAccount,
  type CredentialView,
  type ImportJobView,
  type IntegratorUsageView,
  type IntegratorSummary,
  type IssuedCredential,
  type PortalError,
  type PortalMe,
  type SchoolApplicationView,
  type SchoolHomeView,
  type SchoolSummary,
} from '@oneroster/contracts';
import { setFirstPassword } from '@oneroster/data-access-portal';
import {
  canonicalJson,
  sha256Hex,
} from '@oneroster/data-access-portal/testing';
import { exportCsv } from '@oneroster/data-access-csv';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AccountEntity, GradebookChangeEntity } from '@oneroster/entities';
import {
  emailWithRole,
  portalClient,
  sessionFor,
  type PortalSession,
} from './portal-support';
import {
  requestToken,
  seededDatabase,
  startTestAuth,
  TestAuth,
} from './support';

const { rosterCore, roster, gradebookRead, rosterDemographics } =
  ONEROSTER_SCOPES;

describe.each(testEngines('auth_portal', { sqliteFile: true }))(
  'portal API on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let base: string;
    let call: ReturnType<typeof portalClient>;
    let operator: PortalSession;
    let developer: PortalSession;
    let adminA: PortalSession;
    let adminB: PortalSession;
    let teacherA: PortalSession;
    let schoolA: string;
    let schoolB: string;
    let sandboxIntegratorId: string;
    let adminAEmail: string;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      auth = await startTestAuth(seeded.database);
      ds = await openDatabase(seeded.database);
      base = auth.issuer.replace(/\/oidc$/, '');
      call = portalClient(base);
      [schoolA, schoolB] = demo.clients.map((c) => c.schoolId);
      operator = await sessionFor(ds, demo.operatorEmail);
      developer = await sessionFor(ds, demo.developerEmail);
      adminAEmail = await emailWithRole(ds, schoolA, 'school_admin');
      adminA = await sessionFor(ds, adminAEmail);
      adminB = await sessionFor(
        ds,
        await emailWithRole(ds, schoolB, 'school_admin'),
      );
      teacherA = await sessionFor(
        ds,
        await emailWithRole(ds, schoolA, 'teacher'),
      );
      sandboxIntegratorId = (
        await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email: demo.developerEmail })
      ).integratorId as string;
    }, 120_000);

    afterAll(async () => {
      await ds?.destroy();
      await auth?.close();
    });

    /** A new application of the sandbox integrator, requested at school A. */
    const newApplication = async (
      scopes: string[] = [rosterCore, roster, gradebookRead],
    ) => {
      const created = await call<ApplicationView>(
        developer,
        'POST',
        `/portal/api/integrators/${sandboxIntegratorId}/applications`,
        {
          name: `Reading app ${Math.random().toString(36).slice(2, 8)}`,
          description: 'Reading records',
          requestedScopes: scopes,
          redirectUris: ['https://reading.example.com/callback'],
        },
      );
      expect(created.status).toBe(201);
      return created.body;
    };

    describe('session', () => {
      it('answers 401 not_signed_in without a session, in the PortalError shape', async () => {
        const res = await call<PortalError>(null, 'GET', '/portal/api/me');
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'not_signed_in',
          message: expect.any(String),
        });
        const forged = await call<PortalError>(
          { cookie: 'not-a-session', csrf: 'x' },
          'GET',
          '/portal/api/me',
        );
        expect(forged.status).toBe(401);
      });

      it('GET /me describes the account, its roles and the CSRF token', async () => {
        const res = await call<PortalMe>(adminA, 'GET', '/portal/api/me');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          account: { email: adminAEmail },
          operator: false,
          integrator: null,
          schools: [{ id: schoolA, roles: ['school_admin'] }],
          csrfToken: adminA.csrf,
        });
        const dev = await call<PortalMe>(developer, 'GET', '/portal/api/me');
        expect(dev.body.integrator).toMatchObject({ id: sandboxIntegratorId });
        const op = await call<PortalMe>(operator, 'GET', '/portal/api/me');
        expect(op.body.operator).toBe(true);
      });

      it('logout ends the session and answers where to end it at the server', async () => {
        const s = await sessionFor(ds, demo.teachers[1].email);
        expect((await call(s, 'GET', '/portal/api/me')).status).toBe(200);
        const noCsrf = await call(s, 'POST', '/portal/auth/logout', undefined, {
          csrf: null,
        });
        expect(noCsrf.status).toBe(403);
        const out = await call<{ endSessionUrl: string }>(
          s,
          'POST',
          '/portal/auth/logout',
        );
        expect(out.status).toBe(200);
        expect(typeof out.body.endSessionUrl).toBe('string');
        expect(out.headers.get('set-cookie')).toMatch(
          /portal_session=; Path=\/portal; HttpOnly; SameSite=Lax; Max-Age=0/,
        );
        expect((await call(s, 'GET', '/portal/api/me')).status).toBe(401);
      });
    });

    describe('role checks', () => {
      it.each([
        ['GET', () => `/portal/api/schools/${schoolA}/applications`],
        ['GET', () => `/portal/api/schools/${schoolA}/audit`],
        ['GET', () => `/portal/api/schools/${schoolA}/usage`],
        ['GET', () => `/portal/api/schools/${schoolA}/home`],
        ['GET', () => `/portal/api/schools/${schoolA}/imports`],
      ])(
        "school route %s %s: 403 for a developer or teacher, 404 for another school's admin",
        async (method, path) => {
          expect((await call(developer, method, path())).status).toBe(403);
          expect((await call(teacherA, method, path())).status).toBe(403);
          expect((await call(operator, method, path())).status).toBe(403);
          const other = await call<PortalError>(adminB, method, path());
          expect(other.status).toBe(404);
          expect(other.body.error).toBe('not_found');
          expect((await call(adminA, method, path())).status).toBe(200);
        },
      );

      it.each([
        [
          'GET',
          () => `/portal/api/integrators/${sandboxIntegratorId}/applications`,
        ],
        ['GET', () => '/portal/api/sandbox'],
        ['GET', () => '/portal/api/schools/directory'],
      ])(
        'developer route %s %s: 403 for a school admin',
        async (method, path) => {
          const res = await call<PortalError>(adminA, method, path());
          expect(res.status).toBe(403);
          expect(res.body.error).toBe('forbidden');
          expect((await call(developer, method, path())).status).toBe(200);
        },
      );

      it.each([
        ['GET', '/portal/api/integrators'],
        ['GET', '/portal/api/schools'],
        ['GET', '/portal/api/accounts'],
        ['GET', '/portal/api/audit'],
        ['POST', '/portal/api/integrators'],
      ])(
        'operator route %s %s: 403 for everyone else',
        async (method, path) => {
          for (const s of [developer, adminA, teacherA]) {
            const res = await call<PortalError>(
              s,
              method,
              path,
              method === 'GET' ? undefined : {},
            );
            expect(res.status).toBe(403);
            expect(res.body.error).toBe('forbidden');
          }
          if (method === 'GET')
            expect((await call(operator, method, path)).status).toBe(200);
        },
      );

      it("404 for another integrator's applications and credentials", async () => {
        const integrator = await call<IntegratorSummary>(
          operator,
          'POST',
          '/portal/api/integrators',
          { name: 'Other Learning', website: 'https://other.example.com' },
        );
        expect(integrator.status).toBe(201);
        const account = await call<CreatedAccount>(
          operator,
          'POST',
          '/portal/api/accounts',
          {
            email: `dev-${Date.now()}@other.example.com`,
            displayName: 'Other developer',
            platformRole: 'integrator_developer',
            integratorId: integrator.body.id,
          },
        );
        expect(account.status).toBe(201);
        // Its one-time password changed at the first sign-in, as the sign-in page makes it.
        await setFirstPassword(
          ds,
          account.body.id,
          'a password of its own',
          null,
        );
        const other = await sessionFor(ds, account.body.email);
        const app = await newApplication();
        for (const [method, path, body] of [
          [
            'GET',
            `/portal/api/integrators/${sandboxIntegratorId}/applications`,
          ],
          [
            'POST',
            `/portal/api/integrators/${sandboxIntegratorId}/applications`,
            {},
          ],
          ['PATCH', `/portal/api/applications/${app.id}`, { name: 'Stolen' }],
          ['GET', `/portal/api/applications/${app.id}/credentials`],
          [
            'POST',
            `/portal/api/applications/${app.id}/credentials`,
            { schoolId: schoolA },
          ],
          [
            'POST',
            `/portal/api/applications/${app.id}/schools/${schoolA}/request`,
          ],
          [
            'POST',
            `/portal/api/credentials/${demo.clients[0].clientId}/rotate`,
          ],
          [
            'POST',
            `/portal/api/credentials/${demo.clients[0].clientId}/revoke`,
          ],
        ] as [string, string, unknown?][]) {
          const res = await call<PortalError>(other, method, path, body);
          expect([path, res.status]).toEqual([path, 404]);
        }
        const own = await call<ApplicationView[]>(
          other,
          'GET',
          `/portal/api/integrators/${integrator.body.id}/applications`,
        );
        expect(own.body).toEqual([]);
      });
    });

    describe('approvals, credentials and tokens', () => {
      it('approving a subset limits the client-credentials token to it; revoking refuses tokens', async () => {
        const app = await newApplication();
        const requested = await call<ApprovalView>(
          developer,
          'POST',
          `/portal/api/applications/${app.id}/schools/${schoolA}/request`,
        );
        expect(requested.status).toBe(200);
        expect(requested.body).toMatchObject({ status: 'pending', scopes: [] });

        const listed = await call<SchoolApplicationView[]>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/applications`,
        );
        const mine = listed.body.find((v) => v.application.id === app.id);
        expect(mine?.approval?.status).toBe('pending');
        expect(mine?.application.requestedScopes.map((s) => s.scope)).toEqual([
          rosterCore,
          roster,
          gradebookRead,
        ]);

        const approve = (scopes: string[]) =>
          call<ApprovalView & PortalError>(
            adminA,
            'POST',
            `/portal/api/schools/${schoolA}/applications/${app.id}/approve`,
            { scopes },
          );
        const approved = await approve([rosterCore]);
        expect(approved.status).toBe(200);
        expect(approved.body).toMatchObject({
          status: 'approved',
          scopes: [rosterCore],
          decidedBy: { email: adminAEmail },
        });
        const again = await approve([rosterCore]);
        expect(again.body.receiptId).toBe(approved.body.receiptId);

        const notRequested = await approve([rosterDemographics]);
        expect(notRequested.status).toBe(400);
        expect(notRequested.body.error).toBe('invalid_request');
        expect(notRequested.body.fields?.['scopes']).toMatch(/requested/);
        expect((await approve([])).body.fields?.['scopes']).toBeDefined();

        const issued = await call<IssuedCredential>(
          developer,
          'POST',
          `/portal/api/applications/${app.id}/credentials`,
          { schoolId: schoolA },
        );
        expect(issued.status).toBe(201);
        expect(issued.body).toMatchObject({
          applicationId: app.id,
          schoolId: schoolA,
          kind: 'client_credentials',
          tokenEndpoint: auth.tokenUrl,
        });
        expect(issued.body.clientSecret.length).toBeGreaterThanOrEqual(43);
        const { clientId, clientSecret } = issued.body;
        const token = await requestToken(auth.tokenUrl, clientId, clientSecret);
        expect(token.status).toBe(200);
        expect(token.body['scope']).toBe(rosterCore);

        const revoked = await call<ApprovalView>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/revoke`,
        );
        expect(revoked.body).toMatchObject({ status: 'revoked', scopes: [] });
        const refused = await requestToken(
          auth.tokenUrl,
          clientId,
          clientSecret,
        );
        expect(refused.status).toBe(400);
        expect(refused.body['error']).toBe('access_denied');

        const decline = await call<PortalError>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/decline`,
          { reason: 'no' },
        );
        expect(decline.status).toBe(409);
        expect(decline.body.error).toBe('conflict');
      });

      it('credentials: secret shown once, rotation overlap, revocation', async () => {
        const app = await newApplication();
        await call(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/approve`,
          { scopes: [roster] },
        );
        const path = `/portal/api/applications/${app.id}/credentials`;
        const first = await call<IssuedCredential>(developer, 'POST', path, {
          schoolId: schoolA,
        });
        const dup = await call<PortalError>(developer, 'POST', path, {
          schoolId: schoolA,
        });
        expect(dup.status).toBe(409);
        const rotated = await call<IssuedCredential>(
          developer,
          'POST',
          `/portal/api/credentials/${first.body.clientId}/rotate`,
        );
        expect(rotated.status).toBe(200);
        expect(rotated.body.clientSecret).not.toBe(first.body.clientSecret);
        expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
        for (const secret of [
          first.body.clientSecret,
          rotated.body.clientSecret,
        ])
          expect(
            (await requestToken(auth.tokenUrl, first.body.clientId, secret))
              .status,
          ).toBe(200);

        const list = await call<CredentialView[]>(developer, 'GET', path);
        expect(list.body).toHaveLength(1);
        expect(JSON.stringify(list.body)).not.toContain('clientSecret');
        expect(JSON.stringify(list.body)).not.toContain(
          rotated.body.clientSecret,
        );

        const gone = await call<CredentialView>(
          developer,
          'POST',
          `/portal/api/credentials/${first.body.clientId}/revoke`,
        );
        expect(gone.body.revokedAt).not.toBeNull();
        const refused = await requestToken(
          auth.tokenUrl,
          first.body.clientId,
          rotated.body.clientSecret,
        );
        expect(refused.status).toBe(401);
      });

      it('receipts: both sides read the same receipt with a correct digest', async () => {
        const app = await newApplication();
        const approved = await call<ApprovalView>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/approve`,
          { scopes: [gradebookRead, rosterCore] },
        );
        const id = approved.body.receiptId as string;
        const school = await call<ApprovalReceipt>(
          adminA,
          'GET',
          `/portal/api/receipts/${id}`,
        );
        const integrator = await call<ApprovalReceipt>(
          developer,
          'GET',
          `/portal/api/receipts/${id}`,
        );
        expect(school.status).toBe(200);
        expect(integrator.body).toEqual(school.body);
        expect(school.body).toMatchObject({
          approvalId: approved.body.id,
          decision: 'approved',
          school: { id: schoolA },
          application: { id: app.id, name: app.name },
          integrator: { id: sandboxIntegratorId },
          scopes: [rosterCore, gradebookRead],
          decidedBy: { email: adminAEmail },
          decidedAt: approved.body.decidedAt,
          reason: null,
        });
        const { digest, ...rest } = school.body;
        expect(digest).toBe(sha256Hex(canonicalJson(rest)));
        expect(
          (await call(adminB, 'GET', `/portal/api/receipts/${id}`)).status,
        ).toBe(404);
        expect(
          (await call(teacherA, 'GET', `/portal/api/receipts/${id}`)).status,
        ).toBe(403);
      });

      it('the audit trail records who, when, from where and what', async () => {
        const app = await newApplication();
        await call(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/approve`,
          { scopes: [roster] },
        );
        const trail = await call<AuditEventView[]>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/audit?limit=5`,
        );
        expect(trail.status).toBe(200);
        expect(trail.body.length).toBeLessThanOrEqual(5);
        expect(trail.body[0]).toMatchObject({
          action: 'approval.approved',
          actorType: 'account',
          actor: { email: adminAEmail },
          actorIp: expect.stringMatching(/127\.0\.0\.1/),
          targetType: 'approval',
          schoolId: schoolA,
          details: expect.objectContaining({
            applicationId: app.id,
            scopes: [roster],
          }),
        });
        expect(Date.now() - Date.parse(trail.body[0].occurredAt)).toBeLessThan(
          60_000,
        );
        expect(trail.body.every((e) => e.schoolId === schoolA)).toBe(true);
        const page2 = await call<AuditEventView[]>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/audit?limit=5&before=${trail.body[0].id}`,
        );
        expect(page2.body.every((e) => e.id < trail.body[0].id)).toBe(true);
        const all = await call<AuditEventView[]>(
          operator,
          'GET',
          '/portal/api/audit?limit=500',
        );
        expect(all.body.map((e) => e.action)).toEqual(
          expect.arrayContaining(['application.created', 'approval.approved']),
        );
        const bad = await call<PortalError>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/audit?limit=0`,
        );
        expect(bad.status).toBe(400);
        expect(bad.body.fields).toHaveProperty('limit');
      });
    });

    describe('CSRF and bad input', () => {
      const approvePath = () =>
        `/portal/api/schools/${schoolA}/applications/00000000-0000-0000-0000-000000000000/approve`;

      it('refuses a write without, or with a wrong, X-CSRF-Token, or from another origin', async () => {
        for (const options of [
          { csrf: null },
          { csrf: 'wrong' },
          { csrf: adminB.csrf },
          { headers: { origin: 'https://evil.example.com' } },
        ]) {
          const res = await call<PortalError>(
            adminA,
            'POST',
            approvePath(),
            { scopes: [roster] },
            options,
          );
          expect(res.status).toBe(403);
          expect(res.body.error).toBe('csrf');
        }
        const ok = await call(
          adminA,
          'POST',
          approvePath(),
          { scopes: [roster] },
          {
            headers: { origin: 'http://localhost:4200' },
          },
        );
        expect(ok.status).toBe(404);
      });

      it('answers 400 with fields for bad bodies, and nothing is written', async () => {
        const before = await call<ApplicationView[]>(
          developer,
          'GET',
          `/portal/api/integrators/${sandboxIntegratorId}/applications`,
        );
        const res = await call<PortalError>(
          developer,
          'POST',
          `/portal/api/integrators/${sandboxIntegratorId}/applications`,
          {
            name: '  ',
            requestedScopes: ['https://example.com/scope'],
            redirectUris: [
              'http://reading.example.com/cb',
              'https://x.example.com/cb#frag',
              'relative',
            ],
          },
        );
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          statusCode: 400,
          error: 'invalid_request',
        });
        expect(Object.keys(res.body.fields ?? {}).sort()).toEqual([
          'name',
          'redirectUris[0]',
          'redirectUris[1]',
          'redirectUris[2]',
          'requestedScopes',
        ]);
        const malformed = await call<PortalError>(
          developer,
          'POST',
          `/portal/api/integrators/${sandboxIntegratorId}/applications`,
          '{"name": ',
        );
        expect(malformed.status).toBe(400);
        expect(malformed.body.error).toBe('invalid_request');
        const after = await call<ApplicationView[]>(
          developer,
          'GET',
          `/portal/api/integrators/${sandboxIntegratorId}/applications`,
        );
        expect(after.body).toHaveLength(before.body.length);
        const account = await call<PortalError>(
          operator,
          'POST',
          '/portal/api/accounts',
          {
            email: 'not-an-email',
            displayName: '',
            platformRole: 'integrator_developer',
            schoolRoles: [{ schoolId: 'nope', role: 'school_admin' }],
          },
        );
        expect(account.status).toBe(400);
        expect(Object.keys(account.body.fields ?? {}).sort()).toEqual([
          'displayName',
          'email',
          'integratorId',
          'schoolRoles[0].schoolId',
        ]);
      });
    });

    describe('onboarding', () => {
      it('operators create integrators, schools and accounts (password shown once)', async () => {
        const school = await call<SchoolSummary>(
          operator,
          'POST',
          '/portal/api/schools',
          {
            name: 'Hilltop Primary',
            identifier: '999001',
            orgSourcedId: `org-hilltop-${Date.now()}`,
          },
        );
        expect(school.status).toBe(201);
        expect(school.body).toMatchObject({
          name: 'Hilltop Primary',
          sandbox: false,
        });
        const email = `head-${Date.now()}@hilltop.example.org`;
        const created = await call<CreatedAccount>(
          operator,
          'POST',
          '/portal/api/accounts',
          {
            email,
            displayName: 'Head of Hilltop',
            schoolRoles: [{ schoolId: school.body.id, role: 'school_admin' }],
          },
        );
        expect(created.status).toBe(201);
        expect(created.body.initialPassword.length).toBeGreaterThanOrEqual(16);
        const stored = await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email });
        expect(stored.passwordHash).toMatch(/^scrypt\$/);
        expect(stored.passwordHash).not.toContain(created.body.initialPassword);
        const listed = await call<CreatedAccount[]>(
          operator,
          'GET',
          '/portal/api/accounts',
        );
        const row = listed.body.find((a) => a.email === email);
        expect(row).toMatchObject({
          schoolRoles: [{ schoolId: school.body.id, role: 'school_admin' }],
        });
        expect(row).not.toHaveProperty('initialPassword');
        const dup = await call<PortalError>(
          operator,
          'POST',
          '/portal/api/accounts',
          {
            email,
            displayName: 'Again',
          },
        );
        expect(dup.status).toBe(409);
        // No portal session works before the one-time password is changed.
        const early = await sessionFor(ds, email);
        expect((await call(early, 'GET', '/portal/api/me')).status).toBe(401);
        await setFirstPassword(
          ds,
          created.body.id,
          'a password of its own',
          null,
        );
        const head = await sessionFor(ds, email);
        expect(
          (
            await call(
              head,
              'GET',
              `/portal/api/schools/${school.body.id}/applications`,
            )
          ).status,
        ).toBe(200);
      });
    });

    describe('school home', () => {
      const home = (s: PortalSession, school: string) =>
        call<SchoolHomeView>(s, 'GET', `/portal/api/schools/${school}/home`);

      it('counts the decisions waiting, lists apps with access by category, recent revocations and the last import', async () => {
        const before = await home(adminA, schoolA);
        expect(before.status).toBe(200);
        expect(before.body.school.id).toBe(schoolA);
        const listed = await call<SchoolApplicationView[]>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/applications`,
        );
        expect(before.body.waitingDecisions).toBe(
          listed.body.filter(
            (a) => (a.approval?.status ?? 'pending') === 'pending',
          ).length,
        );

        const app = await newApplication([rosterCore, rosterDemographics]);
        const requested = await call(
          developer,
          'POST',
          `/portal/api/applications/${app.id}/schools/${schoolA}/request`,
        );
        expect(requested.status).toBe(200);
        const waiting = await home(adminA, schoolA);
        expect(waiting.body.waitingDecisions).toBe(
          before.body.waitingDecisions + 1,
        );
        expect(
          waiting.body.withAccess.map((a) => a.application.id),
        ).not.toContain(app.id);

        const approved = await call<ApprovalView>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/approve`,
          { scopes: [rosterDemographics] },
        );
        expect(approved.status).toBe(200);
        const after = await home(adminA, schoolA);
        expect(after.body.waitingDecisions).toBe(before.body.waitingDecisions);
        const access = after.body.withAccess.find(
          (a) => a.application.id === app.id,
        );
        expect(access).toMatchObject({
          application: { id: app.id, name: app.name },
          integrator: { id: sandboxIntegratorId },
          approvedBy: { email: adminAEmail },
          receiptId: approved.body.receiptId,
        });
        expect(access?.categories.map((c) => [c.key, c.label])).toEqual([
          ['demographics', 'Demographics'],
        ]);

        const revoked = await call<ApprovalView>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/applications/${app.id}/revoke`,
        );
        expect(revoked.status).toBe(200);
        const afterRevoke = await home(adminA, schoolA);
        expect(
          afterRevoke.body.withAccess.map((a) => a.application.id),
        ).not.toContain(app.id);
        expect(afterRevoke.body.recentRevocations[0]).toMatchObject({
          application: { id: app.id },
          revokedBy: { email: adminAEmail },
          receiptId: revoked.body.receiptId,
        });
        expect(afterRevoke.body.recentRevocations.length).toBeLessThanOrEqual(
          5,
        );

        // The last import: who started it, when, and its result once it has one.
        const zip = join(mkdtempSync(join(tmpdir(), 'portal-home-')), 'a.zip');
        await exportCsv(ds, { schoolId: schoolA, out: zip });
        const started = await call<ImportJobView>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/imports?mode=validate`,
          await readFile(zip),
          { headers: { 'content-type': 'application/zip' } },
        );
        expect(started.status).toBe(202);
        let last = (await home(adminA, schoolA)).body.lastImport;
        for (let i = 0; i < 600 && last?.status !== 'succeeded'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          last = (await home(adminA, schoolA)).body.lastImport;
        }
        expect(last).toMatchObject({
          jobId: started.body.id,
          mode: 'validate',
          startedBy: { email: adminAEmail },
          status: 'succeeded',
          errors: 0,
        });
        expect(Date.parse(last?.startedAt as string)).toBeGreaterThan(
          Date.now() - 120_000,
        );

        // School isolation: school B's home shows none of school A's figures.
        const other = await home(adminB, schoolB);
        expect(other.status).toBe(200);
        expect(other.body.school.id).toBe(schoolB);
        expect(
          other.body.recentRevocations.map((r) => r.application.id),
        ).not.toContain(app.id);
        expect(other.body.lastImport?.jobId).not.toBe(started.body.id);
        expect((await home(adminB, schoolA)).status).toBe(404);
      }, 120_000);
    });

    describe('usage and imports', () => {
      it('usage counts requests, records read per kind of data, records written, per integrator and day; the CSV has the same figures', async () => {
        const today = new Date().toISOString().slice(0, 10);
        const old = new Date(Date.now() - 40 * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const rows: [string, string, string, number, number][] = [
          [schoolA, today, '/ims/oneroster/v1p1/classes', 5, 480],
          [schoolA, today, '/ims/oneroster/v1p1/users/{id}', 2, 2],
          [
            schoolA,
            today,
            '/ims/oneroster/rostering/v1p2/classes/{classSourcedId}/students',
            3,
            75,
          ],
          [schoolA, today, '/ims/oneroster/v1p1/students', 1, 100],
          [schoolA, old, '/ims/oneroster/v1p1/classes', 100, 9000],
          [schoolB, today, '/ims/oneroster/v1p1/classes', 50, 777],
        ];
        await ds.query(
          `INSERT INTO api_usage_daily (school_id, integrator_id, day, route, requests, records)
           VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
          rows.flatMap(([school, day, route, requests, records]) => [
            school,
            sandboxIntegratorId,
            day,
            route,
            requests,
            records,
          ]),
        );
        await ds.getRepository(GradebookChangeEntity).insert({
          schoolId: schoolA,
          occurredAt: new Date(),
          objectType: 'result',
          sourcedId: 'r-usage-1',
          action: 'created',
          clientId: demo.clients[0].clientId,
          integratorId: sandboxIntegratorId,
          userId: null,
          before: null,
          after: null,
        });
        const res = await call<IntegratorUsageView[]>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/usage?days=7`,
        );
        expect(res.status).toBe(200);
        const sandbox = res.body.find(
          (u) => u.integrator.id === sandboxIntegratorId,
        );
        const todays = {
          day: today,
          requests: 11,
          recordsRead: 657,
          recordsWritten: 1,
          categories: [
            { key: 'pupils', label: 'Pupils', requests: 4, records: 175 },
            {
              key: 'people',
              label: 'People of any role',
              requests: 2,
              records: 2,
            },
            {
              key: 'classes',
              label: 'Classes and courses',
              requests: 5,
              records: 480,
            },
          ],
        };
        expect(sandbox?.days).toEqual([todays]);
        expect(sandbox?.categories).toEqual(todays.categories);
        expect(sandbox?.totals).toEqual({
          requests: 11,
          recordsRead: 657,
          recordsWritten: 1,
        });
        expect(sandbox?.busiestDays).toEqual([todays]);
        expect(sandbox?.endpoints[0]).toEqual({
          route: '/ims/oneroster/v1p1/classes',
          requests: 5,
        });
        expect(
          (
            await call(
              adminA,
              'GET',
              `/portal/api/schools/${schoolA}/usage?days=0`,
            )
          ).status,
        ).toBe(400);

        // The CSV download: the same figures, one row per integrator, day and kind of data.
        const csvRes = await fetch(
          `${base}/portal/api/schools/${schoolA}/usage.csv?days=7`,
          {
            headers: {
              cookie: `portal_session=${encodeURIComponent(adminA.cookie)}`,
            },
          },
        );
        expect(csvRes.status).toBe(200);
        expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
        expect(csvRes.headers.get('content-disposition')).toMatch(
          /^attachment; filename="usage-[A-Za-z0-9._-]+-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/,
        );
        const csv = (await csvRes.text()).trim().split('\r\n');
        const name = sandbox?.integrator.name as string;
        expect(csv[0]).toBe(
          'day,integrator_id,integrator,data_category,data_category_label,requests,records_read,records_written',
        );
        const sandboxRows = csv.filter((l) =>
          l.includes(`,${sandboxIntegratorId},`),
        );
        expect(sandboxRows).toEqual([
          `${today},${sandboxIntegratorId},${name},pupils,Pupils,4,175,0`,
          `${today},${sandboxIntegratorId},${name},people,People of any role,2,2,0`,
          `${today},${sandboxIntegratorId},${name},classes,Classes and courses,5,480,0`,
          `${today},${sandboxIntegratorId},${name},results,Assignments and results,0,0,1`,
        ]);
        expect(csv.join('\n')).not.toContain('777');

        // School isolation: the other school's administrator sees none of these figures.
        for (const path of ['usage', 'usage.csv']) {
          const other = await call<PortalError>(
            adminB,
            'GET',
            `/portal/api/schools/${schoolA}/${path}?days=7`,
          );
          expect([path, other.status, other.body.error]).toEqual([
            path,
            404,
            'not_found',
          ]);
        }
        const own = await call<IntegratorUsageView[]>(
          adminB,
          'GET',
          `/portal/api/schools/${schoolB}/usage?days=7`,
        );
        const ownSandbox = own.body.find(
          (u) => u.integrator.id === sandboxIntegratorId,
        );
        expect(ownSandbox?.totals).toEqual({
          requests: 50,
          recordsRead: 777,
          recordsWritten: 0,
        });
      });

      it('a zip upload starts an import job; wrong types and oversized bodies are refused', async () => {
        const zip = join(
          mkdtempSync(join(tmpdir(), 'portal-import-')),
          'a.zip',
        );
        await exportCsv(ds, { schoolId: schoolA, out: zip });
        const started = await call<ImportJobView>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/imports?mode=validate`,
          await readFile(zip),
          { headers: { 'content-type': 'application/zip' } },
        );
        expect(started.status).toBe(202);
        expect(started.body).toMatchObject({
          schoolId: schoolA,
          mode: 'validate',
        });
        let job = started.body;
        // A write of another request while the import tries its writes lands on its own,
        // not inside the import's transaction (which a validation rolls back).
        for (let i = 0; i < 600 && !/^trying the writes/.test(job.phase); i++) {
          await new Promise((r) => setTimeout(r, 20));
          job = (
            await call<ImportJobView>(
              adminA,
              'GET',
              `/portal/api/schools/${schoolA}/imports/${job.id}`,
            )
          ).body;
        }
        expect(job.phase).toMatch(/^trying the writes/);
        const during = await newApplication();
        for (
          let i = 0;
          i < 600 && !['succeeded', 'failed'].includes(job.status);
          i++
        ) {
          await new Promise((r) => setTimeout(r, 100));
          job = (
            await call<ImportJobView>(
              adminA,
              'GET',
              `/portal/api/schools/${schoolA}/imports/${job.id}`,
            )
          ).body;
        }
        expect(job.status).toBe('succeeded');
        expect(job.report?.errors).toBe(0);
        const apps = await call<ApplicationView[]>(
          developer,
          'GET',
          `/portal/api/integrators/${sandboxIntegratorId}/applications`,
        );
        expect(apps.body.map((a) => a.id)).toContain(during.id);
        const list = await call<ImportJobView[]>(
          adminA,
          'GET',
          `/portal/api/schools/${schoolA}/imports`,
        );
        expect(list.body.map((j) => j.id)).toContain(job.id);
        expect(
          (
            await call(
              adminB,
              'GET',
              `/portal/api/schools/${schoolB}/imports/${job.id}`,
            )
          ).status,
        ).toBe(404);

        const wrongType = await call<PortalError>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/imports`,
          'not a zip',
          { headers: { 'content-type': 'text/plain' } },
        );
        expect(wrongType.status).toBe(415);
        const badMode = await call<PortalError>(
          adminA,
          'POST',
          `/portal/api/schools/${schoolA}/imports?mode=later`,
          Buffer.from('PK'),
          { headers: { 'content-type': 'application/zip' } },
        );
        expect(badMode.status).toBe(400);

        const tooLarge = await new Promise<{ status: number; body: string }>(
          (resolve, reject) => {
            const req = httpRequest(
              `${base}/portal/api/schools/${schoolA}/imports`,
              {
                method: 'POST',
                headers: {
                  cookie: `portal_session=${encodeURIComponent(adminA.cookie)}`,
                  'x-csrf-token': adminA.csrf,
                  'content-type': 'application/zip',
                  'content-length': String(600 * 1024 * 1024),
                },
              },
              (res) => {
                let body = '';
                res.on('data', (c: Buffer) => (body += c.toString()));
                res.on('end', () => {
                  resolve({ status: res.statusCode ?? 0, body });
                  req.destroy();
                });
              },
            );
            req.on('error', reject);
            req.flushHeaders();
          },
        );
        expect(tooLarge.status).toBe(413);
        expect(JSON.parse(tooLarge.body)).toMatchObject({
          error: 'payload_too_large',
        });
      }, 120_000);

      it('refuses a school one upload more than its queue holds (uploads still arriving count) with 429', async () => {
        const zip = join(
          mkdtempSync(join(tmpdir(), 'portal-import-cap-')),
          'a.zip',
        );
        await exportCsv(ds, { schoolId: schoolA, out: zip });
        const body = await readFile(zip);
        const path = `/portal/api/schools/${schoolA}/imports?mode=validate`;
        const upload = () =>
          call<ImportJobView | PortalError>(adminA, 'POST', path, body, {
            headers: { 'content-type': 'application/zip' },
          });
        // One upload still arriving: half its body sent, the rest held back.
        let finishArriving = (): void => undefined;
        const arriving = new Promise<{ status: number; body: string }>(
          (resolve, reject) => {
            const req = httpRequest(
              `${base}${path}`,
              {
                method: 'POST',
                headers: {
                  cookie: `portal_session=${encodeURIComponent(adminA.cookie)}`,
                  'x-csrf-token': adminA.csrf,
                  'content-type': 'application/zip',
                  'content-length': String(body.length),
                },
              },
              (res) => {
                let text = '';
                res.on('data', (c: Buffer) => (text += c.toString()));
                res.on('end', () =>
                  resolve({ status: res.statusCode ?? 0, body: text }),
                );
              },
            );
            req.on('error', reject);
            req.write(body.subarray(0, body.length >> 1));
            finishArriving = () => {
              req.end(body.subarray(body.length >> 1));
            };
          },
        );
        // Two more fill the school's three places (CSV_MAX_QUEUED_IMPORTS default); its
        // jobs run one at a time, so these stay queued or running meanwhile.
        const queued = [await upload(), await upload()];
        expect(queued.map((r) => r.status)).toEqual([202, 202]);
        const refused = await upload();
        expect(refused.status).toBe(429);
        expect(refused.body).toEqual({
          statusCode: 429,
          error: 'too_many_imports',
          message: expect.stringMatching(
            /already has 3 CSV import\(s\) queued or running/,
          ),
        });
        // Another school is not held up by school A's queue.
        const elsewhere = await call<PortalError>(
          adminB,
          'POST',
          `/portal/api/schools/${schoolB}/imports?mode=validate`,
          Buffer.from('not a zip, but a job'),
          { headers: { 'content-type': 'application/zip' } },
        );
        expect(elsewhere.status).toBe(202);
        // The upload that was arriving gets its place.
        finishArriving();
        const arrived = await arriving;
        expect(arrived.status).toBe(202);
        const ids = [
          ...queued.map((r) => (r.body as ImportJobView).id),
          (JSON.parse(arrived.body) as ImportJobView).id,
        ];
        const finished = async () =>
          (
            await call<ImportJobView[]>(
              adminA,
              'GET',
              `/portal/api/schools/${schoolA}/imports`,
            )
          ).body.filter((j) => ids.includes(j.id) && j.finishedAt !== null)
            .length;
        for (let i = 0; i < 1200 && (await finished()) < ids.length; i++)
          await new Promise((r) => setTimeout(r, 100));
        expect(await finished()).toBe(ids.length);
        // Places free again once the jobs have ended.
        const again = await upload();
        expect(again.status).toBe(202);
        const id = (again.body as ImportJobView).id;
        let job = again.body as ImportJobView;
        for (let i = 0; i < 1200 && job.finishedAt === null; i++) {
          await new Promise((r) => setTimeout(r, 100));
          job = (
            await call<ImportJobView>(
              adminA,
              'GET',
              `/portal/api/schools/${schoolA}/imports/${id}`,
            )
          ).body;
        }
        expect(job.status).toBe('succeeded');
      }, 300_000);
    });

    it('answers unknown portal routes and methods in the PortalError shape', async () => {
      for (const [method, path] of [
        ['GET', '/portal/api/nothing-here'],
        ['DELETE', '/portal/api/me'],
        ['GET', '/portal/elsewhere'],
      ]) {
        const res = await call<PortalError>(adminA, method, path);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({
          statusCode: 404,
          error: 'not_found',
          message: expect.any(String),
        });
      }
      const health = await fetch(`${base}/nothing-here`);
      expect(((await health.json()) as { error: string }).error).toBe(
        'Not Found',
      );
    });

    it('never answers a stack trace', async () => {
      writeFileSync(join(tmpdir(), 'portal-noop'), '');
      const res = await call<PortalError>(
        adminA,
        'GET',
        `/portal/api/receipts/${'x'.repeat(300)}`,
      );
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    });
  },
);
