import { Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  createRateLimitStore,
  hitOrAdmit,
  RateLimitStore,
  RateVerdict,
  UNLIMITED,
} from '@oneroster/util-rate-limit';

/**
 * The API's per-client request limit. Rules enforced:
 * - `perMinute` requests per client (the token's `client_id`) in any sliding minute, so a
 *   client over it regains capacity continuously (`@oneroster/util-rate-limit`), counted
 *   across every instance when Redis is configured; 0 turns the limit off;
 * - keys live under `<prefix>:client:<client_id>`, so several deployments can share a Redis;
 * - Redis unreachable: requests pass (fail open) with a logged warning: a limit that fails
 *   closed would take the whole API down with Redis.
 */
export interface ApiRateLimitSettings {
  perMinute: number;
  redisUrl: string | null;
  /** Redis key namespace (default `oneroster:api:rl`). */
  prefix?: string;
}

export const WINDOW_MS = 60_000;

export class ApiRateLimiter implements OnApplicationShutdown {
  private constructor(
    private readonly store: RateLimitStore | null,
    readonly perMinute: number,
  ) {}

  static async create(settings: ApiRateLimitSettings): Promise<ApiRateLimiter> {
    if (settings.perMinute <= 0) return new ApiRateLimiter(null, 0);
    const store = await createRateLimitStore({
      redisUrl: settings.redisUrl,
      prefix: settings.prefix ?? 'oneroster:api:rl',
      logger: new Logger('ApiRateLimiter'),
    });
    return new ApiRateLimiter(store, settings.perMinute);
  }

  hit(clientId: string): Promise<RateVerdict> {
    if (!this.store) return Promise.resolve(UNLIMITED);
    return hitOrAdmit(
      this.store,
      `client:${clientId}`,
      this.perMinute,
      WINDOW_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }
}
