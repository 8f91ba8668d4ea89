import { ApiProperty } from '@nestjs/swagger';
import type { HealthStatus } from '@oneroster/contracts';

export class HealthStatusDto implements HealthStatus {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ example: 'api' })
  service!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';
}
