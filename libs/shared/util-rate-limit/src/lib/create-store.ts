import { MemoryRateLimitStore } from './memory-store';
import type { RateLimitLogger, RateLimitStore } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-store';

export interface RateLimitStoreOptions {
  /** Redis to share counters between instances; null: this process only. */
  redisUrl: string | null;
  /** Key namespace in Redis, e.g. `oneroster:api:rl`. */
  prefix: string;
  logger: RateLimitLogger;
}

/** A Redis store (connected, or retrying in the background) when a URL is given, else memory. */
export async function createRateLimitStore(
  options: RateLimitStoreOptions,
): Promise<RateLimitStore> {
  if (!options.redisUrl) return new MemoryRateLimitStore();
  return new RedisRateLimitStore(options.redisUrl, {
    prefix: options.prefix,
    logger: options.logger,
  }).connect();
}
