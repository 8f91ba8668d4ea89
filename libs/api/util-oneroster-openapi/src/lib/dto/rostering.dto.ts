import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CLASS_TYPES,
  GENDERS,
  ORG_TYPES,
  ROLE_TYPES,
  SESSION_TYPES,
  type ClassType,
  type Gender,
  type OrgType,
  type RoleType,
  type SessionType,
} from '@oneroster/contracts';
import { BaseDto, GuidRefDto, UserIdDto } from './base.dto';

/** OneRoster 1.1 Org (§5.7), returned by `/orgs` and `/schools`. */
export class OrgDto extends BaseDto {
  @ApiProperty({
    description: 'Name of the organisation.',
    example: 'Lincoln High School',
  })
  name!: string;

  @ApiProperty({
    enum: [...ORG_TYPES],
    description: 'Kind of organisation.',
    example: 'school',
  })
  type!: OrgType;

  @ApiProperty({
    description:
      'Human-readable identifier of the org, e.g. its NCES ID. May be an empty string.',
    example: '3604830',
  })
  identifier!: string;

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    description: 'Parent org in the hierarchy.',
  })
  parent?: GuidRefDto;

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    isArray: true,
    description: 'Child orgs in the hierarchy.',
  })
  children?: GuidRefDto[];
}

/** OneRoster 1.1 AcademicSession (§5.2), returned by `/academicSessions`, `/terms` and `/gradingPeriods`. */
export class AcademicSessionDto extends BaseDto {
  @ApiProperty({
    description: 'Title of the session.',
    example: 'Fall Semester 2026',
  })
  title!: string;

  @ApiProperty({
    format: 'date',
    description: 'First day of the session (inclusive).',
    example: '2026-09-01',
  })
  startDate!: string;

  @ApiProperty({
    format: 'date',
    description: 'End of the session (exclusive).',
    example: '2027-01-31',
  })
  endDate!: string;

  @ApiProperty({
    enum: [...SESSION_TYPES],
    description: 'Kind of academic session.',
    example: 'semester',
  })
  type!: SessionType;

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    description: 'Enclosing academic session.',
  })
  parent?: GuidRefDto;

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    isArray: true,
    description: 'Academic sessions nested inside.',
  })
  children?: GuidRefDto[];

  @ApiProperty({
    pattern: '^\\d{4}$',
    description:
      'School year (YYYY) the session belongs to, given as the year in which it ends.',
    example: '2027',
  })
  schoolYear!: string;
}

/** OneRoster 1.1 Course (§5.4), returned by `/courses`. */
export class CourseDto extends BaseDto {
  @ApiProperty({ description: 'Title of the course.', example: 'Algebra I' })
  title!: string;

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    description: 'Academic session (school year) of the course.',
  })
  schoolYear?: GuidRefDto;

  @ApiProperty({
    description: 'Course code. May be an empty string.',
    example: 'MATH-101',
  })
  courseCode!: string;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Grade levels (CEDS Entry Grade Level codes).',
    example: ['09', '10'],
  })
  grades?: string[];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Subject names.',
    example: ['Mathematics'],
  })
  subjects?: string[];

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Org that offers the course.',
  })
  org!: GuidRefDto;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'SCED subject codes, in the same order as subjects.',
    example: ['02052'],
  })
  subjectCodes?: string[];

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    isArray: true,
    description: 'Resources used by the course.',
  })
  resources?: GuidRefDto[];
}

/** OneRoster 1.1 Class (§5.3), returned by `/classes`. */
export class ClassDto extends BaseDto {
  @ApiProperty({
    description: 'Title of the class.',
    example: 'Algebra I - Period 1',
  })
  title!: string;

  @ApiPropertyOptional({ description: 'Class code.', example: 'MATH-101-01' })
  classCode?: string;

  @ApiProperty({
    enum: [...CLASS_TYPES],
    description:
      "'homeroom' (the homeroom/form) or 'scheduled' (as assigned in the timetable).",
    example: 'scheduled',
  })
  classType!: ClassType;

  @ApiPropertyOptional({
    description: 'Where the class meets, e.g. a room.',
    example: 'Room 204',
  })
  location?: string;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Grade levels (CEDS Entry Grade Level codes).',
    example: ['09'],
  })
  grades?: string[];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Subject names.',
    example: ['Mathematics'],
  })
  subjects?: string[];

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'Course the class is an instance of.',
  })
  course!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'School (org) that runs the class.',
  })
  school!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    isArray: true,
    minItems: 1,
    description:
      'Academic sessions (terms) in which the class is taught; at least one.',
  })
  terms!: GuidRefDto[];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'SCED subject codes, in the same order as subjects.',
    example: ['02052'],
  })
  subjectCodes?: string[];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Periods in which the class meets.',
    example: ['1'],
  })
  periods?: string[];

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    isArray: true,
    description: 'Resources used by the class.',
  })
  resources?: GuidRefDto[];
}

/**
 * OneRoster 1.1 User (§5.8), returned by `/users`, `/students` and `/teachers`.
 *
 * The 1.1 model also defines an optional `password` property. This API never
 * returns it, so it is deliberately left out of this schema.
 */
export class UserDto extends BaseDto {
  @ApiProperty({ description: 'Login name of the user.', example: 'jdoe' })
  username!: string;

  @ApiPropertyOptional({
    type: () => UserIdDto,
    isArray: true,
    description: 'Identifiers of the user in other systems.',
  })
  userIds?: UserIdDto[];

  @ApiProperty({
    description:
      "Whether system access is enabled. 'false' means the record is active but access is curtailed.",
    example: true,
  })
  enabledUser!: boolean;

  @ApiProperty({ description: 'Given (first) name.', example: 'Jane' })
  givenName!: string;

  @ApiProperty({ description: 'Family (last) name.', example: 'Doe' })
  familyName!: string;

  @ApiPropertyOptional({
    description: 'Middle name(s), space-separated if several.',
    example: 'Marie',
  })
  middleName?: string;

  @ApiProperty({
    enum: [...ROLE_TYPES],
    description: 'Role of the user.',
    example: 'student',
  })
  role!: RoleType;

  @ApiPropertyOptional({
    description: 'Human-readable identifier, e.g. a student number.',
    example: 'S-1042',
  })
  identifier?: string;

  @ApiPropertyOptional({
    description: 'Email address.',
    example: 'jane.doe@example.org',
  })
  email?: string;

  @ApiPropertyOptional({ description: 'SMS number.', example: '+15555550100' })
  sms?: string;

  @ApiPropertyOptional({
    description: 'Phone number.',
    example: '+15555550100',
  })
  phone?: string;

  @ApiPropertyOptional({
    type: () => GuidRefDto,
    isArray: true,
    description: 'Related users, e.g. parents or guardians.',
  })
  agents?: GuidRefDto[];

  @ApiProperty({
    type: () => GuidRefDto,
    isArray: true,
    minItems: 1,
    description: 'Orgs the user belongs to; at least one.',
  })
  orgs!: GuidRefDto[];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'Grade levels of a student (CEDS Entry Grade Level codes).',
    example: ['09'],
  })
  grades?: string[];
}

/** OneRoster 1.1 Enrollment (§5.6), returned by `/enrollments`. */
export class EnrollmentDto extends BaseDto {
  @ApiProperty({ type: () => GuidRefDto, description: 'The enrolled user.' })
  user!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'The class enrolled into.',
  })
  class!: GuidRefDto;

  @ApiProperty({
    type: () => GuidRefDto,
    description: 'School (org) of the class.',
  })
  school!: GuidRefDto;

  @ApiProperty({
    enum: [...ROLE_TYPES],
    description: 'Role of the user in the class.',
    example: 'student',
  })
  role!: RoleType;

  @ApiPropertyOptional({
    description:
      'Teachers only: whether this is the primary teacher of the class for the enrollment period.',
    example: true,
  })
  primary?: boolean;

  @ApiPropertyOptional({
    format: 'date',
    description: 'First day of the enrollment (inclusive).',
    example: '2026-09-01',
  })
  beginDate?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'End of the enrollment (exclusive).',
    example: '2027-06-30',
  })
  endDate?: string;
}

/**
 * OneRoster 1.1 Demographics (§5.5), returned by `/demographics`. Its
 * sourcedId is the sourcedId of the user it describes. Every property
 * other than the base ones is optional.
 */
export class DemographicsDto extends BaseDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'Date of birth.',
    example: '2011-04-23',
  })
  birthDate?: string;

  @ApiPropertyOptional({
    enum: [...GENDERS],
    description: 'Sex of the user.',
    example: 'female',
  })
  sex?: Gender;

  @ApiPropertyOptional({
    description: 'American Indian or Alaska Native.',
    example: false,
  })
  americanIndianOrAlaskaNative?: boolean;

  @ApiPropertyOptional({ description: 'Asian.', example: false })
  asian?: boolean;

  @ApiPropertyOptional({
    description: 'Black or African American.',
    example: false,
  })
  blackOrAfricanAmerican?: boolean;

  @ApiPropertyOptional({
    description: 'Native Hawaiian or Other Pacific Islander.',
    example: false,
  })
  nativeHawaiianOrOtherPacificIslander?: boolean;

  @ApiPropertyOptional({ description: 'White.', example: true })
  white?: boolean;

  @ApiPropertyOptional({ description: 'Two or more races.', example: false })
  demographicRaceTwoOrMoreRaces?: boolean;

  @ApiPropertyOptional({
    description: 'Hispanic or Latino ethnicity.',
    example: false,
  })
  hispanicOrLatinoEthnicity?: boolean;

  @ApiPropertyOptional({
    description: 'Country of birth (CEDS code).',
    example: 'US',
  })
  countryOfBirthCode?: string;

  @ApiPropertyOptional({
    description: 'State of birth (CEDS abbreviation).',
    example: 'NY',
  })
  stateOfBirthAbbreviation?: string;

  @ApiPropertyOptional({ description: 'City of birth.', example: 'Albany' })
  cityOfBirth?: string;

  @ApiPropertyOptional({
    description: 'Public school residence status (CEDS code).',
  })
  publicSchoolResidenceStatus?: string;
}
