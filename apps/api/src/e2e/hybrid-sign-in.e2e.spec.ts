import * as oidc from 'openid-client';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
import { DemoCredentials } from '@oneroster/demo-data';
import { ApprovalEntity } from '@oneroster/entities';
import { Browser, signIn } from '@oneroster/testing-browser';
// The real authorization server with its real sign-in pages, so the API is tested with a
// user token a teacher really gets.
import { AuthAndApi, startAuthAndApi } from './auth-and-api';
import {
  accessTokenOf,
  addOidcClient,
  addTeacher,
  applicationOfClient,
  requestClientToken,
  seedDemoDatabase,
  tempSigningKeyFile,
} from './support';

const SECRET = 'hybrid-secret';
const PASSWORD = 'pw';
const BASE = '/ims/oneroster/v1p1';
const REDIRECT = 'https://sandbox-learning.example.com/oidc/callback';

/** Signs in through the real sign-in form; returns the client's callback URL. */
async function signInAs(start: URL, email: string): Promise<URL> {
  const { landing } = await signIn(new Browser(), start, {
    email,
    password: PASSWORD,
  });
  if (landing.kind !== 'redirect')
    throw new Error(
      `sign-in stopped at ${landing.url.href}: ${landing.status}`,
    );
  return landing.url;
}

describe.each(testEngines('api_hybrid', { sqliteFile: true }))(
  'API with user tokens of the OpenID Connect sign-in, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let demo: DemoCredentials;
    let ds: DataSource;
    let stack: AuthAndApi;
    let apiUrl: string;
    let issuer: string;
    let applicationId: string;
    let clientSecret: string;
    let schoolA: string;
    let schoolB: string;
    const multiEmail = 'two-schools@api-hybrid.example.org';

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(
        engine,
        SECRET,
        PASSWORD,
      ));
      [schoolA, schoolB] = demo.clients.map((c) => c.schoolId);
      applicationId = await applicationOfClient(ds, demo.clients[0].clientId);
      clientSecret = 'hybrid-oidc-client-secret';
      await addOidcClient(ds, applicationId, clientSecret);
      await addTeacher(ds, multiEmail, PASSWORD, [schoolA, schoolB]);

      stack = await startAuthAndApi(database, {}, (settings) => ({
        ...settings,
        signingKeyFile: tempSigningKeyFile('oneroster-api-hybrid-'),
      }));
      ({ issuer, apiUrl } = stack);
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
      await ds?.destroy();
    });

    /** A user access token, through discovery, the sign-in form and the code exchange. */
    async function userToken(email: string): Promise<string> {
      const config = await oidc.discovery(
        new URL(issuer),
        applicationId,
        undefined,
        oidc.ClientSecretBasic(clientSecret),
        { execute: [oidc.allowInsecureRequests] },
      );
      oidc.useCodeIdTokenResponseType(config);
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: `openid ${ONEROSTER_SCOPES.rosterCore}`,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const tokens = await oidc.authorizationCodeGrant(
        config,
        await signInAs(url, email),
        { pkceCodeVerifier: verifier, expectedNonce: nonce },
      );
      return tokens.access_token;
    }

    async function schoolToken(schoolId: string): Promise<string> {
      const clientId = demo.clients.find(
        (c) => c.schoolId === schoolId,
      )?.clientId;
      return accessTokenOf(
        await requestClientToken(`${issuer}/token`, String(clientId), SECRET),
      );
    }

    const get = async (path: string, token: string) => {
      const res = await fetch(`${apiUrl}${BASE}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: res.status,
        body: (await res.json()) as Record<string, unknown>,
      };
    };
    /** Polls until `path` answers `want` (at most 6 s); returns how long that took. */
    const statusWithin = async (path: string, token: string, want: number) => {
      const start = Date.now();
      let status = 0;
      while (Date.now() - start < 6_000) {
        status = (await get(path, token)).status;
        if (status === want) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return { status, ms: Date.now() - start };
    };
    const classIds = async (token: string) => {
      const res = await get('/classes?limit=10000&fields=sourcedId', token);
      expect(res.status).toBe(200);
      return (res.body['classes'] as { sourcedId: string }[]).map(
        (c) => c.sourcedId,
      );
    };

    it("reads the teacher's approved school's classes, and nothing of another school", async () => {
      const token = await userToken(demo.teachers[0].email);
      const [ownA, ownB] = await Promise.all([
        classIds(await schoolToken(schoolA)),
        classIds(await schoolToken(schoolB)),
      ]);
      expect(ownA.length).toBeGreaterThan(0);
      const onlyB = ownB.filter((id) => !ownA.includes(id));
      expect(onlyB.length).toBeGreaterThan(0);
      expect((await classIds(token)).sort()).toEqual([...ownA].sort());
      expect((await get(`/classes/${ownA[0]}`, token)).status).toBe(200);
      expect((await get(`/classes/${onlyB[0]}`, token)).status).toBe(404);
    });

    it('gives a teacher of two schools the approved one only, and stops within 5 s of a revocation', async () => {
      const approvals = ds.getRepository(ApprovalEntity);
      await approvals.update(
        { schoolId: schoolB, applicationId },
        {
          status: 'declined',
        },
      );
      try {
        const token = await userToken(multiEmail);
        const ownA = await classIds(await schoolToken(schoolA));
        expect((await classIds(token)).sort()).toEqual([...ownA].sort());

        // School A revokes while the token is still valid: the API's live check stops it.
        await approvals.update(
          { schoolId: schoolA, applicationId },
          {
            status: 'revoked',
          },
        );
        const stopped = await statusWithin(`/classes/${ownA[0]}`, token, 403);
        expect(stopped.status).toBe(403);
        expect(stopped.ms).toBeLessThan(5_000);
      } finally {
        await approvals.update({ applicationId }, { status: 'approved' });
      }
    });

    it('keeps a user token to the schools it names when another school revokes', async () => {
      const token = await userToken(demo.teachers[0].email);
      const ownA = await classIds(await schoolToken(schoolA));
      // The API may still hold the previous test's answer for up to its cache time.
      expect(
        (await statusWithin(`/classes/${ownA[0]}`, token, 200)).status,
      ).toBe(200);
      const approvals = ds.getRepository(ApprovalEntity);
      await approvals.update(
        { schoolId: schoolA, applicationId },
        {
          status: 'revoked',
        },
      );
      try {
        // School B still approves the application, so the token is valid but reads nothing.
        const stopped = await statusWithin(`/classes/${ownA[0]}`, token, 404);
        expect(stopped.status).toBe(404);
        expect(stopped.ms).toBeLessThan(5_000);
        await expect(classIds(token)).resolves.toEqual([]);
      } finally {
        await approvals.update({ applicationId }, { status: 'approved' });
      }
    });
  },
);
