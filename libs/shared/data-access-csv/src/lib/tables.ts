import {
  CSV_COLUMNS,
  CsvFile,
  CsvValue,
  ParsedRow,
  UserIdValue,
} from '@oneroster/util-oneroster-csv';

/**
 * How each CSV file maps onto the tables of @oneroster/entities: one column per CSV column
 * (camelCase → snake_case), GUIDRef lists in link tables ordered by `position`, and
 * `metadata.<name>` columns in the `metadata` JSON bag. The same mapping converts both
 * ways, so a record read from the database and one read from a CSV file compare exactly.
 */

export type Storage = 'text' | 'json' | 'bool' | 'float' | 'instant';

export interface ColumnMap {
  csv: string;
  db: string;
  storage: Storage;
}

export interface LinkMap {
  csv: string;
  table: string;
  owner: string;
  target: string;
}

export interface TableMap {
  file: CsvFile;
  table: string;
  columns: ColumnMap[];
  links: LinkMap[];
}

const TABLES: Record<CsvFile, string> = {
  academicSessions: 'academic_sessions',
  categories: 'categories',
  classes: 'classes',
  classResources: 'class_resources',
  courses: 'courses',
  courseResources: 'course_resources',
  demographics: 'demographics',
  enrollments: 'enrollments',
  lineItems: 'line_items',
  orgs: 'orgs',
  resources: 'resources',
  results: 'results',
  users: 'users',
};

const LINKS: Record<string, LinkMap> = {
  'classes.termSourcedIds': {
    csv: 'termSourcedIds',
    table: 'class_terms',
    owner: 'class_sourced_id',
    target: 'term_sourced_id',
  },
  'users.orgSourcedIds': {
    csv: 'orgSourcedIds',
    table: 'user_orgs',
    owner: 'user_sourced_id',
    target: 'org_sourced_id',
  },
  'users.agentSourcedIds': {
    csv: 'agentSourcedIds',
    table: 'user_agents',
    owner: 'user_sourced_id',
    target: 'agent_sourced_id',
  },
};

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const TABLE_MAPS = Object.fromEntries(
  (Object.keys(TABLES) as CsvFile[]).map((file) => {
    const columns: ColumnMap[] = [];
    const links: LinkMap[] = [];
    for (const c of CSV_COLUMNS[file]) {
      if (
        c.kind === 'id' ||
        c.kind === 'status' ||
        c.kind === 'dateLastModified'
      )
        continue;
      if (c.kind === 'refs') {
        links.push(LINKS[`${file}.${c.name}`]);
        continue;
      }
      const storage: Storage =
        c.kind === 'list' || c.kind === 'userIds'
          ? 'json'
          : c.kind === 'boolean'
            ? 'bool'
            : c.kind === 'float'
              ? 'float'
              : c.kind === 'dateOrDateTime'
                ? 'instant'
                : 'text';
      const db =
        file === 'enrollments' && c.name === 'primary'
          ? 'is_primary'
          : snake(c.name);
      columns.push({ csv: c.name, db, storage });
    }
    return [file, { file, table: TABLES[file], columns, links }];
  }),
) as Record<CsvFile, TableMap>;

/** A OneRoster record in the form both directions share. */
export interface CsvRecordData {
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  dateLastModified: Date;
  values: Record<string, CsvValue>;
  metadata: Record<string, unknown> | null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: what both engines store in a DATETIME(3). */
export function sqlInstant(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function readInstant(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`,
  );
}

/** The database value of one CSV value. */
export function toDb(storage: Storage, v: CsvValue): unknown {
  if (v === null || v === undefined) return null;
  switch (storage) {
    case 'json':
      return Array.isArray(v) && v.length > 0 ? JSON.stringify(v) : null;
    case 'bool':
      return v ? 1 : 0;
    case 'float':
      return v;
    case 'instant':
      return sqlInstant(
        new Date(
          /T/.test(String(v)) ? String(v) : `${String(v)}T00:00:00.000Z`,
        ),
      );
    default:
      return v;
  }
}

/** The CSV value of one database value. */
export function fromDb(storage: Storage, v: unknown): CsvValue {
  if (v === null || v === undefined) return null;
  switch (storage) {
    case 'json': {
      const parsed = typeof v === 'string' ? JSON.parse(v) : v;
      return Array.isArray(parsed)
        ? (parsed as string[] | UserIdValue[])
        : null;
    }
    case 'bool':
      return v === true || v === 1 || v === '1';
    case 'float':
      return Number(v);
    case 'instant':
      return readInstant(v).toISOString().slice(0, 10);
    default:
      return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  }
}

/** The CSV text of one value (§8.1 lists, `{type:identifier}` userIds, true/false). */
export function cellText(v: CsvValue): string | string[] {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v))
    return (v as (string | UserIdValue)[]).map((x) =>
      typeof x === 'string' ? x : `{${x.type}:${x.identifier}}`,
    );
  return String(v);
}

/** Everything but status and dateLastModified, canonical: equal exactly when the records are. */
export function fingerprint(
  map: TableMap,
  values: Record<string, CsvValue>,
  metadata: Record<string, unknown> | null,
): string {
  const parts: string[] = [];
  for (const c of map.columns) {
    const t = cellText(values[c.csv]);
    parts.push(Array.isArray(t) ? t.join(',') : t);
  }
  for (const l of map.links) {
    const t = cellText(values[l.csv]);
    parts.push(Array.isArray(t) ? t.join(',') : t);
  }
  parts.push(metadata ? JSON.stringify(sortKeys(metadata)) : '');
  return parts.join('\u0001');
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

export const fromParsed = (
  row: ParsedRow,
  status: 'active' | 'tobedeleted',
  dateLastModified: Date,
): CsvRecordData => ({
  sourcedId: row.sourcedId,
  status,
  dateLastModified,
  values: row.values,
  metadata: row.metadata,
});
