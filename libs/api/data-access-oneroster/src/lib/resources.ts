import type { GuidType } from '@oneroster/contracts';
import type { FilterClause } from '@oneroster/util-oneroster-query';
import { T, type FilterContext } from './sql';
import {
  CATALOGUE,
  refTarget,
  v1p2RoleToV1p1,
  restFields,
  v1p2StoredFields,
  type ClassKey,
  type FieldDef as CatalogueField,
  type Store,
} from '@oneroster/oneroster-catalogue';

/**
 * How each OneRoster resource maps to the database: which JSON field is which column, of
 * which kind, and how GUIDRef lists are stored. The query builder and the serializer are
 * driven entirely by these tables, so every resource gets the same query language. The
 * tables are projections of the OneRoster 1.1 catalogue (@oneroster/oneroster-catalogue):
 * each REST field of a class, in its JSON order.
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

/**
 * A filter name answered by its own SQL rather than by one field's column (the 1.2 users'
 * nested roles): the clause as given, the quote, `base`, the ordinary SQL of a clause on
 * one of the resource's fields, and what the filter may know of the read (its schools).
 */
export type CustomFilter = (
  clause: FilterClause,
  q: (identifier: string) => string,
  base: (clause: FilterClause) => { text: string; params: unknown[] },
  ctx: FilterContext,
) => { text: string; params: unknown[] };

export interface ResourceDef {
  /** Key used in code and in GUIDRef types. */
  name: string;
  table: string;
  /** Collection path under the base path, e.g. `orgs`. */
  collection: string;
  fields: FieldDef[];
  /** Filter names beyond the fields', each with its own SQL (filterable, not sortable). */
  filters?: Readonly<Record<string, CustomFilter>>;
  /** Tables whose active rows belong to each object, read with its GUIDRef lists. */
  owned?: readonly OwnedSource[];
}

/**
 * Records of another table owned by each object of a read (a 1.2 user's stored roles,
 * `user_roles`): its active rows for the object's school and sourcedId, the named columns,
 * ordered by `order` then sourced_id. The reader reads them in the query of the page's
 * GUIDRef lists and hangs them on the object under OWNED_ROWS, which JSON never writes;
 * `ownedRowsOf` reads them back.
 */
export interface OwnedSource {
  /** The key the rows are kept under. */
  readonly name: string;
  readonly table: string;
  readonly ownerColumn: string;
  readonly columns: readonly string[];
  readonly order: readonly string[];
}

/** Where an object read from a resource with `owned` tables keeps their rows. */
export const OWNED_ROWS: unique symbol = Symbol('ownedRows');

export interface OwnedObject {
  [OWNED_ROWS]?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

/** The rows of the owned table `name` read for this object (none if none or not read). */
export function ownedRowsOf(
  o: object,
  name: string,
): readonly Record<string, unknown>[] {
  return (o as OwnedObject)[OWNED_ROWS]?.[name] ?? [];
}

/** The reader's kind of a catalogue field: how its column is read and filtered. */
function kindOf(f: CatalogueField): FieldKind {
  if (f.type === 'guidRef') return f.list ? 'refs' : 'ref';
  if (f.type === 'userId') return 'userIds';
  if (f.list) return 'strings';
  switch (f.type) {
    case 'dateTime':
      return 'datetime';
    case 'date':
    case 'boolean':
    case 'number':
    case 'metadata':
      return f.type;
    default:
      // Vocabularies and years are strings on the wire and in the table.
      return 'string';
  }
}

function refOf(f: CatalogueField): RefTarget {
  const rest = refTarget(f).rest;
  if (!rest) throw new Error(`${f.name} points to a class without REST routes`);
  return { type: rest.guidType, collection: rest.collection };
}

/** A GUIDRef list's rows: a link table in position order, or the active rows pointing at it. */
const listOf = (s: Exclude<Store, { kind: 'column' }>): ListSource =>
  s.kind === 'link'
    ? {
        table: s.table,
        ownerColumn: s.owner,
        valueColumn: s.value,
        orderColumn: s.order,
      }
    : {
        table: s.table,
        ownerColumn: s.owner,
        valueColumn: s.value,
        activeOnly: s.activeOnly,
      };

function fieldDef(f: CatalogueField): FieldDef {
  const def: FieldDef = { name: f.name, kind: kindOf(f) };
  if (f.store.kind === 'column') def.column = f.store.column;
  if (f.type === 'guidRef') def.ref = refOf(f);
  if (f.store.kind !== 'column') def.list = listOf(f.store);
  if (f.emitEmpty) def.alwaysEmit = true;
  return def;
}

function resourceDef(key: ClassKey): ResourceDef {
  const cls = CATALOGUE[key];
  if (!cls.rest) throw new Error(`${key} is not a REST resource`);
  return {
    name: cls.key,
    table: cls.table,
    collection: cls.rest.collection,
    fields: restFields(cls).map(fieldDef),
  };
}

/*
 * The 1.2 users' nested filters (`roles.roleType`, `roles.role`, `roles.org.sourcedId`,
 * `primaryOrg.sourcedId`). A user matches when any of its roles matches: its stored 1.2 roles
 * (the active rows of `user_roles`) when it has any, else the roles 1.2 derives from its 1.1
 * role and orgs (one primary role per org). `!=` matches the users none of whose roles
 * match `=`, as `!=` on a GUIDRef list.
 */
type Sql = { text: string; params: unknown[] };

const LIKE_ESCAPE = (v: string) => v.replace(/[!%_]/g, (c) => `!${c}`);

/** A clause on a column of the user's stored roles `r`. */
function roleColumnMatch(
  column: string,
  c: FilterClause,
  q: (identifier: string) => string,
): Sql {
  const col = `r.${q(column)}`;
  if (c.predicate === '~')
    return {
      text: `LOWER(${col}) LIKE ? ESCAPE '!'`,
      params: [`%${LIKE_ESCAPE(c.value.toLowerCase())}%`],
    };
  const op = c.predicate === '!=' ? '<>' : c.predicate;
  return { text: `${col} ${op} ?`, params: [c.value] };
}

/** A derived value that is the same for every user, compared once in SQL-free form. */
function constantMatch(constant: string, c: FilterClause): Sql {
  const v = c.value;
  const hit =
    c.predicate === '~'
      ? constant.includes(v.toLowerCase())
      : c.predicate === '='
        ? constant === v
        : c.predicate === '!='
          ? constant !== v
          : c.predicate === '>'
            ? constant > v
            : c.predicate === '>='
              ? constant >= v
              : c.predicate === '<'
                ? constant < v
                : constant <= v;
  return { text: hit ? '1 = 1' : '1 = 0', params: [] };
}

/**
 * A roles filter (`roles.role`, `roles.roleType`, `roles.org.sourcedId`): a user's stored
 * 1.2 roles (`user_roles`) when it has any, else its roles derived from the 1.1 role and
 * orgs. The full form reads every user of the schools (a count reads them all), while the
 * derived form alone is what the indexes of `users` serve, and it is the same users
 * wherever the schools hold no active stored role. So:
 * - `stored` false: the derived form alone, for a read whose caller checked that its
 *   schools hold no active stored role (`tablesWithActiveRows`);
 * - on a database that plans a non-correlated subquery as a constant (MariaDB): both forms
 *   behind a probe of the schools' stored roles, so that the server itself plans the
 *   derived form alone (with its index) when the probe finds none, in the same statement;
 * - else the full form.
 */
function storedOrDerived(
  column: string,
  derived: (c: FilterClause, base: (c: FilterClause) => Sql) => Sql,
  stored = true,
): CustomFilter {
  const filter: CustomFilter = (c, q, base, ctx) => {
    if (c.predicate === '!=') {
      const eq = filter({ ...c, predicate: '=' }, q, base, ctx);
      return { text: `NOT ${eq.text}`, params: eq.params };
    }
    const d = derived(c, base);
    if (!stored) return { text: `(${d.text})`, params: d.params };
    const roles = `FROM ${q('user_roles')} r WHERE r.${q('school_id')} = ${T}.${q('school_id')} AND r.${q('user_sourced_id')} = ${T}.${q('sourced_id')} AND r.${q('status')} = 'active'`;
    const match = roleColumnMatch(column, c, q);
    const full: Sql = {
      text: `(EXISTS (SELECT 1 ${roles} AND ${match.text}) OR (NOT EXISTS (SELECT 1 ${roles}) AND ${d.text}))`,
      params: [...match.params, ...d.params],
    };
    if (!ctx.foldsConstantSubqueries || ctx.schoolIds.length === 0) return full;
    const schools = ctx.schoolIds.map(() => '?').join(', ');
    const any = `EXISTS (SELECT 1 FROM ${q('user_roles')} p WHERE p.${q('school_id')} IN (${schools}) AND p.${q('status')} = 'active')`;
    return {
      text: `((NOT ${any} AND ${d.text}) OR (${any} AND ${full.text}))`,
      params: [...ctx.schoolIds, ...d.params, ...ctx.schoolIds, ...full.params],
    };
  };
  return filter;
}

/** The stored primary org; else the user's only org (as `toV1p2` serves primaryOrg). */
const primaryOrgFilter: CustomFilter = (c, q, base, ctx) => {
  if (c.predicate === '!=') {
    const eq = primaryOrgFilter({ ...c, predicate: '=' }, q, base, ctx);
    return { text: `NOT ${eq.text}`, params: eq.params };
  }
  const stored = base({ ...c, field: 'primaryOrg' });
  const orgs = USER_RESOURCE.fields.find((f) => f.name === 'orgs')?.list;
  if (!orgs) throw new Error('users.orgs has no list table');
  const derived = base({ ...c, field: 'orgs.sourcedId' });
  const column = USER_V1P2_RESOURCE.fields.find(
    (f) => f.name === 'primaryOrg',
  )?.column;
  if (!column) throw new Error('users.primaryOrg has no column');
  const col = `${T}.${q(column)}`;
  return {
    text: `(${stored.text} OR (${col} IS NULL AND (SELECT COUNT(DISTINCT l.${q(orgs.valueColumn)}) FROM ${q(orgs.table)} l WHERE l.${q('school_id')} = ${T}.${q('school_id')} AND l.${q(orgs.ownerColumn)} = ${T}.${q('sourced_id')}) = 1 AND ${derived.text}))`,
    params: [...stored.params, ...derived.params],
  };
};

export const ORG_RESOURCE: ResourceDef = resourceDef('org');
export const ACADEMIC_SESSION_RESOURCE: ResourceDef =
  resourceDef('academicSession');
export const COURSE_RESOURCE: ResourceDef = resourceDef('course');
export const CLASS_RESOURCE: ResourceDef = resourceDef('class');
/** OneRoster's `password` is deliberately not published: integrators never need it. */
export const USER_RESOURCE: ResourceDef = resourceDef('user');
/**
 * Users as the OneRoster 1.2 routes read them: the 1.1 REST fields, then the fields stored
 * for 1.2 only (the catalogue's `v1p2` fields: userMasterIdentifier, the preferred names,
 * pronouns, primaryOrg), which `toV1p2` serves. Never a 1.1 route's resource.
 */
const userV1p2Filters = (
  stored: boolean,
): Readonly<Record<string, CustomFilter>> => ({
  'roles.roleType': storedOrDerived(
    'role_type',
    (c) => constantMatch('primary', c),
    stored,
  ),
  'roles.role': storedOrDerived(
    'role',
    (c, base) =>
      base({
        ...c,
        field: 'role',
        value: v1p2RoleToV1p1(c.value) ?? c.value,
      }),
    stored,
  ),
  'roles.org.sourcedId': storedOrDerived(
    'org_sourced_id',
    (c, base) => base({ ...c, field: 'orgs.sourcedId' }),
    stored,
  ),
  'primaryOrg.sourcedId': primaryOrgFilter,
});
/**
 * What a 1.2 user holds in the tables of 1.2 only: its stored roles (roles.csv), its
 * profiles without their credentials' passwords (userProfiles.csv) and its resource links
 * (userResources.csv), read with the page (`ownedRowsOf(user, 'roles')` …).
 */
export const USER_V1P2_OWNED: readonly OwnedSource[] = [
  {
    name: 'roles',
    table: 'user_roles',
    ownerColumn: 'user_sourced_id',
    columns: [
      'role_type',
      'role',
      'org_sourced_id',
      'user_profile_sourced_id',
      'begin_date',
      'end_date',
    ],
    order: ['role_type', 'org_sourced_id'],
  },
  {
    name: 'profiles',
    table: 'user_profiles',
    ownerColumn: 'user_sourced_id',
    columns: [
      'sourced_id',
      'profile_type',
      'vendor_id',
      'application_id',
      'description',
      'credentials',
    ],
    order: [],
  },
  {
    name: 'resources',
    table: 'user_resources',
    ownerColumn: 'user_sourced_id',
    columns: ['resource_sourced_id'],
    order: ['resource_sourced_id'],
  },
];
export const USER_V1P2_RESOURCE: ResourceDef = {
  ...USER_RESOURCE,
  fields: [
    ...USER_RESOURCE.fields,
    ...v1p2StoredFields(CATALOGUE.user).map(fieldDef),
  ],
  filters: userV1p2Filters(true),
  owned: USER_V1P2_OWNED,
};
/**
 * USER_V1P2_RESOURCE for a read whose schools hold no active stored 1.2 role
 * (`tablesWithActiveRows` of `user_roles` is empty): the same fields and the same users for
 * every filter, each roles filter written as its derived SQL alone.
 */
export const USER_V1P2_DERIVED_ROLES_RESOURCE: ResourceDef = {
  ...USER_V1P2_RESOURCE,
  filters: userV1p2Filters(false),
};
export const ENROLLMENT_RESOURCE: ResourceDef = resourceDef('enrollment');
export const DEMOGRAPHICS_RESOURCE: ResourceDef = resourceDef('demographics');
export const CATEGORY_RESOURCE: ResourceDef = resourceDef('category');
export const LINE_ITEM_RESOURCE: ResourceDef = resourceDef('lineItem');
export const RESULT_RESOURCE: ResourceDef = resourceDef('result');
/**
 * Categories, line items and results as the OneRoster 1.2 routes read them: the 1.1 REST
 * fields, then the fields stored for 1.2 only (a category's weight; a line item's and a
 * result's scoreScale; a result's textScore and its four flags), which `toV1p2` serves.
 * Never a 1.1 route's resource.
 */
const withV1p2Fields = (base: ResourceDef, key: ClassKey): ResourceDef => ({
  ...base,
  fields: [...base.fields, ...v1p2StoredFields(CATALOGUE[key]).map(fieldDef)],
});
export const CATEGORY_V1P2_RESOURCE = withV1p2Fields(
  CATEGORY_RESOURCE,
  'category',
);
export const LINE_ITEM_V1P2_RESOURCE = withV1p2Fields(
  LINE_ITEM_RESOURCE,
  'lineItem',
);
export const RESULT_V1P2_RESOURCE = withV1p2Fields(RESULT_RESOURCE, 'result');
export const RESOURCE_RESOURCE: ResourceDef = resourceDef('resource');

/*
 * The OneRoster 1.2 classes with no 1.1 counterpart (gradebook service OpenAPI:
 * ScoreScaleDType, AssessmentLineItemDType, AssessmentResultDType), stored in their own
 * tables (@oneroster/entities, gradebook-v1p2.entity.ts). Their fields carry the 1.2 names,
 * in the 1.2 schema's order, so the reader filters, sorts and selects by 1.2 names; the 1.2
 * layer re-points their GUIDRefs at the 1.2 base paths (`storedV1p2`). The nested lists
 * (scoreScaleValue, learningObjectiveSet) are JSON columns: selectable, not filterable.
 */
const V1P2_REF = {
  class: { type: 'class', collection: 'classes' },
  course: { type: 'course', collection: 'courses' },
  user: { type: 'user', collection: 'users' },
  // 1.2 GUIDRef types without a 1.1 counterpart (1.2 GUIDRefDType `type` values).
  scoreScale: { type: 'scoreScale' as GuidType, collection: 'scoreScales' },
  assessmentLineItem: {
    type: 'assessmentLineItem' as GuidType,
    collection: 'assessmentLineItems',
  },
} as const satisfies Record<string, RefTarget>;

const V1P2_BASE: FieldDef[] = [
  { name: 'sourcedId', kind: 'string', column: 'sourced_id' },
  { name: 'status', kind: 'string', column: 'status' },
  { name: 'dateLastModified', kind: 'datetime', column: 'date_last_modified' },
  { name: 'metadata', kind: 'metadata', column: 'metadata' },
];
const col = (name: string, kind: FieldKind, column: string): FieldDef => ({
  name,
  kind,
  column,
});
const ref = (name: string, column: string, target: RefTarget): FieldDef => ({
  name,
  kind: 'ref',
  column,
  ref: target,
});

export const SCORE_SCALE_RESOURCE: ResourceDef = {
  name: 'scoreScale',
  table: 'score_scales',
  collection: 'scoreScales',
  fields: [
    ...V1P2_BASE,
    col('title', 'string', 'title'),
    col('type', 'string', 'type'),
    ref('course', 'course_sourced_id', V1P2_REF.course),
    ref('class', 'class_sourced_id', V1P2_REF.class),
    col('scoreScaleValue', 'metadata', 'score_scale_value'),
  ],
};

export const ASSESSMENT_LINE_ITEM_RESOURCE: ResourceDef = {
  name: 'assessmentLineItem',
  table: 'assessment_line_items',
  collection: 'assessmentLineItems',
  fields: [
    ...V1P2_BASE,
    col('title', 'string', 'title'),
    col('description', 'string', 'description'),
    ref('class', 'class_sourced_id', V1P2_REF.class),
    ref(
      'parentAssessmentLineItem',
      'parent_sourced_id',
      V1P2_REF.assessmentLineItem,
    ),
    ref('scoreScale', 'score_scale_sourced_id', V1P2_REF.scoreScale),
    col('resultValueMin', 'number', 'result_value_min'),
    col('resultValueMax', 'number', 'result_value_max'),
    col('learningObjectiveSet', 'metadata', 'learning_objective_set'),
  ],
};

export const ASSESSMENT_RESULT_RESOURCE: ResourceDef = {
  name: 'assessmentResult',
  table: 'assessment_results',
  collection: 'assessmentResults',
  fields: [
    ...V1P2_BASE,
    ref(
      'assessmentLineItem',
      'assessment_line_item_sourced_id',
      V1P2_REF.assessmentLineItem,
    ),
    ref('student', 'student_sourced_id', V1P2_REF.user),
    col('score', 'number', 'score'),
    col('textScore', 'string', 'text_score'),
    col('scoreDate', 'date', 'score_date'),
    ref('scoreScale', 'score_scale_sourced_id', V1P2_REF.scoreScale),
    col('scorePercentile', 'number', 'score_percentile'),
    col('scoreStatus', 'string', 'score_status'),
    col('comment', 'string', 'comment'),
    col('learningObjectiveSet', 'metadata', 'learning_objective_set'),
    col('inProgress', 'boolean', 'in_progress'),
    col('incomplete', 'boolean', 'incomplete'),
    col('late', 'boolean', 'late'),
    col('missing', 'boolean', 'missing'),
  ],
};
