import {
  DynamicModule,
  INestApplication,
  Inject,
  Logger,
  Module,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type Provider from 'oidc-provider';
import { purgeExpiredOidcModels } from '@oneroster/data-access-auth';
import { createOidcProvider } from './oidc-provider.factory';
import { OIDC_PROVIDER, OIDC_SETTINGS, OidcSettings } from './oidc-settings';
import { InteractionController } from './sign-in/interaction.controller';
import { SignInService } from './sign-in/sign-in.service';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * The authorization server as a Nest module: the configured oidc-provider instance
 * (OIDC_PROVIDER), its sign-in pages (`/interaction/:uid`) and a periodic purge of expired
 * provider records. Mount it with `mountOidc(app)` before the app starts listening.
 */
@Module({})
export class OidcModule implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('oidc');

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static register(settings: OidcSettings): DynamicModule {
    return {
      module: OidcModule,
      controllers: [InteractionController],
      providers: [
        SignInService,
        { provide: OIDC_SETTINGS, useValue: settings },
        {
          provide: OIDC_PROVIDER,
          inject: [OIDC_SETTINGS, DataSource],
          useFactory: (s: OidcSettings, dataSource: DataSource) =>
            createOidcProvider({ settings: s, dataSource }),
        },
      ],
      exports: [OIDC_PROVIDER, OIDC_SETTINGS],
    };
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      purgeExpiredOidcModels(this.dataSource).catch((err: unknown) =>
        this.logger.warn(
          `purge of expired authorization records failed: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    }, PURGE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * Mounts the provider at the issuer's path (`/oidc` by default). Called before the app
 * initialises, so it runs ahead of Nest's body parsers (oidc-provider reads its own bodies).
 */
export function mountOidc(app: INestApplication): void {
  const provider = app.get<Provider>(OIDC_PROVIDER);
  const settings = app.get<OidcSettings>(OIDC_SETTINGS);
  const path = new URL(settings.issuer).pathname.replace(/\/$/, '') || '/';
  app.use(path, provider.callback());
}
