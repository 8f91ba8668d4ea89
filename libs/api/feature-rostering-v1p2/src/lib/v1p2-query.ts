import {
  fieldCatalogue,
  type OneRosterObject,
  type ResourceDef,
} from '@oneroster/data-access-oneroster';
import {
  v1p2ClassDef,
  v1p2EnrollmentRoleToV1p1,
  v1p2FieldNames,
  v1p2ServedFields,
  type V1p2ClassKey,
} from '@oneroster/oneroster-catalogue';
import {
  BlankSelectionFieldError,
  InvalidDataError,
  InvalidFilterFieldError,
  OneRosterError,
  parseCollectionQuery,
  parseSingleQuery,
  type CheckedQuery,
  type FilterExpr,
  type RawQuery,
} from '@oneroster/util-oneroster-query';

/*
 * The OneRoster 1.2 query rules (docs/oneroster-1p2.md, "Query rules"), on top of the 1.1
 * parser: the same grammar, limit, offset and paging, checked against the 1.2 names of the
 * class, then translated to the 1.1 names the reader filters and sorts by.
 *
 * - `fields`: every name must be a field of the class's 1.2 schema, else 400
 *   invalid_selection_field (blank too); a known field the platform does not store selects
 *   nothing. The 1.1 object is read whole and the selection is applied to the 1.2 object.
 * - `filter`: every name must be a 1.2 field the platform can filter by (a stored field, a
 *   GUIDRef's `.sourcedId`, on users `roles.roleType`, `roles.role`, `roles.org.sourcedId`,
 *   `primaryOrg.sourcedId`), else 400
 *   invalid_filter_field naming it. Values are 1.2 values (`enabledUser='true'`,
 *   `role='ext:aide'`), compared as their 1.1 counterparts.
 * - `sort`: a stored field of the class, else 400 invaliddata naming it (no body warning
 *   exists in 1.2).
 */

/** 1.2 filter name → the 1.1 name and how a 1.2 value reads as 1.1. */
interface FilterTarget {
  field: string;
  value?: (v: string) => string;
}

export interface V1p2QueryRules {
  readonly key: V1p2ClassKey;
  /** Every 1.2 field name of the class (valid in `fields`). */
  readonly selectable: ReadonlySet<string>;
  readonly filters: ReadonlyMap<string, FilterTarget>;
  readonly sortable: ReadonlySet<string>;
}

const rulesCache = new Map<V1p2ClassKey, V1p2QueryRules>();

export function v1p2QueryRules(
  key: V1p2ClassKey,
  resource: ResourceDef,
): V1p2QueryRules {
  const known = rulesCache.get(key);
  if (known) return known;
  const cls = v1p2ClassDef(key);
  const old = fieldCatalogue(resource);
  const filters = new Map<string, FilterTarget>();
  const sortable = new Set<string>();
  if (!cls.from) {
    // New in 1.2 and stored as 1.2: the reader's names are the 1.2 names.
    for (const name of old.filterable) filters.set(name, { field: name });
    for (const name of old.sortable) sortable.add(name);
  }
  for (const f of v1p2ServedFields(cls)) {
    if (f.from.kind !== 'same') continue;
    const source = f.from.field;
    const value =
      key === 'enrollment' && f.name === 'role'
        ? (v: string) => v1p2EnrollmentRoleToV1p1(v) ?? v
        : undefined;
    if (old.filterable.has(source))
      filters.set(f.name, value ? { field: source, value } : { field: source });
    if (old.filterable.has(`${source}.sourcedId`))
      filters.set(`${f.name}.sourcedId`, { field: `${source}.sourcedId` });
    if (old.sortable.has(source) && source === f.name) sortable.add(f.name);
  }
  if (
    (key === 'lineItem' || key === 'result') &&
    old.filterable.has('scoreScale')
  )
    // Stored for 1.2 as the score scale's sourcedId (a string: ScoreScale has no 1.1 class).
    filters.set('scoreScale.sourcedId', { field: 'scoreScale' });
  if (key === 'user')
    // A user's roles: its stored 1.2 roles, else one primary role at each of its 1.1 orgs
    // (docs/oneroster-1p2.md, mapping 3); primaryOrg stored or derived. The reader's own
    // SQL for each (USER_V1P2_RESOURCE.filters) matches a user when any role matches.
    for (const name of [
      'roles.roleType',
      'roles.role',
      'roles.org.sourcedId',
      'primaryOrg.sourcedId',
    ])
      if (old.filterable.has(name)) filters.set(name, { field: name });
  const rules: V1p2QueryRules = {
    key,
    selectable: new Set(v1p2FieldNames(cls)),
    filters,
    sortable,
  };
  rulesCache.set(key, rules);
  return rules;
}

function translateFilter(expr: FilterExpr, rules: V1p2QueryRules): FilterExpr {
  if (expr.kind !== 'clause')
    return {
      kind: expr.kind,
      operands: expr.operands.map((o) => translateFilter(o, rules)),
    };
  const target = rules.filters.get(expr.field);
  // Every clause's field was checked against the rules first.
  if (!target)
    throw new InvalidFilterFieldError(`Invalid filter field: ${expr.field}`);
  return {
    ...expr,
    field: target.field,
    value: target.value ? target.value(expr.value) : expr.value,
  };
}

function clauseFields(expr: FilterExpr): string[] {
  return expr.kind === 'clause'
    ? [expr.field]
    : expr.operands.flatMap(clauseFields);
}

/** `fields` checked against the class's 1.2 names (null: every field). */
function checkFields(raw: RawQuery, rules: V1p2QueryRules): string[] | null {
  let fields: string[] | null;
  try {
    fields = parseSingleQuery(raw).fields;
  } catch (err) {
    if (err instanceof BlankSelectionFieldError)
      throw new InvalidSelectionFieldError('The fields parameter is blank');
    throw err;
  }
  if (!fields) return null;
  const unknown = fields.filter((f) => !rules.selectable.has(f));
  if (unknown.length)
    throw new InvalidSelectionFieldError(
      `Invalid selection field: ${[...new Set(unknown)].join(', ')}`,
    );
  return fields;
}

/** 400 invalid_selection_field: `fields` names no field of the class, or is blank (1.2). */
export class InvalidSelectionFieldError extends OneRosterError {
  readonly httpStatus = 400;
  readonly codeMinor = 'invalid_selection_field';
}

export interface V1p2Collection {
  /** The query the 1.1 reader runs (1.1 names, every field). */
  query: CheckedQuery;
  /** The 1.2 fields to write (null: all). */
  fields: string[] | null;
  /** What the Link header repeats: the filter as the client wrote it (1.2 names), the fields. */
  paging: Pick<CheckedQuery, 'filter' | 'fields'>;
}

/** A collection's query under the 1.2 rules (throws the 400 refusals). */
export function checkV1p2Query(
  raw: RawQuery,
  rules: V1p2QueryRules,
): V1p2Collection {
  const parsed = parseCollectionQuery(raw);
  const fields = checkFields(raw, rules);
  if (parsed.filter) {
    const unknown = clauseFields(parsed.filter).filter(
      (f) => !rules.filters.has(f),
    );
    if (unknown.length) {
      const names = [...new Set(unknown)];
      const unstored = names.filter((f) =>
        rules.selectable.has(f.split('.')[0]),
      );
      throw new InvalidFilterFieldError(
        `Invalid filter field: ${names.join(', ')}${unstored.length ? ` (${unstored.join(', ')}: a OneRoster 1.2 field this server cannot filter by yet)` : ''}`,
      );
    }
  }
  if (parsed.sort && !rules.sortable.has(parsed.sort))
    throw new InvalidDataError(`Invalid sort field: ${parsed.sort}`);
  return {
    query: {
      ...parsed,
      fields: null,
      filter: parsed.filter ? translateFilter(parsed.filter, rules) : null,
      warnings: [],
    },
    fields,
    paging: { filter: parsed.filter, fields },
  };
}

/** A single read's `fields` under the 1.2 rules. */
export const checkV1p2Fields = (
  raw: RawQuery,
  rules: V1p2QueryRules,
): string[] | null => checkFields(raw, rules);

/** The object with only the selected 1.2 fields, in the class's order. */
export function selectFields(
  object: OneRosterObject,
  fields: readonly string[] | null,
): OneRosterObject {
  if (!fields) return object;
  const out: OneRosterObject = {};
  for (const [k, v] of Object.entries(object))
    if (fields.includes(k)) out[k] = v;
  return out;
}
