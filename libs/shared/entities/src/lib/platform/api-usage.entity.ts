import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { SCHOOL_ID_LENGTH } from '../columns';

/**
 * API requests, and the records they answered with, per school, integrator, UTC day and
 * route template, for the portal's usage pages. The API counts in memory and adds its counts here every few seconds, so a row is
 * a running total that several instances add to.
 */
@Entity({ name: 'api_usage_daily' })
@Index(['integratorId', 'day'])
export class ApiUsageDailyEntity {
  @PrimaryColumn({
    name: 'school_id',
    type: 'varchar',
    length: SCHOOL_ID_LENGTH,
  })
  schoolId!: string;

  /** Empty when the token named no integrator. */
  @PrimaryColumn({ name: 'integrator_id', type: 'varchar', length: 36 })
  integratorId!: string;

  /** `YYYY-MM-DD`, UTC. */
  @PrimaryColumn({ name: 'day', type: 'varchar', length: 10 })
  day!: string;

  /** The route template, e.g. `/ims/oneroster/v1p1/classes/{id}`. */
  @PrimaryColumn({ name: 'route', type: 'varchar', length: 255 })
  route!: string;

  @Column({ name: 'requests', type: 'int', default: 0 })
  requests!: number;

  /**
   * Records the successful reads of this route answered with: a collection page's objects,
   * one for a single object. Rows written before this column have 0.
   */
  @Column({ name: 'records', type: 'int', default: 0 })
  records!: number;
}
