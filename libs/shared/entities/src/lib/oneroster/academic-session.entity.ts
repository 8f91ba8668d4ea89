import { Entity, Index } from 'typeorm';
import type { SessionType } from '@oneroster/contracts';
import { DateOnly, OneRosterRecord, Ref, RequiredStr } from '../columns';

/**
 * OneRoster AcademicSession (§5.2): school years, terms, semesters and grading periods.
 * `children` is derived from the parent links.
 */
@Entity({ name: 'academic_sessions' })
@Index(['schoolId', 'type'])
@Index(['schoolId', 'parentSourcedId'])
export class AcademicSessionEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  @DateOnly('start_date', false)
  startDate!: string;

  /** Exclusive, as the spec defines it. */
  @DateOnly('end_date', false)
  endDate!: string;

  @RequiredStr('type', 32)
  type!: SessionType;

  @Ref('parent_sourced_id')
  parentSourcedId!: string | null;

  /** `YYYY`, the calendar year in which the school year ends. */
  @RequiredStr('school_year', 4)
  schoolYear!: string;
}
