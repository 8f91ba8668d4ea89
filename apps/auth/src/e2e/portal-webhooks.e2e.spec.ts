import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  PLATFORM_EVENT_TYPES,
  type ApplicationView,
  type AuditEventView,
  type CreatedAccount,
  type CreatedWebhook,
  type IntegratorSummary,
  type PlatformPage,
  type PortalError,
  type WebhookDeliveryView,
  type WebhookView,
} from '@oneroster/contracts';
import { verifyWebhook } from '@oneroster/data-access-platform';
import { setFirstPassword } from '@oneroster/data-access-portal';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import type { DemoCredentials } from '@oneroster/demo-data';
import { AccountEntity } from '@oneroster/entities';
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

const WEBHOOK_ENV = {
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '300',
  WEBHOOK_RETRY_MAX_MS: '2000',
  WEBHOOK_MAX_ATTEMPTS: '20',
  WEBHOOK_TIMEOUT_MS: '10000',
};

describe.each(testEngines('auth_portal_webhooks', { sqliteFile: true }))(
  'portal webhooks on $name',
  (engine) => {
    let auth: TestAuth;
    let demo: DemoCredentials;
    let ds: DataSource;
    let call: ReturnType<typeof portalClient>;
    let developer: PortalSession;
    let otherDeveloper: PortalSession;
    let adminA: PortalSession;
    let operator: PortalSession;
    let schoolA: string;
    let integratorId: string;
    let otherIntegratorId: string;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      const seeded = await seededDatabase(engine);
      demo = seeded.demo;
      auth = await startTestAuth(seeded.database, WEBHOOK_ENV);
      ds = await openDatabase(seeded.database);
      call = portalClient(auth.issuer.replace(/\/oidc$/, ''));
      schoolA = demo.clients[0].schoolId;
      developer = await sessionFor(ds, demo.developerEmail);
      adminA = await sessionFor(
        ds,
        await emailWithRole(ds, schoolA, 'school_admin'),
      );
      operator = await sessionFor(ds, demo.operatorEmail);
      integratorId = (
        await ds
          .getRepository(AccountEntity)
          .findOneByOrFail({ email: demo.developerEmail })
      ).integratorId as string;
      const other = await call<IntegratorSummary>(
        operator,
        'POST',
        '/portal/api/integrators',
        { name: 'Other Hooks Ltd', website: 'https://other-hooks.example.com' },
      );
      otherIntegratorId = other.body.id;
      const account = await call<CreatedAccount>(
        operator,
        'POST',
        '/portal/api/accounts',
        {
          email: `hooks-${Date.now()}@other-hooks.example.com`,
          displayName: 'Other hooks developer',
          platformRole: 'integrator_developer',
          integratorId: otherIntegratorId,
        },
      );
      await setFirstPassword(
        ds,
        account.body.id,
        'a password of its own',
        null,
      );
      otherDeveloper = await sessionFor(ds, account.body.email);
      receiver = new WebhookReceiver(await freePort());
      await receiver.start();
    }, 120_000);

    afterAll(async () => {
      await receiver?.stop();
      await ds?.destroy();
      await auth?.close();
    });

    const hooksOf = (id: string) => `/portal/api/integrators/${id}/webhooks`;

    const register = async (
      session: PortalSession,
      owner: string,
      body: unknown,
    ) => call<CreatedWebhook>(session, 'POST', hooksOf(owner), body);

    it('registers, lists without the secret, and deletes; bad input is 400 with every field', async () => {
      const before = await call<WebhookView[]>(
        developer,
        'GET',
        hooksOf(integratorId),
      );
      expect(before.status).toBe(200);
      const bad = await call<PortalError>(
        developer,
        'POST',
        hooksOf(integratorId),
        { url: 'http://hooks.example.com/x', events: ['nope'] },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_request');
      expect(Object.keys(bad.body.fields ?? {}).sort()).toEqual([
        'events',
        'url',
      ]);
      const notJson = await call<PortalError>(
        developer,
        'POST',
        hooksOf(integratorId),
        '[1,',
      );
      expect(notJson.status).toBe(400);
      const created = await register(developer, integratorId, {
        url: 'https://hooks.example.com/portal',
        events: ['approval.granted', 'approval.revoked'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        url: 'https://hooks.example.com/portal',
        events: ['approval.granted', 'approval.revoked'],
      });
      expect(created.body.secret).toMatch(/^whsec_/);
      const defaults = await register(developer, integratorId, {
        url: 'https://hooks.example.com/all',
      });
      expect(defaults.body.events).toEqual([...PLATFORM_EVENT_TYPES]);
      const listed = await call<WebhookView[]>(
        developer,
        'GET',
        hooksOf(integratorId),
      );
      expect(listed.body.map((w) => w.id)).toEqual([
        ...before.body.map((w) => w.id),
        created.body.id,
        defaults.body.id,
      ]);
      expect(JSON.stringify(listed.body)).not.toContain('whsec_');
      for (const hook of [created.body, defaults.body])
        expect(
          (await call(developer, 'DELETE', `/portal/api/webhooks/${hook.id}`))
            .status,
        ).toBe(204);
      expect(
        (await call<WebhookView[]>(developer, 'GET', hooksOf(integratorId)))
          .body,
      ).toEqual(before.body);
      expect(
        (
          await call(
            developer,
            'DELETE',
            `/portal/api/webhooks/${created.body.id}`,
          )
        ).status,
      ).toBe(404);
      const audit = await call<AuditEventView[]>(
        operator,
        'GET',
        '/portal/api/audit?limit=50',
      );
      const mine = audit.body.filter((e) => e.targetId === created.body.id);
      expect(mine.map((e) => e.action).sort()).toEqual([
        'webhook.created',
        'webhook.deleted',
      ]);
      expect(mine.every((e) => e.actor?.email === demo.developerEmail)).toBe(
        true,
      );
    });

    it('needs a session, the CSRF token and the developer role', async () => {
      const body = { url: 'https://hooks.example.com/csrf' };
      expect((await call(null, 'GET', hooksOf(integratorId))).status).toBe(401);
      const noCsrf = await call<PortalError>(
        developer,
        'POST',
        hooksOf(integratorId),
        body,
        { csrf: null },
      );
      expect([noCsrf.status, noCsrf.body.error]).toEqual([403, 'csrf']);
      const foreign = await call<PortalError>(
        developer,
        'POST',
        hooksOf(integratorId),
        body,
        { headers: { origin: 'https://evil.example.com' } },
      );
      expect([foreign.status, foreign.body.error]).toEqual([403, 'csrf']);
      for (const session of [adminA, operator]) {
        const res = await call<PortalError>(
          session,
          'GET',
          hooksOf(integratorId),
        );
        expect([res.status, res.body.error]).toEqual([403, 'forbidden']);
      }
      expect(
        (await call<WebhookView[]>(developer, 'GET', hooksOf(integratorId)))
          .body,
      ).not.toContainEqual(expect.objectContaining({ url: body.url }));
    });

    it("keeps integrators apart: another developer's webhooks and deliveries are 404", async () => {
      const mine = await register(developer, integratorId, {
        url: receiver.url('/isolated'),
      });
      expect(mine.status).toBe(201);
      const theirs = await register(otherDeveloper, otherIntegratorId, {
        url: receiver.url('/theirs'),
      });
      expect(theirs.status).toBe(201);
      const app = await newApprovedApplication();
      const delivery = await eventually(
        async () =>
          (
            await call<PlatformPage<WebhookDeliveryView>>(
              developer,
              'GET',
              `/portal/api/webhooks/${mine.body.id}/deliveries`,
            )
          ).body.data.find((d) => d.status === 'succeeded'),
        20_000,
        'the delivery',
      );
      expect(
        (await call(otherDeveloper, 'GET', hooksOf(integratorId))).status,
      ).toBe(404);
      expect(
        (
          await call(otherDeveloper, 'POST', hooksOf(integratorId), {
            url: 'https://hooks.example.com/intruder',
          })
        ).status,
      ).toBe(404);
      for (const [method, path] of [
        ['GET', `/portal/api/webhooks/${mine.body.id}/deliveries`],
        [
          'POST',
          `/portal/api/webhooks/${mine.body.id}/deliveries/${delivery.id}/replay`,
        ],
        ['DELETE', `/portal/api/webhooks/${mine.body.id}`],
        // Someone else's delivery under one's own webhook is unknown as well.
        [
          'POST',
          `/portal/api/webhooks/${theirs.body.id}/deliveries/${delivery.id}/replay`,
        ],
      ])
        expect((await call(otherDeveloper, method, path)).status).toBe(404);
      // The other integrator's list holds only its own; mine is untouched.
      expect(
        (
          await call<WebhookView[]>(
            otherDeveloper,
            'GET',
            hooksOf(otherIntegratorId),
          )
        ).body.map((w) => w.id),
      ).toEqual([theirs.body.id]);
      expect(
        (await call<WebhookView[]>(developer, 'GET', hooksOf(integratorId)))
          .body,
      ).toContainEqual(expect.objectContaining({ id: mine.body.id }));
      // The other integrator heard nothing of this integrator's approval.
      expect(receiver.received.filter((r) => r.path === '/theirs')).toEqual([]);
      expect(
        receiver
          .of(delivery.eventId, '/isolated')
          .every((r) => r.body.includes(app.id)),
      ).toBe(true);
      await call(developer, 'DELETE', `/portal/api/webhooks/${mine.body.id}`);
      await call(
        otherDeveloper,
        'DELETE',
        `/portal/api/webhooks/${theirs.body.id}`,
      );
    });

    it('shows the delivery log with every attempt, and replays a delivery', async () => {
      const hook = await register(developer, integratorId, {
        url: receiver.url('/log'),
        events: ['approval.granted'],
      });
      receiver.answer = (_id, attempt, path) =>
        path === '/log' && attempt === 1 ? 502 : 200;
      const app = await newApprovedApplication();
      const log = await eventually(
        async () => {
          const res = await call<PlatformPage<WebhookDeliveryView>>(
            developer,
            'GET',
            `/portal/api/webhooks/${hook.body.id}/deliveries`,
          );
          return res.body.data[0]?.status === 'succeeded'
            ? res.body
            : undefined;
        },
        20_000,
        'the delivery to succeed',
      );
      expect(log).toMatchObject({ total: 1, limit: 100, offset: 0 });
      const [delivery] = log.data;
      expect(delivery).toMatchObject({
        eventType: 'approval.granted',
        status: 'succeeded',
        attempts: 2,
        responseCode: 200,
        nextAttemptAt: null,
      });
      expect(delivery.log.map((a) => [a.attempt, a.responseCode])).toEqual([
        [1, 502],
        [2, 200],
      ]);
      expect(delivery.log[0].error).toBe('answered 502');
      const heard = receiver.of(delivery.eventId, '/log');
      expect(heard.map((h) => h.answered)).toEqual([502, 200]);
      expect(heard[0].body).toContain(app.id);
      expect(
        (
          await call<PortalError>(
            developer,
            'GET',
            `/portal/api/webhooks/${hook.body.id}/deliveries?limit=0`,
          )
        ).status,
      ).toBe(400);
      const noCsrf = await call(
        developer,
        'POST',
        `/portal/api/webhooks/${hook.body.id}/deliveries/${delivery.id}/replay`,
        undefined,
        { csrf: null },
      );
      expect(noCsrf.status).toBe(403);
      const replay = await call<WebhookDeliveryView>(
        developer,
        'POST',
        `/portal/api/webhooks/${hook.body.id}/deliveries/${delivery.id}/replay`,
      );
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({
        eventId: delivery.eventId,
        status: 'pending',
        attempts: 0,
      });
      await eventually(
        () => receiver.of(delivery.eventId, '/log').length === 3,
        10_000,
        'the replay to arrive',
      );
      const again = receiver.of(delivery.eventId, '/log')[2];
      expect(again.body).toBe(heard[0].body);
      expect(
        verifyWebhook(
          hook.body.secret,
          { timestamp: again.timestamp, signature: again.signature },
          again.body,
        ),
      ).toBe(true);
      const after = await eventually(
        async () => {
          const res = await call<PlatformPage<WebhookDeliveryView>>(
            developer,
            'GET',
            `/portal/api/webhooks/${hook.body.id}/deliveries`,
          );
          return res.body.data.find(
            (d) => d.id === replay.body.id && d.status === 'succeeded',
          )
            ? res.body
            : undefined;
        },
        10_000,
        'the replay in the log',
      );
      expect(after.total).toBe(2);
      expect(after.data.map((d) => d.id)).toEqual([
        replay.body.id,
        delivery.id,
      ]);
      const audit = await call<AuditEventView[]>(
        operator,
        'GET',
        '/portal/api/audit?limit=50',
      );
      expect(
        audit.body.find(
          (e) => e.action === 'webhook.replayed' && e.targetId === hook.body.id,
        )?.details,
      ).toMatchObject({
        deliveryId: delivery.id,
        newDeliveryId: replay.body.id,
      });
      receiver.answer = () => 200;
      await call(developer, 'DELETE', `/portal/api/webhooks/${hook.body.id}`);
    });

    /** A new application of the developer's integrator, approved at school A. */
    async function newApprovedApplication(): Promise<ApplicationView> {
      const created = await call<ApplicationView>(
        developer,
        'POST',
        `/portal/api/integrators/${integratorId}/applications`,
        {
          name: `Hooked app ${Math.random().toString(36).slice(2, 8)}`,
          requestedScopes: [rosterCore],
          redirectUris: ['https://hooked.example.com/callback'],
        },
      );
      expect(created.status).toBe(201);
      expect(
        (
          await call(
            developer,
            'POST',
            `/portal/api/applications/${created.body.id}/schools/${schoolA}/request`,
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await call(
            adminA,
            'POST',
            `/portal/api/schools/${schoolA}/applications/${created.body.id}/approve`,
            { scopes: [rosterCore] },
          )
        ).status,
      ).toBe(200);
      return created.body;
    }
  },
);
