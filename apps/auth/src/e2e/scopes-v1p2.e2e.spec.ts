import { decodeJwt } from 'jose';
import type { DataSource } from 'typeorm';
import {
  DATA_CATEGORIES,
  ONEROSTER_SCOPES as V11,
  ONEROSTER_V1P2_SCOPES as V12,
  type ApplicationView,
  type ApprovalReceipt,
  type ApprovalView,
  type IssuedCredential,
  type SchoolApplicationView,
} from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AccountEntity } from '@oneroster/entities';
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

const words = (s: unknown) =>
  String(s ?? '')
    .split(' ')
    .filter(Boolean)
    .sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

/**
 * One approval of data categories in the portal covers both OneRoster versions at the token
 * endpoint: the school approves in plain words, a client asks for 1.1 or 1.2 scopes (or
 * both), and a revocation stops both.
 */
describe.each(testEngines('auth_v1p2', { sqliteFile: true }))(
  'OneRoster 1.2 scopes from approvals of data categories, on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let call: ReturnType<typeof portalClient>;
    let developer: PortalSession;
    let adminA: PortalSession;
    let schoolA: string;
    let integratorId: string;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      auth = await startTestAuth(seeded.database);
      ds = await openDatabase(seeded.database);
      call = portalClient(auth.issuer.replace(/\/oidc$/, ''));
      schoolA = demo.clients[0].schoolId;
      developer = await sessionFor(ds, demo.developerEmail);
      adminA = await sessionFor(
        ds,
        await emailWithRole(ds, schoolA, 'school_admin'),
      );
      integratorId = (
        await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email: demo.developerEmail })
      ).integratorId as string;
    }, 120_000);

    afterAll(async () => {
      await ds?.destroy();
      await auth?.close();
    });

    /** An application asking for `scopes`, approved at school A for `approved`, with a client. */
    const approvedApplication = async (
      scopes: string[],
      approved: string[],
    ) => {
      const created = await call<ApplicationView>(
        developer,
        'POST',
        `/portal/api/integrators/${integratorId}/applications`,
        {
          name: `Planner ${Math.random().toString(36).slice(2, 8)}`,
          requestedScopes: scopes,
          redirectUris: ['https://planner.example.com/callback'],
        },
      );
      expect(created.status).toBe(201);
      const approval = await call<ApprovalView>(
        adminA,
        'POST',
        `/portal/api/schools/${schoolA}/applications/${created.body.id}/approve`,
        { scopes: approved },
      );
      expect(approval.status).toBe(200);
      const credential = await call<IssuedCredential>(
        developer,
        'POST',
        `/portal/api/applications/${created.body.id}/credentials`,
        { schoolId: schoolA },
      );
      expect(credential.status).toBe(201);
      const token = (scope?: string) =>
        requestToken(
          auth.tokenUrl,
          credential.body.clientId,
          credential.body.clientSecret,
          scope === undefined ? {} : { scope },
        );
      return { app: created.body, approval: approval.body, token };
    };

    it('grants exactly the requested 1.2 scopes of an approved category, with or without 1.1 ones', async () => {
      const { token } = await approvedApplication(
        [V11.rosterCore, V11.roster, V11.gradebookRead],
        [V11.rosterCore, V11.roster],
      );
      const v1p2 = await token(`${V12.roster} ${V12.rosterCore}`);
      expect(v1p2.status).toBe(200);
      expect(words(v1p2.body['scope'])).toEqual(
        sorted([V12.roster, V12.rosterCore]),
      );
      expect(
        words(decodeJwt(String(v1p2.body['access_token']))['scope']),
      ).toEqual(sorted([V12.roster, V12.rosterCore]));
      const both = await token(`${V11.roster} ${V12.roster}`);
      expect(words(both.body['scope'])).toEqual(
        sorted([V11.roster, V12.roster]),
      );
      // Nothing requested: the approved scopes as stored, 1.1 only, as before 1.2.
      const all = await token();
      expect(words(all.body['scope'])).toEqual(
        sorted([V11.rosterCore, V11.roster]),
      );
    });

    it('omits a 1.2 scope of an unapproved category, and refuses with invalid_scope when nothing requested is approved', async () => {
      const { token } = await approvedApplication(
        [V11.rosterCore, V11.gradebookRead],
        [V11.rosterCore],
      );
      const narrowed = await token(`${V12.rosterCore} ${V12.gradebookRead}`);
      expect(narrowed.status).toBe(200);
      expect(narrowed.body['scope']).toBe(V12.rosterCore);
      for (const scope of [
        // The same category, but not the counterpart of what was approved (core ≠ full).
        V12.roster,
        V12.gradebookRead,
        V12.rosterDemographics,
        V11.gradebookRead,
        'https://purl.imsglobal.org/spec/or/v1p2/scope/no-such.readonly',
      ]) {
        const refused = await token(scope);
        expect({
          scope,
          status: refused.status,
          error: refused.body['error'],
        }).toEqual({ scope, status: 400, error: 'invalid_scope' });
        expect(refused.body['access_token']).toBeUndefined();
      }
    });

    it('grants a category that exists only in 1.2 (assessments) when the application asked for it', async () => {
      const { token, approval } = await approvedApplication(
        [V11.rosterCore, V12.assessmentRead],
        [V12.assessmentRead],
      );
      expect(approval.categories.map((c) => c.key)).toEqual([
        'assessmentsRead',
      ]);
      const res = await token(`${V12.assessmentRead} ${V12.rosterCore}`);
      expect(res.status).toBe(200);
      expect(res.body['scope']).toBe(V12.assessmentRead);
    });

    it('a revocation refuses tokens of both versions', async () => {
      const { token, app } = await approvedApplication(
        [V11.rosterCore, V11.roster],
        [V11.rosterCore, V11.roster],
      );
      expect((await token(V12.roster)).status).toBe(200);
      expect((await token(V11.roster)).status).toBe(200);
      const revoked = await call<ApprovalView>(
        adminA,
        'POST',
        `/portal/api/schools/${schoolA}/applications/${app.id}/revoke`,
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ categories: [], grantedScopes: [] });
      for (const scope of [V12.roster, V11.roster, undefined]) {
        const refused = await token(scope);
        expect({
          scope,
          status: refused.status,
          error: refused.body['error'],
        }).toEqual({ scope, status: 400, error: 'access_denied' });
      }
      const receipt = await call<ApprovalReceipt>(
        adminA,
        'GET',
        `/portal/api/receipts/${revoked.body.receiptId}`,
      );
      expect(receipt.body).toMatchObject({
        decision: 'revoked',
        scopes: [],
        categories: [],
        grantedScopes: [],
      });
    });

    it('the school sees categories in plain words with both versions\u2019 scopes; receipts and the integrator see both', async () => {
      const { app, approval } = await approvedApplication(
        [V11.rosterCore, V11.roster, V11.gradebookRead],
        [V11.rosterCore, V11.roster],
      );
      const rosters = {
        key: 'rosters',
        label: DATA_CATEGORIES.rosters.label,
        description: DATA_CATEGORIES.rosters.description,
        scopes: [V11.rosterCore, V11.roster],
        v1p1Scopes: [V11.rosterCore, V11.roster],
        v1p2Scopes: [V12.rosterCore, V12.roster],
      };
      const gradebook = {
        key: 'gradebookRead',
        label: DATA_CATEGORIES.gradebookRead.label,
        description: DATA_CATEGORIES.gradebookRead.description,
        scopes: [V11.gradebookRead],
        v1p1Scopes: [V11.gradebookRead],
        v1p2Scopes: [V12.gradebookCore, V12.gradebookRead],
      };
      const listed = await call<SchoolApplicationView[]>(
        adminA,
        'GET',
        `/portal/api/schools/${schoolA}/applications`,
      );
      const mine = listed.body.find((v) => v.application.id === app.id);
      expect(mine?.application.requestedCategories).toEqual([
        rosters,
        gradebook,
      ]);
      expect(mine?.approval?.categories).toEqual([rosters]);
      expect(sorted(mine?.approval?.grantedScopes ?? [])).toEqual(
        sorted([V11.rosterCore, V11.roster, V12.rosterCore, V12.roster]),
      );

      const receipt = await call<ApprovalReceipt>(
        developer,
        'GET',
        `/portal/api/receipts/${approval.receiptId}`,
      );
      expect(receipt.status).toBe(200);
      expect(receipt.body).toMatchObject({
        decision: 'approved',
        scopes: [V11.rosterCore, V11.roster],
        categories: [rosters],
      });
      expect(sorted(receipt.body.grantedScopes ?? [])).toEqual(
        sorted([V11.rosterCore, V11.roster, V12.rosterCore, V12.roster]),
      );

      const views = await call<ApplicationView[]>(
        developer,
        'GET',
        `/portal/api/integrators/${integratorId}/applications`,
      );
      expect(views.status).toBe(200);
      const view = views.body.find((a) => a.id === app.id);
      expect(view?.requestedCategories).toEqual([rosters, gradebook]);
      expect(
        view?.approvals.find((a) => a.schoolId === schoolA)?.categories,
      ).toEqual([rosters]);
    });

    it('documents the data categories with both versions\u2019 scopes in the portal API\u2019s Swagger', async () => {
      const doc = (await (
        await fetch(`${auth.issuer.replace(/\/oidc$/, '')}/docs-json`)
      ).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const approve =
        doc.paths[
          '/portal/api/schools/{schoolId}/applications/{appId}/approve'
        ];
      const text = JSON.stringify(approve);
      expect(text).toContain('requestBody');
      for (const scope of [V12.gradebookCore, V11.gradebookRead, 'rosters'])
        expect(text).toContain(scope);
      for (const path of [
        '/portal/api/schools/{schoolId}/applications',
        '/portal/api/integrators/{integratorId}/applications',
        '/portal/api/receipts/{receiptId}',
      ])
        expect(JSON.stringify(doc.paths[path])).toContain(V12.assessmentRead);
    });
  },
);
