import { DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { ApprovalLookup } from '@oneroster/data-access-approvals';
import { DatabaseModule } from '@oneroster/database';
import { GradebookModule } from '@oneroster/feature-gradebook';
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
        OneRosterHttpModule.register(config.tokens, ApprovalLookup),
        HealthModule.forService({ name: 'api', version: API_VERSION }),
        RosteringModule.register({ publicUrl: config.apiPublicUrl }),
        GradebookModule.register({ publicUrl: config.apiPublicUrl }),
      ],
    };
  }
}
