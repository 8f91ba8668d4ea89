import {
  CLASS_TYPES,
  GENDERS,
  IMPORTANCES,
  ORG_TYPES,
  ROLE_TYPES,
  SCORE_STATUSES,
  SESSION_TYPES,
} from '@oneroster/contracts';

/**
 * The OneRoster 1.1 CSV binding (spec digest §8.4): the 13 data files, their exact headers
 * in order, and what each column holds. Every other part of the CSV code is driven by this
 * table, so a header is spelt in one place only.
 */

export type CsvFile =
  | 'academicSessions'
  | 'categories'
  | 'classes'
  | 'classResources'
  | 'courses'
  | 'courseResources'
  | 'demographics'
  | 'enrollments'
  | 'lineItems'
  | 'orgs'
  | 'resources'
  | 'results'
  | 'users';

/** The 13 data files in manifest (alphabetical) order. */
export const CSV_FILES: readonly CsvFile[] = [
  'academicSessions',
  'categories',
  'classes',
  'classResources',
  'courses',
  'courseResources',
  'demographics',
  'enrollments',
  'lineItems',
  'orgs',
  'resources',
  'results',
  'users',
];

/** Appendix A dependency order: a file only refers to files before it. */
export const DEPENDENCY_ORDER: readonly CsvFile[] = [
  'orgs',
  'academicSessions',
  'categories',
  'resources',
  'courses',
  'classes',
  'users',
  'demographics',
  'enrollments',
  'lineItems',
  'results',
  'classResources',
  'courseResources',
];

export type ColumnKind =
  | 'id'
  | 'status'
  | 'dateLastModified'
  | 'string'
  | 'enum'
  | 'date'
  /** A Date in CSV; a DateTime is accepted too (lineItems.assignDate/dueDate). */
  | 'dateOrDateTime'
  | 'year'
  | 'boolean'
  | 'float'
  | 'ref'
  | 'refs'
  | 'list'
  | 'userIds';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  required?: boolean;
  /** Allowed values of an `enum` column, or of every element of a `list` column. */
  values?: readonly string[];
  /** The file a `ref`/`refs` column points into. */
  target?: CsvFile;
}

const base: ColumnSpec[] = [
  { name: 'sourcedId', kind: 'id', required: true },
  { name: 'status', kind: 'status' },
  { name: 'dateLastModified', kind: 'dateLastModified' },
];
const str = (name: string, required = false): ColumnSpec => ({
  name,
  kind: 'string',
  required,
});
const ref = (name: string, target: CsvFile, required = true): ColumnSpec => ({
  name,
  kind: 'ref',
  target,
  required,
});
const bool = (name: string, required = false): ColumnSpec => ({
  name,
  kind: 'boolean',
  required,
});
const list = (name: string, values?: readonly string[]): ColumnSpec => ({
  name,
  kind: 'list',
  ...(values ? { values } : {}),
});
const en = (
  name: string,
  values: readonly string[],
  required = true,
): ColumnSpec => ({ name, kind: 'enum', values, required });

/** Enrollment roles of the 1.1 CSV tables plus the rest of RoleType, which 1.1 JSON allows. */
const ENROLLMENT_ROLES = ROLE_TYPES;

export const CSV_COLUMNS: Record<CsvFile, readonly ColumnSpec[]> = {
  academicSessions: [
    ...base,
    str('title', true),
    en('type', SESSION_TYPES),
    { name: 'startDate', kind: 'date', required: true },
    { name: 'endDate', kind: 'date', required: true },
    ref('parentSourcedId', 'academicSessions', false),
    { name: 'schoolYear', kind: 'year', required: true },
  ],
  categories: [...base, str('title', true)],
  classes: [
    ...base,
    str('title', true),
    list('grades'),
    ref('courseSourcedId', 'courses'),
    str('classCode'),
    en('classType', CLASS_TYPES),
    str('location'),
    ref('schoolSourcedId', 'orgs'),
    {
      name: 'termSourcedIds',
      kind: 'refs',
      target: 'academicSessions',
      required: true,
    },
    list('subjects'),
    list('subjectCodes'),
    list('periods'),
  ],
  classResources: [
    ...base,
    str('title'),
    ref('classSourcedId', 'classes'),
    ref('resourceSourcedId', 'resources'),
  ],
  courses: [
    ...base,
    ref('schoolYearSourcedId', 'academicSessions', false),
    str('title', true),
    str('courseCode'),
    list('grades'),
    ref('orgSourcedId', 'orgs'),
    list('subjects'),
    list('subjectCodes'),
  ],
  courseResources: [
    ...base,
    str('title'),
    ref('courseSourcedId', 'courses'),
    ref('resourceSourcedId', 'resources'),
  ],
  demographics: [
    ...base,
    { name: 'birthDate', kind: 'date' },
    en('sex', GENDERS, false),
    bool('americanIndianOrAlaskaNative'),
    bool('asian'),
    bool('blackOrAfricanAmerican'),
    bool('nativeHawaiianOrOtherPacificIslander'),
    bool('white'),
    bool('demographicRaceTwoOrMoreRaces'),
    bool('hispanicOrLatinoEthnicity'),
    str('countryOfBirthCode'),
    str('stateOfBirthAbbreviation'),
    str('cityOfBirth'),
    str('publicSchoolResidenceStatus'),
  ],
  enrollments: [
    ...base,
    ref('classSourcedId', 'classes'),
    ref('schoolSourcedId', 'orgs'),
    ref('userSourcedId', 'users'),
    en('role', ENROLLMENT_ROLES),
    bool('primary'),
    { name: 'beginDate', kind: 'date' },
    { name: 'endDate', kind: 'date' },
  ],
  lineItems: [
    ...base,
    str('title', true),
    str('description'),
    { name: 'assignDate', kind: 'dateOrDateTime', required: true },
    { name: 'dueDate', kind: 'dateOrDateTime', required: true },
    ref('classSourcedId', 'classes'),
    ref('categorySourcedId', 'categories'),
    ref('gradingPeriodSourcedId', 'academicSessions'),
    { name: 'resultValueMin', kind: 'float', required: true },
    { name: 'resultValueMax', kind: 'float', required: true },
  ],
  orgs: [
    ...base,
    str('name', true),
    en('type', ORG_TYPES),
    str('identifier'),
    ref('parentSourcedId', 'orgs', false),
  ],
  resources: [
    ...base,
    str('vendorResourceId', true),
    str('title'),
    list('roles', ROLE_TYPES),
    en('importance', IMPORTANCES, false),
    str('vendorId'),
    str('applicationId'),
  ],
  results: [
    ...base,
    ref('lineItemSourcedId', 'lineItems'),
    ref('studentSourcedId', 'users'),
    en('scoreStatus', SCORE_STATUSES),
    { name: 'score', kind: 'float', required: true },
    { name: 'scoreDate', kind: 'date', required: true },
    str('comment'),
  ],
  users: [
    ...base,
    bool('enabledUser', true),
    { name: 'orgSourcedIds', kind: 'refs', target: 'orgs', required: true },
    en('role', ROLE_TYPES),
    str('username', true),
    { name: 'userIds', kind: 'userIds' },
    str('givenName', true),
    str('familyName', true),
    str('middleName'),
    str('identifier'),
    str('email'),
    str('sms'),
    str('phone'),
    { name: 'agentSourcedIds', kind: 'refs', target: 'users' },
    list('grades'),
    str('password'),
  ],
};

/** The exact 1.1 header row of each file, in order. */
export const CSV_HEADERS = Object.fromEntries(
  CSV_FILES.map((f) => [f, CSV_COLUMNS[f].map((c) => c.name)]),
) as unknown as Record<CsvFile, readonly string[]>;

/** Extension columns (§8.1): `metadata.<name>`, to the right of the defined columns. */
export const METADATA_PREFIX = 'metadata.';

export const isCsvFile = (name: string): name is CsvFile =>
  (CSV_FILES as readonly string[]).includes(name);
