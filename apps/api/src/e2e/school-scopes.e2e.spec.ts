import * as oidc from 'openid-client';
import type { DataSource } from 'typeorm';
import {
  ALL_ONEROSTER_SCOPES,
  GrantableScope,
  ONEROSTER_SCOPES,
} from '@oneroster/contracts';
import { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
import { DemoCredentials, planTrust } from '@oneroster/demo-data';
import { ApprovalEntity } from '@oneroster/entities';
import { Browser, signIn } from '@oneroster/testing-browser';
// The real authorization server with its real sign-in pages: the tokens are the ones a
// teacher of two schools really gets (scope = the union of both schools' approvals).
import { AuthAndApi, startAuthAndApi } from './auth-and-api';
import {
  addOidcClient,
  addTeacher,
  applicationOfClient,
  seedDemoDatabase,
  tempSigningKeyFile,
} from './support';

const SECRET = 'school-scopes-secret';
const PASSWORD = 'pw';
const BASE = '/ims/oneroster/v1p1';
const REDIRECT = 'https://sandbox-learning.example.com/oidc/callback';
const S = ONEROSTER_SCOPES;
type Json = Record<string, unknown>;

/** sourcedIds that exist in one school and not in the other, per kind. */
interface Ids {
  schoolOrg: string;
  class: string;
  demographics: string;
  resource: string;
  lineItem: string;
  lineItemClass: string;
  result: string;
}

/**
 * Rules checked (README "Access", scopes per school): a token is served for a school only
 * when that school's live approval includes the route's scope; another school's approval of
 * the scope never extends to it. A school without the scope is treated like a school the
 * token does not name (absent from collections, 404 on its ids, nothing written), and a
 * token whose schools all lack it gets 403, within seconds of a re-approval with fewer
 * scopes, even for tokens already issued.
 */
describe.each(testEngines('api_school_scopes', { sqliteFile: true }))(
  'API with scopes approved per school, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let demo: DemoCredentials;
    let ds: DataSource;
    let stack: AuthAndApi;
    let apiUrl: string;
    let issuer: string;
    let applicationId: string;
    let schoolA: string;
    let schoolB: string;
    let a: Ids;
    let b: Ids;
    const clientSecret = 'school-scopes-oidc-secret';
    const twoSchoolsEmail = 'two-schools@school-scopes.example.org';
    const plan = planTrust({ size: 'demo' });

    /** A sourcedId of `table` in `school` that the other school does not have. */
    const onlyIn = async (
      table: string,
      school: string,
      other: string,
      where = '1 = 1',
      whereParams: string[] = [],
    ): Promise<string> => {
      const rows = (await ds.query(
        `SELECT t.sourced_id AS id FROM ${table} t
         WHERE t.school_id = ? AND t.status = 'active' AND ${where}
           AND NOT EXISTS (SELECT 1 FROM ${table} o
                           WHERE o.school_id = ? AND o.sourced_id = t.sourced_id)
         ORDER BY t.sourced_id LIMIT 1`,
        [school, ...whereParams, other],
      )) as { id: string }[];
      if (!rows[0]) throw new Error(`no ${table} only in ${school}`);
      return rows[0].id;
    };
    const idsOf = async (school: string, other: string): Promise<Ids> => {
      const lineItem = await onlyIn(
        'line_items',
        school,
        other,
        `NOT EXISTS (SELECT 1 FROM classes c WHERE c.school_id = ?
                     AND c.sourced_id = t.class_sourced_id)`,
        [other],
      );
      const [{ cls }] = (await ds.query(
        'SELECT class_sourced_id AS cls FROM line_items WHERE school_id = ? AND sourced_id = ?',
        [school, lineItem],
      )) as { cls: string }[];
      const org = plan.schools.find((s) => s.schoolId === school)?.orgSourcedId;
      if (!org) throw new Error(`no org for ${school}`);
      return {
        schoolOrg: org,
        class: await onlyIn('classes', school, other),
        demographics: await onlyIn('demographics', school, other),
        resource: await onlyIn('resources', school, other),
        lineItem,
        lineItemClass: cls,
        result: await onlyIn('results', school, other),
      };
    };

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(
        engine,
        SECRET,
        PASSWORD,
      ));
      [schoolA, schoolB] = demo.clients.map((c) => c.schoolId);
      applicationId = await applicationOfClient(ds, demo.clients[0].clientId);
      await addOidcClient(ds, applicationId, clientSecret);
      await addTeacher(ds, twoSchoolsEmail, PASSWORD, [schoolA, schoolB]);
      a = await idsOf(schoolA, schoolB);
      b = await idsOf(schoolB, schoolA);
      stack = await startAuthAndApi(database, {}, (settings) => ({
        ...settings,
        signingKeyFile: tempSigningKeyFile('oneroster-api-school-scopes-'),
      }));
      ({ issuer, apiUrl } = stack);
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
      await ds?.destroy();
    });

    /** School `schoolId` (re-)approves the application with exactly `scopes`. */
    const approve = (schoolId: string, scopes: readonly GrantableScope[]) =>
      ds
        .getRepository(ApprovalEntity)
        .update(
          { schoolId, applicationId },
          { status: 'approved', scopes: [...scopes] },
        );
    const allBut = (...left: string[]) =>
      ALL_ONEROSTER_SCOPES.filter((s) => !left.includes(s));

    /** A user access token for every OneRoster scope, through the real sign-in form. */
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
        scope: `openid ${ALL_ONEROSTER_SCOPES.join(' ')}`,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const { landing } = await signIn(new Browser(), url, {
        email,
        password: PASSWORD,
      });
      if (landing.kind !== 'redirect')
        throw new Error(`sign-in stopped at ${landing.url.href}`);
      const tokens = await oidc.authorizationCodeGrant(config, landing.url, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
      });
      return tokens.access_token;
    }

    const call = async (
      method: string,
      path: string,
      token: string,
      body?: Json,
    ) => {
      const res = await fetch(`${apiUrl}${BASE}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return {
        status: res.status,
        body: (text ? JSON.parse(text) : {}) as Json,
      };
    };
    const get = (path: string, token: string) => call('GET', path, token);
    /** Polls `probe` until `done` (at most 6 s). */
    const within = async (
      probe: () => Promise<number>,
      done: (status: number) => boolean,
    ) => {
      const start = Date.now();
      let last = await probe();
      while (!done(last) && Date.now() - start < 6_000) {
        await new Promise((r) => setTimeout(r, 100));
        last = await probe();
      }
      return { ok: done(last), last, ms: Date.now() - start };
    };
    const idsIn = async (path: string, key: string, token: string) => {
      const res = await get(
        `${path}${path.includes('?') ? '&' : '?'}limit=10000&fields=sourcedId`,
        token,
      );
      expect(res.status).toBe(200);
      return (res.body[key] as { sourcedId: string }[]).map((r) => r.sourcedId);
    };
    const titleOf = async (schoolId: string, lineItem: string) =>
      (
        (await ds.query(
          'SELECT title FROM line_items WHERE school_id = ? AND sourced_id = ?',
          [schoolId, lineItem],
        )) as { title: string }[]
      )[0]?.title;
    const resultStatus = async (schoolId: string, result: string) =>
      (
        (await ds.query(
          'SELECT status FROM results WHERE school_id = ? AND sourced_id = ?',
          [schoolId, result],
        )) as { status: string }[]
      )[0]?.status;
    const lineItemBody = (ids: Ids, title: string) => ({
      lineItem: { title, class: { sourcedId: ids.lineItemClass } },
    });

    interface Family {
      name: string;
      /** The scopes school A leaves out of its approval. */
      without: string[];
      /**
       * A request of this family that changes nothing (an unknown id, an invalid body):
       * refused with 403 once no school of the token approves the family.
       */
      probe: () => [method: string, path: string, body?: Json];
      /** A's data is left out and B's is served, for a token of both schools. */
      check: (token: string) => Promise<void>;
      /** A's data of another family, still approved: served for the same token. */
      controlA: () => string;
    }

    const families: Family[] = [
      {
        name: 'roster-core (base endpoints)',
        without: [S.rosterCore, S.roster],
        probe: () => ['GET', '/classes'],
        controlA: () => `/lineItems/${a.lineItem}`,
        check: async (token) => {
          const classes = await idsIn('/classes', 'classes', token);
          expect(classes).toContain(b.class);
          expect(classes).not.toContain(a.class);
          const schools = await idsIn('/schools', 'orgs', token);
          expect(schools).toEqual([b.schoolOrg]);
          expect((await get(`/classes/${a.class}`, token)).status).toBe(404);
          expect((await get(`/classes/${b.class}`, token)).status).toBe(200);
        },
      },
      {
        name: 'roster (relationship routes)',
        without: [S.roster],
        probe: () => ['GET', `/schools/${a.schoolOrg}/classes`],
        controlA: () => `/classes/${a.class}`,
        check: async (token) => {
          expect(
            (await get(`/schools/${a.schoolOrg}/classes`, token)).status,
          ).toBe(404);
          expect(
            await idsIn(`/schools/${b.schoolOrg}/classes`, 'classes', token),
          ).toContain(b.class);
          expect(
            (await get(`/classes/${a.class}/students`, token)).status,
          ).toBe(404);
          expect(
            (await get(`/classes/${b.class}/students`, token)).status,
          ).toBe(200);
        },
      },
      {
        name: 'demographics',
        without: [S.rosterDemographics],
        probe: () => ['GET', '/demographics'],
        controlA: () => `/classes/${a.class}`,
        check: async (token) => {
          const ids = await idsIn('/demographics', 'demographics', token);
          expect(ids).toContain(b.demographics);
          expect(ids).not.toContain(a.demographics);
          expect(
            (await get(`/demographics/${a.demographics}`, token)).status,
          ).toBe(404);
          expect(
            (await get(`/demographics/${b.demographics}`, token)).status,
          ).toBe(200);
        },
      },
      {
        name: 'resources',
        without: [S.resource],
        probe: () => ['GET', '/resources'],
        controlA: () => `/classes/${a.class}`,
        check: async (token) => {
          const ids = await idsIn('/resources', 'resources', token);
          expect(ids).toContain(b.resource);
          expect(ids).not.toContain(a.resource);
          expect((await get(`/resources/${a.resource}`, token)).status).toBe(
            404,
          );
          expect((await get(`/resources/${b.resource}`, token)).status).toBe(
            200,
          );
        },
      },
      {
        name: 'gradebook read',
        without: [S.gradebookRead],
        probe: () => ['GET', '/lineItems'],
        controlA: () => `/classes/${a.class}`,
        check: async (token) => {
          const items = await idsIn('/lineItems', 'lineItems', token);
          expect(items).toContain(b.lineItem);
          expect(items).not.toContain(a.lineItem);
          const results = await idsIn('/results', 'results', token);
          expect(results).toContain(b.result);
          expect(results).not.toContain(a.result);
          expect((await get(`/lineItems/${a.lineItem}`, token)).status).toBe(
            404,
          );
          expect((await get(`/results/${a.result}`, token)).status).toBe(404);
          expect((await get(`/lineItems/${b.lineItem}`, token)).status).toBe(
            200,
          );
        },
      },
      {
        name: 'gradebook createput',
        without: [S.gradebookCreatePut],
        probe: () => ['PUT', '/lineItems/probe-unknown', { lineItem: {} }],
        controlA: () => `/lineItems/${a.lineItem}`,
        check: async (token) => {
          const before = await titleOf(schoolA, a.lineItem);
          // School A's line item is invisible to the write: its class is not in a school
          // the token may write to.
          const refused = await call(
            'PUT',
            `/lineItems/${a.lineItem}`,
            token,
            lineItemBody(a, 'Overwritten across schools'),
          );
          expect(refused.status).toBe(422);
          await expect(titleOf(schoolA, a.lineItem)).resolves.toBe(before);
          const written = await call(
            'PUT',
            `/lineItems/${b.lineItem}`,
            token,
            lineItemBody(b, 'Written in school B'),
          );
          expect(written.status).toBe(200);
          await expect(titleOf(schoolB, b.lineItem)).resolves.toBe(
            'Written in school B',
          );
        },
      },
      {
        name: 'gradebook delete',
        without: [S.gradebookDelete],
        probe: () => ['DELETE', '/results/probe-unknown'],
        controlA: () => `/results/${a.result}`,
        check: async (token) => {
          expect(
            (await call('DELETE', `/results/${a.result}`, token)).status,
          ).toBe(404);
          await expect(resultStatus(schoolA, a.result)).resolves.toBe('active');
          expect(
            (await call('DELETE', `/results/${b.result}`, token)).status,
          ).toBe(204);
          await expect(resultStatus(schoolB, b.result)).resolves.toBe(
            'tobedeleted',
          );
        },
      },
    ];

    it.each(families.map((f) => [f.name, f] as const))(
      "%s: school A's data is left out when only school B approved the scope",
      async (_name, family) => {
        await approve(schoolA, ALL_ONEROSTER_SCOPES);
        await approve(schoolB, ALL_ONEROSTER_SCOPES);
        try {
          // Issued while school A still approves everything.
          const onlyA = await userToken(demo.teachers[0].email);

          // The token naming only school A loses the family within seconds (403: no school
          // of the token approves it), and keeps what school A still approves.
          const [method, path, body] = family.probe();
          const probe = async () =>
            (await call(method, path, onlyA, body)).status;
          // The API may still hold the previous test's approvals for its cache time.
          expect(await within(probe, (status) => status !== 403)).toMatchObject(
            {
              ok: true,
            },
          );
          await approve(schoolA, allBut(...family.without));
          const cut = await within(probe, (status) => status === 403);
          expect(cut).toMatchObject({ ok: true, last: 403 });
          expect(cut.ms).toBeLessThan(5_000);
          expect((await get(family.controlA(), onlyA)).status).toBe(200);

          // Issued after: the union of both approvals still carries the family's scope.
          // A's data of the family is absent, B's is served, and A's data of what A still
          // approves is served.
          const both = await userToken(twoSchoolsEmail);
          await family.check(both);
          expect((await get(family.controlA(), both)).status).toBe(200);
        } finally {
          await approve(schoolA, ALL_ONEROSTER_SCOPES);
        }
      },
      60_000,
    );

    it('cuts a token already issued within 5 s of a school re-approving with fewer scopes', async () => {
      await approve(schoolA, ALL_ONEROSTER_SCOPES);
      await approve(schoolB, ALL_ONEROSTER_SCOPES);
      try {
        const token = await userToken(twoSchoolsEmail);
        const path = `/demographics/${a.demographics}`;
        const status = async () => (await get(path, token)).status;
        // The API may still hold the previous test's approvals for its cache time.
        expect(await within(status, (s) => s === 200)).toMatchObject({
          ok: true,
        });
        await approve(schoolA, allBut(S.rosterDemographics));
        const cut = await within(status, (s) => s === 404);
        expect(cut).toMatchObject({ ok: true, last: 404 });
        expect(cut.ms).toBeLessThan(5_000);
        expect(
          (await get(`/demographics/${b.demographics}`, token)).status,
        ).toBe(200);
        expect((await get(`/classes/${a.class}`, token)).status).toBe(200);
      } finally {
        await approve(schoolA, ALL_ONEROSTER_SCOPES);
      }
    }, 60_000);
  },
);
