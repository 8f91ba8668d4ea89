import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Instant, RequiredStr, SCHOOL_ID_LENGTH, Str } from '../columns';

/**
 * The tenant: a school whose OneRoster data the platform publishes. Every OneRoster row
 * carries a school id; every authorisation (approval, client) is for one school.
 */
@Entity({ name: 'schools' })
@Index(['orgSourcedId'])
export class SchoolEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: SCHOOL_ID_LENGTH })
  id!: string;

  @RequiredStr('name')
  name!: string;

  /** The sourcedId of this school's own Org record in its OneRoster data. */
  @RequiredStr('org_sourced_id')
  orgSourcedId!: string;

  /** A national identifier such as the UK URN or a DfE number. */
  @Str('identifier', 64)
  identifier!: string | null;

  /** Sandbox schools hold dummy data that integrators may use freely. */
  @Column({ name: 'sandbox', type: 'boolean', default: false })
  sandbox!: boolean;

  @Instant('created_at', false)
  createdAt!: Date;
}
