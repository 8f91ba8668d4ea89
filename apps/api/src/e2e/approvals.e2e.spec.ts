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
