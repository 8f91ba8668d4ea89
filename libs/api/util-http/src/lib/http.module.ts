import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ApprovedSchools } from './approvals';
import { OneRosterAuthGuard } from './auth.guard';
import { OneRosterExceptionFilter } from './exception.filter';
import { DRAIN_TIMEOUT_MS, HttpDrain } from './http-drain';
import { ApiRateLimiter, ApiRateLimitSettings } from './rate-limit';
import {
  AccessTokenStrategy,
  TOKEN_SETTINGS,
  TokenSettings,
} from './token.strategy';
import { ApiTrafficInterceptor } from './traffic.interceptor';
import { ApiUsageSink, NoUsage } from './usage';

export interface HttpPolicyOptions {
  /** Requests per minute per client and where the counters live (default: no limit). */
  rateLimit?: ApiRateLimitSettings;
  /** Where authorised requests are counted (default: nowhere). */
  usage?: Type<ApiUsageSink>;
  /** How long requests in flight may run on after the app starts closing (default 10 s). */
  drainTimeoutMs?: number;
}

/**
 * The API's HTTP policy as providers (so tests get exactly what production gets): the
 * access-token strategy, the deny-by-default guard, the rate limit and usage count, the one
 * exception filter and the graceful drain on close. `approvals` is the live approval lookup
 * the guard intersects every token's schools with.
 */
@Module({})
export class OneRosterHttpModule {
  static register(
    tokens: TokenSettings,
    approvals: Type<ApprovedSchools>,
    options: HttpPolicyOptions = {},
  ): DynamicModule {
    const rateLimit = options.rateLimit ?? { perMinute: 0, redisUrl: null };
    return {
      module: OneRosterHttpModule,
      imports: [PassportModule],
      providers: [
        { provide: TOKEN_SETTINGS, useValue: tokens },
        { provide: ApprovedSchools, useClass: approvals },
        AccessTokenStrategy,
        { provide: APP_GUARD, useClass: OneRosterAuthGuard },
        {
          provide: ApiRateLimiter,
          useFactory: () => ApiRateLimiter.create(rateLimit),
        },
        { provide: ApiUsageSink, useClass: options.usage ?? NoUsage },
        { provide: APP_INTERCEPTOR, useClass: ApiTrafficInterceptor },
        { provide: APP_FILTER, useClass: OneRosterExceptionFilter },
        {
          provide: DRAIN_TIMEOUT_MS,
          useValue: options.drainTimeoutMs ?? 10_000,
        },
        HttpDrain,
      ],
      exports: [ApiUsageSink],
    };
  }
}
