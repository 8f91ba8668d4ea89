import { Entity, Index } from 'typeorm';
import type { ClassType } from '@oneroster/contracts';
import { Json, OneRosterRecord, Ref, RequiredStr, Str } from '../columns';

/**
 * OneRoster Class (§5.3). Its terms (at least one) live in `class_terms`, its resources in
 * `class_resources`.
 */
@Entity({ name: 'classes' })
@Index(['schoolId', 'courseSourcedId'])
@Index(['schoolId', 'schoolSourcedId'])
@Index(['schoolId', 'classType'])
export class ClassEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  @Str('class_code', 64)
  classCode!: string | null;

  @RequiredStr('class_type', 16)
  classType!: ClassType;

  @Str('location')
  location!: string | null;

  @Json('grades')
  grades!: string[] | null;

  @Json('subjects')
  subjects!: string[] | null;

  @Ref('course_sourced_id', false)
  courseSourcedId!: string;

  @Ref('school_sourced_id', false)
  schoolSourcedId!: string;

  @Json('subject_codes')
  subjectCodes!: string[] | null;

  @Json('periods')
  periods!: string[] | null;
}
