import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:net';
import { RateLimitUnavailableError, RateVerdict } from './rate-limit-store';
import { hitOrAdmit, SlidingWindowStore } from './store';

/*
 * The sliding-window store in memory (with a test clock), and against a real Redis when
 * TEST_REDIS_URL names one (e.g. redis://127.0.0.1:6379; every run uses its own key prefix).
 * The unreachable-Redis cases need no Redis and always run.
 */
const REDIS = process.env['TEST_REDIS_URL'];
const withRedis = REDIS ? describe : describe.skip;

const quietLogger = () => {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => warnings.push(m) };
};

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('SlidingWindowStore in memory', () => {
  const W = 10_000;
  let now: number;
  let store: SlidingWindowStore;

  beforeEach(async () => {
    // The start of a fixed window, so the arithmetic below is exact.
    now = 1_000 * W;
    store = await SlidingWindowStore.create({
      redisUrl: null,
      prefix: `t:${randomUUID()}`,
      logger: quietLogger(),
      now: () => now,
    });
  });

  afterEach(() => store.close());

  it('regains capacity gradually, and Retry-After is never early and never late by a second', async () => {
    const allowed = [];
    for (let i = 0; i < 4; i++) allowed.push(await store.hit('a', 4, W));
    expect(allowed.map((v) => [v.allowed, v.remaining])).toEqual([
      [true, 3],
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    // The four hits slide out over the next window: the first slot is back after a
    // quarter of it (12.5 s from now), the next ones 2.5 s apart, not all at once.
    now += 100;
    const refused = await store.hit('a', 4, W);
    expect(refused).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterSeconds: 13,
    });
    expect(refused.resetSeconds).toBeGreaterThanOrEqual(
      refused.retryAfterSeconds,
    );
    const start = now;
    now = start + (refused.retryAfterSeconds - 1) * 1000;
    await expect(store.hit('a', 4, W)).resolves.toMatchObject({
      allowed: false,
      retryAfterSeconds: 1,
    });
    now = start + refused.retryAfterSeconds * 1000;
    await expect(store.hit('a', 4, W)).resolves.toMatchObject({
      allowed: true,
      remaining: 0,
    });
    // The next slot is back halfway through this window, 1.9 s from now: retry after 2 s.
    const next = await store.hit('a', 4, W);
    expect(next).toMatchObject({ allowed: false, retryAfterSeconds: 2 });
    now += 1_000;
    await expect(store.hit('a', 4, W)).resolves.toMatchObject({
      allowed: false,
    });
    now += 1_000;
    await expect(store.hit('a', 4, W)).resolves.toMatchObject({
      allowed: true,
    });
    // Another key has its own budget.
    await expect(store.hit('b', 4, W)).resolves.toMatchObject({
      allowed: true,
      remaining: 3,
    });
  });

  it('does not count refused hits, so a client retrying early still gets in when told', async () => {
    for (let i = 0; i < 2; i++) await store.hit('c', 2, W);
    for (let i = 0; i < 20; i++)
      await expect(store.hit('c', 2, W)).resolves.toMatchObject({
        allowed: false,
      });
    // As if the 20 refusals had never been: 2 hits fade over the next window.
    now += W + W / 2;
    await expect(store.hit('c', 2, W)).resolves.toMatchObject({
      allowed: true,
    });
  });

  it('takes a counted hit back on refund', async () => {
    const first = await store.hit('d', 1, W);
    await expect(store.hit('d', 1, W)).resolves.toMatchObject({
      allowed: false,
    });
    if (!first.counted) throw new Error('expected a counted hit');
    await store.refund(first.counted);
    await expect(store.hit('d', 1, W)).resolves.toMatchObject({
      allowed: true,
    });
  });

  it('admits at most the limit among concurrent hits', async () => {
    const all = await Promise.all(
      Array.from({ length: 50 }, () => store.hit('burst', 20, W)),
    );
    expect(all.filter((v) => v.allowed)).toHaveLength(20);
  });

  it('never limits with a limit of 0', async () => {
    for (let i = 0; i < 50; i++)
      await expect(store.hit('z', 0, W)).resolves.toMatchObject({
        allowed: true,
      });
  });
});

withRedis('SlidingWindowStore on Redis', () => {
  const prefix = `oneroster:test:${randomUUID()}`;
  let a: SlidingWindowStore;
  let b: SlidingWindowStore;
  const logger = quietLogger();

  beforeAll(async () => {
    const options = { redisUrl: REDIS as string, prefix, logger };
    a = await SlidingWindowStore.create(options);
    b = await SlidingWindowStore.create(options);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('shares one limit between two stores (two instances)', async () => {
    const verdicts = [];
    for (let i = 0; i < 5; i++)
      verdicts.push(await (i % 2 ? b : a).hit('client-1', 4, 60_000));
    expect(verdicts.map((v) => v.allowed)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(verdicts[4].retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(verdicts[4].retryAfterSeconds).toBeLessThanOrEqual(120);
    await expect(a.hit('client-2', 4, 60_000)).resolves.toMatchObject({
      allowed: true,
      remaining: 3,
    });
    expect(logger.warnings).toEqual([]);
  });

  it('counts concurrent hits atomically across instances', async () => {
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).hit('burst', 20, 60_000),
      ),
    );
    expect(all.filter((v) => v.allowed)).toHaveLength(20);
  });

  it('admits again once Retry-After has passed (small window)', async () => {
    const W = 2_000;
    let refused: RateVerdict | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const v = await a.hit('short', 3, W);
      if (!v.allowed) refused = v;
    }
    expect(refused).toBeDefined();
    await new Promise((r) =>
      setTimeout(r, (refused?.retryAfterSeconds ?? 0) * 1000),
    );
    await expect(b.hit('short', 3, W)).resolves.toMatchObject({
      allowed: true,
    });
  });
});

describe('SlidingWindowStore with Redis unreachable', () => {
  it('says it cannot count, at once, with one warning; hitOrAdmit then admits', async () => {
    const logger = quietLogger();
    const store = await SlidingWindowStore.create({
      redisUrl: `redis://127.0.0.1:${await closedPort()}`,
      prefix: 'x',
      logger,
      connectTimeoutMs: 200,
    });
    try {
      for (let i = 0; i < 3; i++) {
        await expect(store.hit('c', 1, 60_000)).rejects.toBeInstanceOf(
          RateLimitUnavailableError,
        );
        await expect(hitOrAdmit(store, 'c', 1, 60_000)).resolves.toMatchObject({
          allowed: true,
        });
      }
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/Redis is unreachable/);
    } finally {
      await store.close();
    }
  });
});
