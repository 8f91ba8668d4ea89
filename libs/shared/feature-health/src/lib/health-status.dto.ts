import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HealthStatus, ReplicaHealth } from '@oneroster/contracts';

export class ReplicaHealthDto implements ReplicaHealth {
  @ApiProperty({ example: 'replica-1:3306' })
  address!: string;

  @ApiProperty()
  reachable!: boolean;

  @ApiProperty({ description: 'Both replication threads (IO and SQL) run' })
  replicating!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Seconds_Behind_Master at the last check',
  })
  lagSeconds!: number | null;

  @ApiProperty({ description: 'Reads may go to this replica' })
  inRotation!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'lagging 12 s (bound 5 s)',
  })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  checkedAt!: string | null;
}

export class HealthStatusDto implements HealthStatus {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ example: 'api' })
  service!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';

  @ApiPropertyOptional({
    type: [ReplicaHealthDto],
    description:
      'Read replicas, when configured; one out of rotation makes the status degraded (still 200: reads go to the primary)',
  })
  replicas?: ReplicaHealthDto[];
}
