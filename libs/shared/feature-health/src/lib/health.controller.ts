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
import { readRouting } from '@oneroster/database';
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
  @ApiOperation({
    summary: 'Liveness, database reachability and read replicas',
  })
  @ApiOkResponse({
    type: HealthStatusDto,
    description:
      'The service and its database are up (degraded: a read replica is out of rotation)',
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
    // Replicas are read from the status checks' last round, never queried here: a stopped
    // replica must not slow the health check down.
    const replicas = readRouting(this.dataSource)?.statuses();
    const replicaOut = replicas?.some((r) => !r.inRotation) ?? false;
    return {
      status: database === 'up' && !replicaOut ? 'ok' : 'degraded',
      service: this.service.name,
      version: this.service.version,
      database,
      ...(replicas ? { replicas } : {}),
    };
  }
}
