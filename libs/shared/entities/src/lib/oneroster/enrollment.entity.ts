import { Entity, Index } from 'typeorm';
import type { RoleType } from '@oneroster/contracts';
import { Bool, DateOnly, OneRosterRecord, Ref, RequiredStr } from '../columns';

/** OneRoster Enrollment (§5.6). */
@Entity({ name: 'enrollments' })
@Index(['schoolId', 'classSourcedId', 'role'])
@Index(['schoolId', 'userSourcedId', 'role'])
@Index(['schoolId', 'schoolSourcedId'])
export class EnrollmentEntity extends OneRosterRecord {
  @Ref('user_sourced_id', false)
  userSourcedId!: string;

  @Ref('class_sourced_id', false)
  classSourcedId!: string;

  @Ref('school_sourced_id', false)
  schoolSourcedId!: string;

  @RequiredStr('role', 16)
  role!: RoleType;

  /** Applies to teachers only: the class's primary teacher. */
  @Bool('is_primary')
  primary!: boolean | null;

  @DateOnly('begin_date')
  beginDate!: string | null;

  @DateOnly('end_date')
  endDate!: string | null;
}
