/**
 * Fixed-window request counting shared by the apps (API requests per client; token requests
 * and failed sign-ins on the auth server). Rules every store follows:
 * - at most `limit` hits per key per window; a limit of 0 means no limit;
 * - a refused hit says how many whole seconds remain until its window resets (Retry-After),
 *   never less than 1;
 * - a store that cannot count (Redis unreachable) lets the hit through and says so through
 *   its logger: a limit that fails open degrades protection, one that fails closed would
 *   take the whole API down with Redis.
 */
export interface RateVerdict {
  allowed: boolean;
  limit: number;
  /** Hits left in this window after this one. */
  remaining: number;
  /** Seconds until the window resets (0 when the hit was not counted). */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  /** Counts one hit of `key` in its current window and judges it. */
  hit(key: string, limit: number, windowMs: number): Promise<RateVerdict>;
  /**
   * The verdict the next hit of `key` would get, without counting one (to count only some
   * outcomes, e.g. failed sign-ins, and refuse every attempt once they reach the limit).
   */
  check(key: string, limit: number): Promise<RateVerdict>;
  close(): Promise<void>;
}

/** What a store reports to (a Nest `Logger` fits). */
export interface RateLimitLogger {
  warn(message: string): void;
  log?(message: string): void;
}

export const UNLIMITED: RateVerdict = {
  allowed: true,
  limit: 0,
  remaining: 0,
  retryAfterSeconds: 0,
};

/** What `check` answers for a key without a window: nothing counted yet. */
export const fresh = (limit: number): RateVerdict => ({
  allowed: true,
  limit,
  remaining: limit,
  retryAfterSeconds: 0,
});

export function verdict(
  hits: number,
  limit: number,
  msLeft: number,
): RateVerdict {
  return {
    allowed: hits <= limit,
    limit,
    remaining: Math.max(0, limit - hits),
    retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}
