import {
  CLASS_TYPES,
  IMPORTANCES,
  ORG_TYPES,
  SCORE_STATUSES,
  SESSION_TYPES,
  STATUS_TYPES,
  V1P2_BOOLEANS,
  V1P2_ENROLLMENT_ROLES,
  V1P2_LEARNING_OBJECTIVE_SOURCES,
  V1P2_RESOURCE_ROLES,
  V1P2_ROLE_KINDS,
  V1P2_ROLE_TYPES,
  V1P2_SEXES,
} from '@oneroster/contracts';
import type {
  V1p2ClassDef,
  V1p2ClassKey,
  V1p2FieldDef,
  V1p2ObjectDef,
  V1p2ObjectKey,
  V1p2Source,
} from './model';

/*
 * The OneRoster 1.2 projection of the catalogue: every class of the rostering, gradebook and
 * resources services with every field of its JSON schema, as the 1EdTech 1.2 OpenAPI 3
 * documents (onerosterv1p2{rosters,gradebook,resources}service_openapi3_v1p0.json) define
 * them — wire name, type, `required` list, vocabulary (with `ext:` where the schema's anyOf
 * allows it), GUIDRef target — and which 1.1 catalogue field each is read from, or that it is
 * new in 1.2 with no storage yet. Schema names (…DType) are cited beside each class.
 *
 * The values are converted by the functions of map-v1p2.ts; docs/oneroster-1p2.md gives each
 * mapping decision and what the way back loses.
 */

const same = (field: string): V1p2Source => ({ kind: 'same', field });
const derived = (
  fields: readonly string[],
  note: string,
  via?: string,
): V1p2Source =>
  via
    ? { kind: 'derived', fields, via, note }
    : { kind: 'derived', fields, note };
const NEW: V1p2Source = { kind: 'new' };
const newField = (note: string): V1p2Source => ({ kind: 'new', note });

const f = <const N extends string, const F extends Omit<V1p2FieldDef, 'name'>>(
  name: N,
  def: F,
): { readonly name: N } & F => ({ name, ...def });

const defineClass = <const C extends V1p2ClassDef>(c: C): C => c;
const defineObject = <const O extends V1p2ObjectDef>(o: O): O => o;

/** The fields of every 1.2 object (BaseDType): as in 1.1, booleans aside. */
const BASE = [
  f('sourcedId', { type: 'string', required: true, from: same('sourcedId') }),
  f('status', {
    type: 'enum',
    values: STATUS_TYPES,
    required: true,
    from: same('status'),
  }),
  f('dateLastModified', {
    type: 'dateTime',
    required: true,
    from: same('dateLastModified'),
  }),
  f('metadata', { type: 'metadata', required: false, from: same('metadata') }),
] as const;

/** For the new classes, whose base fields have no storage either. */
const BASE_NEW = BASE.map((x) => ({ ...x, from: NEW }));

/** A "true"/"false" field read from a 1.1 JSON boolean. */
const bool = (name: string, required = false) =>
  f(name, {
    type: 'stringBoolean',
    values: V1P2_BOOLEANS,
    required,
    from: same(name),
  });
/** A "true"/"false" field new in 1.2. */
const boolNew = (name: string) =>
  f(name, {
    type: 'stringBoolean',
    values: V1P2_BOOLEANS,
    required: false,
    from: NEW,
  });

// ---------------------------------------------------------------------------------------
// Nested objects
// ---------------------------------------------------------------------------------------

/**
 * RoleDType (UserDType.roles[]). Stored as given for a user whose roles came from a 1.2 CSV
 * set (`user_roles`); otherwise read from 1.1: one primary role per org of `user.orgs`, the
 * role being `user.role` translated by the role mapping (1.1 `administrator` becomes
 * districtAdministrator, siteAdministrator or systemAdministrator by the org's type). The
 * derivations below describe the 1.1 reading.
 */
export const V1P2_ROLE = defineObject({
  key: 'role',
  schema: 'RoleDType',
  fields: [
    f('roleType', {
      type: 'enum',
      values: V1P2_ROLE_KINDS,
      required: true,
      from: derived(
        ['role', 'orgs'],
        'always "primary": 1.1 has one role per user, so one primary role at each org',
      ),
    }),
    f('role', {
      type: 'enum',
      values: V1P2_ROLE_TYPES,
      extensible: true,
      required: true,
      from: derived(
        ['role'],
        '1.1 RoleType translated (administrator by the org type); the way back reads the primary role',
      ),
    }),
    f('org', {
      type: 'guidRef',
      ref: 'org',
      required: true,
      from: derived(['orgs'], 'one role per element of user.orgs, in order'),
    }),
    f('userProfile', { type: 'uri', required: false, from: NEW }),
    f('beginDate', { type: 'date', required: false, from: NEW }),
    f('endDate', { type: 'date', required: false, from: NEW }),
  ],
});

/** UserProfileDType (UserDType.userProfiles[]): new in 1.2. */
export const V1P2_USER_PROFILE = defineObject({
  key: 'userProfile',
  schema: 'UserProfileDType',
  fields: [
    f('profileId', { type: 'uri', required: true, from: NEW }),
    f('profileType', { type: 'string', required: true, from: NEW }),
    f('vendorId', { type: 'string', required: true, from: NEW }),
    f('applicationId', { type: 'string', required: false, from: NEW }),
    f('description', { type: 'string', required: false, from: NEW }),
    f('credentials', {
      type: 'object',
      of: 'credential',
      list: true,
      required: false,
      from: NEW,
    }),
  ],
});

/** CredentialDType (UserProfileDType.credentials[]): new in 1.2; its password is never served. */
export const V1P2_CREDENTIAL = defineObject({
  key: 'credential',
  schema: 'CredentialDType',
  fields: [
    f('type', { type: 'string', required: true, from: NEW }),
    f('username', { type: 'string', required: true, from: NEW }),
    f('password', {
      type: 'string',
      required: false,
      rest: false,
      from: newField('a credential secret: never served, as 1.1 user.password'),
    }),
  ],
});

/** UserIdDType: as 1.1 UserId (§5.8). */
export const V1P2_USER_ID = defineObject({
  key: 'userId',
  schema: 'UserIdDType',
  fields: [
    f('type', { type: 'string', required: true, from: same('type') }),
    f('identifier', {
      type: 'string',
      required: true,
      from: same('identifier'),
    }),
  ],
});

/** ScoreScaleValueDType (ScoreScaleDType.scoreScaleValue[]): new in 1.2. */
export const V1P2_SCORE_SCALE_VALUE = defineObject({
  key: 'scoreScaleValue',
  schema: 'ScoreScaleValueDType',
  fields: [
    f('itemValueLHS', { type: 'string', required: true, from: NEW }),
    f('itemValueRHS', { type: 'string', required: true, from: NEW }),
  ],
});

/** LearningObjectiveSetDType (line items): new in 1.2. `source` also takes `/name` values. */
export const V1P2_LEARNING_OBJECTIVE_SET = defineObject({
  key: 'learningObjectiveSet',
  schema: 'LearningObjectiveSetDType',
  fields: [
    f('source', {
      type: 'enum',
      values: V1P2_LEARNING_OBJECTIVE_SOURCES,
      required: true,
      from: newField('or a string matching ^/(?!case$)(?!unknown$)[a-z0-9]+$'),
    }),
    f('learningObjectiveIds', {
      type: 'string',
      list: true,
      nonEmpty: true,
      required: true,
      from: NEW,
    }),
  ],
});

/** LearningObjectiveScoreSetDType (results): new in 1.2. */
export const V1P2_LEARNING_OBJECTIVE_SCORE_SET = defineObject({
  key: 'learningObjectiveScoreSet',
  schema: 'LearningObjectiveScoreSetDType',
  fields: [
    f('source', {
      type: 'enum',
      values: V1P2_LEARNING_OBJECTIVE_SOURCES,
      required: true,
      from: newField('or a string matching ^/(?!case$)(?!unknown$)[a-z0-9]+$'),
    }),
    f('learningObjectiveResults', {
      type: 'object',
      of: 'learningObjectiveResult',
      list: true,
      nonEmpty: true,
      required: true,
      from: NEW,
    }),
  ],
});

/** LearningObjectiveResultsDType: new in 1.2. */
export const V1P2_LEARNING_OBJECTIVE_RESULT = defineObject({
  key: 'learningObjectiveResult',
  schema: 'LearningObjectiveResultsDType',
  fields: [
    f('learningObjectiveId', { type: 'string', required: true, from: NEW }),
    f('score', { type: 'number', required: false, from: NEW }),
    f('textScore', { type: 'string', required: false, from: NEW }),
  ],
});

export const V1P2_OBJECTS = {
  role: V1P2_ROLE,
  userProfile: V1P2_USER_PROFILE,
  credential: V1P2_CREDENTIAL,
  userId: V1P2_USER_ID,
  scoreScaleValue: V1P2_SCORE_SCALE_VALUE,
  learningObjectiveSet: V1P2_LEARNING_OBJECTIVE_SET,
  learningObjectiveScoreSet: V1P2_LEARNING_OBJECTIVE_SCORE_SET,
  learningObjectiveResult: V1P2_LEARNING_OBJECTIVE_RESULT,
} as const satisfies Record<V1p2ObjectKey, V1p2ObjectDef>;

// ---------------------------------------------------------------------------------------
// Rostering service (onerosterv1p2rostersservice_openapi3_v1p0.json)
// ---------------------------------------------------------------------------------------

/** OrgDType. `type` is extensible in 1.2. */
export const V1P2_ORG = defineClass({
  key: 'org',
  spec: 'Rostering OpenAPI OrgDType',
  service: 'rostering',
  collection: 'orgs',
  single: 'org',
  schema: 'OrgDType',
  from: 'org',
  fields: [
    ...BASE,
    f('name', { type: 'string', required: true, from: same('name') }),
    f('type', {
      type: 'enum',
      values: ORG_TYPES,
      extensible: true,
      required: true,
      from: same('type'),
    }),
    f('identifier', {
      type: 'string',
      required: true,
      from: same('identifier'),
    }),
    f('parent', {
      type: 'guidRef',
      ref: 'org',
      required: false,
      from: same('parent'),
    }),
    f('children', {
      type: 'guidRef',
      ref: 'org',
      list: true,
      required: false,
      from: same('children'),
    }),
  ],
});

/** AcademicSessionDType. `type` is extensible; `schoolYear` stays a `YYYY` string. */
export const V1P2_ACADEMIC_SESSION = defineClass({
  key: 'academicSession',
  spec: 'Rostering OpenAPI AcademicSessionDType',
  service: 'rostering',
  collection: 'academicSessions',
  single: 'academicSession',
  schema: 'AcademicSessionDType',
  from: 'academicSession',
  fields: [
    ...BASE,
    f('title', { type: 'string', required: true, from: same('title') }),
    f('startDate', { type: 'date', required: true, from: same('startDate') }),
    f('endDate', { type: 'date', required: true, from: same('endDate') }),
    f('type', {
      type: 'enum',
      values: SESSION_TYPES,
      extensible: true,
      required: true,
      from: same('type'),
    }),
    f('parent', {
      type: 'guidRef',
      ref: 'academicSession',
      required: false,
      from: same('parent'),
    }),
    f('children', {
      type: 'guidRef',
      ref: 'academicSession',
      list: true,
      required: false,
      from: same('children'),
    }),
    f('schoolYear', {
      type: 'string',
      required: true,
      from: same('schoolYear'),
    }),
  ],
});

/** CourseDType. Unchanged from 1.1 apart from the GUIDRef types. */
export const V1P2_COURSE = defineClass({
  key: 'course',
  spec: 'Rostering OpenAPI CourseDType',
  service: 'rostering',
  collection: 'courses',
  single: 'course',
  schema: 'CourseDType',
  from: 'course',
  fields: [
    ...BASE,
    f('title', { type: 'string', required: true, from: same('title') }),
    f('schoolYear', {
      type: 'guidRef',
      ref: 'academicSession',
      required: false,
      from: same('schoolYear'),
    }),
    f('courseCode', {
      type: 'string',
      required: true,
      from: same('courseCode'),
    }),
    f('grades', {
      type: 'string',
      list: true,
      required: false,
      from: same('grades'),
    }),
    f('subjects', {
      type: 'string',
      list: true,
      required: false,
      from: same('subjects'),
    }),
    f('org', {
      type: 'guidRef',
      ref: 'org',
      required: false,
      from: same('org'),
    }),
    f('subjectCodes', {
      type: 'string',
      list: true,
      required: false,
      from: same('subjectCodes'),
    }),
    f('resources', {
      type: 'guidRef',
      ref: 'resource',
      list: true,
      required: false,
      from: same('resources'),
    }),
  ],
});

/** ClassDType. `course`, `school` and `terms` (at least one) are required; classType extensible. */
export const V1P2_CLASS = defineClass({
  key: 'class',
  spec: 'Rostering OpenAPI ClassDType',
  service: 'rostering',
  collection: 'classes',
  single: 'class',
  schema: 'ClassDType',
  from: 'class',
  fields: [
    ...BASE,
    f('title', { type: 'string', required: true, from: same('title') }),
    f('classCode', {
      type: 'string',
      required: false,
      from: same('classCode'),
    }),
    f('classType', {
      type: 'enum',
      values: CLASS_TYPES,
      extensible: true,
      required: false,
      from: same('classType'),
    }),
    f('location', { type: 'string', required: false, from: same('location') }),
    f('grades', {
      type: 'string',
      list: true,
      required: false,
      from: same('grades'),
    }),
    f('subjects', {
      type: 'string',
      list: true,
      required: false,
      from: same('subjects'),
    }),
    f('course', {
      type: 'guidRef',
      ref: 'course',
      required: true,
      from: same('course'),
    }),
    f('school', {
      type: 'guidRef',
      ref: 'org',
      required: true,
      from: same('school'),
    }),
    f('terms', {
      type: 'guidRef',
      ref: 'academicSession',
      list: true,
      nonEmpty: true,
      required: true,
      from: same('terms'),
    }),
    f('subjectCodes', {
      type: 'string',
      list: true,
      required: false,
      from: same('subjectCodes'),
    }),
    f('periods', {
      type: 'string',
      list: true,
      required: false,
      from: same('periods'),
    }),
    f('resources', {
      type: 'guidRef',
      ref: 'resource',
      list: true,
      required: false,
      from: same('resources'),
    }),
  ],
});

/**
 * UserDType. 1.1's single `role` and `orgs[]` become `roles[]` (one primary role per org);
 * `enabledUser` becomes a string boolean; `username` is no longer required; the preferred
 * names, pronouns, master identifier and primary org are new in 1.2 and stored in the users
 * table for 1.2 only (the 1.1 catalogue's `v1p2` fields); profiles and resources are new.
 */
export const V1P2_USER = defineClass({
  key: 'user',
  spec: 'Rostering OpenAPI UserDType, RoleDType, UserProfileDType',
  service: 'rostering',
  collection: 'users',
  single: 'user',
  schema: 'UserDType',
  from: 'user',
  dropped: {
    role: 'read as roles[].role (primary role at each org)',
    orgs: 'read as roles[].org; primaryOrg when there is a single org',
  },
  fields: [
    ...BASE,
    f('userMasterIdentifier', {
      type: 'string',
      required: false,
      from: same('userMasterIdentifier'),
    }),
    f('username', { type: 'string', required: false, from: same('username') }),
    f('userIds', {
      type: 'object',
      of: 'userId',
      list: true,
      required: false,
      from: same('userIds'),
    }),
    bool('enabledUser', true),
    f('givenName', { type: 'string', required: true, from: same('givenName') }),
    f('familyName', {
      type: 'string',
      required: true,
      from: same('familyName'),
    }),
    f('middleName', {
      type: 'string',
      required: false,
      from: same('middleName'),
    }),
    f('preferredFirstName', {
      type: 'string',
      required: false,
      from: same('preferredFirstName'),
    }),
    f('preferredMiddleName', {
      type: 'string',
      required: false,
      from: same('preferredMiddleName'),
    }),
    f('preferredLastName', {
      type: 'string',
      required: false,
      from: same('preferredLastName'),
    }),
    f('pronouns', {
      type: 'string',
      required: false,
      from: same('pronouns'),
    }),
    f('roles', {
      type: 'object',
      of: 'role',
      list: true,
      nonEmpty: true,
      required: true,
      from: derived(
        ['role', 'orgs'],
        'the stored 1.2 roles (user_roles, roles.csv of a 1.2 set) when the user has any; else one primary role (user.role translated) at each org of user.orgs',
      ),
    }),
    f('userProfiles', {
      type: 'object',
      of: 'userProfile',
      list: true,
      required: false,
      from: newField(
        'userProfiles.csv in the 1.2 CSV binding, stored as 1.2 (user_profiles); no 1.1 storage',
      ),
    }),
    f('primaryOrg', {
      type: 'guidRef',
      ref: 'org',
      required: false,
      from: derived(
        ['primaryOrg', 'orgs'],
        'the stored primary org (users.primary_org_sourced_id, 1.2 data); else the org when user.orgs has exactly one; absent otherwise (1.1 names no primary org)',
      ),
    }),
    f('identifier', {
      type: 'string',
      required: false,
      from: same('identifier'),
    }),
    f('email', { type: 'string', required: false, from: same('email') }),
    f('sms', { type: 'string', required: false, from: same('sms') }),
    f('phone', { type: 'string', required: false, from: same('phone') }),
    f('agents', {
      type: 'guidRef',
      ref: 'user',
      list: true,
      required: false,
      from: same('agents'),
    }),
    f('grades', {
      type: 'string',
      list: true,
      required: false,
      from: same('grades'),
    }),
    f('password', {
      type: 'string',
      required: false,
      rest: false,
      from: same('password'),
    }),
    f('resources', {
      type: 'guidRef',
      ref: 'resource',
      list: true,
      required: false,
      from: newField(
        'userResources.csv in the 1.2 CSV binding, stored as 1.2 (user_resources: the active links of the user); no 1.1 storage',
      ),
    }),
  ],
});

/** EnrollmentDType. `role` narrows to four values plus `ext:`; `primary` is a string boolean. */
export const V1P2_ENROLLMENT = defineClass({
  key: 'enrollment',
  spec: 'Rostering OpenAPI EnrollmentDType',
  service: 'rostering',
  collection: 'enrollments',
  single: 'enrollment',
  schema: 'EnrollmentDType',
  from: 'enrollment',
  fields: [
    ...BASE,
    f('user', {
      type: 'guidRef',
      ref: 'user',
      required: true,
      from: same('user'),
    }),
    f('class', {
      type: 'guidRef',
      ref: 'class',
      required: true,
      from: same('class'),
    }),
    f('school', {
      type: 'guidRef',
      ref: 'org',
      required: true,
      from: same('school'),
    }),
    f('role', {
      type: 'enum',
      values: V1P2_ENROLLMENT_ROLES,
      extensible: true,
      required: true,
      from: same('role'),
    }),
    bool('primary'),
    f('beginDate', { type: 'date', required: false, from: same('beginDate') }),
    f('endDate', { type: 'date', required: false, from: same('endDate') }),
  ],
});

/** DemographicsDType. Race/ethnicity flags become string booleans; `sex` gains two values and `ext:`. */
export const V1P2_DEMOGRAPHICS = defineClass({
  key: 'demographics',
  spec: 'Rostering OpenAPI DemographicsDType',
  service: 'rostering',
  collection: 'demographics',
  single: 'demographics',
  schema: 'DemographicsDType',
  from: 'demographics',
  fields: [
    ...BASE,
    f('birthDate', { type: 'date', required: false, from: same('birthDate') }),
    f('sex', {
      type: 'enum',
      values: V1P2_SEXES,
      extensible: true,
      required: false,
      from: same('sex'),
    }),
    bool('americanIndianOrAlaskaNative'),
    bool('asian'),
    bool('blackOrAfricanAmerican'),
    bool('nativeHawaiianOrOtherPacificIslander'),
    bool('white'),
    bool('demographicRaceTwoOrMoreRaces'),
    bool('hispanicOrLatinoEthnicity'),
    f('countryOfBirthCode', {
      type: 'string',
      required: false,
      from: same('countryOfBirthCode'),
    }),
    f('stateOfBirthAbbreviation', {
      type: 'string',
      required: false,
      from: same('stateOfBirthAbbreviation'),
    }),
    f('cityOfBirth', {
      type: 'string',
      required: false,
      from: same('cityOfBirth'),
    }),
    f('publicSchoolResidenceStatus', {
      type: 'string',
      required: false,
      from: same('publicSchoolResidenceStatus'),
    }),
  ],
});

// ---------------------------------------------------------------------------------------
// Gradebook service (onerosterv1p2gradebookservice_openapi3_v1p0.json)
// ---------------------------------------------------------------------------------------

/** CategoryDType. `weight` is new in 1.2, stored for 1.2 only (categories.weight). */
export const V1P2_CATEGORY = defineClass({
  key: 'category',
  spec: 'Gradebook OpenAPI CategoryDType',
  service: 'gradebook',
  collection: 'categories',
  single: 'category',
  schema: 'CategoryDType',
  from: 'category',
  fields: [
    ...BASE,
    f('title', { type: 'string', required: true, from: same('title') }),
    f('weight', { type: 'number', required: false, from: same('weight') }),
  ],
});

/**
 * LineItemDType. `school` is required and read from the class's school; `academicSession`
 * is 1.2's name for the session (the schema keeps `gradingPeriod` too; both read the 1.1
 * gradingPeriod); `category` is required; min/max are optional.
 */
export const V1P2_LINE_ITEM = defineClass({
  key: 'lineItem',
  spec: 'Gradebook OpenAPI LineItemDType',
  service: 'gradebook',
  collection: 'lineItems',
  single: 'lineItem',
  schema: 'LineItemDType',
  from: 'lineItem',
  fields: [
    ...BASE,
    f('title', { type: 'string', required: true, from: same('title') }),
    f('description', {
      type: 'string',
      required: false,
      from: same('description'),
    }),
    f('assignDate', {
      type: 'dateTime',
      required: true,
      from: same('assignDate'),
    }),
    f('dueDate', { type: 'dateTime', required: true, from: same('dueDate') }),
    f('class', {
      type: 'guidRef',
      ref: 'class',
      required: true,
      from: same('class'),
    }),
    f('school', {
      type: 'guidRef',
      ref: 'org',
      required: true,
      from: derived(
        ['school'],
        "the line item's class's school; dropped on the way back (derivable)",
        'class',
      ),
    }),
    f('category', {
      type: 'guidRef',
      ref: 'category',
      required: true,
      from: same('category'),
    }),
    f('gradingPeriod', {
      type: 'guidRef',
      ref: 'academicSession',
      required: false,
      from: same('gradingPeriod'),
    }),
    f('academicSession', {
      type: 'guidRef',
      ref: 'academicSession',
      required: false,
      from: derived(
        ['gradingPeriod'],
        'the 1.1 gradingPeriod; on the way back used when gradingPeriod is absent',
      ),
    }),
    f('scoreScale', {
      type: 'guidRef',
      ref: 'scoreScale',
      required: false,
      from: derived(
        ['scoreScale'],
        "the stored score scale's sourcedId (line_items.score_scale_sourced_id, 1.2 data; ScoreScale has no 1.1 class)",
      ),
    }),
    f('resultValueMin', {
      type: 'number',
      required: false,
      from: same('resultValueMin'),
    }),
    f('resultValueMax', {
      type: 'number',
      required: false,
      from: same('resultValueMax'),
    }),
    f('learningObjectiveSet', {
      type: 'object',
      of: 'learningObjectiveSet',
      list: true,
      required: false,
      from: same('learningObjectiveSet'),
    }),
  ],
});

/**
 * ResultDType. `class` is read from the line item's class; `score` is optional; text score,
 * score scale, learning objectives and the four flags are new (stored for 1.2 only in the
 * results table, the learning objectives as JSON).
 */
export const V1P2_RESULT = defineClass({
  key: 'result',
  spec: 'Gradebook OpenAPI ResultDType',
  service: 'gradebook',
  collection: 'results',
  single: 'result',
  schema: 'ResultDType',
  from: 'result',
  fields: [
    ...BASE,
    f('lineItem', {
      type: 'guidRef',
      ref: 'lineItem',
      required: true,
      from: same('lineItem'),
    }),
    f('student', {
      type: 'guidRef',
      ref: 'user',
      required: true,
      from: same('student'),
    }),
    f('class', {
      type: 'guidRef',
      ref: 'class',
      required: false,
      from: derived(
        ['class'],
        "the result's line item's class; dropped on the way back (derivable)",
        'lineItem',
      ),
    }),
    f('scoreScale', {
      type: 'guidRef',
      ref: 'scoreScale',
      required: false,
      from: derived(
        ['scoreScale'],
        "the stored score scale's sourcedId (results.score_scale_sourced_id, 1.2 data; ScoreScale has no 1.1 class)",
      ),
    }),
    f('scoreStatus', {
      type: 'enum',
      values: SCORE_STATUSES,
      extensible: true,
      required: true,
      from: same('scoreStatus'),
    }),
    f('score', { type: 'number', required: false, from: same('score') }),
    f('textScore', {
      type: 'string',
      required: false,
      from: same('textScore'),
    }),
    f('scoreDate', { type: 'date', required: true, from: same('scoreDate') }),
    f('comment', { type: 'string', required: false, from: same('comment') }),
    f('learningObjectiveSet', {
      type: 'object',
      of: 'learningObjectiveScoreSet',
      list: true,
      required: false,
      from: same('learningObjectiveSet'),
    }),
    bool('inProgress'),
    bool('incomplete'),
    bool('late'),
    bool('missing'),
  ],
});

/** ScoreScaleDType: new in 1.2. */
export const V1P2_SCORE_SCALE = defineClass({
  key: 'scoreScale',
  spec: 'Gradebook OpenAPI ScoreScaleDType',
  service: 'gradebook',
  collection: 'scoreScales',
  single: 'scoreScale',
  schema: 'ScoreScaleDType',
  from: null,
  table: 'score_scales',
  fields: [
    ...BASE_NEW,
    f('title', { type: 'string', required: true, from: NEW, column: 'title' }),
    f('type', { type: 'string', required: true, from: NEW, column: 'type' }),
    f('course', {
      type: 'guidRef',
      ref: 'course',
      required: false,
      from: NEW,
      column: 'course_sourced_id',
    }),
    f('class', {
      type: 'guidRef',
      ref: 'class',
      required: true,
      from: NEW,
      column: 'class_sourced_id',
    }),
    f('scoreScaleValue', {
      type: 'object',
      of: 'scoreScaleValue',
      list: true,
      nonEmpty: true,
      required: true,
      from: NEW,
      column: 'score_scale_value',
    }),
  ],
});

/** AssessmentLineItemDType: new in 1.2 (assessment.* scopes). */
export const V1P2_ASSESSMENT_LINE_ITEM = defineClass({
  key: 'assessmentLineItem',
  spec: 'Gradebook OpenAPI AssessmentLineItemDType',
  service: 'gradebook',
  collection: 'assessmentLineItems',
  single: 'assessmentLineItem',
  schema: 'AssessmentLineItemDType',
  from: null,
  fields: [
    ...BASE_NEW,
    f('title', { type: 'string', required: true, from: NEW }),
    f('description', { type: 'string', required: false, from: NEW }),
    f('class', { type: 'guidRef', ref: 'class', required: false, from: NEW }),
    f('parentAssessmentLineItem', {
      type: 'guidRef',
      ref: 'assessmentLineItem',
      required: false,
      from: NEW,
    }),
    f('scoreScale', {
      type: 'guidRef',
      ref: 'scoreScale',
      required: false,
      from: NEW,
    }),
    f('resultValueMin', { type: 'number', required: false, from: NEW }),
    f('resultValueMax', { type: 'number', required: false, from: NEW }),
    f('learningObjectiveSet', {
      type: 'object',
      of: 'learningObjectiveSet',
      list: true,
      required: false,
      from: NEW,
    }),
  ],
});

/** AssessmentResultDType: new in 1.2 (assessment.* scopes). */
export const V1P2_ASSESSMENT_RESULT = defineClass({
  key: 'assessmentResult',
  spec: 'Gradebook OpenAPI AssessmentResultDType',
  service: 'gradebook',
  collection: 'assessmentResults',
  single: 'assessmentResult',
  schema: 'AssessmentResultDType',
  from: null,
  fields: [
    ...BASE_NEW,
    f('assessmentLineItem', {
      type: 'guidRef',
      ref: 'assessmentLineItem',
      required: true,
      from: NEW,
    }),
    f('student', { type: 'guidRef', ref: 'user', required: true, from: NEW }),
    f('score', { type: 'number', required: false, from: NEW }),
    f('textScore', { type: 'string', required: false, from: NEW }),
    f('scoreDate', { type: 'date', required: true, from: NEW }),
    f('scoreScale', {
      type: 'guidRef',
      ref: 'scoreScale',
      required: false,
      from: NEW,
    }),
    f('scorePercentile', { type: 'number', required: false, from: NEW }),
    f('scoreStatus', {
      type: 'enum',
      values: SCORE_STATUSES,
      extensible: true,
      required: true,
      from: NEW,
    }),
    f('comment', { type: 'string', required: false, from: NEW }),
    f('learningObjectiveSet', {
      type: 'object',
      of: 'learningObjectiveScoreSet',
      list: true,
      required: false,
      from: NEW,
    }),
    boolNew('inProgress'),
    boolNew('incomplete'),
    boolNew('late'),
    boolNew('missing'),
  ],
});

// ---------------------------------------------------------------------------------------
// Resources service (onerosterv1p2resourcesservice_openapi3_v1p0.json)
// ---------------------------------------------------------------------------------------

/** ResourceDType. `title` is optional in 1.2; `roles` is extensible. */
export const V1P2_RESOURCE = defineClass({
  key: 'resource',
  spec: 'Resources OpenAPI ResourceDType',
  service: 'resources',
  collection: 'resources',
  single: 'resource',
  schema: 'ResourceDType',
  from: 'resource',
  fields: [
    ...BASE,
    f('title', { type: 'string', required: false, from: same('title') }),
    f('roles', {
      type: 'enum',
      values: V1P2_RESOURCE_ROLES,
      extensible: true,
      list: true,
      required: false,
      from: same('roles'),
    }),
    f('importance', {
      type: 'enum',
      values: IMPORTANCES,
      required: false,
      from: same('importance'),
    }),
    f('vendorResourceId', {
      type: 'string',
      required: true,
      from: same('vendorResourceId'),
    }),
    f('vendorId', { type: 'string', required: false, from: same('vendorId') }),
    f('applicationId', {
      type: 'string',
      required: false,
      from: same('applicationId'),
    }),
  ],
});

/** Every 1.2 class, by key. */
export const CATALOGUE_V1P2 = {
  org: V1P2_ORG,
  academicSession: V1P2_ACADEMIC_SESSION,
  course: V1P2_COURSE,
  class: V1P2_CLASS,
  user: V1P2_USER,
  enrollment: V1P2_ENROLLMENT,
  demographics: V1P2_DEMOGRAPHICS,
  category: V1P2_CATEGORY,
  lineItem: V1P2_LINE_ITEM,
  result: V1P2_RESULT,
  scoreScale: V1P2_SCORE_SCALE,
  assessmentLineItem: V1P2_ASSESSMENT_LINE_ITEM,
  assessmentResult: V1P2_ASSESSMENT_RESULT,
  resource: V1P2_RESOURCE,
} as const satisfies Record<V1p2ClassKey, V1p2ClassDef>;
