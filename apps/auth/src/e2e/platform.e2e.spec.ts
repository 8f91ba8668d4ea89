import type { DataSource } from 'typeorm';
import {
  INTEGRATOR_API_SCOPES,
  ONEROSTER_SCOPES,
  type ApplicationView,
  type CreatedAccount,
  type CreatedWebhook,
  type IntegratorSummary,
  type IssuedCredential,
  type IssuedIntegratorCredential,
  type PlatformApprovalView,
  type PlatformError,
  type PlatformEvent,
  type PlatformPage,
  type WebhookDeliveryView,
  type WebhookView,
} from '@oneroster/contracts';
import { verifyWebhook } from '@oneroster/data-access-platform';
import { setFirstPassword } from '@oneroster/data-access-portal';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import {
  AccountEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
} from '@oneroster/entities';
import {
  emailWithRole,
  portalClient,
  sessionFor,
  type PortalSession,
} from './portal-support';
import {
  eventually,
  jwtPayload,
  WebhookReceiver,
  type ReceivedHook,
} from './platform-support';
import {
  requestToken,
  seededDatabase,
  startTestAuth,
  TEST_AUDIENCE,
  TEST_SECRET,
  type TestAuth,
} from './support';

const { approvalsRead, credentialsManage, webhooksManage } =
  INTEGRATOR_API_SCOPES;
const { rosterCore, roster } = ONEROSTER_SCOPES;

/** Fast retries for the tests: 300 ms, then 600 ms, 1.2 s, ... */
const WEBHOOK_ENV = {
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_RETRY_MAX_MS: '2000',
  WEBHOOK_MAX_ATTEMPTS: '20',
  WEBHOOK_TIMEOUT_MS: '10000',
};

interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

describe.each(
  testEngines('auth_platform', { sqliteFile: true }).map((e, i) => ({
    ...e,
    receiverPort: 19400 + i,
  })),
)('platform API on $name', (engine) => {
  let auth: TestAuth;
  let demo: DemoCredentials;
  let database: Parameters<typeof startTestAuth>[0];
  let ds: DataSource;
  let base: string;
  let call: ReturnType<typeof portalClient>;
  let developer: PortalSession;
  let adminA: PortalSession;
  let adminB: PortalSession;
  let otherDeveloper: PortalSession;
  let schoolA: string;
  let schoolB: string;
  let integratorId: string;
  let otherIntegratorId: string;
  const receiver = new WebhookReceiver(engine.receiverPort);

  beforeAll(async () => {
    const seeded = await seededDatabase(engine);
    demo = seeded.demo;
    database = seeded.database;
    auth = await startTestAuth(database, WEBHOOK_ENV);
    ds = await openDatabase(database);
    base = auth.issuer.replace(/\/oidc$/, '');
    call = portalClient(base);
    [schoolA, schoolB] = demo.clients.map((c) => c.schoolId);
    developer = await sessionFor(ds, demo.developerEmail);
    adminA = await sessionFor(
      ds,
      await emailWithRole(ds, schoolA, 'school_admin'),
    );
    adminB = await sessionFor(
      ds,
      await emailWithRole(ds, schoolB, 'school_admin'),
    );
    integratorId = (
      await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ email: demo.developerEmail })
    ).integratorId as string;
    const operator = await sessionFor(ds, demo.operatorEmail);
    const other = await call<IntegratorSummary>(
      operator,
      'POST',
      '/portal/api/integrators',
      {
        name: 'Other Learning',
        website: 'https://other.example.com',
      },
    );
    otherIntegratorId = other.body.id;
    const account = await call<CreatedAccount>(
      operator,
      'POST',
      '/portal/api/accounts',
      {
        email: `dev-${Date.now()}@other.example.com`,
        displayName: 'Other developer',
        platformRole: 'integrator_developer',
        integratorId: otherIntegratorId,
      },
    );
    await setFirstPassword(ds, account.body.id, 'a password of its own', null);
    otherDeveloper = await sessionFor(ds, account.body.email);
    await receiver.start();
  }, 120_000);

  afterAll(async () => {
    await receiver.stop();
    await ds?.destroy();
    await auth?.close();
  });

  /** A platform credential of the developer's integrator, created through the portal. */
  const platformCredential = async (
    session = developer,
    owner = () => integratorId,
    scopes?: string[],
  ) => {
    const res = await call<IssuedIntegratorCredential>(
      session,
      'POST',
      `/portal/api/integrators/${owner()}/platform-credentials`,
      scopes ? { scopes } : {},
    );
    expect(res.status).toBe(201);
    return res.body;
  };

  const tokenOf = async (
    cred: { clientId: string; clientSecret: string; resource: string },
    scope?: string,
  ) => {
    const res = await requestToken(
      auth.tokenUrl,
      cred.clientId,
      cred.clientSecret,
      {
        resource: cred.resource,
        scope,
      },
    );
    expect(res.status).toBe(200);
    return res.body['access_token'] as string;
  };

  let shared: IssuedIntegratorCredential | null = null;
  /** A token with every platform scope, of one credential the tests share. */
  const fullToken = async () =>
    tokenOf((shared ??= await platformCredential()));

  const api = async <T = unknown>(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Reply<T>> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}/platform/v1${path}`, {
      method,
      headers,
      body:
        body === undefined
          ? undefined
          : typeof body === 'string'
            ? body
            : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  };

  /** A new application of the developer's integrator, requested at schools A and B. */
  const newApplication = async () => {
    const created = await call<ApplicationView>(
      developer,
      'POST',
      `/portal/api/integrators/${integratorId}/applications`,
      {
        name: `Platform app ${Math.random().toString(36).slice(2, 8)}`,
        requestedScopes: [rosterCore, roster],
        redirectUris: ['https://platform.example.com/callback'],
      },
    );
    expect(created.status).toBe(201);
    for (const school of [schoolA, schoolB])
      expect(
        (
          await call(
            developer,
            'POST',
            `/portal/api/applications/${created.body.id}/schools/${school}/request`,
          )
        ).status,
      ).toBe(200);
    return created.body;
  };

  const approve = async (
    session: PortalSession,
    school: string,
    appId: string,
    scopes: string[] = [rosterCore],
  ) =>
    expect(
      (
        await call(
          session,
          'POST',
          `/portal/api/schools/${school}/applications/${appId}/approve`,
          { scopes },
        )
      ).status,
    ).toBe(200);

  describe('platform tokens', () => {
    it('are issued only for the platform API, with platform scopes and no school', async () => {
      const cred = await platformCredential(developer, () => integratorId, [
        approvalsRead,
        webhooksManage,
      ]);
      expect(cred.clientId).toMatch(/^pl-/);
      expect(cred.resource).toBe(`${base}/platform/v1`);
      const all = await requestToken(
        auth.tokenUrl,
        cred.clientId,
        cred.clientSecret,
      );
      expect(all.status).toBe(200);
      const claims = jwtPayload(all.body['access_token'] as string);
      expect(claims['aud']).toBe(cred.resource);
      expect(claims['scope']).toBe(`${approvalsRead} ${webhooksManage}`);
      expect(claims['integrator_id']).toBe(integratorId);
      expect(claims).not.toHaveProperty('school_ids');
      const narrow = await requestToken(
        auth.tokenUrl,
        cred.clientId,
        cred.clientSecret,
        {
          resource: cred.resource,
          scope: approvalsRead,
        },
      );
      expect(jwtPayload(narrow.body['access_token'] as string)['scope']).toBe(
        approvalsRead,
      );
      // Never the OneRoster API, never OneRoster scopes, never a scope it does not hold.
      const oneRoster = await requestToken(
        auth.tokenUrl,
        cred.clientId,
        cred.clientSecret,
        {
          resource: TEST_AUDIENCE,
        },
      );
      expect(oneRoster.status).toBe(400);
      expect(oneRoster.body['error']).toBe('invalid_target');
      for (const scope of [rosterCore, credentialsManage]) {
        const res = await requestToken(
          auth.tokenUrl,
          cred.clientId,
          cred.clientSecret,
          {
            resource: cred.resource,
            scope,
          },
        );
        expect(res.status).toBe(400);
        expect(res.body['error']).toBe('invalid_scope');
      }
    });

    it('are never issued to a school client, whose OneRoster token the platform API refuses', async () => {
      const school = demo.clients[0].clientId;
      const refused = await requestToken(auth.tokenUrl, school, TEST_SECRET, {
        resource: `${base}/platform/v1`,
      });
      expect(refused.status).toBe(400);
      expect(refused.body['error']).toBe('invalid_target');
      const oneRoster = await requestToken(auth.tokenUrl, school, TEST_SECRET);
      expect(oneRoster.status).toBe(200);
      const res = await api<PlatformError>(
        oneRoster.body['access_token'] as string,
        'GET',
        '/approvals',
      );
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'invalid_token',
        message: expect.any(String),
      });
      expect(res.headers.get('www-authenticate')).toMatch(
        /^Bearer error="invalid_token"/,
      );
    });

    it('answer 401 without or with a bad token, 403 without the scope, 404 for unknown routes', async () => {
      const none = await api<PlatformError>(null, 'GET', '/approvals');
      expect(none.status).toBe(401);
      expect(none.body.error).toBe('invalid_token');
      expect(
        (await api(`${'x'.repeat(20)}.y.z`, 'GET', '/approvals')).status,
      ).toBe(401);
      const cred = await platformCredential(developer, () => integratorId, [
        approvalsRead,
      ]);
      const token = await tokenOf(cred);
      const forbidden = await api<PlatformError>(token, 'GET', '/webhooks');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toEqual({
        statusCode: 403,
        error: 'insufficient_scope',
        message: `the token lacks the scope ${webhooksManage}`,
      });
      expect(forbidden.headers.get('www-authenticate')).toMatch(
        /insufficient_scope/,
      );
      const unknown = await api<PlatformError>(token, 'GET', '/nothing-here');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('not_found');
      const badJson = await api<PlatformError>(
        token,
        'POST',
        '/webhooks',
        '{"url":',
      );
      expect(badJson.status).toBe(400);
      expect(badJson.body.error).toBe('invalid_request');
    });

    it('rotate with overlap through the portal, and stop at once when revoked', async () => {
      const cred = await platformCredential();
      const rotated = await call<IssuedIntegratorCredential>(
        developer,
        'POST',
        `/portal/api/platform-credentials/${cred.clientId}/rotate`,
      );
      expect(rotated.status).toBe(200);
      expect(rotated.body.clientSecret).not.toBe(cred.clientSecret);
      expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
      // Both secrets work during the overlap.
      const token = await tokenOf(cred);
      await tokenOf({ ...cred, clientSecret: rotated.body.clientSecret });
      expect((await api(token, 'GET', '/approvals')).status).toBe(200);
      // Another integrator's developer cannot touch it.
      expect(
        (
          await call(
            otherDeveloper,
            'POST',
            `/portal/api/platform-credentials/${cred.clientId}/revoke`,
          )
        ).status,
      ).toBe(404);
      const revoked = await call(
        developer,
        'POST',
        `/portal/api/platform-credentials/${cred.clientId}/revoke`,
      );
      expect(revoked.status).toBe(200);
      const after = await api<PlatformError>(token, 'GET', '/approvals');
      expect(after.status).toBe(401);
      expect(after.body.message).toMatch(/revoked/);
      const again = await requestToken(
        auth.tokenUrl,
        cred.clientId,
        rotated.body.clientSecret,
        {
          resource: cred.resource,
        },
      );
      expect(again.status).toBe(401);
      expect(again.body['error']).toBe('invalid_client');
      const listed = await call<
        { clientId: string; revokedAt: string | null }[]
      >(
        developer,
        'GET',
        `/portal/api/integrators/${integratorId}/platform-credentials`,
      );
      expect(
        listed.body.find((c) => c.clientId === cred.clientId)?.revokedAt,
      ).not.toBeNull();
      expect(JSON.stringify(listed.body)).not.toContain(cred.clientSecret);
    });
  });

  it('has a Swagger document of its own, listing only the platform routes', async () => {
    const res = await fetch(`${base}/platform/v1/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const paths = Object.keys(doc.paths).sort();
    expect(paths).toEqual([
      '/platform/v1/applications/{appId}/schools/{schoolId}/credentials',
      '/platform/v1/applications/{appId}/schools/{schoolId}/credentials/rotate',
      '/platform/v1/approvals',
      '/platform/v1/imports',
      '/platform/v1/imports/{jobId}',
      '/platform/v1/imports/{jobId}/report',
      '/platform/v1/webhooks',
      '/platform/v1/webhooks/{id}',
      '/platform/v1/webhooks/{id}/deliveries',
      '/platform/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
    ]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual([
      'platform-token',
    ]);
  });

  describe('GET /platform/v1/approvals', () => {
    it("lists only the integrator's own applications, filtered by status and updatedSince, paged", async () => {
      const app = await newApplication();
      await approve(adminA, schoolA, app.id, [rosterCore, roster]);
      expect(
        (
          await call(
            adminB,
            'POST',
            `/portal/api/schools/${schoolB}/applications/${app.id}/decline`,
            {},
          )
        ).status,
      ).toBe(200);
      const token = await fullToken();
      const mine = async (query: string) => {
        const res = await api<PlatformPage<PlatformApprovalView>>(
          token,
          'GET',
          `/approvals${query}`,
        );
        expect(res.status).toBe(200);
        return res.body;
      };
      const page = await mine('?limit=1000');
      const ofApp = page.data.filter((a) => a.applicationId === app.id);
      expect(ofApp.map((a) => [a.schoolId, a.status]).sort()).toEqual(
        [
          [schoolA, 'approved'],
          [schoolB, 'declined'],
        ].sort(),
      );
      const a = ofApp.find(
        (x) => x.schoolId === schoolA,
      ) as PlatformApprovalView;
      expect(a.scopes).toEqual([rosterCore, roster]);
      expect(a.receiptId).toEqual(expect.any(String));
      expect(a.decidedAt).toEqual(expect.any(String));
      expect(a.applicationName).toBe(app.name);
      const approvedOnly = await mine('?status=approved&limit=1000');
      expect(approvedOnly.data.every((x) => x.status === 'approved')).toBe(
        true,
      );
      expect(
        approvedOnly.data.some(
          (x) => x.applicationId === app.id && x.schoolId === schoolA,
        ),
      ).toBe(true);
      // Delta polling: only what changed at or after the mark.
      const mark = page.data.reduce(
        (m, x) => (x.updatedAt > m ? x.updatedAt : m),
        '',
      );
      await new Promise((r) => setTimeout(r, 5));
      expect(
        (
          await call(
            adminA,
            'POST',
            `/portal/api/schools/${schoolA}/applications/${app.id}/revoke`,
          )
        ).status,
      ).toBe(200);
      const delta = await mine(
        `?updatedSince=${encodeURIComponent(new Date(Date.parse(mark) + 1).toISOString())}`,
      );
      expect(
        delta.data.map((x) => [x.applicationId, x.schoolId, x.status]),
      ).toEqual([[app.id, schoolA, 'revoked']]);
      // Paging is stable and complete.
      const one = await mine('?limit=1&offset=0');
      const two = await mine('?limit=1&offset=1');
      expect(one.total).toBe(page.total);
      expect(one.data[0]).toEqual(page.data[0]);
      expect(two.data[0]).toEqual(page.data[1]);
      // Another integrator sees none of it.
      const other = await tokenOf(
        await platformCredential(otherDeveloper, () => otherIntegratorId),
      );
      const theirs = await api<PlatformPage<PlatformApprovalView>>(
        other,
        'GET',
        '/approvals',
      );
      expect(theirs.body.total).toBe(0);
      for (const bad of [
        '?status=maybe',
        '?updatedSince=yesterday',
        '?limit=0',
        '?offset=-1',
      ]) {
        const res = await api<PlatformError>(token, 'GET', `/approvals${bad}`);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
        expect(Object.keys(res.body.fields ?? {})).toHaveLength(1);
      }
    });
    it('pages by cursor: every decision once, in order, with updatedSince, and a changed one again at the end', async () => {
      const token = await fullToken();
      const get = async (query: string) => {
        const res = await api<PlatformPage<PlatformApprovalView>>(
          token,
          'GET',
          `/approvals${query}`,
        );
        expect(res.status).toBe(200);
        return res.body;
      };
      const key = (x: PlatformApprovalView) =>
        `${x.applicationId}/${x.schoolId}`;
      const walk = async (filter: string) => {
        const seen: PlatformApprovalView[] = [];
        const totals = new Set<number>();
        let page = await get(`?limit=2${filter}`);
        for (;;) {
          seen.push(...page.data);
          totals.add(page.total);
          expect(page.data.length).toBeLessThanOrEqual(2);
          if (!page.next) break;
          expect(page.data).toHaveLength(2);
          page = await get(
            `?limit=2${filter}&cursor=${encodeURIComponent(page.next)}`,
          );
        }
        return { seen, totals: [...totals] };
      };
      await new Promise((r) => setTimeout(r, 5));
      const mark = new Date().toISOString();
      // Three new applications: each pending at school B, approved at school A.
      for (let i = 0; i < 3; i++) {
        const app = await newApplication();
        await approve(adminA, schoolA, app.id);
      }
      const all = await get('?limit=1000');
      expect(all.next).toBeNull();
      const whole = await walk('');
      expect(whole.seen.map(key)).toEqual(all.data.map(key));
      expect(whole.totals).toEqual([all.total]);
      // With updatedSince: the same walk over the filtered rows only.
      const since = `&updatedSince=${encodeURIComponent(mark)}`;
      const recent = await get(`?limit=1000${since}`);
      expect(recent.total).toBe(6);
      const filtered = await walk(since);
      expect(filtered.seen.map(key)).toEqual(recent.data.map(key));
      expect(filtered.totals).toEqual([6]);
      // A decision changed while paging moves to the end: seen again there, none skipped.
      const head = await get(`?limit=2${since}`);
      const moved = head.data.find(
        (x) => x.schoolId === schoolA,
      ) as PlatformApprovalView;
      expect(moved).toBeDefined();
      await new Promise((r) => setTimeout(r, 5));
      await approve(adminA, schoolA, moved.applicationId, [rosterCore, roster]);
      const after = await get(
        `?limit=1000${since}&cursor=${encodeURIComponent(head.next as string)}`,
      );
      expect(after.data.map(key)).toEqual([
        ...recent.data.slice(2).map(key),
        key(moved),
      ]);
      expect(after.data[after.data.length - 1]?.scopes).toEqual([
        rosterCore,
        roster,
      ]);
      expect(after.next).toBeNull();
      // Bad cursors, and a cursor with offset, are 400 on `cursor`.
      for (const bad of [
        '?cursor=nonsense',
        `?cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`,
        `?cursor=${encodeURIComponent(head.next as string)}&offset=2`,
      ]) {
        const res = await api<PlatformError>(token, 'GET', `/approvals${bad}`);
        expect([bad, res.status, Object.keys(res.body.fields ?? {})]).toEqual([
          bad,
          400,
          ['cursor'],
        ]);
      }
    });
  });

  describe('credentials per approving school', () => {
    it('issues, rotates and revokes only for schools that approved, and only for own applications', async () => {
      const app = await newApplication();
      await approve(adminA, schoolA, app.id);
      const token = await fullToken();
      const path = (school: string, appId = app.id) =>
        `/applications/${appId}/schools/${school}/credentials`;
      const issued = await api<IssuedCredential>(token, 'POST', path(schoolA));
      expect(issued.status).toBe(201);
      expect(issued.body.schoolId).toBe(schoolA);
      const schoolToken = await requestToken(
        auth.tokenUrl,
        issued.body.clientId,
        issued.body.clientSecret,
      );
      expect(schoolToken.status).toBe(200);
      expect(
        jwtPayload(schoolToken.body['access_token'] as string)['school_ids'],
      ).toEqual([schoolA]);
      expect(
        (await api<PlatformError>(token, 'POST', path(schoolA))).body.error,
      ).toBe('conflict');
      // School B has only a pending request; an unknown school is not found.
      const pending = await api<PlatformError>(token, 'POST', path(schoolB));
      expect(pending.status).toBe(409);
      expect(
        (await api<PlatformError>(token, 'POST', path('no-such-school')))
          .status,
      ).toBe(404);
      const rotated = await api<IssuedCredential>(
        token,
        'POST',
        `${path(schoolA)}/rotate`,
      );
      expect(rotated.status).toBe(200);
      expect(rotated.body.clientId).toBe(issued.body.clientId);
      expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
      for (const secret of [
        issued.body.clientSecret,
        rotated.body.clientSecret,
      ])
        expect(
          (await requestToken(auth.tokenUrl, issued.body.clientId, secret))
            .status,
        ).toBe(200);
      // Another integrator: not found, whatever it tries.
      const other = await tokenOf(
        await platformCredential(otherDeveloper, () => otherIntegratorId),
      );
      for (const [method, p] of [
        ['POST', path(schoolA)],
        ['POST', `${path(schoolA)}/rotate`],
        ['DELETE', path(schoolA)],
      ]) {
        const res = await api<PlatformError>(other, method, p);
        expect(res.status).toBe(404);
        expect(res.body.error).toBe('not_found');
      }
      // Without credentials.manage: 403.
      const readOnly = await tokenOf(
        await platformCredential(developer, () => integratorId, [
          approvalsRead,
        ]),
      );
      expect(
        (await api(readOnly, 'POST', `${path(schoolA)}/rotate`)).status,
      ).toBe(403);
      const revoked = await api<{ revokedAt: string | null }>(
        token,
        'DELETE',
        path(schoolA),
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect(
        (
          await requestToken(
            auth.tokenUrl,
            issued.body.clientId,
            rotated.body.clientSecret,
          )
        ).status,
      ).toBe(401);
      expect((await api(token, 'DELETE', path(schoolA))).status).toBe(404);
    });
  });

  describe('webhooks', () => {
    it('registers https endpoints (http only on loopback), shows the secret once, isolated per integrator', async () => {
      const token = await fullToken();
      const bad = await api<PlatformError>(token, 'POST', '/webhooks', {
        url: 'http://hooks.example.com/x',
        events: ['approval.granted', 'nope'],
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.fields ?? {}).sort()).toEqual([
        'events',
        'url',
      ]);
      const created = await api<CreatedWebhook>(token, 'POST', '/webhooks', {
        url: 'https://hooks.example.com/x',
        events: ['approval.granted'],
      });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const listed = await api<WebhookView[]>(token, 'GET', '/webhooks');
      expect(listed.body.map((w) => w.id)).toContain(created.body.id);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
      const other = await tokenOf(
        await platformCredential(otherDeveloper, () => otherIntegratorId),
      );
      expect(
        (await api<WebhookView[]>(other, 'GET', '/webhooks')).body,
      ).toEqual([]);
      for (const [method, p] of [
        ['DELETE', `/webhooks/${created.body.id}`],
        ['GET', `/webhooks/${created.body.id}/deliveries`],
      ])
        expect((await api(other, method, p)).status).toBe(404);
      expect(
        (await api(token, 'DELETE', `/webhooks/${created.body.id}`)).status,
      ).toBe(204);
      expect(
        (await api(token, 'GET', `/webhooks/${created.body.id}/deliveries`))
          .status,
      ).toBe(404);
    });

    it('delivers signed events, retrying with exponential backoff, logs every attempt and replays', async () => {
      const token = await fullToken();
      const hook = await api<CreatedWebhook>(token, 'POST', '/webhooks', {
        url: receiver.url('/retry'),
      });
      expect(hook.status).toBe(201);
      receiver.answer = (_id, attempt, path) =>
        path === '/retry' && attempt <= 2 ? 500 : 200;
      const app = await newApplication();
      await approve(adminA, schoolA, app.id);
      const hooks = await eventually(
        () => {
          const got = receiver.received.filter((r) => r.path === '/retry');
          return got.some((r) => r.answered === 200) ? got : undefined;
        },
        20_000,
        'the third attempt',
      );
      expect(hooks.map((h) => h.answered)).toEqual([500, 500, 200]);
      expect(new Set(hooks.map((h) => h.eventId)).size).toBe(1);
      for (const h of hooks)
        expect(
          verifyWebhook(
            hook.body.secret,
            { timestamp: h.timestamp, signature: h.signature },
            h.body,
          ),
        ).toBe(true);
      expect(
        verifyWebhook(
          'whsec_wrong',
          { timestamp: hooks[0].timestamp, signature: hooks[0].signature },
          hooks[0].body,
        ),
      ).toBe(false);
      const event = JSON.parse(hooks[0].body) as PlatformEvent;
      expect(event).toMatchObject({
        id: hooks[0].eventId,
        type: 'approval.granted',
        integratorId,
        data: {
          applicationId: app.id,
          schoolId: schoolA,
          status: 'approved',
          scopes: [rosterCore],
        },
      });
      expect(hooks[0].eventType).toBe('approval.granted');
      // Backoff: 300 ms after the first failure, 600 ms after the second.
      expect(hooks[1].at - hooks[0].at).toBeGreaterThanOrEqual(280);
      expect(hooks[2].at - hooks[1].at).toBeGreaterThanOrEqual(580);
      const log = await eventually(
        async () => {
          const res = await api<PlatformPage<WebhookDeliveryView>>(
            token,
            'GET',
            `/webhooks/${hook.body.id}/deliveries`,
          );
          return res.body.data[0]?.status === 'succeeded'
            ? res.body
            : undefined;
        },
        5000,
        'the log',
      );
      expect(log.total).toBe(1);
      const [delivery] = log.data;
      expect(delivery).toMatchObject({
        eventId: event.id,
        eventType: 'approval.granted',
        attempts: 3,
        responseCode: 200,
        nextAttemptAt: null,
      });
      expect(delivery.log.map((l) => [l.attempt, l.responseCode])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      const replay = await api<WebhookDeliveryView>(
        token,
        'POST',
        `/webhooks/${hook.body.id}/deliveries/${delivery.id}/replay`,
      );
      expect(replay.status).toBe(202);
      await eventually(
        () => receiver.of(event.id, '/retry').length === 4,
        10_000,
        'the replay',
      );
      const again = receiver.of(event.id, '/retry')[3];
      expect(again.body).toBe(hooks[0].body);
      expect(
        verifyWebhook(
          hook.body.secret,
          { timestamp: again.timestamp, signature: again.signature },
          again.body,
        ),
      ).toBe(true);
      await api(token, 'DELETE', `/webhooks/${hook.body.id}`);
    });

    it('loses and repeats no event across a restart of the auth server with deliveries pending; each fails twice, then is accepted, signed', async () => {
      const token = await fullToken();
      const hook = await api<CreatedWebhook>(token, 'POST', '/webhooks', {
        url: receiver.url('/restart'),
      });
      const other = await tokenOf(
        await platformCredential(otherDeveloper, () => otherIntegratorId),
      );
      const otherHook = await api<CreatedWebhook>(other, 'POST', '/webhooks', {
        url: receiver.url('/other'),
      });
      expect(otherHook.status).toBe(201);
      // Before the restart every attempt fails; after it, each event's first attempt fails
      // once more and the next is accepted: at least two failures each, one on each side.
      let restarted = false;
      const sinceRestart = new Map<string, number>();
      receiver.answer = (id, _attempt, path) => {
        if (path !== '/restart') return 200;
        if (!restarted) return 503;
        const n = (sinceRestart.get(id) ?? 0) + 1;
        sinceRestart.set(id, n);
        return n === 1 ? 503 : 200;
      };
      // Approvals, a change of scopes, a revocation and credentials: one event each.
      const app = await newApplication();
      await approve(adminA, schoolA, app.id);
      await approve(adminA, schoolA, app.id, [rosterCore, roster]);
      const issued = await api<IssuedCredential>(
        token,
        'POST',
        `/applications/${app.id}/schools/${schoolA}/credentials`,
      );
      expect(issued.status).toBe(201);
      await api(
        token,
        'POST',
        `/applications/${app.id}/schools/${schoolA}/credentials/rotate`,
      );
      await api(
        token,
        'DELETE',
        `/applications/${app.id}/schools/${schoolA}/credentials`,
      );
      expect(
        (
          await call(
            adminA,
            'POST',
            `/portal/api/schools/${schoolA}/applications/${app.id}/revoke`,
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await call(
            adminB,
            'POST',
            `/portal/api/schools/${schoolB}/applications/${app.id}/decline`,
            {},
          )
        ).status,
      ).toBe(200);
      const expected = [
        'approval.granted',
        'approval.changed',
        'credential.issued',
        'credential.rotated',
        'credential.revoked',
        'approval.revoked',
        'approval.declined',
      ];
      const deliveries = () =>
        ds
          .getRepository(WebhookDeliveryEntity)
          .findBy({ endpointId: hook.body.id });
      expect((await deliveries()).length).toBe(expected.length);
      // Every delivery has failed at least once before the server stops.
      await eventually(
        async () =>
          (await deliveries()).every(
            (d) => d.attempts >= 1 && d.status === 'pending',
          ),
        20_000,
        'first failures',
      );
      await auth.close();
      const before = receiver.received.length;
      const stoppedAt = Date.now();
      restarted = true;
      auth = await startTestAuth(database, WEBHOOK_ENV);
      await eventually(
        async () => (await deliveries()).every((d) => d.status === 'succeeded'),
        30_000,
        'all delivered',
      );
      expect(receiver.received.length).toBeGreaterThan(before);
      const got = receiver.received.filter((r) => r.path === '/restart');
      const acknowledged = got.filter((r) => r.answered === 200);
      const byId = new Map<string, ReceivedHook[]>();
      for (const r of acknowledged)
        byId.set(r.eventId, [...(byId.get(r.eventId) ?? []), r]);
      // No event lost, none acknowledged twice.
      expect([...byId.values()].map((list) => list.length)).toEqual(
        expected.map(() => 1),
      );
      expect(acknowledged.map((r) => r.eventType).sort()).toEqual(
        [...expected].sort(),
      );
      const ids = new Set((await deliveries()).map((d) => d.eventId));
      expect(new Set(byId.keys())).toEqual(ids);
      // Per event: failures on both sides of the restart, then one success, nothing after
      // it; the same frozen body and a valid signature on every try; every try counted and
      // logged by the server (the attempt count went on across the restart).
      const rows = await deliveries();
      for (const d of rows) {
        const tries = receiver.of(d.eventId, '/restart');
        const answers = tries.map((t) => t.answered);
        expect(answers[answers.length - 1]).toBe(200);
        expect(answers.slice(0, -1).every((a) => a === 503)).toBe(true);
        expect(
          tries.filter((t) => t.at < stoppedAt).length,
        ).toBeGreaterThanOrEqual(1);
        expect(
          tries.filter((t) => t.at >= stoppedAt).map((t) => t.answered),
        ).toEqual([503, 200]);
        expect(new Set(tries.map((t) => t.body)).size).toBe(1);
        for (const t of tries)
          expect(
            verifyWebhook(
              hook.body.secret,
              { timestamp: t.timestamp, signature: t.signature },
              t.body,
            ),
          ).toBe(true);
        expect(d.attempts).toBe(tries.length);
        const logged = await ds
          .getRepository(WebhookAttemptEntity)
          .findBy({ deliveryId: d.id });
        expect(logged.map((a) => a.attempt).sort((x, y) => x - y)).toEqual(
          tries.map((_t, i) => i + 1),
        );
        expect(
          logged
            .sort((x, y) => x.attempt - y.attempt)
            .map((a) => a.responseCode),
        ).toEqual(answers);
      }
      // The other integrator heard of none of it.
      expect(receiver.received.filter((r) => r.path === '/other')).toEqual([]);
    }, 90_000);
  });
});
