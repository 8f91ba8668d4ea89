import {
  CSV_FILE_NAMES,
  classOfCsvFile,
  csvColumn,
  csvFields,
  type FieldDef,
} from '@oneroster/oneroster-catalogue';
import {
  CsvFile,
  CsvValue,
  ParsedRow,
  UserIdValue,
} from '@oneroster/util-oneroster-csv';

/**
 * How each CSV file maps onto the tables of @oneroster/entities, derived from the catalogue
 * (@oneroster/oneroster-catalogue), never restated here:
 * - the file's table is its class's `table`;
 * - a field stored in the class's own table (`store.kind === 'column'`) is a column named
 *   by its `store.column`, in CSV header order;
 * - a GUIDRef list stored in a link table (`store.kind === 'link'`) is one row per element
 *   in that table (owner and value columns as the catalogue names them), ordered by
 *   `position`;
 * - sourcedId, status and dateLastModified are the row's own columns (not listed), and
 *   `metadata.<name>` columns go to the `metadata` JSON bag;
 * - the storage conversion follows the field's type: lists and UserIds are JSON, booleans
 *   bool, numbers float, DateTimes instants (a DATETIME(3)), everything else text.
 * The same mapping converts both ways, so a record read from the database and one read
 * from a CSV file compare exactly.
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

/** The fields every record carries in its own row, outside `values`. */
const ROW_FIELDS = new Set(['sourcedId', 'status', 'dateLastModified']);

/** How a catalogue field's value is kept in its column. */
function storageOf(f: FieldDef): Storage {
  if (f.list || f.type === 'userId') return 'json';
  switch (f.type) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'dateTime':
      return 'instant';
    default:
      return 'text';
  }
}

function tableMap(file: CsvFile): TableMap {
  const cls = classOfCsvFile(file);
  const columns: ColumnMap[] = [];
  const links: LinkMap[] = [];
  for (const f of csvFields(cls)) {
    if (ROW_FIELDS.has(f.name)) continue;
    const csv = csvColumn(f).column;
    const store = f.store;
    if (store.kind === 'column')
      columns.push({ csv, db: store.column, storage: storageOf(f) });
    else if (store.kind === 'link')
      links.push({
        csv,
        table: store.table,
        owner: store.owner,
        target: store.value,
      });
    else
      throw new Error(
        `${cls.key}.${f.name}: a CSV column cannot be a reverse list`,
      );
  }
  return { file, table: cls.table, columns, links };
}

export const TABLE_MAPS = Object.fromEntries(
  CSV_FILE_NAMES.map((file) => [file, tableMap(file)]),
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
