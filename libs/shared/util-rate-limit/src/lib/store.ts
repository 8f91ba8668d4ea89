import { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import {
  CountedHit,
  RateLimitLogger,
  RateLimitStore,
  RateLimitUnavailableError,
  RateVerdict,
  UNLIMITED,
} from './rate-limit-store';
import { fits, judge, WindowCounts } from './sliding-window';

/**
 * The sliding-window store over rate-limiter-flexible's atomic counters: one counter per key
 * and fixed window (`<prefix>:<key>:<window number>`, kept for two windows), in this process
 * (RateLimiterMemory) or in Redis (RateLimiterRedis: one Lua script per hit), where every
 * instance counts the same hits. A hit increments its window's counter first and is judged
 * on the result, so concurrent hits are admitted at most `limit` times; a refused one is
 * taken back. The window numbers come from this instance's clock (instances keep their
 * clocks in sync, as NTP does).
 */
export interface RateLimitStoreOptions {
  /** Redis to share counters between instances; null: this process only. */
  redisUrl: string | null;
  /** Key namespace, e.g. `oneroster:api:rl` (several apps may share one Redis). */
  prefix: string;
  logger: RateLimitLogger;
  /** How long a hit may wait for Redis (ms) before the store says it cannot count. */
  commandTimeoutMs?: number;
  /** How long a connection attempt may take (ms). */
  connectTimeoutMs?: number;
  /** Time between two "Redis unreachable" warnings (ms). */
  warnEveryMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** Never refuses by itself: the verdict is computed from the counts. */
const NO_LIMIT_POINTS = Number.MAX_SAFE_INTEGER;

export class SlidingWindowStore implements RateLimitStore {
  private readonly limiters = new Map<number, RateLimiterAbstract>();
  private readonly redis: Redis | null;
  private readonly now: () => number;
  private lastWarning = 0;

  private constructor(private readonly options: RateLimitStoreOptions) {
    this.now = options.now ?? Date.now;
    this.redis = options.redisUrl
      ? new Redis(options.redisUrl, {
          lazyConnect: true,
          // No queue while disconnected: a hit fails at once instead of waiting.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: options.commandTimeoutMs ?? 500,
          connectTimeout: options.connectTimeoutMs ?? 2000,
          // Bounds how long a closed store keeps a timer alive for a socket that never opened.
          disconnectTimeout: 200,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        })
      : null;
    this.redis?.on('error', (err: Error) => this.warn(err.message));
  }

  /**
   * A Redis store when a URL is given (connected, or retrying in the background: a failed
   * first connection is logged, not thrown), else one in memory.
   */
  static async create(
    options: RateLimitStoreOptions,
  ): Promise<SlidingWindowStore> {
    const store = new SlidingWindowStore(options);
    await store.redis?.connect().catch((err: Error) => store.warn(err.message));
    return store;
  }

  async hit(
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<RateVerdict & { counted: CountedHit | null }> {
    if (limit <= 0) return { ...UNLIMITED, counted: null };
    const limiter = this.limiter(windowMs);
    const now = this.now();
    const window = Math.floor(now / windowMs);
    const counted: CountedHit = { key, windowMs, window };
    const [current, previous] = await this.call(() =>
      Promise.all([
        limiter.consume(this.keyOf(key, window), 1),
        limiter.get(this.keyOf(key, window - 1)),
      ]),
    );
    const counts: WindowCounts = {
      limit,
      windowMs,
      previous: previous?.consumedPoints ?? 0,
      current: current.consumedPoints,
      elapsedMs: now - window * windowMs,
    };
    if (fits(counts)) return { ...judge(counts, true), counted };
    await this.refund(counted);
    return {
      ...judge({ ...counts, current: counts.current - 1 }, false),
      counted: null,
    };
  }

  async refund(hit: CountedHit): Promise<void> {
    await this.limiter(hit.windowMs)
      .reward(this.keyOf(hit.key, hit.window), 1)
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === 'ready')
      await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }

  private keyOf(key: string, window: number): string {
    return `${key}:${window}`;
  }

  private limiter(windowMs: number): RateLimiterAbstract {
    let limiter = this.limiters.get(windowMs);
    if (!limiter) {
      const options = {
        keyPrefix: this.options.prefix,
        points: NO_LIMIT_POINTS,
        // A window's counter is read during the next window too.
        duration: Math.max(1, Math.ceil((2 * windowMs) / 1000)),
      };
      limiter = this.redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: this.redis,
            rejectIfRedisNotReady: true,
          })
        : new RateLimiterMemory(options);
      this.limiters.set(windowMs, limiter);
    }
    return limiter;
  }

  /** Runs a store command; any failure means the store cannot count now. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      // rate-limiter-flexible rejects with a RateLimiterRes only when points run out,
      // which NO_LIMIT_POINTS rules out; anything else is the store failing.
      const message =
        err instanceof RateLimiterRes
          ? 'unexpected refusal'
          : err instanceof Error
            ? err.message
            : String(err);
      this.warn(message);
      throw new RateLimitUnavailableError(message);
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < (this.options.warnEveryMs ?? 30_000)) return;
    this.lastWarning = now;
    this.options.logger.warn(
      `Rate limiting: Redis is unreachable (${message})`,
    );
  }
}

/** A Redis store when a URL is given, else memory (see `SlidingWindowStore.create`). */
export const createRateLimitStore = (
  options: RateLimitStoreOptions,
): Promise<SlidingWindowStore> => SlidingWindowStore.create(options);

/**
 * For callers that fail open (the API, the token endpoint): the verdict, or UNLIMITED when
 * the store cannot count (already logged by the store).
 */
export async function hitOrAdmit(
  store: RateLimitStore,
  key: string,
  limit: number,
  windowMs: number,
): Promise<RateVerdict> {
  try {
    return await store.hit(key, limit, windowMs);
  } catch (err) {
    if (err instanceof RateLimitUnavailableError) return UNLIMITED;
    throw err;
  }
}
