import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { SERVICE_INFO, ServiceInfo } from './service-info';

/** `GET /health` for a service: its name, version and whether its database answers. */
@Module({})
export class HealthModule {
  static forService(info: ServiceInfo): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: SERVICE_INFO, useValue: info }],
    };
  }
}
