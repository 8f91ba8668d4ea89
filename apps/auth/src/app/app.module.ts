import { DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { DatabaseModule } from '@oneroster/database';
import { HealthModule } from '@oneroster/feature-health';
import { OidcModule, oidcSettingsFrom } from '@oneroster/feature-oidc';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  PortalModule,
} from '@oneroster/feature-portal';
import { PlatformModule } from '@oneroster/feature-platform';
import { AUTH_VERSION } from './version';

@Module({})
export class AppModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config.database),
        HealthModule.forService({ name: 'auth', version: AUTH_VERSION }),
        OidcModule.register(oidcSettingsFrom(config)),
        PortalModule.register({
          adminPublicUrl: config.adminPublicUrl,
          issuer: config.tokens.issuer,
          apiPublicUrl: config.apiPublicUrl,
          demoClientSecret: config.seedDemoData
            ? config.demo.sandboxClientSecret
            : null,
          maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
          maxInflatedBytes: config.csv.maxInflatedBytes,
          maxQueuedImportsPerSchool: config.csv.maxQueuedImportsPerSchool,
          uploadDir: config.csv.uploadDir ?? undefined,
          importQueue: config.redisUrl
            ? { redisUrl: config.redisUrl, prefix: config.csv.queuePrefix }
            : undefined,
          sessionMaxHours: config.auth.portalSessionMaxHours,
          database: config.database,
          platformAudience: config.platform.audience,
          webhookAllowLoopbackHttp: config.platform.webhookAllowLoopbackHttp,
          webhookAllowPrivateTargets:
            config.platform.webhookAllowPrivateTargets,
        }),
        PlatformModule.register({
          issuer: config.tokens.issuer,
          audience: config.platform.audience,
          tokenEndpoint: `${config.tokens.issuer}/token`,
          allowLoopbackHttp: config.platform.webhookAllowLoopbackHttp,
          allowPrivateTargets: config.platform.webhookAllowPrivateTargets,
          dispatcher: {
            pollMs: config.platform.webhookPollMs,
            maxAttempts: config.platform.webhookMaxAttempts,
            retryBaseMs: config.platform.webhookRetryBaseMs,
            retryMaxMs: config.platform.webhookRetryMaxMs,
            timeoutMs: config.platform.webhookTimeoutMs,
          },
        }),
      ],
    };
  }
}
