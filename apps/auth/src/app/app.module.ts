import { DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { DatabaseModule } from '@oneroster/database';
import { HealthModule } from '@oneroster/feature-health';
import { OidcModule, oidcSettingsFrom } from '@oneroster/feature-oidc';
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
      ],
    };
  }
}
