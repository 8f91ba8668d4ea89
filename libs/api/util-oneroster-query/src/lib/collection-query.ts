import {
  BlankSelectionFieldError,
  InvalidDataError,
  InvalidFilterFieldError,
  StatusWarning,
} from './errors';
import { FilterExpr, filterClauses, parseFilter } from './filter';

/**
 * The query parameters of every collection endpoint (digest §3, §3.2):
 * limit, offset, sort, orderBy, fields, filter.
 *
 * - limit: integer ≥ 1, default 100, larger values are clamped to the maximum (10,000);
 *   0, negative, non-integer, exponent or non-numeric → 400 invaliddata.
 * - offset: integer ≥ 0, default 0; otherwise 400 invaliddata. Past the end → empty page.
 * - orderBy: `asc` (default), `desc`; the 1.1 OpenAPI's typo `acs` is read as `asc`.
 * - fields: comma list; blank → 400 invalid_blank_selection_field; unknown names are a
 *   warning and every field is returned (§3.2).
 * - sort: one field (a comma list uses the first and warns for nothing else); unknown →
 *   warning invalid_sort_field and the default order (§3.2).
 * - filter: see filter.ts; an unknown field → 400 invalid_filter_field (§3.2).
 * - the same parameter twice → 400 invaliddata.
 */
export interface CollectionQuery {
  limit: number;
  offset: number;
  sort: string | null;
  orderBy: 'asc' | 'desc';
  fields: string[] | null;
  filter: FilterExpr | null;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export type RawQuery = Record<string, unknown>;

function single(raw: RawQuery, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v))
    throw new InvalidDataError(
      `The query parameter ${name} was given more than once`,
    );
  if (typeof v !== 'string')
    throw new InvalidDataError(`The query parameter ${name} is malformed`);
  return v;
}

function integer(raw: RawQuery, name: string, min: number): number | undefined {
  const v = single(raw, name);
  if (v === undefined) return undefined;
  if (
    !/^\s*\d+\s*$/.test(v) ||
    Number(v) < min ||
    !Number.isSafeInteger(Number(v))
  ) {
    throw new InvalidDataError(
      `${name} must be a whole number${min > 0 ? ` of at least ${min}` : ' of 0 or more'}, got "${v}"`,
    );
  }
  return Number(v);
}

export function parseCollectionQuery(
  raw: RawQuery,
  maxLimit = MAX_LIMIT,
): CollectionQuery {
  const limit = Math.min(integer(raw, 'limit', 1) ?? DEFAULT_LIMIT, maxLimit);
  const offset = integer(raw, 'offset', 0) ?? 0;
  const orderByRaw = single(raw, 'orderBy');
  let orderBy: 'asc' | 'desc' = 'asc';
  if (orderByRaw !== undefined && orderByRaw !== '') {
    const o = orderByRaw.trim().toLowerCase();
    if (o === 'desc') orderBy = 'desc';
    else if (o !== 'asc' && o !== 'acs')
      throw new InvalidDataError(
        `orderBy must be asc or desc, got "${orderByRaw}"`,
      );
  }
  const sortRaw = single(raw, 'sort');
  const sort = sortRaw && sortRaw.trim() ? sortRaw.split(',')[0].trim() : null;
  const { fields } = parseSingleQuery(raw);
  const filterRaw = single(raw, 'filter');
  let filter: FilterExpr | null = null;
  if (filterRaw !== undefined && filterRaw.trim() !== '')
    filter = parseFilter(filterRaw);
  return { limit, offset, sort, orderBy, fields, filter };
}

/**
 * The one parameter a single-object read takes (digest §3.2): `fields`, read as a
 * collection reads it (blank → 400 invalid_blank_selection_field, twice → 400 invaliddata).
 */
export interface SingleQuery {
  fields: string[] | null;
}

export function parseSingleQuery(raw: RawQuery): SingleQuery {
  const fieldsRaw = single(raw, 'fields');
  if (fieldsRaw === undefined) return { fields: null };
  const fields = fieldsRaw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length === 0)
    throw new BlankSelectionFieldError('The fields parameter is blank');
  return { fields };
}

/** Which JSON field names a resource accepts where. */
export interface FieldCatalogue {
  filterable: ReadonlySet<string>;
  sortable: ReadonlySet<string>;
  selectable: ReadonlySet<string>;
}

export interface CheckedQuery extends CollectionQuery {
  warnings: StatusWarning[];
}

/**
 * Checks a parsed query against what the resource has: unknown filter fields are errors,
 * unknown sort and selection fields are warnings (1.1 §3.2) and are dropped.
 */
export function checkQuery(
  query: CollectionQuery,
  catalogue: FieldCatalogue,
): CheckedQuery {
  const warnings: StatusWarning[] = [];
  if (query.filter) {
    const unknown = filterClauses(query.filter)
      .map((c) => c.field)
      .filter((f) => !catalogue.filterable.has(f));
    if (unknown.length)
      throw new InvalidFilterFieldError(
        `Invalid filter field: ${[...new Set(unknown)].join(', ')}`,
      );
  }
  let sort = query.sort;
  if (sort && !catalogue.sortable.has(sort)) {
    warnings.push({
      codeMinor: 'invalid_sort_field',
      description: `Invalid sort field: ${sort}`,
    });
    sort = null;
  }
  const selection = checkSingleQuery(query, catalogue);
  return {
    ...query,
    sort,
    fields: selection.fields,
    warnings: [...warnings, ...selection.warnings],
  };
}

export interface CheckedSingleQuery extends SingleQuery {
  warnings: StatusWarning[];
}

/** Unknown selection fields are a warning, and every field is returned (1.1 §3.2). */
export function checkSingleQuery(
  query: SingleQuery,
  catalogue: Pick<FieldCatalogue, 'selectable'>,
): CheckedSingleQuery {
  const fields = query.fields;
  if (!fields) return { fields, warnings: [] };
  const unknown = fields.filter((f) => !catalogue.selectable.has(f));
  if (!unknown.length) return { fields, warnings: [] };
  return {
    fields: null,
    warnings: [
      {
        codeMinor: 'invalid_selection_field',
        description: `Invalid selection field: ${unknown.join(', ')}`,
      },
    ],
  };
}
