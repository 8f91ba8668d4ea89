import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { APP_FILTER, ModuleRef } from '@nestjs/core';
import type Provider from 'oidc-provider';
import { DataSource } from 'typeorm';
import { PLATFORM_API_PATH } from '@oneroster/contracts';
import { PlatformWebhooks } from '@oneroster/data-access-platform';
import { openDatabase } from '@oneroster/database';
import { endAccountOidcSessions, OIDC_PROVIDER } from '@oneroster/feature-oidc';
import {
  PortalAccounts,
  PortalApplications,
  PortalApprovals,
  PortalAudit,
  PortalCredentials,
  PortalImports,
  PortalSchoolHome,
  PortalIntegratorCredentials,
  PortalOnboarding,
  PortalSandbox,
  PortalSessions,
  PortalUsage,
  PortalWebhooks,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
} from '@oneroster/data-access-portal';
import { PortalAuthController } from './portal-auth.controller';
import {
  PortalDeveloperController,
  PortalMeController,
  PortalOperatorController,
  PortalSchoolController,
} from './portal-api.controllers';
import {
  INVALIDATION_BUS,
  type InvalidationBus,
} from '@oneroster/util-invalidation';
import { PortalRoutesFilter } from './portal-exception.filter';
import { PortalImportsController } from './portal-imports.controller';
import { PortalPlatformCredentialsController } from './portal-platform-credentials.controller';
import { PortalSessionGuard } from './portal-session.guard';
import { PortalWebhooksController } from './portal-webhooks.controller';
import { PORTAL_SETTINGS, type PortalSettings } from './portal-settings';

const PURGE_EVERY_MS = 15 * 60_000;
const IMPORT_DATA_SOURCE = Symbol('PORTAL_IMPORT_DATA_SOURCE');

const withDataSource = <T>(
  type: new (ds: DataSource) => T,
): {
  provide: unknown;
  inject: unknown[];
  useFactory: (ds: DataSource) => T;
} => ({
  provide: type,
  inject: [DataSource],
  useFactory: (ds: DataSource) => new type(ds),
});

/**
 * The admin portal's backend: `/portal/auth/*` (sign-in, sign-out) and `/portal/api/*`
 * (contract: @oneroster/contracts portal.ts). Needs TypeORM's DataSource and the OIDC module
 * (its settings carry the portal's client). Call `mountPortal(app)` before the app starts.
 * Exports its `PortalImports` app-wide: the one import runner of the process, which the
 * platform API's MIS imports share (same queue, caps and jobs).
 */
@Module({})
export class PortalModule implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('portal');

  constructor(
    @Inject(PortalSessions) private readonly sessions: PortalSessions,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(IMPORT_DATA_SOURCE) private readonly importDs: DataSource,
    @Inject(PortalImports) private readonly imports: PortalImports,
  ) {}

  static register(settings: PortalSettings): DynamicModule {
    return {
      module: PortalModule,
      controllers: [
        PortalAuthController,
        PortalMeController,
        PortalSchoolController,
        PortalImportsController,
        PortalDeveloperController,
        PortalOperatorController,
        PortalPlatformCredentialsController,
        PortalWebhooksController,
      ],
      providers: [
        { provide: PORTAL_SETTINGS, useValue: settings },
        {
          provide: PortalSessions,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new PortalSessions(
              ds,
              SESSION_IDLE_MS,
              settings.sessionMaxHours
                ? settings.sessionMaxHours * 3600_000
                : SESSION_MAX_MS,
            ),
        },
        {
          // Ending an account's sessions and grants at the authorization server goes through
          // the provider's own models (the OIDC module's instance, found app-wide).
          provide: PortalAccounts,
          inject: [DataSource, ModuleRef],
          useFactory: (ds: DataSource, moduleRef: ModuleRef) =>
            new PortalAccounts(ds, (accountId) =>
              endAccountOidcSessions(
                moduleRef.get<Provider>(OIDC_PROVIDER, { strict: false }),
                ds,
                accountId,
              ),
            ),
        },
        // Approvals, applications and credentials publish their changes on the app's
        // invalidation bus (the OIDC module's).
        {
          provide: PortalApprovals,
          inject: [DataSource, INVALIDATION_BUS],
          useFactory: (ds: DataSource, bus: InvalidationBus) =>
            new PortalApprovals(ds, bus),
        },
        {
          provide: PortalApplications,
          inject: [DataSource, INVALIDATION_BUS],
          useFactory: (ds: DataSource, bus: InvalidationBus) =>
            new PortalApplications(ds, bus),
        },
        withDataSource(PortalAudit),
        withDataSource(PortalOnboarding),
        withDataSource(PortalUsage),
        {
          provide: PortalCredentials,
          inject: [DataSource, INVALIDATION_BUS],
          useFactory: (ds: DataSource, bus: InvalidationBus) =>
            new PortalCredentials(ds, `${settings.issuer}/token`, bus),
        },
        {
          provide: PortalIntegratorCredentials,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new PortalIntegratorCredentials(
              ds,
              `${settings.issuer}/token`,
              settings.platformAudience ??
                new URL(PLATFORM_API_PATH, settings.issuer).href,
            ),
        },
        {
          // The platform API's webhook service itself, with the same URL rules.
          provide: PortalWebhooks,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new PortalWebhooks(
              ds,
              new PlatformWebhooks(ds, {
                allowLoopbackHttp: settings.webhookAllowLoopbackHttp ?? false,
                allowPrivateTargets: settings.webhookAllowPrivateTargets,
              }),
            ),
        },
        {
          provide: PortalSandbox,
          inject: [DataSource],
          useFactory: (ds: DataSource) =>
            new PortalSandbox(ds, {
              swaggerUrl: `${settings.apiPublicUrl.replace(/\/$/, '')}/docs`,
              issuer: settings.issuer,
              demoClientSecret: settings.demoClientSecret,
            }),
        },
        {
          provide: IMPORT_DATA_SOURCE,
          inject: [DataSource],
          useFactory: async (ds: DataSource) => {
            const db = settings.database;
            return db?.kind === 'sqlite' && db.file !== ':memory:'
              ? openDatabase(db)
              : ds;
          },
        },
        {
          provide: PortalImports,
          inject: [DataSource, IMPORT_DATA_SOURCE],
          useFactory: (ds: DataSource, importDs: DataSource) =>
            new PortalImports(ds, {
              workDir: settings.importQueue ? undefined : settings.uploadDir,
              importDataSource: importDs,
              maxInflatedBytes: settings.maxInflatedBytes,
              maxQueuedPerSchool: settings.maxQueuedImportsPerSchool,
              maxUploadBytes: settings.maxUploadBytes,
              uploadDir: settings.uploadDir,
              queue: settings.importQueue && {
                ...settings.importQueue,
                uploadDir:
                  settings.uploadDir ??
                  join(tmpdir(), 'oneroster-portal-uploads'),
              },
              onError: (message) => new Logger('portal').warn(message),
            }),
        },
        {
          provide: PortalSchoolHome,
          inject: [DataSource, PortalApprovals, PortalImports],
          useFactory: (
            ds: DataSource,
            approvals: PortalApprovals,
            imports: PortalImports,
          ) => new PortalSchoolHome(ds, approvals, imports),
        },
        PortalSessionGuard,
        { provide: APP_FILTER, useClass: PortalRoutesFilter },
      ] as DynamicModule['providers'],
      // The platform API's MIS imports go through the same jobs and queue.
      global: true,
      exports: [PortalImports],
    };
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.sessions
        .purgeExpired()
        .catch((err: unknown) =>
          this.logger.warn(
            `purge of expired portal sessions failed: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
    }, PURGE_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.imports.close();
    if (this.importDs !== this.ds && this.importDs.isInitialized)
      await this.importDs.destroy();
  }
}
