import {
  fresh,
  RateLimitStore,
  RateVerdict,
  UNLIMITED,
  verdict,
} from './rate-limit-store';

/**
 * Counters in this process only (one instance, or tests). Stale windows are swept as the
 * map grows, so memory stays bounded by the keys active in one window.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { end: number; hits: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepAbove = 50_000,
  ) {}

  async hit(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<RateVerdict> {
    if (limit <= 0) return UNLIMITED;
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.end) {
      if (!w && this.windows.size >= this.sweepAbove) this.sweep(now);
      w = { end: now + windowMs, hits: 0 };
      this.windows.set(key, w);
    }
    w.hits += 1;
    return verdict(w.hits, limit, w.end - now);
  }

  async check(key: string, limit: number): Promise<RateVerdict> {
    if (limit <= 0) return UNLIMITED;
    const now = this.now();
    const w = this.windows.get(key);
    if (!w || now >= w.end) return fresh(limit);
    return verdict(w.hits + 1, limit, w.end - now);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows)
      if (now >= w.end) this.windows.delete(key);
  }
}
