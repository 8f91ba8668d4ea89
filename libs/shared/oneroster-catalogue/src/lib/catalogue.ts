import {
  CLASS_TYPES,
  GENDERS,
  IMPORTANCES,
  ONEROSTER_SCOPES,
  ORG_TYPES,
  ROLE_TYPES,
  SCORE_STATUSES,
  SESSION_TYPES,
  STATUS_TYPES,
} from '@oneroster/contracts';
import type {
  ClassDef,
  ClassKey,
  ColumnStore,
  CsvColumnDef,
  FieldDef,
  LinkStore,
  ReverseStore,
} from './model';

/*
 * The OneRoster 1.1 catalogue: every class of the information model (digest §5) with every
 * field, and how each projection carries it — the REST JSON (§5, requiredness as the
 * published OpenAPI document has it), the CSV binding (§8.4 headers, in order, with their
 * (Y) flags), the database (entity property and column, link tables for GUIDRef lists) and
 * the scopes that guard it (§6.3, as the routes enforce them).
 *
 * Vocabularies are those of @oneroster/contracts (§5.12, 1.1 spec §4.13), never copied.
 */

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Stored in the class's own table; the SQL column is the property in snake_case unless named. */
const col = (property: string, column = snake(property)): ColumnStore => ({
  kind: 'column',
  property,
  column,
});
/** A link table; its columns are the entity properties in snake_case. */
const link = (
  table: string,
  entity: string,
  ownerProperty: string,
  valueProperty: string,
): LinkStore => ({
  kind: 'link',
  table,
  entity,
  owner: snake(ownerProperty),
  ownerProperty,
  value: snake(valueProperty),
  valueProperty,
  order: 'position',
});
const reverse = (
  table: string,
  owner: string,
  value: string,
): ReverseStore => ({
  kind: 'reverse',
  table,
  owner,
  value,
  activeOnly: true,
});
/** A CSV column marked (Y) in §8.4. */
const Y = <const C extends string>(column: C) =>
  ({ column, required: true }) as const satisfies CsvColumnDef;
/** An optional CSV column (or (D), filled in delta files only). */
const O = <const C extends string>(column: C) =>
  ({ column, required: false }) as const satisfies CsvColumnDef;

/** Keeps each field's literal name in its type, so that consumers can derive name unions. */
const field = <const N extends string, const F extends Omit<FieldDef, 'name'>>(
  name: N,
  def: F,
): { readonly name: N } & F => ({ name, ...def });

/** Keeps the literal types of a class definition (see the helper types in index.ts). */
const defineClass = <const C extends ClassDef>(c: C): C => c;

/** The fields every OneRoster 1.1 object carries (§5.0). */
const BASE = [
  field('sourcedId', {
    doc: 'Globally unique identifier of the object ("All objects MUST be identified by a Source Identifier").',
    example: 'org-1',
    type: 'string',
    required: true,
    csv: Y('sourcedId'),
    store: col('sourcedId'),
  }),
  field('status', {
    doc: "Record status. 'tobedeleted' means the record is safe to delete (it replaces 1.0's 'inactive').",
    example: 'active',
    type: 'enum',
    values: STATUS_TYPES,
    required: true,
    csv: O('status'),
    store: col('status'),
  }),
  field('dateLastModified', {
    doc: 'When the object was last modified (ISO 8601, always in UTC).',
    example: '2026-09-01T08:00:00.000Z',
    type: 'dateTime',
    required: true,
    csv: O('dateLastModified'),
    store: col('dateLastModified'),
  }),
  // In CSV the bag is the `metadata.<name>` columns to the right of the defined ones (§8.1).
  field('metadata', {
    doc: 'Free-form extension data (vendor-specific properties).',
    example: { 'ext:source': 'sis' },
    type: 'metadata',
    required: false,
    store: col('metadata'),
  }),
] as const;

/** The base fields, shared by every class (their documentation included). */
export const BASE_FIELDS: readonly FieldDef[] = BASE;

/*
 * Scopes (§6.3) as the routes of feature-rostering and feature-gradebook enforce them:
 * base rostering GETs accept roster-core or roster, relationship routes roster only,
 * demographics roster-demographics only, gradebook gradebook.*, resources resource.readonly.
 */
const ROSTER_CORE = {
  read: [ONEROSTER_SCOPES.rosterCore, ONEROSTER_SCOPES.roster],
  relationships: [ONEROSTER_SCOPES.roster],
} as const;
const GRADEBOOK = {
  read: [ONEROSTER_SCOPES.gradebookRead],
  relationships: [ONEROSTER_SCOPES.gradebookRead],
  createPut: [ONEROSTER_SCOPES.gradebookCreatePut],
  delete: [ONEROSTER_SCOPES.gradebookDelete],
} as const;
const RESOURCE = {
  read: [ONEROSTER_SCOPES.resource],
  relationships: [ONEROSTER_SCOPES.resource],
} as const;

/** Org (§5.7; orgs.csv §8.4). `children` is derived from the other orgs' parent links. */
export const ORG = defineClass({
  key: 'org',
  spec: '§5.7',
  entity: 'OrgEntity',
  table: 'orgs',
  rest: { collection: 'orgs', guidType: 'org', schema: 'OrgDto' },
  csv: {
    file: 'orgs',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'name',
      'type',
      'identifier',
      'parent',
    ],
  },
  scopes: { read: ROSTER_CORE.read },
  fields: [
    ...BASE,
    field('name', {
      doc: 'Name of the organisation.',
      example: 'Lincoln High School',
      type: 'string',
      required: true,
      csv: Y('name'),
      store: col('name'),
    }),
    field('type', {
      doc: 'Kind of organisation.',
      example: 'school',
      type: 'enum',
      values: ORG_TYPES,
      required: true,
      csv: Y('type'),
      store: col('type'),
    }),
    // Optional in CSV, required in the 1.1 OpenAPI: always emitted, '' when empty (§5.7).
    field('identifier', {
      doc: 'Human-readable identifier of the org, e.g. its NCES ID. May be an empty string.',
      example: '3604830',
      type: 'string',
      required: true,
      emitEmpty: true,
      csv: O('identifier'),
      store: col('identifier'),
    }),
    field('parent', {
      doc: 'Parent org in the hierarchy.',
      type: 'guidRef',
      ref: 'org',
      required: false,
      csv: O('parentSourcedId'),
      store: col('parentSourcedId'),
    }),
    field('children', {
      doc: 'Child orgs in the hierarchy.',
      type: 'guidRef',
      list: true,
      ref: 'org',
      required: false,
      store: reverse('orgs', 'parent_sourced_id', 'sourced_id'),
    }),
  ],
});

/** AcademicSession (§5.2; academicSessions.csv §8.4). `children` is derived from parent links. */
export const ACADEMIC_SESSION = defineClass({
  key: 'academicSession',
  spec: '§5.2',
  entity: 'AcademicSessionEntity',
  table: 'academic_sessions',
  rest: {
    collection: 'academicSessions',
    guidType: 'academicSession',
    schema: 'AcademicSessionDto',
  },
  csv: {
    file: 'academicSessions',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'type',
      'startDate',
      'endDate',
      'parent',
      'schoolYear',
    ],
  },
  scopes: ROSTER_CORE,
  fields: [
    ...BASE,
    field('title', {
      doc: 'Title of the session.',
      example: 'Fall Semester 2026',
      type: 'string',
      required: true,
      csv: Y('title'),
      store: col('title'),
    }),
    field('startDate', {
      doc: 'First day of the session (inclusive).',
      example: '2026-09-01',
      type: 'date',
      required: true,
      csv: Y('startDate'),
      store: col('startDate'),
    }),
    // Exclusive (§5.2).
    field('endDate', {
      doc: 'End of the session (exclusive).',
      example: '2027-01-31',
      type: 'date',
      required: true,
      csv: Y('endDate'),
      store: col('endDate'),
    }),
    field('type', {
      doc: 'Kind of academic session.',
      example: 'semester',
      type: 'enum',
      values: SESSION_TYPES,
      required: true,
      csv: Y('type'),
      store: col('type'),
    }),
    field('parent', {
      doc: 'Enclosing academic session.',
      type: 'guidRef',
      ref: 'academicSession',
      required: false,
      csv: O('parentSourcedId'),
      store: col('parentSourcedId'),
    }),
    field('children', {
      doc: 'Academic sessions nested inside.',
      type: 'guidRef',
      list: true,
      ref: 'academicSession',
      required: false,
      store: reverse('academic_sessions', 'parent_sourced_id', 'sourced_id'),
    }),
    field('schoolYear', {
      doc: 'School year (YYYY) the session belongs to, given as the year in which it ends.',
      example: '2027',
      type: 'year',
      required: true,
      csv: Y('schoolYear'),
      store: col('schoolYear'),
    }),
  ],
});

/** The grade and subject fields courses and classes share: one definition each. */
const gradesField = <const E extends readonly string[]>(example: E) =>
  field('grades', {
    doc: 'Grade levels (CEDS Entry Grade Level codes).',
    example,
    type: 'string',
    list: true,
    required: false,
    csv: O('grades'),
    store: col('grades'),
  });
const subjectsField = () =>
  field('subjects', {
    doc: 'Subject names.',
    example: ['Mathematics'],
    type: 'string',
    list: true,
    required: false,
    csv: O('subjects'),
    store: col('subjects'),
  });
const subjectCodesField = () =>
  field('subjectCodes', {
    doc: 'SCED subject codes, in the same order as subjects.',
    example: ['02052'],
    type: 'string',
    list: true,
    required: false,
    csv: O('subjectCodes'),
    store: col('subjectCodes'),
  });

/** Course (§5.4; courses.csv §8.4). Resources link through courseResources. */
export const COURSE = defineClass({
  key: 'course',
  spec: '§5.4',
  entity: 'CourseEntity',
  table: 'courses',
  rest: { collection: 'courses', guidType: 'course', schema: 'CourseDto' },
  csv: {
    file: 'courses',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'schoolYear',
      'title',
      'courseCode',
      'grades',
      'org',
      'subjects',
      'subjectCodes',
    ],
  },
  scopes: ROSTER_CORE,
  fields: [
    ...BASE,
    field('title', {
      doc: 'Title of the course.',
      example: 'Algebra I',
      type: 'string',
      required: true,
      csv: Y('title'),
      store: col('title'),
    }),
    field('schoolYear', {
      doc: 'Academic session (school year) of the course.',
      type: 'guidRef',
      ref: 'academicSession',
      required: false,
      csv: O('schoolYearSourcedId'),
      store: col('schoolYearSourcedId'),
    }),
    // Optional in CSV, required in the 1.1 OpenAPI: always emitted (§5.4).
    field('courseCode', {
      doc: 'Course code. May be an empty string.',
      example: 'MATH-101',
      type: 'string',
      required: true,
      emitEmpty: true,
      csv: O('courseCode'),
      store: col('courseCode'),
    }),
    gradesField(['09', '10']),
    subjectsField(),
    field('org', {
      doc: 'Org that offers the course.',
      type: 'guidRef',
      ref: 'org',
      required: true,
      csv: Y('orgSourcedId'),
      store: col('orgSourcedId'),
    }),
    subjectCodesField(),
    field('resources', {
      doc: 'Resources used by the course.',
      type: 'guidRef',
      list: true,
      ref: 'resource',
      required: false,
      store: reverse(
        'course_resources',
        'course_sourced_id',
        'resource_sourced_id',
      ),
    }),
  ],
});

/** Class (§5.3; classes.csv §8.4). Terms live in class_terms, resources in classResources. */
export const CLASS = defineClass({
  key: 'class',
  spec: '§5.3',
  entity: 'ClassEntity',
  table: 'classes',
  rest: { collection: 'classes', guidType: 'class', schema: 'ClassDto' },
  csv: {
    file: 'classes',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'grades',
      'course',
      'classCode',
      'classType',
      'location',
      'school',
      'terms',
      'subjects',
      'subjectCodes',
      'periods',
    ],
  },
  scopes: ROSTER_CORE,
  fields: [
    ...BASE,
    field('title', {
      doc: 'Title of the class.',
      example: 'Algebra I - Period 1',
      type: 'string',
      required: true,
      csv: Y('title'),
      store: col('title'),
    }),
    field('classCode', {
      doc: 'Class code.',
      example: 'MATH-101-01',
      type: 'string',
      required: false,
      csv: O('classCode'),
      store: col('classCode'),
    }),
    field('classType', {
      doc: "'homeroom' (the homeroom/form) or 'scheduled' (as assigned in the timetable).",
      example: 'scheduled',
      type: 'enum',
      values: CLASS_TYPES,
      required: true,
      csv: Y('classType'),
      store: col('classType'),
    }),
    field('location', {
      doc: 'Where the class meets, e.g. a room.',
      example: 'Room 204',
      type: 'string',
      required: false,
      csv: O('location'),
      store: col('location'),
    }),
    gradesField(['09']),
    subjectsField(),
    field('course', {
      doc: 'Course the class is an instance of.',
      type: 'guidRef',
      ref: 'course',
      required: true,
      csv: Y('courseSourcedId'),
      store: col('courseSourcedId'),
    }),
    field('school', {
      doc: 'School (org) that runs the class.',
      type: 'guidRef',
      ref: 'org',
      required: true,
      csv: Y('schoolSourcedId'),
      store: col('schoolSourcedId'),
    }),
    // At least one (§5.3).
    field('terms', {
      doc: 'Academic sessions (terms) in which the class is taught; at least one.',
      type: 'guidRef',
      list: true,
      nonEmpty: true,
      ref: 'academicSession',
      required: true,
      emitEmpty: true,
      csv: Y('termSourcedIds'),
      store: link(
        'class_terms',
        'ClassTermEntity',
        'classSourcedId',
        'termSourcedId',
      ),
    }),
    // Same length and order as subjects (§5.3).
    subjectCodesField(),
    field('periods', {
      doc: 'Periods in which the class meets.',
      example: ['1'],
      type: 'string',
      list: true,
      required: false,
      csv: O('periods'),
      store: col('periods'),
    }),
    field('resources', {
      doc: 'Resources used by the class.',
      type: 'guidRef',
      list: true,
      ref: 'resource',
      required: false,
      store: reverse(
        'class_resources',
        'class_sourced_id',
        'resource_sourced_id',
      ),
    }),
  ],
});

/** User (§5.8; users.csv §8.4). Orgs and agents live in user_orgs and user_agents. */
export const USER = defineClass({
  key: 'user',
  spec: '§5.8',
  entity: 'UserEntity',
  table: 'users',
  rest: { collection: 'users', guidType: 'user', schema: 'UserDto' },
  csv: {
    file: 'users',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'enabledUser',
      'orgs',
      'role',
      'username',
      'userIds',
      'givenName',
      'familyName',
      'middleName',
      'identifier',
      'email',
      'sms',
      'phone',
      'agents',
      'grades',
      'password',
    ],
  },
  scopes: ROSTER_CORE,
  fields: [
    ...BASE,
    field('username', {
      doc: 'Login name of the user.',
      example: 'jdoe',
      type: 'string',
      required: true,
      csv: Y('username'),
      store: col('username'),
    }),
    field('userIds', {
      doc: 'Identifiers of the user in other systems.',
      type: 'userId',
      list: true,
      required: false,
      csv: O('userIds'),
      store: col('userIds'),
    }),
    field('enabledUser', {
      doc: "Whether system access is enabled. 'false' means the record is active but access is curtailed.",
      example: true,
      type: 'boolean',
      required: true,
      csv: Y('enabledUser'),
      store: col('enabledUser'),
    }),
    field('givenName', {
      doc: 'Given (first) name.',
      example: 'Jane',
      type: 'string',
      required: true,
      csv: Y('givenName'),
      store: col('givenName'),
    }),
    field('familyName', {
      doc: 'Family (last) name.',
      example: 'Doe',
      type: 'string',
      required: true,
      csv: Y('familyName'),
      store: col('familyName'),
    }),
    field('middleName', {
      doc: 'Middle name(s), space-separated if several.',
      example: 'Marie',
      type: 'string',
      required: false,
      csv: O('middleName'),
      store: col('middleName'),
    }),
    field('role', {
      doc: 'Role of the user.',
      example: 'student',
      type: 'enum',
      values: ROLE_TYPES,
      required: true,
      csv: Y('role'),
      store: col('role'),
    }),
    field('identifier', {
      doc: 'Human-readable identifier, e.g. a student number.',
      example: 'S-1042',
      type: 'string',
      required: false,
      csv: O('identifier'),
      store: col('identifier'),
    }),
    field('email', {
      doc: 'Email address.',
      example: 'jane.doe@example.org',
      type: 'string',
      required: false,
      csv: O('email'),
      store: col('email'),
    }),
    field('sms', {
      doc: 'SMS number.',
      example: '+15555550100',
      type: 'string',
      required: false,
      csv: O('sms'),
      store: col('sms'),
    }),
    field('phone', {
      doc: 'Phone number.',
      example: '+15555550100',
      type: 'string',
      required: false,
      csv: O('phone'),
      store: col('phone'),
    }),
    field('agents', {
      doc: 'Related users, e.g. parents or guardians.',
      type: 'guidRef',
      list: true,
      ref: 'user',
      required: false,
      csv: O('agentSourcedIds'),
      store: link(
        'user_agents',
        'UserAgentEntity',
        'userSourcedId',
        'agentSourcedId',
      ),
    }),
    // At least one (§5.8).
    field('orgs', {
      doc: 'Orgs the user belongs to; at least one.',
      type: 'guidRef',
      list: true,
      nonEmpty: true,
      ref: 'org',
      required: true,
      emitEmpty: true,
      csv: Y('orgSourcedIds'),
      store: link(
        'user_orgs',
        'UserOrgEntity',
        'userSourcedId',
        'orgSourcedId',
      ),
    }),
    field('grades', {
      doc: 'Grade levels of a student (CEDS Entry Grade Level codes).',
      example: ['09'],
      type: 'string',
      list: true,
      required: false,
      csv: O('grades'),
      store: col('grades'),
    }),
    // OneRoster 1.2 UserDType fields 1.1 does not have: stored for the 1.2 REST binding and
    // the 1.2 CSV (users.csv), neither published by the 1.1 API nor in the 1.1 CSV file.
    field('userMasterIdentifier', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('userMasterIdentifier'),
    }),
    field('preferredFirstName', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('preferredFirstName'),
    }),
    field('preferredMiddleName', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('preferredMiddleName'),
    }),
    field('preferredLastName', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('preferredLastName'),
    }),
    field('pronouns', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('pronouns'),
    }),
    field('primaryOrg', {
      type: 'guidRef',
      ref: 'org',
      required: false,
      rest: false,
      v1p2: true,
      store: col('primaryOrgSourcedId'),
    }),
    // Kept exactly as the source system supplied it, never published: integrators never
    // need it (§5.8 lists it as optional).
    field('password', {
      type: 'string',
      required: false,
      rest: false,
      csv: O('password'),
      store: col('password'),
    }),
  ],
});

/** Enrollment (§5.6; enrollments.csv §8.4). */
export const ENROLLMENT = defineClass({
  key: 'enrollment',
  spec: '§5.6',
  entity: 'EnrollmentEntity',
  table: 'enrollments',
  rest: {
    collection: 'enrollments',
    guidType: 'enrollment',
    schema: 'EnrollmentDto',
  },
  csv: {
    file: 'enrollments',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'class',
      'school',
      'user',
      'role',
      'primary',
      'beginDate',
      'endDate',
    ],
  },
  scopes: ROSTER_CORE,
  fields: [
    ...BASE,
    field('user', {
      doc: 'The enrolled user.',
      type: 'guidRef',
      ref: 'user',
      required: true,
      csv: Y('userSourcedId'),
      store: col('userSourcedId'),
    }),
    field('class', {
      doc: 'The class enrolled into.',
      type: 'guidRef',
      ref: 'class',
      required: true,
      csv: Y('classSourcedId'),
      store: col('classSourcedId'),
    }),
    field('school', {
      doc: 'School (org) of the class.',
      type: 'guidRef',
      ref: 'org',
      required: true,
      csv: Y('schoolSourcedId'),
      store: col('schoolSourcedId'),
    }),
    // The full 8-value RoleType: the 1.1 JSON allows it, and CSV files are read the same
    // way (digest §8.4 "accept both").
    field('role', {
      doc: 'Role of the user in the class.',
      example: 'student',
      type: 'enum',
      values: ROLE_TYPES,
      required: true,
      csv: Y('role'),
      store: col('role'),
    }),
    // Teachers only (§5.6). `primary` is a reserved word in SQL, hence the column name.
    field('primary', {
      doc: 'Teachers only: whether this is the primary teacher of the class for the enrollment period.',
      example: true,
      type: 'boolean',
      required: false,
      csv: O('primary'),
      store: col('primary', 'is_primary'),
    }),
    field('beginDate', {
      doc: 'First day of the enrollment (inclusive).',
      example: '2026-09-01',
      type: 'date',
      required: false,
      csv: O('beginDate'),
      store: col('beginDate'),
    }),
    field('endDate', {
      doc: 'End of the enrollment (exclusive).',
      example: '2027-06-30',
      type: 'date',
      required: false,
      csv: O('endDate'),
      store: col('endDate'),
    }),
  ],
});

/**
 * Demographics (§5.5; demographics.csv §8.4). Its sourcedId is the user's; every field is
 * optional; access is privileged, hence its own scope.
 */
export const DEMOGRAPHICS = defineClass({
  key: 'demographics',
  spec: '§5.5',
  entity: 'DemographicsEntity',
  table: 'demographics',
  rest: {
    collection: 'demographics',
    guidType: 'demographics',
    schema: 'DemographicsDto',
  },
  csv: {
    file: 'demographics',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'birthDate',
      'sex',
      'americanIndianOrAlaskaNative',
      'asian',
      'blackOrAfricanAmerican',
      'nativeHawaiianOrOtherPacificIslander',
      'white',
      'demographicRaceTwoOrMoreRaces',
      'hispanicOrLatinoEthnicity',
      'countryOfBirthCode',
      'stateOfBirthAbbreviation',
      'cityOfBirth',
      'publicSchoolResidenceStatus',
    ],
  },
  scopes: { read: [ONEROSTER_SCOPES.rosterDemographics] },
  fields: [
    ...BASE,
    field('birthDate', {
      doc: 'Date of birth.',
      example: '2011-04-23',
      type: 'date',
      required: false,
      csv: O('birthDate'),
      store: col('birthDate'),
    }),
    field('sex', {
      doc: 'Sex of the user.',
      example: 'female',
      type: 'enum',
      values: GENDERS,
      required: false,
      csv: O('sex'),
      store: col('sex'),
    }),
    // The correct spelling, not the 1.1 OpenAPI copy's `americanIndianOrAlsakaNative` (§5.5).
    field('americanIndianOrAlaskaNative', {
      doc: 'American Indian or Alaska Native.',
      example: false,
      type: 'boolean',
      required: false,
      csv: O('americanIndianOrAlaskaNative'),
      store: col('americanIndianOrAlaskaNative'),
    }),
    field('asian', {
      doc: 'Asian.',
      example: false,
      type: 'boolean',
      required: false,
      csv: O('asian'),
      store: col('asian'),
    }),
    field('blackOrAfricanAmerican', {
      doc: 'Black or African American.',
      example: false,
      type: 'boolean',
      required: false,
      csv: O('blackOrAfricanAmerican'),
      store: col('blackOrAfricanAmerican'),
    }),
    field('nativeHawaiianOrOtherPacificIslander', {
      doc: 'Native Hawaiian or Other Pacific Islander.',
      example: false,
      type: 'boolean',
      required: false,
      csv: O('nativeHawaiianOrOtherPacificIslander'),
      store: col('nativeHawaiianOrOtherPacificIslander'),
    }),
    field('white', {
      doc: 'White.',
      example: true,
      type: 'boolean',
      required: false,
      csv: O('white'),
      store: col('white'),
    }),
    field('demographicRaceTwoOrMoreRaces', {
      doc: 'Two or more races.',
      example: false,
      type: 'boolean',
      required: false,
      csv: O('demographicRaceTwoOrMoreRaces'),
      store: col('demographicRaceTwoOrMoreRaces'),
    }),
    field('hispanicOrLatinoEthnicity', {
      doc: 'Hispanic or Latino ethnicity.',
      example: false,
      type: 'boolean',
      required: false,
      csv: O('hispanicOrLatinoEthnicity'),
      store: col('hispanicOrLatinoEthnicity'),
    }),
    field('countryOfBirthCode', {
      doc: 'Country of birth (CEDS code).',
      example: 'US',
      type: 'string',
      required: false,
      csv: O('countryOfBirthCode'),
      store: col('countryOfBirthCode'),
    }),
    field('stateOfBirthAbbreviation', {
      doc: 'State of birth (CEDS abbreviation).',
      example: 'NY',
      type: 'string',
      required: false,
      csv: O('stateOfBirthAbbreviation'),
      store: col('stateOfBirthAbbreviation'),
    }),
    field('cityOfBirth', {
      doc: 'City of birth.',
      example: 'Albany',
      type: 'string',
      required: false,
      csv: O('cityOfBirth'),
      store: col('cityOfBirth'),
    }),
    field('publicSchoolResidenceStatus', {
      doc: 'Public school residence status (CEDS code).',
      type: 'string',
      required: false,
      csv: O('publicSchoolResidenceStatus'),
      store: col('publicSchoolResidenceStatus'),
    }),
  ],
});

/** Category, a.k.a. LineItemCategory (§5.11; categories.csv §8.4). */
export const CATEGORY = defineClass({
  key: 'category',
  spec: '§5.11',
  entity: 'CategoryEntity',
  table: 'categories',
  rest: {
    collection: 'categories',
    guidType: 'category',
    schema: 'CategoryDto',
  },
  csv: {
    file: 'categories',
    order: ['sourcedId', 'status', 'dateLastModified', 'title'],
  },
  scopes: GRADEBOOK,
  fields: [
    ...BASE,
    field('title', {
      doc: 'Title of the category.',
      example: 'Homework',
      type: 'string',
      required: true,
      csv: Y('title'),
      store: col('title'),
    }),
    // OneRoster 1.2 CategoryDType's weight: stored for the 1.2 REST binding and the 1.2 CSV
    // (categories.csv), neither published by the 1.1 API nor in the 1.1 CSV file.
    field('weight', {
      type: 'number',
      required: false,
      rest: false,
      v1p2: true,
      store: col('weight'),
    }),
  ],
});

/** LineItem (§5.9; lineItems.csv §8.4): an assignment or assessment of a class. */
export const LINE_ITEM = defineClass({
  key: 'lineItem',
  spec: '§5.9',
  entity: 'LineItemEntity',
  table: 'line_items',
  rest: {
    collection: 'lineItems',
    guidType: 'lineItem',
    schema: 'LineItemDto',
  },
  csv: {
    file: 'lineItems',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'description',
      'assignDate',
      'dueDate',
      'class',
      'category',
      'gradingPeriod',
      'resultValueMin',
      'resultValueMax',
    ],
  },
  scopes: GRADEBOOK,
  fields: [
    ...BASE,
    field('title', {
      doc: 'Title of the line item.',
      example: 'Chapter 3 quiz',
      type: 'string',
      required: true,
      csv: Y('title'),
      store: col('title'),
    }),
    field('description', {
      doc: 'Description of the line item.',
      example: 'Linear equations',
      type: 'string',
      required: false,
      csv: O('description'),
      store: col('description'),
    }),
    // DateTime in JSON, Date in CSV (a DateTime accepted too) (§5.9).
    field('assignDate', {
      doc: 'When the line item was assigned (UTC).',
      example: '2026-10-05T08:00:00.000Z',
      type: 'dateTime',
      required: true,
      csv: Y('assignDate'),
      store: col('assignDate'),
    }),
    field('dueDate', {
      doc: 'When the line item is due (UTC).',
      example: '2026-10-12T08:00:00.000Z',
      type: 'dateTime',
      required: true,
      csv: Y('dueDate'),
      store: col('dueDate'),
    }),
    field('class', {
      doc: 'Class the line item belongs to.',
      type: 'guidRef',
      ref: 'class',
      required: true,
      csv: Y('classSourcedId'),
      store: col('classSourcedId'),
    }),
    field('category', {
      doc: 'Category of the line item.',
      type: 'guidRef',
      ref: 'category',
      required: true,
      csv: Y('categorySourcedId'),
      store: col('categorySourcedId'),
    }),
    field('gradingPeriod', {
      doc: 'Grading period (academic session) of the line item.',
      type: 'guidRef',
      ref: 'academicSession',
      required: true,
      csv: Y('gradingPeriodSourcedId'),
      store: col('gradingPeriodSourcedId'),
    }),
    field('resultValueMin', {
      doc: 'Minimum score value.',
      example: 0,
      type: 'number',
      required: true,
      csv: Y('resultValueMin'),
      store: col('resultValueMin'),
    }),
    field('resultValueMax', {
      doc: 'Maximum score value.',
      example: 100,
      type: 'number',
      required: true,
      csv: Y('resultValueMax'),
      store: col('resultValueMax'),
    }),
    // OneRoster 1.2 LineItemDType's scoreScale, the sourcedId of a score scale (a 1.2 class
    // 1.1 lacks, hence a string here): stored for the 1.2 REST binding only.
    field('scoreScale', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('scoreScaleSourcedId'),
    }),
    // OneRoster 1.2 LineItemDType's learningObjectiveSet (LearningObjectiveSetDType[]),
    // kept whole as JSON: stored for the 1.2 REST binding and the 1.2 CSV link file
    // lineItemLearningObjectiveIds.csv only.
    field('learningObjectiveSet', {
      type: 'metadata',
      required: false,
      rest: false,
      v1p2: true,
      store: col('learningObjectiveSet'),
    }),
  ],
});

/** Result (§5.10; results.csv §8.4): one student's score on one line item. */
export const RESULT = defineClass({
  key: 'result',
  spec: '§5.10',
  entity: 'ResultEntity',
  table: 'results',
  rest: { collection: 'results', guidType: 'result', schema: 'ResultDto' },
  csv: {
    file: 'results',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'lineItem',
      'student',
      'scoreStatus',
      'score',
      'scoreDate',
      'comment',
    ],
  },
  scopes: GRADEBOOK,
  fields: [
    ...BASE,
    field('lineItem', {
      doc: 'Line item the result is for.',
      type: 'guidRef',
      ref: 'lineItem',
      required: true,
      csv: Y('lineItemSourcedId'),
      store: col('lineItemSourcedId'),
    }),
    field('student', {
      doc: 'Student (user) the result is for.',
      type: 'guidRef',
      ref: 'user',
      required: true,
      csv: Y('studentSourcedId'),
      store: col('studentSourcedId'),
    }),
    field('scoreStatus', {
      doc: 'Grading status of the score.',
      example: 'fully graded',
      type: 'enum',
      values: SCORE_STATUSES,
      required: true,
      csv: Y('scoreStatus'),
      store: col('scoreStatus'),
    }),
    // May exceed the line item's resultValueMax (extra credit).
    field('score', {
      doc: 'The score.',
      example: 87.5,
      type: 'number',
      required: true,
      csv: Y('score'),
      store: col('score'),
    }),
    field('scoreDate', {
      doc: 'Date the score was recorded.',
      example: '2026-10-14',
      type: 'date',
      required: true,
      csv: Y('scoreDate'),
      store: col('scoreDate'),
    }),
    field('comment', {
      doc: 'Comment on the result.',
      example: 'Good work',
      type: 'string',
      required: false,
      csv: O('comment'),
      store: col('comment'),
    }),
    // OneRoster 1.2 ResultDType fields 1.1 does not have: stored for the 1.2 REST binding and
    // the 1.2 CSV (results.csv), neither published by the 1.1 API nor in the 1.1 CSV file.
    // scoreScale is the sourcedId of a score scale (a 1.2 class 1.1 lacks, hence a string).
    field('scoreScale', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('scoreScaleSourcedId'),
    }),
    field('textScore', {
      type: 'string',
      required: false,
      rest: false,
      v1p2: true,
      store: col('textScore'),
    }),
    field('inProgress', {
      type: 'boolean',
      required: false,
      rest: false,
      v1p2: true,
      store: col('inProgress'),
    }),
    field('incomplete', {
      type: 'boolean',
      required: false,
      rest: false,
      v1p2: true,
      store: col('incomplete'),
    }),
    field('late', {
      type: 'boolean',
      required: false,
      rest: false,
      v1p2: true,
      store: col('late'),
    }),
    field('missing', {
      type: 'boolean',
      required: false,
      rest: false,
      v1p2: true,
      store: col('missing'),
    }),
    // OneRoster 1.2 ResultDType's learningObjectiveSet (LearningObjectiveScoreSetDType[]),
    // kept whole as JSON: for the 1.2 REST binding and resultLearningObjectiveIds.csv.
    field('learningObjectiveSet', {
      type: 'metadata',
      required: false,
      rest: false,
      v1p2: true,
      store: col('learningObjectiveSet'),
    }),
  ],
});

/** Resource (§5.11; resources.csv §8.4): learning content used by classes and courses. */
export const RESOURCE_CLASS = defineClass({
  key: 'resource',
  spec: '§5.11',
  entity: 'ResourceEntity',
  table: 'resources',
  rest: {
    collection: 'resources',
    guidType: 'resource',
    schema: 'ResourceDto',
  },
  csv: {
    file: 'resources',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'vendorResourceId',
      'title',
      'roles',
      'importance',
      'vendorId',
      'applicationId',
    ],
  },
  scopes: RESOURCE,
  fields: [
    ...BASE,
    field('title', {
      doc: 'Title of the resource.',
      example: 'Algebra I e-textbook',
      type: 'string',
      required: false,
      csv: O('title'),
      store: col('title'),
    }),
    // `roles`, a RoleType list, as the spec and CSV have it (not the OpenAPI copy's `role`, §5.11).
    field('roles', {
      doc: 'Roles the resource is intended for.',
      example: ['student', 'teacher'],
      type: 'enum',
      list: true,
      values: ROLE_TYPES,
      required: false,
      csv: O('roles'),
      store: col('roles'),
    }),
    field('importance', {
      doc: 'Importance of the resource.',
      example: 'primary',
      type: 'enum',
      values: IMPORTANCES,
      required: false,
      csv: O('importance'),
      store: col('importance'),
    }),
    field('vendorResourceId', {
      doc: "The vendor's identifier of the resource.",
      example: 'ALG1-TXT',
      type: 'string',
      required: true,
      csv: Y('vendorResourceId'),
      store: col('vendorResourceId'),
    }),
    field('vendorId', {
      doc: 'Identifier of the vendor, assigned by IMS as part of conformance certification.',
      example: 'vendor-42',
      type: 'string',
      required: false,
      csv: O('vendorId'),
      store: col('vendorId'),
    }),
    field('applicationId', {
      doc: 'Identifier of the application that delivers the resource.',
      example: 'app-7',
      type: 'string',
      required: false,
      csv: O('applicationId'),
      store: col('applicationId'),
    }),
  ],
});

/*
 * The class/course resource links (classResources.csv, courseResources.csv, §8.4) are
 * records of their own in CSV and in the database, but not REST resources: the API
 * publishes them as class.resources / course.resources (under the class's or course's
 * scopes) and follows them in /classes/{id}/resources and /courses/{id}/resources
 * (resource.readonly).
 */
const RESOURCE_LINK_SCOPES = { read: [ONEROSTER_SCOPES.resource] } as const;

export const CLASS_RESOURCE = defineClass({
  key: 'classResource',
  spec: '§8.4 classResources.csv',
  entity: 'ClassResourceEntity',
  table: 'class_resources',
  rest: null,
  csv: {
    file: 'classResources',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'class',
      'resource',
    ],
  },
  scopes: RESOURCE_LINK_SCOPES,
  fields: [
    ...BASE,
    field('title', {
      type: 'string',
      required: false,
      csv: O('title'),
      store: col('title'),
    }),
    field('class', {
      type: 'guidRef',
      ref: 'class',
      required: true,
      csv: Y('classSourcedId'),
      store: col('classSourcedId'),
    }),
    field('resource', {
      type: 'guidRef',
      ref: 'resource',
      required: true,
      csv: Y('resourceSourcedId'),
      store: col('resourceSourcedId'),
    }),
  ],
});

export const COURSE_RESOURCE = defineClass({
  key: 'courseResource',
  spec: '§8.4 courseResources.csv',
  entity: 'CourseResourceEntity',
  table: 'course_resources',
  rest: null,
  csv: {
    file: 'courseResources',
    order: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'course',
      'resource',
    ],
  },
  scopes: RESOURCE_LINK_SCOPES,
  fields: [
    ...BASE,
    field('title', {
      type: 'string',
      required: false,
      csv: O('title'),
      store: col('title'),
    }),
    field('course', {
      type: 'guidRef',
      ref: 'course',
      required: true,
      csv: Y('courseSourcedId'),
      store: col('courseSourcedId'),
    }),
    field('resource', {
      type: 'guidRef',
      ref: 'resource',
      required: true,
      csv: Y('resourceSourcedId'),
      store: col('resourceSourcedId'),
    }),
  ],
});

/** Every class of the catalogue, by key. */
export const CATALOGUE = {
  org: ORG,
  academicSession: ACADEMIC_SESSION,
  course: COURSE,
  class: CLASS,
  user: USER,
  enrollment: ENROLLMENT,
  demographics: DEMOGRAPHICS,
  category: CATEGORY,
  lineItem: LINE_ITEM,
  result: RESULT,
  resource: RESOURCE_CLASS,
  classResource: CLASS_RESOURCE,
  courseResource: COURSE_RESOURCE,
} as const satisfies Record<ClassKey, ClassDef>;
