import { Redis } from 'ioredis';
import {
  fresh,
  RateLimitLogger,
  RateLimitStore,
  RateVerdict,
  UNLIMITED,
  verdict,
} from './rate-limit-store';

/*
 * One round trip, atomic: count the hit, start the window on the first hit, and return the
 * count with the time left. A key that lost its expiry (PTTL -1) gets it back, so no counter
 * can live forever.
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if hits == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
`;

/* The count and time left of a window, without counting (0 hits: no window). */
const CHECK_SCRIPT = `
local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
return {hits, redis.call('PTTL', KEYS[1])}
`;

export interface RedisRateLimitOptions {
  /** Namespace of every key, e.g. `oneroster:api:rl` (several apps may share one Redis). */
  prefix: string;
  logger: RateLimitLogger;
  /** How long a hit may wait for Redis before it is let through (ms). */
  commandTimeoutMs?: number;
  /** How long a connection attempt may take (ms). */
  connectTimeoutMs?: number;
  /** Time between two "Redis unreachable" warnings (ms). */
  warnEveryMs?: number;
}

type WithHit = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitCheck(key: string): Promise<[number, number]>;
};

/**
 * Counters in Redis, shared by every instance. While Redis cannot be reached hits fail open
 * (allowed, not counted) with a warning at most every `warnEveryMs`; commands are not queued
 * while disconnected, so no request waits for a reconnection.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: WithHit;
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly options: RedisRateLimitOptions,
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      // Bounds how long a closed store keeps a timer alive for a socket that never opened.
      disconnectTimeout: 200,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }) as WithHit;
    this.redis.defineCommand('rateLimitHit', {
      numberOfKeys: 1,
      lua: HIT_SCRIPT,
    });
    this.redis.defineCommand('rateLimitCheck', {
      numberOfKeys: 1,
      lua: CHECK_SCRIPT,
    });
    this.redis.on('error', (err: Error) => this.warn(err.message));
  }

  /** Connects (bounded); a failure is logged and the store keeps trying in the background. */
  async connect(): Promise<this> {
    try {
      await this.redis.connect();
    } catch (err) {
      this.warn((err as Error).message);
    }
    return this;
  }

  async hit(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<RateVerdict> {
    if (limit <= 0) return UNLIMITED;
    try {
      const [hits, ttl] = await this.redis.rateLimitHit(
        `${this.options.prefix}:${key}`,
        windowMs,
      );
      return verdict(Number(hits), limit, Number(ttl));
    } catch (err) {
      this.warn((err as Error).message);
      return UNLIMITED;
    }
  }

  async check(key: string, limit: number): Promise<RateVerdict> {
    if (limit <= 0) return UNLIMITED;
    try {
      const [hits, ttl] = await this.redis.rateLimitCheck(
        `${this.options.prefix}:${key}`,
      );
      if (Number(hits) === 0 || Number(ttl) <= 0) return fresh(limit);
      return verdict(Number(hits) + 1, limit, Number(ttl));
    } catch (err) {
      this.warn((err as Error).message);
      return UNLIMITED;
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready')
      await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < (this.options.warnEveryMs ?? 30_000)) return;
    this.lastWarning = now;
    this.options.logger.warn(
      `Rate limiting fails open: Redis is unreachable (${message})`,
    );
  }
}
