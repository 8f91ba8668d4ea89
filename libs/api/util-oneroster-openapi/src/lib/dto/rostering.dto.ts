import {
  ACADEMIC_SESSION,
  CLASS,
  COURSE,
  DEMOGRAPHICS,
  ENROLLMENT,
  ORG,
  USER,
} from '@oneroster/oneroster-catalogue';
import { BaseDto } from './base.dto';
import { describeClass } from './describe';

/*
 * The rostering schemas. Their properties, descriptions and examples are the catalogue's
 * REST fields of each class (see describe.ts).
 */

/** OneRoster 1.1 Org (§5.7), returned by `/orgs` and `/schools`. */
export class OrgDto extends BaseDto {}
describeClass(OrgDto, ORG);

/** OneRoster 1.1 AcademicSession (§5.2), returned by `/academicSessions`, `/terms` and `/gradingPeriods`. */
export class AcademicSessionDto extends BaseDto {}
describeClass(AcademicSessionDto, ACADEMIC_SESSION);

/** OneRoster 1.1 Course (§5.4), returned by `/courses`. */
export class CourseDto extends BaseDto {}
describeClass(CourseDto, COURSE);

/** OneRoster 1.1 Class (§5.3), returned by `/classes`. */
export class ClassDto extends BaseDto {}
describeClass(ClassDto, CLASS);

/**
 * OneRoster 1.1 User (§5.8), returned by `/users`, `/students` and `/teachers`.
 *
 * The 1.1 model also defines an optional `password` property. This API never
 * returns it (the catalogue marks it `rest: false`), so it is left out of this schema.
 */
export class UserDto extends BaseDto {}
describeClass(UserDto, USER);

/** OneRoster 1.1 Enrollment (§5.6), returned by `/enrollments`. */
export class EnrollmentDto extends BaseDto {}
describeClass(EnrollmentDto, ENROLLMENT);

/**
 * OneRoster 1.1 Demographics (§5.5), returned by `/demographics`. Its
 * sourcedId is the sourcedId of the user it describes. Every property
 * other than the base ones is optional.
 */
export class DemographicsDto extends BaseDto {}
describeClass(DemographicsDto, DEMOGRAPHICS);
