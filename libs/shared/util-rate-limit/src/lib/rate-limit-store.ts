/**
 * Request counting shared by the apps (API requests per client; token requests and sign-in
 * attempts on the auth server). Rules every store follows:
 * - sliding window: a hit is admitted when the hits admitted in the last `windowMs` (the
 *   current fixed window plus the previous one weighted by how much of it still overlaps)
 *   stay within `limit`, so capacity comes back continuously, not all at once per window;
 *   a limit of 0 means no limit;
 * - counting is atomic (concurrent hits on any instance never admit more than `limit`); a
 *   refused hit is not counted, so a client that waits as told is admitted;
 * - a refused hit says in how many whole seconds the next one would be admitted
 *   (Retry-After, never less than 1, never early); `resetSeconds` says when the whole limit
 *   is available again;
 * - a store that cannot count (Redis unreachable) throws `RateLimitUnavailableError`, at once:
 *   the caller decides whether to fail open (API, token endpoint) or closed (sign-in).
 */
export interface RateVerdict {
  allowed: boolean;
  limit: number;
  /** Hits still admitted right now after this one (0 when refused). */
  remaining: number;
  /** Seconds until the next hit is admitted (0 when this one was). */
  retryAfterSeconds: number;
  /** Seconds until all of `limit` is available again. */
  resetSeconds: number;
}

/** What a counted hit leaves behind, to take it back (e.g. a sign-in that succeeded). */
export interface CountedHit {
  key: string;
  windowMs: number;
  /** The fixed window the hit was counted in. */
  window: number;
}

export interface RateLimitStore {
  /** Counts one hit of `key` if it is admitted, and judges it. */
  hit(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<RateVerdict & { counted: CountedHit | null }>;
  /** Takes back a counted hit (best effort: a failure is ignored). */
  refund(hit: CountedHit): Promise<void>;
  close(): Promise<void>;
}

/** The store could not count (its Redis is unreachable or too slow). */
export class RateLimitUnavailableError extends Error {
  constructor(cause: string) {
    super(`rate-limit store unavailable: ${cause}`);
    this.name = 'RateLimitUnavailableError';
  }
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
  resetSeconds: 0,
};
