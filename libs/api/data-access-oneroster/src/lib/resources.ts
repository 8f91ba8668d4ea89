import type { GuidType } from '@oneroster/contracts';

/**
 * How each OneRoster resource maps to the database: which JSON field is which column, of
 * which kind, and how GUIDRef lists are stored. The query builder and the serializer are
 * driven entirely by these tables, so every resource gets the same query language.
 */
export type FieldKind =
  | 'string'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'number'
  | 'strings'
  | 'ref'
  | 'refs'
  | 'userIds'
  | 'metadata';

/** Where a GUIDRef points: its GUIDRef type and the collection its href names. */
export interface RefTarget {
  type: GuidType;
  collection: string;
}

/** A GUIDRef list stored one row per element (or derived from the other side's parent link). */
export interface ListSource {
  table: string;
  ownerColumn: string;
  valueColumn: string;
  orderColumn?: string;
  /** Only rows of the list table with this status count (link tables have none). */
  activeOnly?: boolean;
}

export interface FieldDef {
  name: string;
  kind: FieldKind;
  column?: string;
  ref?: RefTarget;
  list?: ListSource;
  /** Emit even when empty: '' for strings, [] for lists (fields the 1.1 JSON requires). */
  alwaysEmit?: boolean;
}

export interface ResourceDef {
  /** Key used in code and in GUIDRef types. */
  name: string;
  table: string;
  /** Collection path under the base path, e.g. `orgs`. */
  collection: string;
  fields: FieldDef[];
}

const base = (): FieldDef[] => [
  { name: 'sourcedId', kind: 'string', column: 'sourced_id' },
  { name: 'status', kind: 'string', column: 'status' },
  { name: 'dateLastModified', kind: 'datetime', column: 'date_last_modified' },
  { name: 'metadata', kind: 'metadata', column: 'metadata' },
];

const ORG: RefTarget = { type: 'org', collection: 'orgs' };
const SESSION: RefTarget = {
  type: 'academicSession',
  collection: 'academicSessions',
};
const COURSE: RefTarget = { type: 'course', collection: 'courses' };
const CLASS: RefTarget = { type: 'class', collection: 'classes' };
const USER: RefTarget = { type: 'user', collection: 'users' };
const RESOURCE: RefTarget = { type: 'resource', collection: 'resources' };
const CATEGORY: RefTarget = { type: 'category', collection: 'categories' };
const LINE_ITEM: RefTarget = { type: 'lineItem', collection: 'lineItems' };

export const ORG_RESOURCE: ResourceDef = {
  name: 'org',
  table: 'orgs',
  collection: 'orgs',
  fields: [
    ...base(),
    { name: 'name', kind: 'string', column: 'name' },
    { name: 'type', kind: 'string', column: 'type' },
    {
      name: 'identifier',
      kind: 'string',
      column: 'identifier',
      alwaysEmit: true,
    },
    { name: 'parent', kind: 'ref', column: 'parent_sourced_id', ref: ORG },
    {
      name: 'children',
      kind: 'refs',
      ref: ORG,
      list: {
        table: 'orgs',
        ownerColumn: 'parent_sourced_id',
        valueColumn: 'sourced_id',
        activeOnly: true,
      },
    },
  ],
};

export const ACADEMIC_SESSION_RESOURCE: ResourceDef = {
  name: 'academicSession',
  table: 'academic_sessions',
  collection: 'academicSessions',
  fields: [
    ...base(),
    { name: 'title', kind: 'string', column: 'title' },
    { name: 'startDate', kind: 'date', column: 'start_date' },
    { name: 'endDate', kind: 'date', column: 'end_date' },
    { name: 'type', kind: 'string', column: 'type' },
    { name: 'parent', kind: 'ref', column: 'parent_sourced_id', ref: SESSION },
    {
      name: 'children',
      kind: 'refs',
      ref: SESSION,
      list: {
        table: 'academic_sessions',
        ownerColumn: 'parent_sourced_id',
        valueColumn: 'sourced_id',
        activeOnly: true,
      },
    },
    { name: 'schoolYear', kind: 'string', column: 'school_year' },
  ],
};

export const COURSE_RESOURCE: ResourceDef = {
  name: 'course',
  table: 'courses',
  collection: 'courses',
  fields: [
    ...base(),
    { name: 'title', kind: 'string', column: 'title' },
    {
      name: 'schoolYear',
      kind: 'ref',
      column: 'school_year_sourced_id',
      ref: SESSION,
    },
    {
      name: 'courseCode',
      kind: 'string',
      column: 'course_code',
      alwaysEmit: true,
    },
    { name: 'grades', kind: 'strings', column: 'grades' },
    { name: 'subjects', kind: 'strings', column: 'subjects' },
    { name: 'org', kind: 'ref', column: 'org_sourced_id', ref: ORG },
    { name: 'subjectCodes', kind: 'strings', column: 'subject_codes' },
    {
      name: 'resources',
      kind: 'refs',
      ref: RESOURCE,
      list: {
        table: 'course_resources',
        ownerColumn: 'course_sourced_id',
        valueColumn: 'resource_sourced_id',
        activeOnly: true,
      },
    },
  ],
};

export const CLASS_RESOURCE: ResourceDef = {
  name: 'class',
  table: 'classes',
  collection: 'classes',
  fields: [
    ...base(),
    { name: 'title', kind: 'string', column: 'title' },
    { name: 'classCode', kind: 'string', column: 'class_code' },
    { name: 'classType', kind: 'string', column: 'class_type' },
    { name: 'location', kind: 'string', column: 'location' },
    { name: 'grades', kind: 'strings', column: 'grades' },
    { name: 'subjects', kind: 'strings', column: 'subjects' },
    { name: 'course', kind: 'ref', column: 'course_sourced_id', ref: COURSE },
    { name: 'school', kind: 'ref', column: 'school_sourced_id', ref: ORG },
    {
      name: 'terms',
      kind: 'refs',
      ref: SESSION,
      alwaysEmit: true,
      list: {
        table: 'class_terms',
        ownerColumn: 'class_sourced_id',
        valueColumn: 'term_sourced_id',
        orderColumn: 'position',
      },
    },
    { name: 'subjectCodes', kind: 'strings', column: 'subject_codes' },
    { name: 'periods', kind: 'strings', column: 'periods' },
    {
      name: 'resources',
      kind: 'refs',
      ref: RESOURCE,
      list: {
        table: 'class_resources',
        ownerColumn: 'class_sourced_id',
        valueColumn: 'resource_sourced_id',
        activeOnly: true,
      },
    },
  ],
};

/** OneRoster's `password` is deliberately not published: integrators never need it. */
export const USER_RESOURCE: ResourceDef = {
  name: 'user',
  table: 'users',
  collection: 'users',
  fields: [
    ...base(),
    { name: 'username', kind: 'string', column: 'username' },
    { name: 'userIds', kind: 'userIds', column: 'user_ids' },
    { name: 'enabledUser', kind: 'boolean', column: 'enabled_user' },
    { name: 'givenName', kind: 'string', column: 'given_name' },
    { name: 'familyName', kind: 'string', column: 'family_name' },
    { name: 'middleName', kind: 'string', column: 'middle_name' },
    { name: 'role', kind: 'string', column: 'role' },
    { name: 'identifier', kind: 'string', column: 'identifier' },
    { name: 'email', kind: 'string', column: 'email' },
    { name: 'sms', kind: 'string', column: 'sms' },
    { name: 'phone', kind: 'string', column: 'phone' },
    {
      name: 'agents',
      kind: 'refs',
      ref: USER,
      list: {
        table: 'user_agents',
        ownerColumn: 'user_sourced_id',
        valueColumn: 'agent_sourced_id',
        orderColumn: 'position',
      },
    },
    {
      name: 'orgs',
      kind: 'refs',
      ref: ORG,
      alwaysEmit: true,
      list: {
        table: 'user_orgs',
        ownerColumn: 'user_sourced_id',
        valueColumn: 'org_sourced_id',
        orderColumn: 'position',
      },
    },
    { name: 'grades', kind: 'strings', column: 'grades' },
  ],
};

export const ENROLLMENT_RESOURCE: ResourceDef = {
  name: 'enrollment',
  table: 'enrollments',
  collection: 'enrollments',
  fields: [
    ...base(),
    { name: 'user', kind: 'ref', column: 'user_sourced_id', ref: USER },
    { name: 'class', kind: 'ref', column: 'class_sourced_id', ref: CLASS },
    { name: 'school', kind: 'ref', column: 'school_sourced_id', ref: ORG },
    { name: 'role', kind: 'string', column: 'role' },
    { name: 'primary', kind: 'boolean', column: 'is_primary' },
    { name: 'beginDate', kind: 'date', column: 'begin_date' },
    { name: 'endDate', kind: 'date', column: 'end_date' },
  ],
};

export const DEMOGRAPHICS_RESOURCE: ResourceDef = {
  name: 'demographics',
  table: 'demographics',
  collection: 'demographics',
  fields: [
    ...base(),
    { name: 'birthDate', kind: 'date', column: 'birth_date' },
    { name: 'sex', kind: 'string', column: 'sex' },
    {
      name: 'americanIndianOrAlaskaNative',
      kind: 'boolean',
      column: 'american_indian_or_alaska_native',
    },
    { name: 'asian', kind: 'boolean', column: 'asian' },
    {
      name: 'blackOrAfricanAmerican',
      kind: 'boolean',
      column: 'black_or_african_american',
    },
    {
      name: 'nativeHawaiianOrOtherPacificIslander',
      kind: 'boolean',
      column: 'native_hawaiian_or_other_pacific_islander',
    },
    { name: 'white', kind: 'boolean', column: 'white' },
    {
      name: 'demographicRaceTwoOrMoreRaces',
      kind: 'boolean',
      column: 'demographic_race_two_or_more_races',
    },
    {
      name: 'hispanicOrLatinoEthnicity',
      kind: 'boolean',
      column: 'hispanic_or_latino_ethnicity',
    },
    {
      name: 'countryOfBirthCode',
      kind: 'string',
      column: 'country_of_birth_code',
    },
    {
      name: 'stateOfBirthAbbreviation',
      kind: 'string',
      column: 'state_of_birth_abbreviation',
    },
    { name: 'cityOfBirth', kind: 'string', column: 'city_of_birth' },
    {
      name: 'publicSchoolResidenceStatus',
      kind: 'string',
      column: 'public_school_residence_status',
    },
  ],
};

export const CATEGORY_RESOURCE: ResourceDef = {
  name: 'category',
  table: 'categories',
  collection: 'categories',
  fields: [...base(), { name: 'title', kind: 'string', column: 'title' }],
};

export const LINE_ITEM_RESOURCE: ResourceDef = {
  name: 'lineItem',
  table: 'line_items',
  collection: 'lineItems',
  fields: [
    ...base(),
    { name: 'title', kind: 'string', column: 'title' },
    { name: 'description', kind: 'string', column: 'description' },
    { name: 'assignDate', kind: 'datetime', column: 'assign_date' },
    { name: 'dueDate', kind: 'datetime', column: 'due_date' },
    { name: 'class', kind: 'ref', column: 'class_sourced_id', ref: CLASS },
    {
      name: 'category',
      kind: 'ref',
      column: 'category_sourced_id',
      ref: CATEGORY,
    },
    {
      name: 'gradingPeriod',
      kind: 'ref',
      column: 'grading_period_sourced_id',
      ref: SESSION,
    },
    { name: 'resultValueMin', kind: 'number', column: 'result_value_min' },
    { name: 'resultValueMax', kind: 'number', column: 'result_value_max' },
  ],
};

export const RESULT_RESOURCE: ResourceDef = {
  name: 'result',
  table: 'results',
  collection: 'results',
  fields: [
    ...base(),
    {
      name: 'lineItem',
      kind: 'ref',
      column: 'line_item_sourced_id',
      ref: LINE_ITEM,
    },
    { name: 'student', kind: 'ref', column: 'student_sourced_id', ref: USER },
    { name: 'scoreStatus', kind: 'string', column: 'score_status' },
    { name: 'score', kind: 'number', column: 'score' },
    { name: 'scoreDate', kind: 'date', column: 'score_date' },
    { name: 'comment', kind: 'string', column: 'comment' },
  ],
};

export const RESOURCE_RESOURCE: ResourceDef = {
  name: 'resource',
  table: 'resources',
  collection: 'resources',
  fields: [
    ...base(),
    { name: 'title', kind: 'string', column: 'title' },
    { name: 'roles', kind: 'strings', column: 'roles' },
    { name: 'importance', kind: 'string', column: 'importance' },
    { name: 'vendorResourceId', kind: 'string', column: 'vendor_resource_id' },
    { name: 'vendorId', kind: 'string', column: 'vendor_id' },
    { name: 'applicationId', kind: 'string', column: 'application_id' },
  ],
};
