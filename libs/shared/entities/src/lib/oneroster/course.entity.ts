import { Entity, Index } from 'typeorm';
import { Json, OneRosterRecord, Ref, RequiredStr, Str } from '../columns';

/** OneRoster Course (§5.4). Resources link through `course_resources`. */
@Entity({ name: 'courses' })
@Index(['schoolId', 'orgSourcedId'])
@Index(['schoolId', 'schoolYearSourcedId'])
export class CourseEntity extends OneRosterRecord {
  @RequiredStr('title')
  title!: string;

  @Ref('school_year_sourced_id')
  schoolYearSourcedId!: string | null;

  @Str('course_code', 64)
  courseCode!: string | null;

  @Json('grades')
  grades!: string[] | null;

  @Json('subjects')
  subjects!: string[] | null;

  @Ref('org_sourced_id', false)
  orgSourcedId!: string;

  @Json('subject_codes')
  subjectCodes!: string[] | null;
}
