import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APPROVAL_CACHE_TTL_MS } from '@oneroster/data-access-approvals';
import {
  createInvalidationBus,
  INVALIDATION_BUS,
  type InvalidationBus,
} from '@oneroster/util-invalidation';

export interface ApiInvalidationSettings {
  /** Redis to hear the other instances (the auth server's portal); null: this process only. */
  redisUrl: string | null;
  channel: string;
  /** How long the approval lookup keeps an answer (default 2 s; tests lengthen it). */
  approvalCacheTtlMs?: number;
}

/**
 * The API's invalidation bus (INVALIDATION_BUS, app-wide), which the approval lookup listens
 * to: an approval or client changed through the portal of any auth server instance drops
 * the lookup's cached answer at once. Closed when the app shuts down.
 */
@Module({})
export class ApiInvalidationModule implements OnApplicationShutdown {
  constructor(
    @Inject(INVALIDATION_BUS) private readonly bus: InvalidationBus,
  ) {}

  static register(settings: ApiInvalidationSettings): DynamicModule {
    return {
      module: ApiInvalidationModule,
      global: true,
      providers: [
        {
          provide: INVALIDATION_BUS,
          useFactory: () =>
            createInvalidationBus({
              redisUrl: settings.redisUrl,
              channel: settings.channel,
              logger: new Logger('api-invalidation'),
            }),
        },
        ...(settings.approvalCacheTtlMs === undefined
          ? []
          : [
              {
                provide: APPROVAL_CACHE_TTL_MS,
                useValue: settings.approvalCacheTtlMs,
              },
            ]),
      ],
      exports: [
        INVALIDATION_BUS,
        ...(settings.approvalCacheTtlMs === undefined
          ? []
          : [APPROVAL_CACHE_TTL_MS]),
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
