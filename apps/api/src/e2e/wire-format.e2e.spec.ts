import type { DataSource } from 'typeorm';
import { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
import { DemoCredentials, planTrust } from '@oneroster/demo-data';
import { AccountEntity, OAuthClientEntity } from '@oneroster/entities';
// The portal's own code changes the application, as the portal API does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PortalApplications, loadActor } from '@oneroster/data-access-portal';
import { AuthAndApi, startAuthAndApi } from './auth-and-api';
import {
  clientToken,
  newSigningJwk,
  sandboxClientOf,
  seedDemoDatabase,
} from './support';

const SECRET = 'wire-format-secret';
const BASE = '/ims/oneroster/v1p1';

/**
 * The per-application wire option for booleans, end to end: the developer sets it through
 * the portal's application code, the real auth server puts it in the next token, and the
 * API writes `enabledUser`, `primary` and the demographics flags accordingly.
 */
describe.each(testEngines('api_wire_format', { sqliteFile: true }))(
  'boolean wire format, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let demo: DemoCredentials;
    let ds: DataSource;
    let stack: AuthAndApi;
    const plan = planTrust({ size: 'demo' });
    const [school] = plan.schools;

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(engine, SECRET));
      stack = await startAuthAndApi(
        database,
        {
          AUTH_SIGNING_KEY: JSON.stringify(
            await newSigningJwk('wire-format-key'),
          ),
        },
        // The application is changed through another connection here: read clients afresh.
        (s) => ({ ...s, clientCacheMs: 0 }),
      );
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
      await ds?.destroy();
    });

    const clientId = () => sandboxClientOf(demo, school.schoolId);

    const token = () =>
      clientToken(`${stack.issuer}/token`, clientId(), SECRET);

    async function get(
      path: string,
      bearer: string,
    ): Promise<Record<string, Record<string, unknown>[]>> {
      const res = await fetch(`${stack.apiUrl}${BASE}${path}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, Record<string, unknown>[]>;
    }

    async function setFormat(format: unknown): Promise<void> {
      const client = await ds
        .getRepository(OAuthClientEntity)
        .findOneByOrFail({ clientId: clientId() });
      const developer = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ email: demo.developerEmail });
      const actor = await loadActor(ds, developer.id, '127.0.0.1');
      if (!actor) throw new Error('no developer');
      await new PortalApplications(ds).update(actor, client.applicationId, {
        booleanFormat: format,
      });
    }

    /** The boolean values of a user, an enrolment and a demographics record. */
    async function booleansRead(bearer: string): Promise<unknown[]> {
      const users = (await get('/users?limit=5', bearer))['users'];
      const enrollments = (await get('/enrollments?limit=5', bearer))[
        'enrollments'
      ];
      const demographics = (await get('/demographics?limit=5', bearer))[
        'demographics'
      ];
      const one = (
        await get(`/users/${String(users[0]['sourcedId'])}`, bearer)
      )['user'] as unknown as Record<string, unknown>;
      return [
        ...users.map((u) => u['enabledUser']),
        one['enabledUser'],
        ...enrollments.flatMap((e) => ('primary' in e ? [e['primary']] : [])),
        ...demographics.flatMap((d) => [
          d['americanIndianOrAlaskaNative'],
          d['white'],
          d['hispanicOrLatinoEthnicity'],
        ]),
      ].filter((v) => v !== undefined);
    }

    it('writes JSON booleans by default (the 1.1 OpenAPI types)', async () => {
      const values = await booleansRead(await token());
      expect(values.length).toBeGreaterThan(5);
      for (const v of values) expect(typeof v).toBe('boolean');
    });

    it('writes "true"/"false" strings for an application switched to string booleans, and JSON again when switched back', async () => {
      const before = await token();
      await setFormat('string');
      try {
        // A token issued before the change keeps its format; the next one carries the claim.
        for (const v of await booleansRead(before))
          expect(typeof v).toBe('boolean');
        const values = await booleansRead(await token());
        expect(values.length).toBeGreaterThan(5);
        for (const v of values) expect(['true', 'false']).toContain(v);
      } finally {
        await setFormat('json');
      }
      for (const v of await booleansRead(await token()))
        expect(typeof v).toBe('boolean');
    });

    it('refuses an unknown format by field, changing nothing', async () => {
      await expect(setFormat('yes')).rejects.toMatchObject({
        code: 'invalid_request',
        fields: { booleanFormat: 'must be one of json, string' },
      });
      for (const v of await booleansRead(await token()))
        expect(typeof v).toBe('boolean');
    });
  },
);
