import { DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { ApprovalLookup } from '@oneroster/data-access-approvals';
import { ApiUsageRecorder } from '@oneroster/data-access-usage';
import { DatabaseModule } from '@oneroster/database';
import { GradebookModule } from '@oneroster/feature-gradebook';
import { HealthModule } from '@oneroster/feature-health';
import { RosteringModule } from '@oneroster/feature-rostering';
import {
  GradebookV1p2Module,
  RosteringV1p2Module,
} from '@oneroster/feature-rostering-v1p2';
import { OneRosterHttpModule } from '@oneroster/util-http';
import { ApiInvalidationModule } from './invalidation.module';
import { API_VERSION } from './version';

export interface AppOptions {
  /** Redis key namespace of the rate limit (tests use one per run). */
  rateLimitPrefix?: string;
  /** How long requests in flight may finish when the app closes (default 10 s). */
  drainTimeoutMs?: number;
  /** How long the approval lookup keeps an answer (default 2 s; tests lengthen it). */
  approvalCacheTtlMs?: number;
  /** Rows all collection responses in flight may hold together (default 30,000). */
  maxRowsInFlight?: number;
}

@Module({})
export class AppModule {
  static register(
    config: PlatformConfig,
    options: AppOptions = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config.database, {
          replicas: config.replicas,
          // Read-your-writes across instances: the window is shared through Redis.
          sharedWrites: config.redisUrl
            ? {
                redisUrl: config.redisUrl,
                keyPrefix: config.invalidation.channel,
              }
            : null,
        }),
        ApiInvalidationModule.register({
          redisUrl: config.redisUrl,
          channel: config.invalidation.channel,
          approvalCacheTtlMs: options.approvalCacheTtlMs,
        }),
        OneRosterHttpModule.register(config.tokens, ApprovalLookup, {
          rateLimit: {
            perMinute: config.api.rateLimit,
            redisUrl: config.redisUrl,
            prefix: options.rateLimitPrefix,
          },
          usage: ApiUsageRecorder,
          drainTimeoutMs: options.drainTimeoutMs,
        }),
        HealthModule.forService({ name: 'api', version: API_VERSION }),
        RosteringModule.register({
          publicUrl: config.apiPublicUrl,
          maxRowsInFlight: options.maxRowsInFlight,
          queueTimeoutMs: config.api.queueTimeoutMs,
          largePagesPerClient: config.api.largePagesPerClient,
          writeIdleTimeoutMs: config.api.writeIdleTimeoutMs,
        }),
        GradebookModule.register({ publicUrl: config.apiPublicUrl }),
        RosteringV1p2Module,
        GradebookV1p2Module,
      ],
    };
  }
}
