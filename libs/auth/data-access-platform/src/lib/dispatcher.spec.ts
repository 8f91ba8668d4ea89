import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { WEBHOOK_HEADERS } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { migrate } from '@oneroster/database';
import {
  PlatformEventEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from '@oneroster/entities';
import { backoffMs, WebhookDispatcher } from './dispatcher';
import { emitPlatformEvent } from './events';
import { newWebhookSecret, verifyWebhook } from './signature';

const SETTINGS = {
  pollMs: 50,
  maxAttempts: 3,
  retryBaseMs: 100,
  retryMaxMs: 1000,
  timeoutMs: 2000,
  batchSize: 50,
  // The test's receiver is on loopback (development).
  targets: { allowLoopback: true, allowPrivate: false },
};

describe('backoffMs', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 100, 1000))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });
});

describe.each(
  testEngines('platform_da').map((e, i) => ({ ...e, port: 19420 + i })),
)('webhook dispatch on $name', (engine) => {
  let ds: DataSource;
  let second: DataSource;
  let server: Server;
  const got: { id: string; ok: boolean }[] = [];
  let answer = 200;
  let secret: string;

  beforeAll(async () => {
    const config = await engine.config();
    ds = await openDatabase(config);
    await migrate(ds);
    // A second instance: its own connections on MariaDB, the same one on in-memory SQLite.
    second = config.kind === 'mysql' ? await openDatabase(config) : ds;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const ok = verifyWebhook(
          secret,
          {
            timestamp: req.headers[WEBHOOK_HEADERS.timestamp] as string,
            signature: req.headers[WEBHOOK_HEADERS.signature] as string,
          },
          Buffer.concat(chunks).toString('utf8'),
        );
        got.push({ id: req.headers[WEBHOOK_HEADERS.id] as string, ok });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(engine.port, '127.0.0.1', r));
  }, 60_000);

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    if (second && second !== ds) await second.destroy();
    await ds?.destroy();
  });

  const anEndpoint = async (integratorId = randomUUID()) => {
    secret = newWebhookSecret();
    const endpoint: WebhookEndpointEntity = {
      id: randomUUID(),
      integratorId,
      url: `http://127.0.0.1:${engine.port}/hook`,
      events: ['approval.granted'],
      secret,
      createdAt: new Date(),
      deletedAt: null,
    };
    await ds.getRepository(WebhookEndpointEntity).insert(endpoint);
    return endpoint;
  };

  it('two dispatchers on one database make each attempt once, signed', async () => {
    const endpoint = await anEndpoint();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(
        await ds.transaction((em) =>
          emitPlatformEvent(em, endpoint.integratorId, 'approval.granted', {
            n: i,
          }),
        ),
      );
    got.length = 0;
    answer = 200;
    // A long timeout: a slow machine should not turn this into a test of retries.
    const settings = { ...SETTINGS, timeoutMs: 20_000 };
    const a = new WebhookDispatcher(ds, settings);
    const b = new WebhookDispatcher(second, settings);
    for (let round = 0; round < 3; round++)
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect([...new Set(got.map((g) => g.id))].sort()).toEqual([...ids].sort());
    expect(got.every((g) => g.ok)).toBe(true);
    const rows = await ds
      .getRepository(WebhookDeliveryEntity)
      .findBy({ endpointId: endpoint.id });
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'succeeded'));
    // Each attempt was made by one dispatcher only: the receiver saw exactly the attempts
    // the rows count, and each is logged once.
    for (const r of rows)
      expect(got.filter((g) => g.id === r.eventId)).toHaveLength(r.attempts);
    const attempts = await ds
      .getRepository(WebhookAttemptEntity)
      .createQueryBuilder('a')
      .where('a.deliveryId IN (:...ids)', { ids: rows.map((r) => r.id) })
      .getCount();
    expect(attempts).toBe(got.length);
    expect(got.length).toBeLessThan(2 * ids.length);
  });

  it('attempts again a delivery whose instance died mid-attempt (its lease ran out)', async () => {
    const endpoint = await anEndpoint();
    const eventId = await ds.transaction((em) =>
      emitPlatformEvent(em, endpoint.integratorId, 'approval.granted', {}),
    );
    // As a claim of an instance that stopped: delivering, one attempt, lease over.
    await ds.getRepository(WebhookDeliveryEntity).update(
      { eventId },
      {
        status: 'delivering',
        attempts: 1,
        nextAttemptAt: new Date(Date.now() - 1000),
      },
    );
    got.length = 0;
    await new WebhookDispatcher(ds, SETTINGS).tick();
    expect(got.map((g) => g.id)).toEqual([eventId]);
    const row = await ds
      .getRepository(WebhookDeliveryEntity)
      .findOneByOrFail({ eventId });
    expect([row.status, row.attempts]).toEqual(['succeeded', 2]);
  });

  it('retries a failing receiver after the backoff, then marks the delivery failed', async () => {
    const endpoint = await anEndpoint();
    const eventId = await ds.transaction((em) =>
      emitPlatformEvent(em, endpoint.integratorId, 'approval.granted', {}),
    );
    got.length = 0;
    answer = 500;
    const dispatcher = new WebhookDispatcher(ds, SETTINGS);
    await dispatcher.tick();
    let row = await ds
      .getRepository(WebhookDeliveryEntity)
      .findOneByOrFail({ eventId });
    expect([row.status, row.attempts, row.responseCode]).toEqual([
      'pending',
      1,
      500,
    ]);
    const wait = new Date(row.nextAttemptAt as Date).getTime() - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(100);
    await dispatcher.tick();
    expect(got).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 450));
      await dispatcher.tick();
    }
    row = await ds
      .getRepository(WebhookDeliveryEntity)
      .findOneByOrFail({ eventId });
    expect([row.status, row.attempts, row.nextAttemptAt]).toEqual([
      'failed',
      3,
      null,
    ]);
    expect(got).toHaveLength(3);
    answer = 200;
  });

  it('writes no event or delivery when the transaction rolls back', async () => {
    const endpoint = await anEndpoint();
    let eventId = '';
    await expect(
      ds.transaction(async (em) => {
        eventId = await emitPlatformEvent(
          em,
          endpoint.integratorId,
          'approval.granted',
          {},
        );
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(eventId).not.toBe('');
    expect(
      await ds.getRepository(PlatformEventEntity).countBy({ id: eventId }),
    ).toBe(0);
    expect(
      await ds.getRepository(WebhookDeliveryEntity).countBy({ eventId }),
    ).toBe(0);
  });
});

describe('verifyWebhook', () => {
  const secret = newWebhookSecret();
  const now = Date.now();
  const ts = Math.floor(now / 1000);

  it('accepts the signature it is given and refuses another secret, body or an old timestamp', async () => {
    const { signWebhook } = await import('./signature');
    const body = '{"id":"e1"}';
    const signature = signWebhook(secret, ts, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const ok = { timestamp: String(ts), signature };
    expect(verifyWebhook(secret, ok, body, now)).toBe(true);
    expect(verifyWebhook(newWebhookSecret(), ok, body, now)).toBe(false);
    expect(verifyWebhook(secret, ok, '{"id":"e2"}', now)).toBe(false);
    expect(verifyWebhook(secret, ok, body, now + 301_000)).toBe(false);
    expect(
      verifyWebhook(
        secret,
        { timestamp: String(ts + 1), signature },
        body,
        now,
      ),
    ).toBe(false);
  });
});
