/**
 * In-memory fixed-window rate limiter (per process). Rules enforced:
 * - at most `limit` hits per key per window; a limit of 0 means no limit;
 * - a refused hit says how many whole seconds remain until the window resets (Retry-After);
 * - stale windows are dropped as the map grows, so memory stays bounded by active keys.
 */
export interface RateVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; hits: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateVerdict {
    if (this.limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= 50_000) this.sweep(now);
      w = { start: now, hits: 0 };
      this.windows.set(key, w);
    }
    w.hits += 1;
    if (w.hits <= this.limit) return { allowed: true, retryAfterSeconds: 0 };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((w.start + this.windowMs - now) / 1000),
      ),
    };
  }

  /** The verdict the next hit would get, without counting one (e.g. count failures only). */
  check(key: string): RateVerdict {
    if (this.limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.hits < this.limit)
      return { allowed: true, retryAfterSeconds: 0 };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((w.start + this.windowMs - now) / 1000),
      ),
    };
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows)
      if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
