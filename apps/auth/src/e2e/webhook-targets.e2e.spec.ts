import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  type ApplicationView,
  type CreatedWebhook,
  type PortalError,
} from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import {
  AccountEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from '@oneroster/entities';
import { freePort } from '@oneroster/testing-browser';
import {
  emailWithRole,
  portalClient,
  sessionFor,
  type PortalSession,
} from './portal-support';
import { eventually, WebhookReceiver } from './platform-support';
import { seededDatabase, startTestAuth, type TestAuth } from './support';

const { rosterCore } = ONEROSTER_SCOPES;

/** Production-like targets: no loopback http, no private targets. */
const STRICT_ENV = {
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_MAX_ATTEMPTS: '5',
  WEBHOOK_ALLOW_LOOPBACK_HTTP: 'false',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
};

/** A TCP listener that only counts who connects to it. */
async function connectionCounter(): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.destroy();
  });
  const port = await freePort();
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve()),
  );
  return {
    port,
    connections: () => sockets.length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(testEngines('auth_webhook_targets', { sqliteFile: true }))(
  'webhook targets on $name',
  (engine) => {
    let database: Parameters<typeof startTestAuth>[0];
    let demo: DemoCredentials;
    let auth: TestAuth;
    let ds: DataSource;
    let call: ReturnType<typeof portalClient>;
    let developer: PortalSession;
    let adminA: PortalSession;
    let schoolA: string;
    let integratorId: string;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      database = seeded.database;
      demo = seeded.demo;
      auth = await startTestAuth(database, STRICT_ENV);
      ds = await openDatabase(database);
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

    const hooks = () => `/portal/api/integrators/${integratorId}/webhooks`;

    async function approveNewApplication(): Promise<ApplicationView> {
      const app = await call<ApplicationView>(
        developer,
        'POST',
        `/portal/api/integrators/${integratorId}/applications`,
        {
          name: `Targets app ${Math.random().toString(36).slice(2, 8)}`,
          requestedScopes: [rosterCore],
          redirectUris: ['https://targets.example.com/callback'],
        },
      );
      expect(app.status).toBe(201);
      await call(
        developer,
        'POST',
        `/portal/api/applications/${app.body.id}/schools/${schoolA}/request`,
      );
      const approved = await call(
        adminA,
        'POST',
        `/portal/api/schools/${schoolA}/applications/${app.body.id}/approve`,
        { scopes: [rosterCore] },
      );
      expect(approved.status).toBe(200);
      return app.body;
    }

    it.each([
      ['https://10.0.0.1/hook', /10\.0\.0\.1 is a private address/],
      ['https://172.16.5.4/hook', /private address/],
      ['https://192.168.1.10/hook', /private address/],
      ['https://100.64.0.1/hook', /carrierGradeNat address/],
      ['https://127.0.0.1/hook', /loopback address/],
      ['https://2130706433/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://0177.0.0.1/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://0x7f.1/hook', /127\.0\.0\.1 is a loopback address/],
      ['https://[::1]/hook', /loopback address/],
      ['https://[::ffff:127.0.0.1]/hook', /loopback address/],
      ['https://[::ffff:a00:1]/hook', /private address/],
      ['https://169.254.169.254/latest/meta-data', /metadata address, never/],
      ['https://[::ffff:169.254.169.254]/', /metadata address, never/],
      ['https://[fd00:ec2::254]/', /metadata address, never/],
      ['https://169.254.1.1/hook', /linkLocal address/],
      ['https://[fe80::1]/hook', /linkLocal address/],
      ['https://[fd12:3456::1]/hook', /uniqueLocal address/],
      ['https://224.0.0.1/hook', /multicast address, never/],
      ['https://0.0.0.0/hook', /unspecified address, never/],
      ['https://localhost/hook', /localhost resolves to .*loopback address/],
    ])('refuses to register %s (400)', async (url, reason) => {
      const res = await call<PortalError>(developer, 'POST', hooks(), { url });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.fields?.['url']).toMatch(
        /^must reach a public address: /,
      );
      expect(res.body.fields?.['url']).toMatch(reason);
    });

    it('registers a public https target', async () => {
      const res = await call<CreatedWebhook>(developer, 'POST', hooks(), {
        url: 'https://93.184.215.14/hook',
      });
      expect(res.status).toBe(201);
      // Deleted at once: this test sends nothing anywhere.
      expect(
        (await call(developer, 'DELETE', `/portal/api/webhooks/${res.body.id}`))
          .status,
      ).toBe(204);
    });

    it('fails a delivery to a host that resolves to a private address, without connecting', async () => {
      const counter = await connectionCounter();
      try {
        // Endpoints as they would stand had their names resolved publicly at registration
        // and been rebound since: written straight into the table.
        const endpoints = [
          `https://localhost:${counter.port}/hook`,
          `http://127.0.0.1:${counter.port}/hook`,
        ].map((url): WebhookEndpointEntity => ({
          id: randomUUID(),
          integratorId,
          url,
          events: ['approval.granted'],
          secret: 'whsec_rebound',
          createdAt: new Date(),
          deletedAt: null,
        }));
        await ds.getRepository(WebhookEndpointEntity).insert(endpoints);
        await approveNewApplication();
        const failed = await eventually(
          async () => {
            const rows = await ds
              .getRepository(WebhookDeliveryEntity)
              .findBy(endpoints.map((e) => ({ endpointId: e.id })));
            return rows.length === 2 && rows.every((r) => r.status === 'failed')
              ? rows
              : undefined;
          },
          20_000,
          'both deliveries to fail',
        );
        // Refused at once: one attempt each, no retries, no response.
        expect(failed.map((d) => [d.attempts, d.responseCode])).toEqual([
          [1, null],
          [1, null],
        ]);
        const attempts = await ds
          .getRepository(WebhookAttemptEntity)
          .findBy(failed.map((d) => ({ deliveryId: d.id })));
        const errorOf = (url: string) => {
          const endpoint = endpoints.find((e) => e.url === url);
          const delivery = failed.find((d) => d.endpointId === endpoint?.id);
          return attempts.find((a) => a.deliveryId === delivery?.id)?.error;
        };
        expect(errorOf(endpoints[0].url)).toMatch(
          /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address \(private targets are off/,
        );
        expect(errorOf(endpoints[1].url)).toMatch(
          /^refused: 127\.0\.0\.1 is a loopback address/,
        );
        expect(counter.connections()).toBe(0);
        await ds.getRepository(WebhookEndpointEntity).update(
          endpoints.map((e) => e.id),
          { deletedAt: new Date() },
        );
      } finally {
        await counter.close();
      }
    });

    describe('with WEBHOOK_ALLOW_PRIVATE_TARGETS=true', () => {
      let open: TestAuth;
      let receiver: WebhookReceiver;

      beforeAll(async () => {
        // The strict server stops; the same database gets one that admits private targets.
        await auth.close();
        open = await startTestAuth(database, {
          ...STRICT_ENV,
          WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        });
        auth = open;
        call = portalClient(open.issuer.replace(/\/oidc$/, ''));
        receiver = new WebhookReceiver(await freePort());
        await receiver.start();
      }, 60_000);

      afterAll(async () => {
        await receiver?.stop();
      });

      it('registers private targets (deleted before any event) and delivers to a loopback receiver by its name', async () => {
        for (const url of ['https://10.0.0.1/hook', 'https://[fd12::1]/hook']) {
          const res = await call<CreatedWebhook>(developer, 'POST', hooks(), {
            url,
          });
          expect([url, res.status]).toEqual([url, 201]);
          await call(
            developer,
            'DELETE',
            `/portal/api/webhooks/${res.body.id}`,
          );
        }
        // Metadata addresses stay refused.
        const metadata = await call<PortalError>(developer, 'POST', hooks(), {
          url: 'https://169.254.169.254/',
        });
        expect(metadata.status).toBe(400);
        // The receiver speaks plain http, which registration refuses with loopback http off:
        // the endpoint is written into the table, and reached by its name.
        const hook: WebhookEndpointEntity = {
          id: randomUUID(),
          integratorId,
          url: `http://localhost:${receiver.port}/private`,
          events: ['approval.granted'],
          secret: 'whsec_private',
          createdAt: new Date(),
          deletedAt: null,
        };
        await ds.getRepository(WebhookEndpointEntity).insert(hook);
        const app = await approveNewApplication();
        const heard = await eventually(
          () =>
            receiver.received.find(
              (r) => r.path === '/private' && r.body.includes(app.id),
            ),
          20_000,
          'the delivery by name',
        );
        expect(heard.eventType).toBe('approval.granted');
        await ds
          .getRepository(WebhookEndpointEntity)
          .update({ id: hook.id }, { deletedAt: new Date() });
      });
    });
  },
);
