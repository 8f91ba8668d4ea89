import type { DataSource } from 'typeorm';
import {
  ALL_INTEGRATOR_API_SCOPES,
  PLATFORM_API_PATH,
} from '@oneroster/contracts';
import { DatabaseConfig } from '@oneroster/config';
// The auth server's storage of platform credentials: these tests span both apps.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createIntegratorClient } from '@oneroster/data-access-auth';
import { testEngines } from '@oneroster/database/testing';
import { ApplicationEntity } from '@oneroster/entities';
import { AuthAndApi, startAuthAndApi } from './auth-and-api';
import { clientToken, sandboxClientOf, seedDemoDatabase } from './support';
import type { DemoCredentials } from '@oneroster/demo-data';

const SECRET = 'platform-token-secret';

describe.each(testEngines('api_platform_token', { sqliteFile: true }))(
  'integrator platform tokens at the OneRoster API, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let ds: DataSource;
    let demo: DemoCredentials;
    let stack: AuthAndApi;

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(engine, SECRET));
      stack = await startAuthAndApi(database);
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
      await ds?.destroy();
    });

    it('refuses a token of an integrator platform credential on every OneRoster route, where its school clients read', async () => {
      const schoolId = demo.clients[0].schoolId;
      const schoolClient = sandboxClientOf(demo, schoolId);
      const app = await ds
        .getRepository(ApplicationEntity)
        .findOneByOrFail({
          id: (
            await ds.query(
              'SELECT application_id AS id FROM oauth_clients WHERE client_id = ?',
              [schoolClient],
            )
          )[0].id,
        });
      const { client, clientSecret } = await createIntegratorClient(
        ds,
        app.integratorId,
        [...ALL_INTEGRATOR_API_SCOPES],
      );
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        resource: `${stack.authUrl}${PLATFORM_API_PATH}`,
      });
      const res = await fetch(`${stack.issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: form,
      });
      expect(res.status).toBe(200);
      const platformToken = ((await res.json()) as { access_token: string })
        .access_token;
      const schoolToken = await clientToken(
        `${stack.issuer}/token`,
        schoolClient,
        SECRET,
      );
      for (const path of [
        '/ims/oneroster/v1p1/orgs',
        `/ims/oneroster/v1p1/schools/${schoolId}`,
        '/ims/oneroster/v1p1/users',
        '/ims/oneroster/v1p1/lineItems',
      ]) {
        const refused = await fetch(`${stack.apiUrl}${path}`, {
          headers: { authorization: `Bearer ${platformToken}` },
        });
        expect({ path, status: refused.status }).toEqual({ path, status: 401 });
        const served = await fetch(`${stack.apiUrl}${path}`, {
          headers: { authorization: `Bearer ${schoolToken}` },
        });
        expect(served.status).not.toBe(401);
      }
    });
  },
);
