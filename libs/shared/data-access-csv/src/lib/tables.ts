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
import {
  decodeBoolean,
  decodeList,
  decodeNumber,
  decodeText,
  encodeBoolean,
  encodeInstant,
  encodeJson,
  instantDay,
  instantOf,
} from '@oneroster/database';

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

/** The database value of one CSV value (the codec of @oneroster/database converts). */
export function toDb(storage: Storage, v: CsvValue): unknown {
  if (v === null || v === undefined) return null;
  switch (storage) {
    case 'json':
      // An empty list is stored as NULL, so that it compares equal to a missing one.
      return Array.isArray(v) && v.length > 0 ? encodeJson(v) : null;
    case 'bool':
      return encodeBoolean(Boolean(v));
    case 'float':
      return v;
    case 'instant':
      return encodeInstant(instantOf(String(v)));
    default:
      return v;
  }
}

/** The CSV value of one database value. */
export function fromDb(storage: Storage, v: unknown): CsvValue {
  if (v === null || v === undefined) return null;
  switch (storage) {
    case 'json':
      return decodeList<string | UserIdValue>(v) as
        string[] | UserIdValue[] | null;
    case 'bool':
      return decodeBoolean(v);
    case 'float':
      return decodeNumber(v);
    case 'instant':
      return instantDay(v);
    default:
      return decodeText(v);
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
