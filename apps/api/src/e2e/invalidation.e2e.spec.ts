import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  PORTAL_CSRF_HEADER,
  PORTAL_SESSION_COOKIE,
} from '@oneroster/contracts';
import { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
// The portal's own session service opens a school administrator's and a developer's
// sessions, as its sign-in callback does (these tests span the auth server and the API).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PortalSessions } from '@oneroster/data-access-portal';
import { DemoCredentials, planTrust } from '@oneroster/demo-data';
import { AccountEntity, OAuthClientEntity } from '@oneroster/entities';
import { AuthAndApi, startAuthAndApi } from './auth-and-api';
import {
  clientToken,
  newSigningJwk,
  requestClientToken,
  sandboxClientOf,
  seedDemoDatabase,
} from './support';

/*
 * Cache invalidation between the auth server's portal and the API, two processes' worth of
 * Nest apps sharing one database. With Redis (TEST_REDIS_URL; a channel of its own per run)
 * the API keeps approval answers and the auth server keeps clients for a minute, so a change
 * made through the portal can reach a token already issued within the test only through the
 * invalidation bus. Without Redis (the embedded default) the API learns of it when its
 * 2-second cache expires, and the auth server at once.
 */
const REDIS = process.env['TEST_REDIS_URL'];
const withRedis = REDIS ? describe : describe.skip;

const SECRET = 'invalidation-secret';
const BASE = '/ims/oneroster/v1p1';
const A_MINUTE = 60_000;

describe.each(testEngines('api_invalidation', { sqliteFile: true }))(
  'cache invalidation between the portal and the API, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let demo: DemoCredentials;
    let ds: DataSource;
    let signingKey: string;
    const plan = planTrust({ size: 'demo' });
    const [schoolA, schoolB] = plan.schools;

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(engine, SECRET));
      signingKey = JSON.stringify(await newSigningJwk('invalidation-key'));
    }, 120_000);

    afterAll(async () => {
      await ds?.destroy();
    });

    const clientOf = (schoolId: string) => sandboxClientOf(demo, schoolId);

    async function applicationOf(clientId: string): Promise<string> {
      return (
        await ds.getRepository(OAuthClientEntity).findOneByOrFail({ clientId })
      ).applicationId;
    }

    /** A portal session as the browser holds it, for the account with that email. */
    async function sessionOf(email: string) {
      const account = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ email });
      const { cookie, csrfToken } = await new PortalSessions(ds).create(
        account.id,
        null,
      );
      return { cookie, csrf: csrfToken };
    }

    async function schoolAdminOf(schoolId: string) {
      const rows: { email: string }[] = await ds.query(
        `SELECT a.email AS email FROM accounts a
         JOIN account_school_roles r ON r.account_id = a.id
         WHERE r.school_id = ? AND r.role = 'school_admin' ORDER BY a.email`,
        [schoolId],
      );
      if (!rows[0]) throw new Error(`no school administrator at ${schoolId}`);
      return sessionOf(rows[0].email);
    }

    function harness(stack: () => AuthAndApi) {
      const tokenRequest = (clientId: string) =>
        requestClientToken(`${stack().authUrl}/oidc/token`, clientId, SECRET);
      const tokenFor = (clientId: string) =>
        clientToken(`${stack().authUrl}/oidc/token`, clientId, SECRET);
      const get = async (path: string, token: string) =>
        (
          await fetch(`${stack().apiUrl}${BASE}${path}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status;
      async function portal(
        session: { cookie: string; csrf: string },
        path: string,
        body?: unknown,
      ) {
        const res = await fetch(`${stack().authUrl}/portal/api${path}`, {
          method: 'POST',
          headers: {
            cookie: `${PORTAL_SESSION_COOKIE}=${encodeURIComponent(session.cookie)}`,
            [PORTAL_CSRF_HEADER]: session.csrf,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body ?? {}),
        });
        expect(res.status).toBe(200);
        return (await res.json()) as Record<string, unknown>;
      }
      /**
       * Asks until the API answers `status`. With the one-minute cache, only the bus can
       * bring that answer within the test's timeout; the message reaches the API a few
       * milliseconds after the portal has answered, so the first ask or the next one sees it.
       */
      async function untilApiAnswers(
        status: number,
        path: string,
        token: string,
      ) {
        let seen = await get(path, token);
        while (seen !== status) {
          await new Promise((r) => setTimeout(r, 20));
          seen = await get(path, token);
        }
        return seen;
      }
      return { tokenRequest, tokenFor, get, portal, untilApiAnswers };
    }

    describe('embedded default (no REDIS_URL)', () => {
      let stack: AuthAndApi;
      const h = harness(() => stack);

      beforeAll(async () => {
        stack = await startAuthAndApi(
          database,
          { AUTH_SIGNING_KEY: signingKey, AUTH_CLIENT_CACHE_MS: '60000' },
          (s) => s,
          { portal: true },
        );
      }, 120_000);

      afterAll(async () => {
        await stack?.close();
      });

      it('applies a revocation at the auth server at once and at the API when its cache expires', async () => {
        const clientId = clientOf(schoolB.schoolId);
        const appId = await applicationOf(clientId);
        const admin = await schoolAdminOf(schoolB.schoolId);
        const token = await h.tokenFor(clientId);
        expect(await h.get('/schools', token)).toBe(200);
        await h.portal(
          admin,
          `/schools/${schoolB.schoolId}/applications/${appId}/revoke`,
        );
        // The auth server's client cache (a minute) heard its own portal at once.
        const refused = await h.tokenRequest(clientId);
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ error: 'access_denied' });
        // The API, a process of its own without Redis, within its 2-second cache.
        await expect(h.untilApiAnswers(403, '/schools', token)).resolves.toBe(
          403,
        );
        await h.portal(
          admin,
          `/schools/${schoolB.schoolId}/applications/${appId}/approve`,
          { scopes: Object.values(ONEROSTER_SCOPES) },
        );
        await expect(h.tokenRequest(clientId)).resolves.toMatchObject({
          status: 200,
        });
        await expect(h.untilApiAnswers(200, '/schools', token)).resolves.toBe(
          200,
        );
      }, 30_000);
    });

    withRedis('instances sharing one Redis', () => {
      // Instance 1: an auth server with the portal, and an API. Instance 2: another auth
      // server (token endpoint only) and another API. Every cache keeps answers a minute.
      let stack: AuthAndApi;
      let second: AuthAndApi;
      const h = harness(() => stack);
      const h2 = harness(() => second);

      beforeAll(async () => {
        const env = {
          AUTH_SIGNING_KEY: signingKey,
          AUTH_CLIENT_CACHE_MS: String(A_MINUTE),
          REDIS_URL: REDIS as string,
          INVALIDATION_CHANNEL: `oneroster:test:invalidate:${randomUUID()}`,
          // The demo's client ids are the same in every run, and the token counters live
          // in the shared Redis: no limit, so other runs cannot turn a token into a 429.
          AUTH_TOKEN_RATE_LIMIT: '0',
        };
        const api = { approvalCacheTtlMs: A_MINUTE };
        stack = await startAuthAndApi(database, env, (s) => s, {
          portal: true,
          api,
        });
        // One issuer for both (as behind one public URL), so each API accepts the tokens of
        // either auth server; each process still has its own caches and its own bus.
        second = await startAuthAndApi(
          database,
          {
            ...env,
            AUTH_ISSUER: stack.issuer,
            AUTH_JWKS_URL: `${stack.issuer}/jwks`,
          },
          (s) => s,
          { api },
        );
      }, 120_000);

      afterAll(async () => {
        await second?.close();
        await stack?.close();
      });

      it('a revocation through the portal refuses a token already issued at the API at once, and a re-approval serves it again', async () => {
        const clientId = clientOf(schoolB.schoolId);
        const appId = await applicationOf(clientId);
        const admin = await schoolAdminOf(schoolB.schoolId);
        const token = await h.tokenFor(clientId);
        // The API now holds the answer "school B approves" for a minute.
        expect(await h.get('/schools', token)).toBe(200);
        expect(await h.get('/demographics', token)).toBe(200);
        await h.portal(
          admin,
          `/schools/${schoolB.schoolId}/applications/${appId}/revoke`,
        );
        await expect(h.untilApiAnswers(403, '/schools', token)).resolves.toBe(
          403,
        );
        await h.portal(
          admin,
          `/schools/${schoolB.schoolId}/applications/${appId}/approve`,
          {
            scopes: Object.values(ONEROSTER_SCOPES).filter(
              (s) => s !== ONEROSTER_SCOPES.rosterDemographics,
            ),
          },
        );
        await expect(h.untilApiAnswers(200, '/schools', token)).resolves.toBe(
          200,
        );
        // The re-approval with fewer scopes cut what the same token reaches.
        expect(await h.get('/demographics', token)).toBe(403);
        await h.portal(
          admin,
          `/schools/${schoolB.schoolId}/applications/${appId}/approve`,
          { scopes: Object.values(ONEROSTER_SCOPES) },
        );
        await expect(
          h.untilApiAnswers(200, '/demographics', token),
        ).resolves.toBe(200);
        // The other school's client was never affected.
        const other = await h.tokenFor(clientOf(schoolA.schoolId));
        expect(await h.get('/schools', other)).toBe(200);
      }, 20_000);

      it('a credential revoked through the portal is refused at once by both APIs and by the other auth server', async () => {
        const clientId = clientOf(schoolA.schoolId);
        const developer = await sessionOf(demo.developerEmail);
        const token = await h.tokenFor(clientId);
        // Instance 2's auth server now holds the client for a minute, its API the approval.
        const token2 = await h2.tokenFor(clientId);
        expect(await h.get('/schools', token)).toBe(200);
        expect(await h2.get('/schools', token2)).toBe(200);
        await h.portal(developer, `/credentials/${clientId}/revoke`);
        await expect(h.untilApiAnswers(403, '/schools', token)).resolves.toBe(
          403,
        );
        await expect(h2.untilApiAnswers(403, '/schools', token2)).resolves.toBe(
          403,
        );
        expect((await h.tokenRequest(clientId)).status).toBe(401);
        let status = (await h2.tokenRequest(clientId)).status;
        while (status === 200) {
          await new Promise((r) => setTimeout(r, 20));
          status = (await h2.tokenRequest(clientId)).status;
        }
        expect(status).toBe(401);
      }, 20_000);
    });
  },
);
