import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:net';
import { Redis } from 'ioredis';
import {
  decodeMessage,
  InProcessInvalidationBus,
  InvalidationBus,
} from './invalidation-bus';
import {
  createInvalidationBus,
  RedisInvalidationBus,
} from './redis-invalidation-bus';

/*
 * The in-process bus always; the Redis bus against a real Redis when TEST_REDIS_URL names
 * one (every test on a channel of its own). No timers: each test waits for the message it
 * expects, and Redis delivers one channel's messages to a subscriber in order, so a later
 * message arriving proves an earlier one did (or was ignored).
 */
const REDIS = process.env['TEST_REDIS_URL'];
const withRedis = REDIS ? describe : describe.skip;

const recordingLogger = () => {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => warnings.push(m) };
};

/** Resolves with the first key `bus` delivers on `topic` that satisfies `match`. */
function next(
  bus: InvalidationBus,
  topic: 'application' | 'client',
  match: (key: string | null) => boolean = () => true,
): Promise<string | null> {
  return new Promise((resolve) => {
    const stop = bus.subscribe(topic, (key) => {
      if (!match(key)) return;
      stop();
      resolve(key);
    });
  });
}

describe('InProcessInvalidationBus', () => {
  it('tells the handlers of the topic, before publish resolves, and not once unsubscribed', async () => {
    const bus = new InProcessInvalidationBus(recordingLogger());
    const approvals: (string | null)[] = [];
    const clients: (string | null)[] = [];
    const stop = bus.subscribe('application', (k) => approvals.push(k));
    bus.subscribe('client', (k) => clients.push(k));
    await bus.publish('application', 'app-1');
    expect(approvals).toEqual(['app-1']);
    expect(clients).toEqual([]);
    stop();
    await bus.publish('application', 'app-2');
    await bus.publish('client', 'c-1');
    expect(approvals).toEqual(['app-1']);
    expect(clients).toEqual(['c-1']);
  });

  it('logs a failing handler and still runs the others', async () => {
    const logger = recordingLogger();
    const bus = new InProcessInvalidationBus(logger);
    const seen: (string | null)[] = [];
    bus.subscribe('client', () => {
      throw new Error('boom');
    });
    bus.subscribe('client', (k) => seen.push(k));
    await expect(bus.publish('client', 'c-1')).resolves.toBeUndefined();
    expect(seen).toEqual(['c-1']);
    expect(logger.warnings).toEqual([expect.stringMatching(/boom/)]);
  });

  it('is what createInvalidationBus gives without a Redis URL', async () => {
    const bus = await createInvalidationBus({
      redisUrl: null,
      channel: 'unused',
      logger: recordingLogger(),
    });
    expect(bus).toBeInstanceOf(InProcessInvalidationBus);
  });
});

describe('decodeMessage', () => {
  it.each([
    ['not json', 'not JSON'],
    ['[1]', 'not an object'],
    ['{"v":2,"origin":"o","topic":"client","key":"k"}', 'unknown version'],
    ['{"v":1,"topic":"client","key":"k"}', 'no origin'],
    ['{"v":1,"origin":"o","topic":"accounts","key":"k"}', 'unknown topic'],
    ['{"v":1,"origin":"o","topic":"client","key":""}', 'no key'],
  ])('refuses %s (%s)', (raw, reason) => {
    expect(decodeMessage(raw)).toEqual({ malformed: reason });
  });
});

withRedis('RedisInvalidationBus', () => {
  const open: InvalidationBus[] = [];
  const raw = () => new Redis(REDIS as string, { lazyConnect: true });
  let channel: string;

  beforeEach(() => {
    channel = `oneroster:test:invalidate:${randomUUID()}`;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  async function bus(logger = recordingLogger()) {
    const created = await RedisInvalidationBus.create({
      redisUrl: REDIS as string,
      channel,
      logger,
    });
    open.push(created);
    return created;
  }

  it('tells another instance, and the publishing one exactly once (its echo is ignored)', async () => {
    const a = await bus();
    const b = await bus();
    const seenByA: (string | null)[] = [];
    a.subscribe('client', (k) => seenByA.push(k));
    const atB = next(b, 'client');
    await a.publish('client', 'c-1');
    // Delivered locally inside publish, before any network round trip.
    expect(seenByA).toEqual(['c-1']);
    await expect(atB).resolves.toBe('c-1');
    const k2AtA = next(a, 'client', (k) => k === 'c-2');
    await b.publish('client', 'c-2');
    await k2AtA;
    // a's own echo of c-1 reached it before c-2 did, and was ignored.
    expect(seenByA).toEqual(['c-1', 'c-2']);
  });

  it('keeps topics and channels apart', async () => {
    const a = await bus();
    const b = await bus();
    const elsewhere = await RedisInvalidationBus.create({
      redisUrl: REDIS as string,
      channel: `${channel}:other`,
      logger: recordingLogger(),
    });
    open.push(elsewhere);
    const seen: (string | null)[] = [];
    b.subscribe('application', (k) => seen.push(k));
    elsewhere.subscribe('client', (k) => seen.push(`elsewhere:${k}`));
    const last = next(b, 'client');
    await a.publish('application', 'app-1');
    await a.publish('client', 'c-1');
    await expect(last).resolves.toBe('c-1');
    expect(seen).toEqual(['app-1']);
  });

  it('ignores malformed messages with a warning, and goes on', async () => {
    const logger = recordingLogger();
    const b = await bus(logger);
    const seen: (string | null)[] = [];
    b.subscribe('client', (k) => seen.push(k));
    const publisher = raw();
    try {
      await publisher.connect();
      await publisher.publish(channel, 'garbage{');
      await publisher.publish(
        channel,
        JSON.stringify({ v: 1, origin: 'x', topic: 'nope', key: 'k' }),
      );
      const good = next(b, 'client');
      await publisher.publish(
        channel,
        JSON.stringify({ v: 1, origin: 'x', topic: 'client', key: 'c-9' }),
      );
      await expect(good).resolves.toBe('c-9');
    } finally {
      publisher.disconnect();
    }
    expect(seen).toEqual(['c-9']);
    expect(logger.warnings).toEqual([
      expect.stringMatching(/malformed message .*\(not JSON\)/),
      expect.stringMatching(/malformed message .*\(unknown topic\)/),
    ]);
  });

  it('after losing its connection, resubscribes and tells its handlers that anything may have changed', async () => {
    const a = await bus();
    const b = await bus();
    const reset = next(b, 'application');
    const admin = raw();
    try {
      await admin.connect();
      const clients = String(await admin.client('LIST'));
      const line = clients
        .split('\n')
        .find(
          (l) =>
            l.includes(`name=oneroster-invalidation-${b.instanceId}`) &&
            /cmd=(subscribe|ping)/.test(l),
        );
      const id = /(?:^|\s)id=(\d+)/.exec(line ?? '')?.[1];
      if (!id) throw new Error(`no subscriber connection in:\n${clients}`);
      await admin.client('KILL', 'ID', id);
    } finally {
      admin.disconnect();
    }
    await expect(reset).resolves.toBeNull();
    const after = next(b, 'client');
    await a.publish('client', 'c-after');
    await expect(after).resolves.toBe('c-after');
  });
});

describe('RedisInvalidationBus with Redis unreachable', () => {
  it('still tells this instance, and publish resolves with one warning', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const logger = recordingLogger();
    const bus = await RedisInvalidationBus.create({
      redisUrl: `redis://127.0.0.1:${port}`,
      channel: 'unreachable',
      logger,
    });
    try {
      const seen: (string | null)[] = [];
      bus.subscribe('client', (k) => seen.push(k));
      await expect(bus.publish('client', 'c-1')).resolves.toBeUndefined();
      await expect(bus.publish('client', 'c-2')).resolves.toBeUndefined();
      expect(seen).toEqual(['c-1', 'c-2']);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/Redis is unreachable/);
    } finally {
      await bus.close();
    }
  });
});
