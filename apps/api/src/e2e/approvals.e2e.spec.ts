import { SignJWT, exportSPKI, generateKeyPair, importJWK } from 'jose';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
import { DemoCredentials, planTrust } from '@oneroster/demo-data';
import { ApprovalEntity, OAuthClientEntity } from '@oneroster/entities';
import { AUDIENCE, AuthAndApi, startAuthAndApi } from './auth-and-api';
import {
  clientToken,
  newSigningJwk,
  sandboxClientOf,
  seedDemoDatabase,
} from './support';

const SECRET = 'approvals-secret';
const BASE = '/ims/oneroster/v1p1';
const BASE_V1P2 = '/ims/oneroster/rostering/v1p2';

describe.each(testEngines('api_approvals', { sqliteFile: true }))(
  'API with tokens of the auth server, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let demo: DemoCredentials;
    let ds: DataSource;
    let stack: AuthAndApi;
    let apiUrl: string;
    let issuer: string;
    let signingJwk: Record<string, unknown>;
    const plan = planTrust({ size: 'demo' });
    const [schoolA, schoolB] = plan.schools;

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(engine, SECRET));
      signingJwk = await newSigningJwk('auth-test-key');
      stack = await startAuthAndApi(database, {
        AUTH_SIGNING_KEY: JSON.stringify(signingJwk),
      });
      ({ issuer, apiUrl } = stack);
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
      await ds?.destroy();
    });

    const clientOf = (schoolId: string) => sandboxClientOf(demo, schoolId);

    const tokenFor = (schoolId: string, clientId = clientOf(schoolId)) =>
      clientToken(`${issuer}/token`, clientId, SECRET);

    const get = async (path: string, token: string) => {
      const res = await fetch(`${apiUrl}${BASE}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown>,
      };
    };

    it('lets a school’s MIS connector collect the gradebook change feed, and nothing else', async () => {
      const mis = demo.misClients.find((c) => c.schoolId === schoolA.schoolId);
      const token = await tokenFor(schoolA.schoolId, mis?.clientId);
      const feed = await fetch(`${apiUrl}/platform/v1/gradebook/changes`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(feed.status).toBe(200);
      expect(await feed.json()).toMatchObject({ changes: [], next: 0 });
      expect((await get('/users', token)).status).toBe(403);
      expect((await get('/categories', token)).status).toBe(200);
      const sandbox = await tokenFor(schoolA.schoolId);
      const refused = await fetch(`${apiUrl}/platform/v1/gradebook/changes`, {
        headers: { authorization: `Bearer ${sandbox}` },
      });
      expect(refused.status).toBe(403);
    });

    it('accepts a token of the auth server and reads only its school', async () => {
      const token = await tokenFor(schoolA.schoolId);
      const schools = await get('/schools', token);
      expect(schools.status).toBe(200);
      const ids = (schools.body['orgs'] as { sourcedId: string }[]).map(
        (o) => o.sourcedId,
      );
      expect(ids).toEqual([schoolA.orgSourcedId]);
      expect(
        (await get(`/schools/${schoolB.orgSourcedId}`, token)).status,
      ).toBe(404);
      expect(
        (await get(`/schools/${schoolA.orgSourcedId}`, token)).status,
      ).toBe(200);
    });

    it('gives the 1.2 rostering document’s Authorize a token of the auth server that reads 1.2', async () => {
      type Doc = {
        components: {
          securitySchemes: Record<
            string,
            {
              flows: {
                clientCredentials: {
                  tokenUrl: string;
                  scopes: Record<string, string>;
                };
              };
            }
          >;
        };
      };
      const doc = (await (
        await fetch(`${apiUrl}/docs-v1p2-json`)
      ).json()) as Doc;
      const flow =
        doc.components.securitySchemes['OAuth2'].flows.clientCredentials;
      expect(flow.tokenUrl).toBe(`${issuer}/token`);
      // The scopes the school approved are the 1.1 ones the document lists for the 1.2 routes.
      const scope = Object.keys(flow.scopes)
        .filter((s) => s.includes('/v1p1/'))
        .join(' ');
      expect(scope).toContain(ONEROSTER_SCOPES.roster);
      const res = await fetch(flow.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientOf(schoolA.schoolId)}:${SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope,
        }).toString(),
      });
      expect(res.status).toBe(200);
      const token = String(
        ((await res.json()) as Record<string, unknown>)['access_token'],
      );
      const schools = await fetch(`${apiUrl}${BASE_V1P2}/schools`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(schools.status).toBe(200);
      expect(await schools.json()).toEqual({
        orgs: [
          expect.objectContaining({
            sourcedId: schoolA.orgSourcedId,
            type: 'school',
          }),
        ],
      });
      const students = await fetch(
        `${apiUrl}${BASE_V1P2}/schools/${schoolA.orgSourcedId}/students?limit=1`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(students.status).toBe(200);
      const [student] = (
        (await students.json()) as { users: Record<string, unknown>[] }
      ).users;
      expect(student['roles']).toEqual([
        expect.objectContaining({ roleType: 'primary', role: 'student' }),
      ]);
    });

    it.each([
      ['gradebook', '/categories', 'categories'],
      ['resources', '/resources', 'resources'],
    ])(
      'gives the 1.2 %s document’s Authorize a token of the auth server, with its 1.2 scopes, that reads the service',
      async (service, path, envelope) => {
        type Doc = {
          components: {
            securitySchemes: Record<
              string,
              {
                flows: {
                  clientCredentials: {
                    tokenUrl: string;
                    scopes: Record<string, string>;
                  };
                };
              }
            >;
          };
        };
        const doc = (await (
          await fetch(`${apiUrl}/docs-v1p2-${service}-json`)
        ).json()) as Doc;
        const flow =
          doc.components.securitySchemes['OAuth2'].flows.clientCredentials;
        expect(flow.tokenUrl).toBe(`${issuer}/token`);
        // What Swagger UI sends when every 1.2 scope of the document is ticked.
        const scope = Object.keys(flow.scopes)
          .filter((s) => s.includes('/v1p2/'))
          .join(' ');
        const res = await fetch(flow.tokenUrl, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${clientOf(schoolA.schoolId)}:${SECRET}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            scope,
          }).toString(),
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as Record<string, unknown>;
        const granted = String(body['scope']).split(' ');
        expect(granted.length).toBeGreaterThan(0);
        expect(granted.every((s) => s.includes('/v1p2/'))).toBe(true);
        const read = await fetch(
          `${apiUrl}/ims/oneroster/${service}/v1p2${path}?limit=1`,
          {
            headers: {
              authorization: `Bearer ${String(body['access_token'])}`,
            },
          },
        );
        expect(read.status).toBe(200);
        expect(Object.keys((await read.json()) as object)).toEqual([envelope]);
      },
    );

    it('stops 1.1 and 1.2 alike when the school revokes its approval', async () => {
      const token = await tokenFor(schoolB.schoolId);
      const v12 = async () =>
        (
          await fetch(`${apiUrl}${BASE_V1P2}/schools`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status;
      expect((await get('/schools', token)).status).toBe(200);
      expect(await v12()).toBe(200);
      const { applicationId } = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: clientOf(schoolB.schoolId) });
      const approvals = ds.getRepository(ApprovalEntity);
      await approvals.update(
        { schoolId: schoolB.schoolId, applicationId },
        { status: 'revoked' },
      );
      try {
        const revokedAt = Date.now();
        let status = 200;
        while (status === 200 && Date.now() - revokedAt < 6_000) {
          status = await v12();
          if (status === 200) await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toBe(403);
        expect((await get('/schools', token)).status).toBe(403);
      } finally {
        await approvals.update(
          { schoolId: schoolB.schoolId, applicationId },
          { status: 'approved' },
        );
        // The tests after this one start from the approval restored.
        const restoredAt = Date.now();
        while ((await v12()) !== 200 && Date.now() - restoredAt < 6_000)
          await new Promise((r) => setTimeout(r, 100));
      }
    });

    it('refuses a token already issued within 5 seconds of the revocation', async () => {
      const token = await tokenFor(schoolB.schoolId);
      expect((await get('/schools', token)).status).toBe(200);
      const { applicationId } = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: clientOf(schoolB.schoolId) });
      const approvals = ds.getRepository(ApprovalEntity);
      await approvals.update(
        { schoolId: schoolB.schoolId, applicationId },
        { status: 'revoked' },
      );
      try {
        const revokedAt = Date.now();
        let status = 200;
        while (status === 200 && Date.now() - revokedAt < 6_000) {
          status = (await get('/schools', token)).status;
          if (status === 200) await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toBe(403);
        expect(Date.now() - revokedAt).toBeLessThan(5_000);
        // The other school's client is untouched.
        const other = await tokenFor(schoolA.schoolId);
        expect((await get('/schools', other)).status).toBe(200);
      } finally {
        await approvals.update(
          { schoolId: schoolB.schoolId, applicationId },
          { status: 'approved' },
        );
      }
    });

    it("cuts a school client's token already issued within 5 seconds of a re-approval with fewer scopes", async () => {
      const token = await tokenFor(schoolA.schoolId);
      expect((await get('/demographics', token)).status).toBe(200);
      const { applicationId } = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: clientOf(schoolA.schoolId) });
      const approvals = ds.getRepository(ApprovalEntity);
      const { scopes } = await approvals.findOneByOrFail({
        schoolId: schoolA.schoolId,
        applicationId,
      });
      await approvals.update(
        { schoolId: schoolA.schoolId, applicationId },
        {
          scopes: scopes.filter(
            (s) => s !== ONEROSTER_SCOPES.rosterDemographics,
          ),
        },
      );
      try {
        const reapprovedAt = Date.now();
        let status = 200;
        while (status === 200 && Date.now() - reapprovedAt < 6_000) {
          status = (await get('/demographics', token)).status;
          if (status === 200) await new Promise((r) => setTimeout(r, 100));
        }
        expect(status).toBe(403);
        expect(Date.now() - reapprovedAt).toBeLessThan(5_000);
        // What the school still approves stays served for the same token.
        expect((await get('/classes', token)).status).toBe(200);
      } finally {
        await approvals.update(
          { schoolId: schoolA.schoolId, applicationId },
          { scopes },
        );
      }
    });

    describe('refuses forged tokens with 401', () => {
      const claims = () => ({
        school_ids: [schoolA.schoolId],
        client_id: clientOf(schoolA.schoolId),
        scope:
          'https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly',
      });
      const b64 = (o: unknown) =>
        Buffer.from(JSON.stringify(o)).toString('base64url');

      it('alg none', async () => {
        const now = Math.floor(Date.now() / 1000);
        const token = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({
          ...claims(),
          iss: issuer,
          aud: AUDIENCE,
          iat: now,
          exp: now + 300,
        })}.`;
        expect((await get('/schools', token)).status).toBe(401);
      });

      it('HS256 signed with the public key', async () => {
        const publicJwk = { ...signingJwk };
        delete publicJwk['d'];
        const pem = await exportSPKI(
          (await importJWK({ ...publicJwk, alg: 'ES256' }, 'ES256', {
            extractable: true,
          })) as CryptoKey,
        );
        const token = await new SignJWT(claims())
          .setProtectedHeader({
            alg: 'HS256',
            typ: 'at+jwt',
            kid: 'auth-test-key',
          })
          .setIssuer(issuer)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(pem));
        expect((await get('/schools', token)).status).toBe(401);
      });

      it('an unknown kid', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const token = await new SignJWT(claims())
          .setProtectedHeader({
            alg: 'ES256',
            typ: 'at+jwt',
            kid: 'unknown-key',
          })
          .setIssuer(issuer)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        expect((await get('/schools', token)).status).toBe(401);
      });

      it('an ID token (no at+jwt type, audience the client) signed by the real key', async () => {
        const key = await importJWK({ ...signingJwk, alg: 'ES256' }, 'ES256');
        const token = await new SignJWT({ ...claims(), nonce: 'n' })
          .setProtectedHeader({ alg: 'ES256', kid: 'auth-test-key' })
          .setIssuer(issuer)
          .setAudience(clientOf(schoolA.schoolId))
          .setSubject('someone')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key);
        expect((await get('/schools', token)).status).toBe(401);
      });
    });
  },
);
