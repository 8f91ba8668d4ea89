import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  PlatformWebhooks,
  WebhookDispatcher,
} from '@oneroster/data-access-platform';
import { PortalCredentials } from '@oneroster/data-access-portal';
import {
  INVALIDATION_BUS,
  type InvalidationBus,
} from '@oneroster/util-invalidation';
import {
  PlatformApprovalsController,
  PlatformCredentialsController,
  PlatformFallbackController,
  PlatformWebhooksController,
} from './platform.controllers';
import { PlatformImportsController } from './platform-imports.controller';
import { PLATFORM_SETTINGS, type PlatformSettings } from './platform-settings';
import { PlatformTokenGuard } from './platform-token.guard';

/**
 * The integrator platform API (`/platform/v1`, contract: @oneroster/contracts
 * platform-api.ts) and the webhook dispatcher, which runs while the module lives: started at
 * init, stopped at shutdown after the attempts in flight end. Needs TypeORM's DataSource,
 * the OIDC module (settings, signing key, invalidation bus) and the portal module (its
 * `PortalImports`: a school's MIS imports through the portal's jobs). Call `mountPlatform(app)`
 * before the app starts.
 */
@Module({})
export class PlatformModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
  ) {}

  static register(settings: PlatformSettings): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [
        PlatformApprovalsController,
        PlatformCredentialsController,
        PlatformWebhooksController,
        PlatformImportsController,
        PlatformFallbackController,
      ],
      providers: [
        { provide: PLATFORM_SETTINGS, useValue: settings },
        {
          provide: PlatformWebhooks,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new PlatformWebhooks(ds, {
              allowLoopbackHttp: settings.allowLoopbackHttp,
              allowPrivateTargets: settings.allowPrivateTargets,
            }),
        },
        {
          provide: PortalCredentials,
          inject: [DataSource, INVALIDATION_BUS],
          useFactory: (ds: DataSource, bus: InvalidationBus) =>
            new PortalCredentials(ds, settings.tokenEndpoint, bus),
        },
        {
          provide: WebhookDispatcher,
          inject: [DataSource],
          useFactory: (ds: DataSource) => {
            const logger = new Logger('webhooks');
            return new WebhookDispatcher(ds, {
              ...settings.dispatcher,
              targets: {
                allowLoopback: settings.allowLoopbackHttp,
                allowPrivate: settings.allowPrivateTargets ?? false,
              },
              onError: (message) => logger.warn(message),
            });
          },
        },
        PlatformTokenGuard,
      ],
    };
  }

  onModuleInit(): void {
    this.dispatcher.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
  }
}
