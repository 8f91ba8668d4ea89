import {
  CheckedQuery,
  FieldCatalogue,
  FilterClause,
  FilterExpr,
  InvalidDataError,
  Predicate,
} from '@oneroster/util-oneroster-query';
import { encodeBoolean, encodeInstant } from '@oneroster/database';
import type { FieldDef, ResourceDef } from './resources';

/**
 * Turns a checked OneRoster query into SQL for SQLite and MySQL/MariaDB. Rules enforced:
 * - every value reaches the database as a bound parameter (`?`), never as SQL text;
 * - identifiers come only from the static resource definitions;
 * - the tenant condition `school_id IN (…)` is always the first condition, and request
 *   filters are AND-ed after it, never instead of it;
 * - a predicate a field's kind cannot answer is a 400 invaliddata naming field and predicate.
 */
export interface Sql {
  text: string;
  params: unknown[];
}

export type Quote = (identifier: string) => string;

/**
 * What a custom filter may know of the read besides the clause: the caller's schools, and
 * whether the database plans a non-correlated subquery of them as a constant (MariaDB does
 * for an index probe below `expensive_subquery_limit` rows, so a form such as
 * `(NOT EXISTS (…) AND a) OR (EXISTS (…) AND b)` is planned as `a` or `b` alone; SQLite
 * evaluates such a subquery once but still plans the whole OR).
 */
export interface FilterContext {
  readonly schoolIds: readonly string[];
  readonly foldsConstantSubqueries: boolean;
}

export const T = 't';

const catalogues = new WeakMap<ResourceDef, FieldCatalogue>();

export function fieldCatalogue(
  resource: ResourceDef,
  hidden: readonly string[] = [],
): FieldCatalogue {
  // Asked on every request; the definitions never change, so the full catalogue is kept.
  if (hidden.length === 0) {
    const known = catalogues.get(resource);
    if (known) return known;
    const built = buildCatalogue(resource, hidden);
    catalogues.set(resource, built);
    return built;
  }
  return buildCatalogue(resource, hidden);
}

function buildCatalogue(
  resource: ResourceDef,
  hidden: readonly string[],
): FieldCatalogue {
  const fields = resource.fields.filter((f) => !hidden.includes(f.name));
  const filterable = new Set<string>();
  const sortable = new Set<string>();
  for (const f of fields) {
    if (f.kind === 'metadata' || f.kind === 'userIds') continue;
    filterable.add(f.name);
    if (f.kind === 'ref' || f.kind === 'refs')
      filterable.add(`${f.name}.sourcedId`);
    if (f.kind !== 'strings' && f.kind !== 'refs') sortable.add(f.name);
  }
  for (const name of Object.keys(resource.filters ?? {})) filterable.add(name);
  return {
    filterable,
    sortable,
    selectable: new Set(fields.map((f) => f.name)),
  };
}

export function findField(resource: ResourceDef, name: string): FieldDef {
  const bare = name.endsWith('.sourcedId')
    ? name.slice(0, -'.sourcedId'.length)
    : name;
  const field = resource.fields.find((f) => f.name === bare);
  if (!field) throw new InvalidDataError(`Unknown field ${name}`);
  return field;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function likeEscape(v: string): string {
  return v.replace(/[!%_]/g, (c) => `!${c}`);
}

const COMPARE: Record<Exclude<Predicate, '~'>, string> = {
  '=': '=',
  '!=': '<>',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

function clauseSql(
  resource: ResourceDef,
  clause: FilterClause,
  q: Quote,
  ctx: FilterContext,
): Sql {
  const custom = resource.filters?.[clause.field];
  if (custom)
    return custom(clause, q, (c) => clauseSql(resource, c, q, ctx), ctx);
  const field = findField(resource, clause.field);
  const { predicate, value } = clause;
  const refuse = (why: string): never => {
    throw new InvalidDataError(
      `Filter ${clause.field}${predicate}'${value}': ${why}`,
    );
  };
  const col = field.column ? `${T}.${q(field.column)}` : '';
  const compare = (param: unknown): Sql => {
    if (predicate === '~') {
      return {
        text: `LOWER(${col}) LIKE ? ESCAPE '!'`,
        params: [`%${likeEscape(String(param).toLowerCase())}%`],
      };
    }
    if (predicate === '!=')
      return { text: `(${col} IS NULL OR ${col} <> ?)`, params: [param] };
    return { text: `${col} ${COMPARE[predicate]} ?`, params: [param] };
  };
  switch (field.kind) {
    case 'string':
    case 'ref':
      return compare(value);
    case 'date': {
      if (predicate === '~') return compare(value);
      if (!DATE_RE.test(value)) refuse('expected a date YYYY-MM-DD');
      return compare(value);
    }
    case 'datetime': {
      if (predicate === '~') refuse('~ does not apply to dates and times');
      const d = DATETIME_RE.test(value.trim())
        ? new Date(
            DATE_RE.test(value.trim())
              ? `${value.trim()}T00:00:00Z`
              : value.trim(),
          )
        : null;
      if (!d || Number.isNaN(d.getTime()))
        refuse('expected an ISO 8601 date-time such as 2026-09-01T00:00:00Z');
      return compare(encodeInstant(d!));
    }
    case 'boolean': {
      if (predicate !== '=' && predicate !== '!=')
        refuse('only = and != apply to true/false fields');
      if (value !== 'true' && value !== 'false')
        refuse('expected true or false');
      return compare(encodeBoolean(value === 'true'));
    }
    case 'number': {
      if (predicate === '~') refuse('~ does not apply to numbers');
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n))
        refuse('expected a number');
      return compare(n);
    }
    case 'strings': {
      // A list matches `=` when any element equals the value, `~` when any contains it.
      if (predicate === '~')
        return {
          text: `LOWER(${col}) LIKE ? ESCAPE '!'`,
          params: [`%${likeEscape(value.toLowerCase())}%`],
        };
      if (predicate !== '=' && predicate !== '!=')
        refuse('only =, != and ~ apply to lists');
      const element = `%${likeEscape(JSON.stringify(value))}%`;
      return predicate === '='
        ? { text: `${col} LIKE ? ESCAPE '!'`, params: [element] }
        : {
            text: `(${col} IS NULL OR ${col} NOT LIKE ? ESCAPE '!')`,
            params: [element],
          };
    }
    case 'refs': {
      if (predicate !== '=' && predicate !== '!=' && predicate !== '~')
        refuse('only =, != and ~ apply to lists');
      const l = field.list!;
      const match =
        predicate === '~'
          ? `LOWER(l.${q(l.valueColumn)}) LIKE ? ESCAPE '!'`
          : `l.${q(l.valueColumn)} = ?`;
      const param =
        predicate === '~' ? `%${likeEscape(value.toLowerCase())}%` : value;
      const active = l.activeOnly ? ` AND l.${q('status')} = 'active'` : '';
      const exists = `EXISTS (SELECT 1 FROM ${q(l.table)} l WHERE l.${q('school_id')} = ${T}.${q('school_id')} AND l.${q(l.ownerColumn)} = ${T}.${q('sourced_id')}${active} AND ${match})`;
      return {
        text: predicate === '!=' ? `NOT ${exists}` : exists,
        params: [param],
      };
    }
    default:
      return refuse('this field cannot be filtered');
  }
}

export function filterSql(
  resource: ResourceDef,
  expr: FilterExpr,
  q: Quote,
  ctx: FilterContext,
): Sql {
  if (expr.kind === 'clause') return clauseSql(resource, expr, q, ctx);
  const parts = expr.operands.map((o) => filterSql(resource, o, q, ctx));
  return {
    text: `(${parts.map((p) => p.text).join(expr.kind === 'and' ? ' AND ' : ' OR ')})`,
    params: parts.flatMap((p) => p.params),
  };
}

export function joinAnd(parts: Sql[]): Sql {
  return {
    text: parts.map((p) => p.text).join(' AND '),
    params: parts.flatMap((p) => p.params),
  };
}

/** ORDER BY: the requested field, then (sourcedId, school) so that every order is total and stable. */
export function orderSql(
  resource: ResourceDef,
  query: Pick<CheckedQuery, 'sort' | 'orderBy'>,
  q: Quote,
): string {
  const dir = query.orderBy === 'desc' ? 'DESC' : 'ASC';
  const keys = [
    `${T}.${q('sourced_id')} ${dir}`,
    `${T}.${q('school_id')} ${dir}`,
  ];
  if (query.sort && query.sort !== 'sourcedId') {
    const field = findField(resource, query.sort);
    keys.unshift(`${T}.${q(field.column!)} ${dir}`);
  }
  return keys.join(', ');
}
