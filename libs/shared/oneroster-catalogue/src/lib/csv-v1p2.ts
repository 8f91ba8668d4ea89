import { CATALOGUE_V1P2, V1P2_OBJECTS } from './catalogue-v1p2';
import type {
  V1p2ClassKey,
  V1p2FieldDef,
  V1p2FieldType,
  V1p2ObjectKey,
} from './model';

/*
 * The OneRoster 1.2 CSV binding (1EdTech "OneRoster 1.2 CSV Binding", 1.2.1 corrections) as a
 * projection of the 1.2 catalogue: its 21 data files, each header in order, and which field of
 * the 1.2 class (or nested object) each column carries. A column's type, vocabulary and GUIDRef
 * target are the field's; its requiredness is the CSV binding's (a superset of the JSON
 * `required` list: users.csv also requires `username`). Files whose data nothing stores yet
 * (`stored: false`) are described by their headers only.
 */

/** The 21 data files of a 1.2 CSV set, in manifest (alphabetical) order. */
export const V1P2_CSV_FILE_NAMES = [
  'academicSessions',
  'categories',
  'classes',
  'classResources',
  'courseResources',
  'courses',
  'demographics',
  'enrollments',
  'lineItemLearningObjectiveIds',
  'lineItems',
  'lineItemScoreScales',
  'orgs',
  'resources',
  'resultLearningObjectiveIds',
  'results',
  'resultScoreScales',
  'roles',
  'scoreScales',
  'userProfiles',
  'userResources',
  'users',
] as const;
export type V1p2CsvFileName = (typeof V1P2_CSV_FILE_NAMES)[number];

/** A CSV-only format where the column is not read as its JSON field's type. */
export type V1p2CsvColumnType =
  | V1p2FieldType
  | 'year'
  | 'userIds'
  /**
   * A list of a nested object of two string fields, written `{first:second}` items separated
   * by commas, as userIds are (scoreScales.csv `scoreScaleValue`: `{A:Excellent},{B:Good}`).
   */
  | 'pairs';

export interface V1p2CsvColumnDef {
  readonly column: string;
  /** The field of the file's class (or nested object) the column carries; absent: CSV only. */
  readonly field?: string;
  /** Required in the CSV binding (`sourcedId` always; status/dateLastModified in delta only). */
  readonly required: boolean;
  /** The column's type where the field does not give it (or CSV writes it otherwise). */
  readonly type?: V1p2CsvColumnType;
  readonly list?: true;
  /** The file a `…SourcedId(s)` column points into. */
  readonly target?: V1p2CsvFileName;
  /**
   * A file stored as 1.2 in the table the file names (`stored: 'v1p2'` with `table`): the
   * SQL column of that table holding the column (a GUIDRef: the target's sourcedId). Absent
   * on such a file: read and checked, not kept.
   */
  readonly sqlColumn?: string;
  /**
   * With `sqlColumn`: the columns sharing that SQL column are the keys of one object in the
   * JSON list it holds (userProfiles.csv: credentialType, username and password are
   * `credentials[0]`'s type, username and password).
   */
  readonly sqlKey?: string;
}

export interface V1p2CsvFileDef {
  readonly file: V1p2CsvFileName;
  /** The 1.2 class or nested object one row describes (null: a link file with no class). */
  readonly of:
    | { readonly class: V1p2ClassKey }
    | { readonly object: V1p2ObjectKey; readonly owner: V1p2ClassKey }
    | null;
  /**
   * Whether and how the platform stores the file's data: `v1p1` for the files of the 1.1
   * tables (read into them through the 1.1 mapping), `v1p2` for a class new in 1.2 stored as
   * 1.2 in a table of its own (the class's `table`, each column's field naming its SQL
   * column), `false` for data new in 1.2 with no storage yet (accepted, not stored).
   */
  readonly stored: 'v1p1' | 'v1p2' | false;
  /**
   * A file stored as 1.2 whose rows are not objects of a 1.2 class (userResources, a link
   * file with no class; roles, the users' nested RoleDType): its table in
   * @oneroster/entities (one row per record and school, the base columns as every OneRoster
   * table); its columns name their `sqlColumn`s.
   */
  readonly table?: string;
  /**
   * A link file stored in a column of the table of the objects it links (`table`: the score
   * scale links, `line_items` and `results`): the CSV column naming the object whose row
   * holds the link (its `sqlColumn` is `sourced_id`); the other stored column is the value
   * the link sets. One active link per object, as the 1.2 JSON field holds one value;
   * unless `gathered`.
   */
  readonly ownerColumn?: string;
  /**
   * With `ownerColumn`: many rows per object, gathered into the JSON list its row's
   * `sqlColumn` holds (the learning objective links: a line item's or result's
   * `learningObjectiveSet`, one element per `source`, one objective per row, in file
   * order). No column names a record of another file but the object.
   */
  readonly gathered?: true;
  readonly columns: readonly V1p2CsvColumnDef[];
}

const col = (
  column: string,
  field: string | undefined,
  required: boolean,
  extra: Omit<V1p2CsvColumnDef, 'column' | 'field' | 'required'> = {},
): V1p2CsvColumnDef =>
  field === undefined
    ? { column, required, ...extra }
    : { column, field, required, ...extra };
const req = (column: string, field?: string, extra = {}) =>
  col(column, field ?? column, true, extra);
const opt = (column: string, field?: string, extra = {}) =>
  col(column, field ?? column, false, extra);
/** A column of a file whose data is not stored: type only. */
const raw = (
  column: string,
  required: boolean,
  type: V1p2CsvColumnType = 'string',
  target?: V1p2CsvFileName,
): V1p2CsvColumnDef => ({
  column,
  required,
  type,
  ...(target ? { target } : {}),
});

/**
 * A column of userProfiles.csv's one credential: a key of the single CredentialDType object
 * the JSON list `credentials` holds.
 */
const credential = (c: V1p2CsvColumnDef, key: string): V1p2CsvColumnDef => ({
  ...c,
  sqlColumn: 'credentials',
  sqlKey: key,
});

/** A column of a file stored as 1.2 in its own `table`, with the SQL column holding it. */
const stored = (c: V1p2CsvColumnDef, sqlColumn: string): V1p2CsvColumnDef => ({
  ...c,
  sqlColumn,
});

const BASE = [
  req('sourcedId'),
  opt('status'),
  opt('dateLastModified'),
] as const;
const RAW_BASE = [
  raw('sourcedId', true),
  raw('status', false, 'enum'),
  raw('dateLastModified', false, 'dateTime'),
] as const;

const def = (d: V1p2CsvFileDef) => d;

export const V1P2_CSV: Readonly<Record<V1p2CsvFileName, V1p2CsvFileDef>> = {
  academicSessions: def({
    file: 'academicSessions',
    of: { class: 'academicSession' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('title'),
      req('type'),
      req('startDate'),
      req('endDate'),
      opt('parentSourcedId', 'parent', { target: 'academicSessions' }),
      req('schoolYear', 'schoolYear', { type: 'year' }),
    ],
  }),
  categories: def({
    file: 'categories',
    of: { class: 'category' },
    stored: 'v1p1',
    columns: [...BASE, req('title'), opt('weight')],
  }),
  classes: def({
    file: 'classes',
    of: { class: 'class' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('title'),
      opt('grades'),
      req('courseSourcedId', 'course', { target: 'courses' }),
      opt('classCode'),
      req('classType'),
      opt('location'),
      req('schoolSourcedId', 'school', { target: 'orgs' }),
      req('termSourcedIds', 'terms', { target: 'academicSessions' }),
      opt('subjects'),
      opt('subjectCodes'),
      opt('periods'),
    ],
  }),
  classResources: def({
    file: 'classResources',
    of: null,
    stored: 'v1p1',
    columns: [
      ...RAW_BASE,
      raw('title', false),
      raw('classSourcedId', true, 'guidRef', 'classes'),
      raw('resourceSourcedId', true, 'guidRef', 'resources'),
    ],
  }),
  courseResources: def({
    file: 'courseResources',
    of: null,
    stored: 'v1p1',
    columns: [
      ...RAW_BASE,
      raw('title', false),
      raw('courseSourcedId', true, 'guidRef', 'courses'),
      raw('resourceSourcedId', true, 'guidRef', 'resources'),
    ],
  }),
  courses: def({
    file: 'courses',
    of: { class: 'course' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      opt('schoolYearSourcedId', 'schoolYear', { target: 'academicSessions' }),
      req('title'),
      opt('courseCode'),
      opt('grades'),
      req('orgSourcedId', 'org', { target: 'orgs' }),
      opt('subjects'),
      opt('subjectCodes'),
    ],
  }),
  demographics: def({
    file: 'demographics',
    of: { class: 'demographics' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      opt('birthDate'),
      opt('sex'),
      opt('americanIndianOrAlaskaNative'),
      opt('asian'),
      opt('blackOrAfricanAmerican'),
      opt('nativeHawaiianOrOtherPacificIslander'),
      opt('white'),
      opt('demographicRaceTwoOrMoreRaces'),
      opt('hispanicOrLatinoEthnicity'),
      opt('countryOfBirthCode'),
      opt('stateOfBirthAbbreviation'),
      opt('cityOfBirth'),
      opt('publicSchoolResidenceStatus'),
    ],
  }),
  enrollments: def({
    file: 'enrollments',
    of: { class: 'enrollment' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('classSourcedId', 'class', { target: 'classes' }),
      req('schoolSourcedId', 'school', { target: 'orgs' }),
      req('userSourcedId', 'user', { target: 'users' }),
      req('role'),
      opt('primary'),
      opt('beginDate'),
      opt('endDate'),
    ],
  }),
  // A line item's learning objectives (the 1.2 JSON `learningObjectiveSet`), one objective
  // per row, gathered into its row's `learning_objective_set`; the link's sourcedId is not kept.
  lineItemLearningObjectiveIds: def({
    file: 'lineItemLearningObjectiveIds',
    of: null,
    stored: 'v1p2',
    table: 'line_items',
    ownerColumn: 'lineItemSourcedId',
    gathered: true,
    columns: [
      ...RAW_BASE,
      stored(
        raw('lineItemSourcedId', true, 'guidRef', 'lineItems'),
        'sourced_id',
      ),
      // case, unknown or a /name (LearningObjectiveSetDType.source): checked on import.
      stored(raw('source', true), 'learning_objective_set'),
      stored(raw('learningObjectiveId', true), 'learning_objective_set'),
    ],
  }),
  lineItems: def({
    file: 'lineItems',
    of: { class: 'lineItem' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('title'),
      opt('description'),
      req('assignDate'),
      req('dueDate'),
      req('classSourcedId', 'class', { target: 'classes' }),
      req('categorySourcedId', 'category', { target: 'categories' }),
      opt('academicSessionSourcedId', 'academicSession', {
        target: 'academicSessions',
      }),
      opt('resultValueMin'),
      opt('resultValueMax'),
      req('schoolSourcedId', 'school', { target: 'orgs' }),
    ],
  }),
  // The lineItem's one score scale (the 1.2 JSON `scoreScale`), kept in its row's
  // `score_scale_sourced_id`; the link's own sourcedId and title are not kept.
  lineItemScoreScales: def({
    file: 'lineItemScoreScales',
    of: null,
    stored: 'v1p2',
    table: 'line_items',
    ownerColumn: 'lineItemSourcedId',
    columns: [
      ...RAW_BASE,
      raw('title', false),
      stored(
        raw('lineItemSourcedId', true, 'guidRef', 'lineItems'),
        'sourced_id',
      ),
      stored(
        raw('scoreScaleSourcedId', true, 'guidRef', 'scoreScales'),
        'score_scale_sourced_id',
      ),
    ],
  }),
  orgs: def({
    file: 'orgs',
    of: { class: 'org' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('name'),
      req('type'),
      opt('identifier'),
      opt('parentSourcedId', 'parent', { target: 'orgs' }),
    ],
  }),
  resources: def({
    file: 'resources',
    of: { class: 'resource' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('vendorResourceId'),
      opt('title'),
      opt('roles'),
      opt('importance'),
      opt('vendorId'),
      opt('applicationId'),
    ],
  }),
  // A result's learning objectives with their score and textScore, gathered as the line
  // items' are.
  resultLearningObjectiveIds: def({
    file: 'resultLearningObjectiveIds',
    of: null,
    stored: 'v1p2',
    table: 'results',
    ownerColumn: 'resultSourcedId',
    gathered: true,
    columns: [
      ...RAW_BASE,
      stored(raw('resultSourcedId', true, 'guidRef', 'results'), 'sourced_id'),
      // case, unknown or a /name (LearningObjectiveSetDType.source): checked on import.
      stored(raw('source', true), 'learning_objective_set'),
      stored(raw('learningObjectiveId', true), 'learning_objective_set'),
      stored(raw('score', false, 'number'), 'learning_objective_set'),
      stored(raw('textScore', false), 'learning_objective_set'),
    ],
  }),
  results: def({
    file: 'results',
    of: { class: 'result' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('lineItemSourcedId', 'lineItem', { target: 'lineItems' }),
      req('studentSourcedId', 'student', { target: 'users' }),
      req('scoreStatus'),
      opt('score'),
      req('scoreDate'),
      opt('comment'),
      opt('textScore'),
      opt('classSourcedId', 'class', { target: 'classes' }),
      opt('inProgress'),
      opt('incomplete'),
      opt('late'),
      opt('missing'),
    ],
  }),
  // The result's one score scale (the 1.2 JSON `scoreScale`), kept in its row's
  // `score_scale_sourced_id`; the link's own sourcedId and title are not kept.
  resultScoreScales: def({
    file: 'resultScoreScales',
    of: null,
    stored: 'v1p2',
    table: 'results',
    ownerColumn: 'resultSourcedId',
    columns: [
      ...RAW_BASE,
      raw('title', false),
      stored(raw('resultSourcedId', true, 'guidRef', 'results'), 'sourced_id'),
      stored(
        raw('scoreScaleSourcedId', true, 'guidRef', 'scoreScales'),
        'score_scale_sourced_id',
      ),
    ],
  }),
  // A user's roles: read into the user's 1.1 role and orgs (the primary role) and stored as
  // given in `user_roles` (served as the 1.2 user's roles[], written back on export).
  roles: def({
    file: 'roles',
    of: { object: 'role', owner: 'user' },
    stored: 'v1p2',
    table: 'user_roles',
    columns: [
      raw('sourcedId', true),
      raw('status', false, 'enum'),
      raw('dateLastModified', false, 'dateTime'),
      stored(raw('userSourcedId', true, 'guidRef', 'users'), 'user_sourced_id'),
      stored(req('roleType'), 'role_type'),
      stored(req('role'), 'role'),
      stored(opt('beginDate'), 'begin_date'),
      stored(opt('endDate'), 'end_date'),
      stored(req('orgSourcedId', 'org', { target: 'orgs' }), 'org_sourced_id'),
      stored(
        opt('userProfileSourcedId', 'userProfile', {
          type: 'guidRef',
          target: 'userProfiles',
        }),
        'user_profile_sourced_id',
      ),
    ],
  }),
  scoreScales: def({
    file: 'scoreScales',
    of: { class: 'scoreScale' },
    stored: 'v1p2',
    columns: [
      ...BASE,
      req('title'),
      req('type'),
      col('orgSourcedId', undefined, false, {
        type: 'guidRef',
        target: 'orgs',
      }),
      opt('courseSourcedId', 'course', { target: 'courses' }),
      req('classSourcedId', 'class', { target: 'classes' }),
      req('scoreScaleValue', 'scoreScaleValue', { type: 'pairs' }),
    ],
  }),
  // A user's profile, stored as given in `user_profiles` (served as the 1.2 user's
  // userProfiles[], its password never); one credential per row, kept as the JSON list.
  userProfiles: def({
    file: 'userProfiles',
    of: { object: 'userProfile', owner: 'user' },
    stored: 'v1p2',
    table: 'user_profiles',
    columns: [
      ...RAW_BASE,
      stored(raw('userSourcedId', true, 'guidRef', 'users'), 'user_sourced_id'),
      stored(req('profileType'), 'profile_type'),
      stored(req('vendorId'), 'vendor_id'),
      stored(opt('applicationId'), 'application_id'),
      stored(opt('description'), 'description'),
      credential(raw('credentialType', true), 'type'),
      credential(raw('username', true), 'username'),
      credential(raw('password', false), 'password'),
    ],
  }),
  // A resource assigned to a user (the resources service's getResourcesForUser reads it).
  userResources: def({
    file: 'userResources',
    of: null,
    stored: 'v1p2',
    table: 'user_resources',
    columns: [
      ...RAW_BASE,
      stored(raw('userSourcedId', true, 'guidRef', 'users'), 'user_sourced_id'),
      stored(raw('orgSourcedId', false, 'guidRef', 'orgs'), 'org_sourced_id'),
      stored(
        raw('classSourcedId', false, 'guidRef', 'classes'),
        'class_sourced_id',
      ),
      stored(
        raw('resourceSourcedId', true, 'guidRef', 'resources'),
        'resource_sourced_id',
      ),
    ],
  }),
  users: def({
    file: 'users',
    of: { class: 'user' },
    stored: 'v1p1',
    columns: [
      ...BASE,
      req('enabledUser'),
      req('username'),
      opt('userIds', 'userIds', { type: 'userIds' }),
      req('givenName'),
      req('familyName'),
      opt('middleName'),
      opt('identifier'),
      opt('email'),
      opt('sms'),
      opt('phone'),
      opt('agentSourcedIds', 'agents', { target: 'users' }),
      opt('grades'),
      opt('password'),
      opt('userMasterIdentifier'),
      opt('preferredGivenName', 'preferredFirstName'),
      opt('preferredMiddleName'),
      opt('preferredFamilyName', 'preferredLastName'),
      opt('primaryOrgSourcedId', 'primaryOrg', { target: 'orgs' }),
      opt('pronouns'),
    ],
  }),
};

/** The field of the file's class or nested object that a column carries (undefined: CSV only). */
export function v1p2CsvField(
  file: V1p2CsvFileDef,
  column: V1p2CsvColumnDef,
): V1p2FieldDef | undefined {
  if (!column.field || !file.of) return undefined;
  const fields: readonly V1p2FieldDef[] =
    'class' in file.of
      ? CATALOGUE_V1P2[file.of.class].fields
      : (
          V1P2_OBJECTS as Record<
            V1p2ObjectKey,
            { fields: readonly V1p2FieldDef[] }
          >
        )[file.of.object].fields;
  const f = fields.find((x) => x.name === column.field);
  if (!f)
    throw new Error(
      `catalogue inconsistency: ${file.file}.csv ${column.column} names no field ${column.field}`,
    );
  return f;
}

/** The exact 1.2 header row of a CSV file, in order. */
export const v1p2CsvHeader = (file: V1p2CsvFileName): readonly string[] =>
  V1P2_CSV[file].columns.map((c) => c.column);
