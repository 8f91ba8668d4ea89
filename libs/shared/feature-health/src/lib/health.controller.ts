import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Res,
  SetMetadata,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { PUBLIC_ROUTE_METADATA, type HealthStatus } from '@oneroster/contracts';
import { HealthStatusDto } from './health-status.dto';
import { SERVICE_INFO, ServiceInfo } from './service-info';

@ApiTags('health')
@SetMetadata(PUBLIC_ROUTE_METADATA, true)
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and database reachability' })
  @ApiOkResponse({
    type: HealthStatusDto,
    description: 'The service and its database are up',
  })
  @ApiServiceUnavailableResponse({
    type: HealthStatusDto,
    description: 'The database cannot be reached',
  })
  async check(
    @Res({ passthrough: true }) res: Response,
  ): Promise<HealthStatus> {
    let database: HealthStatus['database'] = 'up';
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      database = 'down';
    }
    if (database === 'down') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      service: this.service.name,
      version: this.service.version,
      database,
    };
  }
}
