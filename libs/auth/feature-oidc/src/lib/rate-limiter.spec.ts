import { FixedWindowRateLimiter } from './rate-limiter';

describe('FixedWindowRateLimiter', () => {
  it('allows `limit` hits per key and window, then says when to retry', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowRateLimiter(2, 60_000, () => now);
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(true);
    now += 15_000;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.hit('b').allowed).toBe(true);
    now += 45_000;
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('never limits with a limit of 0', () => {
    const limiter = new FixedWindowRateLimiter(0);
    for (let i = 0; i < 100; i++) expect(limiter.hit('a').allowed).toBe(true);
  });

  it('checks without counting, refusing once the limit is used up', () => {
    let now = 0;
    const limiter = new FixedWindowRateLimiter(2, 60_000, () => now);
    expect(limiter.check('a').allowed).toBe(true);
    limiter.hit('a');
    expect(limiter.check('a').allowed).toBe(true);
    limiter.hit('a');
    now += 30_000;
    expect(limiter.check('a')).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
    expect(limiter.check('a').allowed).toBe(false);
    now += 30_000;
    expect(limiter.check('a').allowed).toBe(true);
  });
});
