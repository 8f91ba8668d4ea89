import { MemoryRateLimitStore } from './memory-store';

describe('MemoryRateLimitStore', () => {
  it('allows `limit` hits per key and window, then says when to retry', async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(() => now);
    await expect(store.hit('a', 2, 60_000)).resolves.toMatchObject({
      allowed: true,
      remaining: 1,
    });
    await expect(store.hit('a', 2, 60_000)).resolves.toMatchObject({
      allowed: true,
      remaining: 0,
    });
    now += 15_000;
    await expect(store.hit('a', 2, 60_000)).resolves.toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      retryAfterSeconds: 45,
    });
    await expect(store.hit('b', 2, 60_000)).resolves.toMatchObject({
      allowed: true,
    });
    now += 45_000;
    await expect(store.hit('a', 2, 60_000)).resolves.toMatchObject({
      allowed: true,
      remaining: 1,
    });
  });

  it('checks a window without counting a hit', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    await expect(store.check('a', 2)).resolves.toEqual({
      allowed: true,
      limit: 2,
      remaining: 2,
      retryAfterSeconds: 0,
    });
    await store.hit('a', 2, 60_000);
    await store.check('a', 2);
    await expect(store.check('a', 2)).resolves.toMatchObject({
      allowed: true,
      remaining: 0,
    });
    await store.hit('a', 2, 60_000);
    now = 20_000;
    await expect(store.check('a', 2)).resolves.toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      retryAfterSeconds: 40,
    });
    now = 60_000;
    await expect(store.check('a', 2)).resolves.toMatchObject({
      allowed: true,
    });
    await expect(store.check('a', 0)).resolves.toMatchObject({
      allowed: true,
    });
  });

  it('never limits with a limit of 0', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 100; i++)
      await expect(store.hit('a', 0, 60_000)).resolves.toMatchObject({
        allowed: true,
      });
  });

  it('sweeps expired windows once the map grows', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now, 3);
    for (const k of ['a', 'b', 'c']) await store.hit(k, 1, 1000);
    now = 2000;
    await store.hit('d', 1, 1000);
    // 'a' was swept: a fresh window, so the hit is allowed again.
    await expect(store.hit('a', 1, 1000)).resolves.toMatchObject({
      allowed: true,
    });
    await expect(store.hit('d', 1, 1000)).resolves.toMatchObject({
      allowed: false,
    });
  });
});
