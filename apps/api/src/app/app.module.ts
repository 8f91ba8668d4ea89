import { DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { DatabaseModule } from '@oneroster/database';
import { HealthModule } from '@oneroster/feature-health';
import { RosteringModule } from '@oneroster/feature-rostering';
import { OneRosterHttpModule } from '@oneroster/util-http';
import { API_VERSION } from './version';

@Module({})
export class AppModule {
  static register(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config.database),
        OneRosterHttpModule.register(config.tokens),
        HealthModule.forService({ name: 'api', version: API_VERSION }),
        RosteringModule.register({ publicUrl: config.apiPublicUrl }),
      ],
    };
  }
}
