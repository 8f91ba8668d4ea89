import { Redis } from 'ioredis';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES, ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { ApprovalEntity, OAuthClientEntity } from '@oneroster/entities';
import { hashSecret } from '@oneroster/util-secrets';
import {
  requestToken,
  seededDatabase,
  startTestAuth,
  TEST_AUDIENCE,
  TEST_SECRET,
  TestAuth,
} from './support';

describe.each(testEngines('auth_cc', { sqliteFile: true }))(
  'auth server, client credentials, on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let clientA: DemoCredentials['clients'][number];
    let clientB: DemoCredentials['clients'][number];

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      [clientA, clientB] = demo.clients;
      auth = await startTestAuth(seeded.database);
      // The server's own connection: rows changed through it take effect at once, as the
      // portal's changes do (the server reuses client rows for up to AUTH_CLIENT_CACHE_MS).
      ds = auth.app.get(DataSource);
    }, 120_000);

    afterAll(async () => {
      await auth?.close();
    });

    const setApproval = async (
      schoolId: string,
      change: Partial<Pick<ApprovalEntity, 'status' | 'scopes'>>,
    ) => {
      // The school's sandbox client (each school also has an MIS connector client).
      const { applicationId } = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({
          clientId: demo.clients.find((c) => c.schoolId === schoolId)?.clientId,
        });
      await ds
        .getRepository(ApprovalEntity)
        .update({ schoolId, applicationId }, change);
    };
    const restoreApproval = (schoolId: string) =>
      setApproval(schoolId, {
        status: 'approved',
        scopes: [...ALL_ONEROSTER_SCOPES],
      });

    it('publishes discovery and a public JWKS at <issuer>/jwks', async () => {
      const res = await fetch(
        `${auth.issuer}/.well-known/openid-configuration`,
      );
      expect(res.status).toBe(200);
      const meta = (await res.json()) as Record<string, unknown>;
      expect(meta).toMatchObject({
        issuer: auth.issuer,
        token_endpoint: `${auth.issuer}/token`,
        jwks_uri: `${auth.issuer}/jwks`,
        token_endpoint_auth_methods_supported: [
          'client_secret_basic',
          'client_secret_post',
        ],
      });
      expect(meta['grant_types_supported']).toContain('client_credentials');
      expect(meta['registration_endpoint']).toBeUndefined();
      const jwks = (await (await fetch(`${auth.issuer}/jwks`)).json()) as {
        keys: Record<string, unknown>[];
      };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
      });
      expect(jwks.keys[0]['d']).toBeUndefined();
    });

    it('issues a 5-minute at+jwt for the API with Basic authentication', async () => {
      const res = await requestToken(
        auth.tokenUrl,
        clientA.clientId,
        TEST_SECRET,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
      expect(res.body['refresh_token']).toBeUndefined();
      const token = String(res.body['access_token']);
      expect(decodeProtectedHeader(token)).toMatchObject({
        alg: 'ES256',
        typ: 'at+jwt',
      });
      const { payload } = await jwtVerify(
        token,
        createRemoteJWKSet(new URL(`${auth.issuer}/jwks`)),
        { issuer: auth.issuer, audience: TEST_AUDIENCE, typ: 'at+jwt' },
      );
      expect(payload).toMatchObject({
        client_id: clientA.clientId,
        sub: clientA.clientId,
        school_ids: [clientA.schoolId],
        integrator_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
      expect(String(payload['scope']).split(' ').sort()).toEqual(
        [...ALL_ONEROSTER_SCOPES].sort(),
      );
      expect(String(res.body['scope']).split(' ').sort()).toEqual(
        [...ALL_ONEROSTER_SCOPES].sort(),
      );
    });

    it('accepts the secret in the body (client_secret_post)', async () => {
      const res = await requestToken(
        auth.tokenUrl,
        clientB.clientId,
        TEST_SECRET,
        {
          auth: 'post',
          scope: ONEROSTER_SCOPES.rosterCore,
        },
      );
      expect(res.status).toBe(200);
      expect(res.body['scope']).toBe(ONEROSTER_SCOPES.rosterCore);
    });

    it('refuses a wrong secret, an unknown client and a foreign resource', async () => {
      const wrong = await requestToken(auth.tokenUrl, clientA.clientId, 'nope');
      expect(wrong.status).toBe(401);
      expect(wrong.body['error']).toBe('invalid_client');
      const unknown = await requestToken(
        auth.tokenUrl,
        'sandbox-0',
        TEST_SECRET,
        {
          auth: 'post',
        },
      );
      expect(unknown.status).toBe(401);
      expect(unknown.body['error']).toBe('invalid_client');
      const foreign = await requestToken(
        auth.tokenUrl,
        clientA.clientId,
        TEST_SECRET,
        {
          resource: 'https://elsewhere.example.com',
        },
      );
      expect(foreign.status).toBe(400);
      expect(foreign.body['error']).toBe('invalid_target');
    });

    it('narrows the requested scopes to the approved ones', async () => {
      await setApproval(clientA.schoolId, {
        scopes: [ONEROSTER_SCOPES.rosterCore, ONEROSTER_SCOPES.resource],
      });
      try {
        const narrowed = await requestToken(
          auth.tokenUrl,
          clientA.clientId,
          TEST_SECRET,
          {
            scope: `${ONEROSTER_SCOPES.rosterCore} ${ONEROSTER_SCOPES.rosterDemographics}`,
          },
        );
        expect(narrowed.status).toBe(200);
        expect(narrowed.body['scope']).toBe(ONEROSTER_SCOPES.rosterCore);
        const all = await requestToken(
          auth.tokenUrl,
          clientA.clientId,
          TEST_SECRET,
        );
        expect(String(all.body['scope']).split(' ').sort()).toEqual(
          [ONEROSTER_SCOPES.resource, ONEROSTER_SCOPES.rosterCore].sort(),
        );
      } finally {
        await restoreApproval(clientA.schoolId);
      }
    });

    it('issues no token once the approval is revoked or declined', async () => {
      for (const status of ['revoked', 'declined', 'pending'] as const) {
        await setApproval(clientB.schoolId, { status });
        try {
          const res = await requestToken(
            auth.tokenUrl,
            clientB.clientId,
            TEST_SECRET,
          );
          expect(res.status).toBe(400);
          expect(res.body['error']).toBe('access_denied');
          expect(res.body['access_token']).toBeUndefined();
        } finally {
          await restoreApproval(clientB.schoolId);
        }
      }
    });

    it("lets the API's Swagger UI, and no other origin, ask for tokens", async () => {
      const from = (origin: string) =>
        fetch(auth.tokenUrl, {
          method: 'POST',
          headers: {
            origin,
            authorization: `Basic ${Buffer.from(`${clientA.clientId}:${TEST_SECRET}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        });
      const swagger = await from(new URL(TEST_AUDIENCE).origin);
      expect(swagger.status).toBe(200);
      expect(swagger.headers.get('access-control-allow-origin')).toBe(
        new URL(TEST_AUDIENCE).origin,
      );
      expect((await from('https://evil.example.com')).status).toBe(400);
    });

    it('keeps earlier tokens valid when issuing new ones', async () => {
      const jwks = createRemoteJWKSet(new URL(`${auth.issuer}/jwks`));
      const first = await requestToken(
        auth.tokenUrl,
        clientA.clientId,
        TEST_SECRET,
      );
      const second = await requestToken(
        auth.tokenUrl,
        clientA.clientId,
        TEST_SECRET,
      );
      expect(first.body['access_token']).not.toEqual(
        second.body['access_token'],
      );
      for (const r of [first, second])
        await expect(
          jwtVerify(String(r.body['access_token']), jwks, {
            issuer: auth.issuer,
            audience: TEST_AUDIENCE,
          }),
        ).resolves.toBeDefined();
    });

    it('accepts the previous secret during rotation, until it expires', async () => {
      const clients = ds.getRepository(OAuthClientEntity);
      const original = await clients.findOneByOrFail({
        clientId: clientB.clientId,
      });
      await clients.update(
        { clientId: clientB.clientId },
        {
          secretHash: await hashSecret('rotated-secret'),
          previousSecretHash: original.secretHash,
          previousSecretExpiresAt: new Date(Date.now() + 60_000),
        },
      );
      try {
        for (const secret of ['rotated-secret', TEST_SECRET]) {
          const res = await requestToken(
            auth.tokenUrl,
            clientB.clientId,
            secret,
          );
          expect(res.status).toBe(200);
        }
        await clients.update(
          { clientId: clientB.clientId },
          { previousSecretExpiresAt: new Date(Date.now() - 1_000) },
        );
        const expired = await requestToken(
          auth.tokenUrl,
          clientB.clientId,
          TEST_SECRET,
        );
        expect(expired.status).toBe(401);
      } finally {
        await clients.update(
          { clientId: clientB.clientId },
          {
            secretHash: original.secretHash,
            previousSecretHash: null,
            previousSecretExpiresAt: null,
          },
        );
      }
    });

    it('refuses a revoked client', async () => {
      const clients = ds.getRepository(OAuthClientEntity);
      await clients.update(
        { clientId: clientB.clientId },
        { revokedAt: new Date() },
      );
      try {
        const res = await requestToken(
          auth.tokenUrl,
          clientB.clientId,
          TEST_SECRET,
        );
        expect(res.status).toBe(401);
        expect(res.body['error']).toBe('invalid_client');
      } finally {
        await clients.update(
          { clientId: clientB.clientId },
          { revokedAt: null },
        );
      }
    });

    it('applies a revocation made by another process within AUTH_CLIENT_CACHE_MS', async () => {
      const cached = await startTestAuth(auth.database, {
        AUTH_CLIENT_CACHE_MS: '500',
      });
      const other = await openDatabase(auth.database);
      const clients = other.getRepository(OAuthClientEntity);
      try {
        const token = () =>
          requestToken(cached.tokenUrl, clientB.clientId, TEST_SECRET);
        expect((await token()).status).toBe(200);
        await clients.update(
          { clientId: clientB.clientId },
          { revokedAt: new Date() },
        );
        const revokedAt = Date.now();
        let status = 200;
        while (status === 200 && Date.now() - revokedAt < 5_000) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          status = (await token()).status;
        }
        expect(status).toBe(401);
        expect(Date.now() - revokedAt).toBeLessThan(2_000);
      } finally {
        await clients.update(
          { clientId: clientB.clientId },
          { revokedAt: null },
        );
        await other.destroy();
        await cached.close();
      }
    });

    it('rate limits token requests per client and IP with 429 and Retry-After', async () => {
      const limited = await startTestAuth(auth.database, {
        AUTH_TOKEN_RATE_LIMIT: '2',
      });
      try {
        for (let i = 0; i < 2; i++)
          expect(
            (
              await requestToken(
                limited.tokenUrl,
                clientA.clientId,
                TEST_SECRET,
              )
            ).status,
          ).toBe(200);
        const refused = await requestToken(
          limited.tokenUrl,
          clientA.clientId,
          'wrong',
          {
            auth: 'post',
          },
        );
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(refused.body['error']).toBe('too_many_requests');
        // Another client from the same address has its own budget.
        expect(
          (await requestToken(limited.tokenUrl, clientB.clientId, TEST_SECRET))
            .status,
        ).toBe(200);
      } finally {
        await limited.close();
      }
    });

    (process.env['TEST_REDIS_URL'] ? it : it.skip)(
      'counts token requests across instances sharing Redis',
      async () => {
        const redisUrl = process.env['TEST_REDIS_URL'] as string;
        // A window left by an earlier run of this test would count against this one.
        const redis = new Redis(redisUrl);
        const stale = await redis.keys(
          `oneroster:auth:rl:token:${clientB.clientId}|*`,
        );
        if (stale.length) await redis.del(...stale);
        await redis.quit();
        const env = { AUTH_TOKEN_RATE_LIMIT: '3', REDIS_URL: redisUrl };
        const one = await startTestAuth(auth.database, env);
        const two = await startTestAuth(auth.database, env);
        try {
          const statuses: number[] = [];
          for (const server of [one, two, one, two])
            statuses.push(
              (
                await requestToken(
                  server.tokenUrl,
                  clientB.clientId,
                  TEST_SECRET,
                )
              ).status,
            );
          expect(statuses).toEqual([200, 200, 200, 429]);
        } finally {
          await one.close();
          await two.close();
        }
      },
    );
  },
);
