import {
  DynamicModule,
  INestApplication,
  Inject,
  Logger,
  Module,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import type {
  IncomingMessage,
  RequestListener,
  Server,
  ServerResponse,
} from 'node:http';
import { DataSource } from 'typeorm';
import type Provider from 'oidc-provider';
import { purgeExpiredOidcModels } from '@oneroster/data-access-auth';
import {
  createRateLimitStore,
  RateLimitStore,
} from '@oneroster/util-rate-limit';
import {
  createInvalidationBus,
  INVALIDATION_BUS,
  InvalidationBus,
} from '@oneroster/util-invalidation';
import { createOidcProvider } from './oidc-provider.factory';
import {
  OIDC_PROVIDER,
  OIDC_RATE_LIMITS,
  OIDC_SETTINGS,
  OidcSettings,
} from './oidc-settings';
import { InteractionController } from './sign-in/interaction.controller';
import { SignInService } from './sign-in/sign-in.service';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * The authorization server as a Nest module: the configured oidc-provider instance
 * (OIDC_PROVIDER), its sign-in pages (`/interaction/:uid`), the rate-limit counters
 * (OIDC_RATE_LIMITS), the invalidation bus (INVALIDATION_BUS, app-wide: the portal publishes
 * on it, the client cache listens) and a periodic purge of expired provider records. Mount
 * it with `mountOidc(app)` before the app starts listening.
 */
@Module({})
export class OidcModule implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('oidc');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OIDC_RATE_LIMITS) private readonly rateLimits: RateLimitStore,
    @Inject(INVALIDATION_BUS) private readonly invalidation: InvalidationBus,
  ) {}

  static register(settings: OidcSettings): DynamicModule {
    return {
      module: OidcModule,
      // The bus is the app's one (the portal's rules publish on it).
      global: true,
      controllers: [InteractionController],
      providers: [
        SignInService,
        { provide: OIDC_SETTINGS, useValue: settings },
        {
          // Shared through Redis when configured, so that every instance counts the same
          // token requests and failed sign-ins.
          provide: OIDC_RATE_LIMITS,
          inject: [OIDC_SETTINGS],
          useFactory: (s: OidcSettings) =>
            createRateLimitStore({
              redisUrl: s.redisUrl,
              prefix: 'oneroster:auth:rl',
              logger: new Logger('auth-rate-limit'),
            }),
        },
        {
          // Redis pub/sub when configured, so that a client or approval changed through
          // any instance's portal is dropped from every instance's client cache at once.
          provide: INVALIDATION_BUS,
          inject: [OIDC_SETTINGS],
          useFactory: (s: OidcSettings) =>
            createInvalidationBus({
              redisUrl: s.redisUrl,
              channel: s.invalidationChannel,
              logger: new Logger('auth-invalidation'),
            }),
        },
        {
          provide: OIDC_PROVIDER,
          inject: [
            OIDC_SETTINGS,
            DataSource,
            OIDC_RATE_LIMITS,
            INVALIDATION_BUS,
          ],
          useFactory: (
            s: OidcSettings,
            dataSource: DataSource,
            rateLimits: RateLimitStore,
            invalidation: InvalidationBus,
          ) =>
            createOidcProvider({
              settings: s,
              dataSource,
              rateLimits,
              invalidation,
            }),
        },
      ],
      exports: [
        OIDC_PROVIDER,
        OIDC_SETTINGS,
        OIDC_RATE_LIMITS,
        INVALIDATION_BUS,
      ],
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

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.rateLimits.close();
    await this.invalidation.close();
  }
}

export interface MountOidcOptions {
  /** Headers every provider response carries (the app's security headers). */
  headers?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Mounts the provider at the issuer's path (`/oidc` by default), ahead of Express: the HTTP
 * server hands requests under that path straight to oidc-provider (which parses its own
 * bodies and answers its own CORS), everything else to the Nest app. The token endpoint is
 * the hottest path of the server, and Express's middleware did nothing for it but set the
 * security headers, which `headers` sets here instead. Call before the app listens.
 */
export function mountOidc(
  app: INestApplication,
  options: MountOidcOptions = {},
): void {
  const provider = app.get<Provider>(OIDC_PROVIDER);
  const settings = app.get<OidcSettings>(OIDC_SETTINGS);
  const path = new URL(settings.issuer).pathname.replace(/\/$/, '');
  const callback = provider.callback();
  const headers = options.headers ?? [];
  if (!path) {
    // Issuer at the root: the provider shares the path space with the app's routes.
    app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      for (const [name, value] of headers) res.setHeader(name, value);
      next();
    });
    app.use(callback);
    return;
  }
  const server = app.getHttpServer() as Server;
  const appListeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const next = url.charCodeAt(path.length);
    if (
      url.startsWith(path) &&
      (url.length === path.length || next === 47 /* / */ || next === 63) /* ? */
    ) {
      // As Express mounts it: the provider sees the path below the issuer's.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url =
        next === 47 ? url.slice(path.length) : `/${url.slice(path.length)}`;
      for (const [name, value] of headers) res.setHeader(name, value);
      void callback(req, res);
      return;
    }
    for (const listener of appListeners) listener.call(server, req, res);
  });
}
