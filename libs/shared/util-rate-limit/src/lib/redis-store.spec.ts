import { randomUUID } from 'node:crypto';
import { createRateLimitStore } from './create-store';
import { MemoryRateLimitStore } from './memory-store';
import { RedisRateLimitStore } from './redis-store';

/*
 * Runs against a real Redis when TEST_REDIS_URL names one (e.g. redis://127.0.0.1:6379);
 * every run uses its own key prefix. The fail-open case needs no Redis and always runs.
 */
const REDIS = process.env['TEST_REDIS_URL'];
const withRedis = REDIS ? describe : describe.skip;

const quietLogger = () => {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => warnings.push(m) };
};

withRedis('RedisRateLimitStore', () => {
  const prefix = `oneroster:test:${randomUUID()}`;
  let a: RedisRateLimitStore;
  let b: RedisRateLimitStore;
  const logger = quietLogger();

  beforeAll(async () => {
    a = await new RedisRateLimitStore(REDIS as string, {
      prefix,
      logger,
    }).connect();
    b = await new RedisRateLimitStore(REDIS as string, {
      prefix,
      logger,
    }).connect();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('shares one window between two stores (two instances)', async () => {
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
    expect(verdicts[4].retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(verdicts[4].retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(a.hit('client-2', 4, 60_000)).resolves.toMatchObject({
      allowed: true,
      remaining: 3,
    });
    expect(logger.warnings).toEqual([]);
  });

  it('counts concurrent hits atomically', async () => {
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).hit('burst', 20, 60_000),
      ),
    );
    expect(all.filter((v) => v.allowed)).toHaveLength(20);
  });

  it('starts a new window when the old one expires', async () => {
    await a.hit('short', 1, 300);
    await expect(a.hit('short', 1, 300)).resolves.toMatchObject({
      allowed: false,
    });
    await new Promise((r) => setTimeout(r, 400));
    await expect(b.hit('short', 1, 300)).resolves.toMatchObject({
      allowed: true,
    });
  });

  it('checks a window without counting, across instances', async () => {
    await expect(a.check('failures', 2)).resolves.toEqual({
      allowed: true,
      limit: 2,
      remaining: 2,
      retryAfterSeconds: 0,
    });
    await a.hit('failures', 2, 60_000);
    await expect(b.check('failures', 2)).resolves.toMatchObject({
      allowed: true,
      remaining: 0,
    });
    await b.hit('failures', 2, 60_000);
    for (let i = 0; i < 3; i++) {
      const v = await a.check('failures', 2);
      expect(v.allowed).toBe(false);
      expect(v.retryAfterSeconds).toBeGreaterThan(50);
    }
  });
});

describe('createRateLimitStore', () => {
  it('keeps counters in memory without a Redis URL', async () => {
    const store = await createRateLimitStore({
      redisUrl: null,
      prefix: 'x',
      logger: quietLogger(),
    });
    expect(store).toBeInstanceOf(MemoryRateLimitStore);
    await store.close();
  });

  it('fails open, with a warning, when Redis is unreachable', async () => {
    const logger = quietLogger();
    const started = Date.now();
    // Port 1 on the loopback refuses connections at once.
    const store = await new RedisRateLimitStore('redis://127.0.0.1:1', {
      prefix: 'x',
      logger,
      connectTimeoutMs: 200,
    }).connect();
    for (let i = 0; i < 3; i++) {
      await expect(store.hit('c', 1, 60_000)).resolves.toMatchObject({
        allowed: true,
      });
      await expect(store.check('c', 1)).resolves.toMatchObject({
        allowed: true,
      });
    }
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/fails open.*Redis is unreachable/);
    await store.close();
  });
});
