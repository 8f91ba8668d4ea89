import {
  CATALOGUE_V1P2,
  CSV_FILE_NAMES,
  classOfCsvFile,
  csvColumn,
  csvFields,
  V1P2_CSV,
  V1P2_OBJECTS,
  v1p2CsvField,
  v1p2StoredFields,
  type FieldDef,
  type V1p2CsvColumnDef,
  type V1p2CsvFileDef,
  type V1p2FieldDef,
} from '@oneroster/oneroster-catalogue';
import {
  AnyCsvFile,
  CsvFile,
  CsvValue,
  PairValue,
  ParsedRow,
  UserIdValue,
  V1P2_OWN_TABLE_FILES,
  V1P2_OWNER_COLUMN_FILES,
  V1P2_GATHERED_LINK_FILES,
  isObjectiveFile,
  type ObjectiveFile,
  V1P2_STORED_PREFIX,
  type V1p2CsvFile,
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
 * - a field stored for OneRoster 1.2 only (`v1p2`) is a column too, named
 *   `v1p2.<entity property>` (the column the 1.1 form of a 1.2 set carries for it);
 * - sourcedId, status and dateLastModified are the row's own columns (not listed), and
 *   `metadata.<name>` columns go to the `metadata` JSON bag;
 * - the storage conversion follows the field's type: lists and UserIds are JSON, booleans
 *   bool, numbers float, DateTimes instants (a DATETIME(3)), everything else text.
 * The same mapping converts both ways, so a record read from the database and one read
 * from a CSV file compare exactly.
 */

export type Storage =
  'text' | 'json' | 'bool' | 'float' | 'instant' | 'pairs' | 'object';

export interface ColumnMap {
  csv: string;
  db: string;
  storage: Storage;
  /** `pairs`: the two field names of each item (a 1.2 nested object, JSON in the table). */
  keys?: readonly string[];
  /**
   * `object`: several CSV columns, each a key of the one object of the JSON list in `db`
   * (userProfiles.csv's credential: `credentials`, `[{type, username, password}]`); `csv`
   * is the first of them.
   */
  parts?: { csv: string; key: string }[];
}

export interface LinkMap {
  csv: string;
  table: string;
  owner: string;
  target: string;
}

export interface TableMap {
  file: AnyCsvFile;
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
  // Stored for OneRoster 1.2 only: the columns of the 1.1 set in the form of a 1.2 set
  // (V1P2_STORED_COLUMNS, `v1p2.<entity property>`); a 1.1 file leaves them blank.
  for (const f of v1p2StoredFields(cls))
    if (f.store.kind === 'column')
      columns.push({
        csv: V1P2_STORED_PREFIX + f.store.property,
        db: f.store.column,
        storage: storageOf(f),
      });
  return { file, table: cls.table, columns, links };
}

export const TABLE_MAPS = Object.fromEntries(
  CSV_FILE_NAMES.map((file) => [file, tableMap(file)]),
) as Record<CsvFile, TableMap>;

/**
 * A 1.2 file stored as 1.2 in a table of its own (`V1P2_OWN_TABLE_FILES`): its table map,
 * derived from the 1.2 catalogue (the class's `table`, each column's field's `column`), and
 * what the importer needs beyond it:
 * - `refs`: every stored GUIDRef column, checked like a 1.1 reference (in the set, else in
 *   the database, in the school imported into);
 * - `placedBy`: the first required one; the record belongs to the schools of the record it
 *   names (a score scale: its class's; a user's resource link: its user's), and every other
 *   reference gets those schools too;
 * - `unstored`: columns of the CSV binding the class has no field or column for
 *   (scoreScales.csv `orgSourcedId`): read and checked, reported `not_stored` when filled;
 * - `v1p2Refs`: references into another such file (a role's user profile), checked after
 *   the write.
 * A file whose rows are not objects of a 1.2 class (userResources, a link file; roles, the
 * users' nested roles) names its table and SQL columns in the CSV binding itself (`table`,
 * each column's `sqlColumn`).
 */
export interface V1p2TableMap extends TableMap {
  file: V1p2CsvFile;
  refs: { column: string; target: CsvFile; list: boolean }[];
  placedBy: { column: string; target: CsvFile };
  unstored: string[];
  /**
   * References into another 1.2 file stored as 1.2 (roles.csv `userProfileSourcedId` →
   * userProfiles.csv): checked after both are written, against the active records of the
   * record's school (the set's, written by then, or those already there).
   */
  v1p2Refs: {
    column: string;
    db: string;
    target: V1p2CsvFile;
    table: string;
  }[];
}

function v1p2StorageOf(f: Pick<V1p2FieldDef, 'type' | 'list'>): Storage {
  if (f.type === 'object') return f.list ? 'pairs' : 'json';
  if (f.list) return 'json';
  switch (f.type) {
    case 'stringBoolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'dateTime':
      return 'instant';
    default:
      return 'text';
  }
}

/**
 * A column of a 1.2 file stored as 1.2: the field of its class (the field's `column`), or
 * for a link file with no class (userResources) the CSV column itself (its `sqlColumn`).
 */
function v1p2ColumnOf(
  def: V1p2CsvFileDef,
  c: V1p2CsvColumnDef,
): (Pick<V1p2FieldDef, 'type' | 'list' | 'of'> & { db: string }) | undefined {
  if (def.of && !def.table) {
    const field = v1p2CsvField(def, c);
    return field?.column ? { ...field, db: field.column } : undefined;
  }
  if (!c.sqlColumn) return undefined;
  const field = def.of ? v1p2CsvField(def, c) : undefined;
  const type = (c.type ?? field?.type ?? 'string') as V1p2FieldDef['type'];
  return {
    type,
    ...((c.list ?? field?.list) ? { list: true } : {}),
    db: c.sqlColumn,
  };
}

function v1p2TableMap(file: V1p2CsvFile): V1p2TableMap {
  const def = V1P2_CSV[file];
  const table = v1p2TableOf(file);
  if (!table) throw new Error(`${file}.csv: no table stores it as 1.2`);
  const columns: ColumnMap[] = [];
  const refs: V1p2TableMap['refs'] = [];
  const unstored: string[] = [];
  const v1p2Refs: V1p2TableMap['v1p2Refs'] = [];
  let placedBy: V1p2TableMap['placedBy'] | undefined;
  for (const c of def.columns) {
    if (['sourcedId', 'status', 'dateLastModified'].includes(c.column))
      continue;
    if (c.sqlColumn && c.sqlKey) {
      const shared = columns.find((x) => x.db === c.sqlColumn);
      if (shared?.parts) shared.parts.push({ csv: c.column, key: c.sqlKey });
      else
        columns.push({
          csv: c.column,
          db: c.sqlColumn,
          storage: 'object',
          parts: [{ csv: c.column, key: c.sqlKey }],
        });
      continue;
    }
    const field = v1p2ColumnOf(def, c);
    if (!field) {
      unstored.push(c.column);
      continue;
    }
    const storage = v1p2StorageOf(field);
    columns.push({
      csv: c.column,
      db: field.db,
      storage,
      ...(storage === 'pairs' && field.of
        ? { keys: V1P2_OBJECTS[field.of].fields.map((x) => x.name) }
        : {}),
    });
    if (field.type === 'guidRef') {
      const target = c.target as CsvFile | undefined;
      if (!target) throw new Error(`${file}.${c.column}: points to no file`);
      // A reference into another 1.2 file stored as 1.2 (roles.csv userProfileSourcedId):
      // checked once both are written, in the record's school (`v1p2Refs`).
      if (!(CSV_FILE_NAMES as readonly string[]).includes(target)) {
        const into = target as unknown as V1p2CsvFile;
        const intoTable = V1P2_OWN_TABLE_FILES.includes(into)
          ? v1p2TableOf(into)
          : undefined;
        if (!intoTable)
          throw new Error(`${file}.${c.column}: points to a file not stored`);
        v1p2Refs.push({
          column: c.column,
          db: field.db,
          target: into,
          table: intoTable,
        });
        continue;
      }
      refs.push({ column: c.column, target, list: field.list === true });
      if (c.required && !placedBy) placedBy = { column: c.column, target };
    }
  }
  if (!placedBy)
    throw new Error(`${file}.csv: no required reference places its records`);
  return {
    file,
    table,
    columns,
    links: [],
    refs,
    placedBy,
    unstored,
    v1p2Refs,
  };
}

/** The table a 1.2 file stored as 1.2 goes into (its own `table`, else its class's). */
function v1p2TableOf(file: V1p2CsvFile): string | undefined {
  const def = V1P2_CSV[file];
  const cls = def.of && 'class' in def.of ? CATALOGUE_V1P2[def.of.class] : null;
  return (
    def.table ?? (cls && 'table' in cls ? (cls.table as string) : undefined)
  );
}

export const V1P2_TABLE_MAPS = Object.fromEntries(
  V1P2_OWN_TABLE_FILES.map((f) => [f, v1p2TableMap(f)]),
) as Partial<Record<V1p2CsvFile, V1p2TableMap>>;

/**
 * A link file kept in a column of the rows of the objects it links
 * (`V1P2_OWNER_COLUMN_FILES`: lineItemScoreScales, resultScoreScales), from the CSV binding:
 * the objects' table, the CSV column naming the object, the one naming the value and its
 * SQL column, the table the value must name an active record of (in the object's school),
 * and the columns nothing keeps (the link's title; its sourcedId is not kept either).
 */
export interface V1p2LinkColumnMap {
  file: V1p2CsvFile;
  table: string;
  owner: string;
  ownerFile: V1p2CsvFile;
  value: string;
  column: string;
  target: { file: V1p2CsvFile; table: string };
  unstored: string[];
}

function v1p2LinkColumnMap(file: V1p2CsvFile): V1p2LinkColumnMap {
  const def = V1P2_CSV[file];
  const value = def.columns.find(
    (c) => c.sqlColumn && c.column !== def.ownerColumn,
  );
  const target = value?.target;
  const of = target ? V1P2_CSV[target].of : null;
  const cls = of && 'class' in of ? CATALOGUE_V1P2[of.class] : undefined;
  const targetTable = cls && 'table' in cls ? (cls.table as string) : undefined;
  if (
    !def.table ||
    !def.ownerColumn ||
    !value?.sqlColumn ||
    !target ||
    !targetTable
  )
    throw new Error(`${file}.csv: not a link kept in its object's row`);
  return {
    file,
    table: def.table,
    owner: def.ownerColumn,
    ownerFile: def.columns.find((c) => c.column === def.ownerColumn)
      ?.target as V1p2CsvFile,
    value: value.column,
    column: value.sqlColumn,
    target: { file: target, table: targetTable },
    unstored: def.columns
      .filter((c) => !c.sqlColumn && !ROW_FIELDS.has(c.column))
      .map((c) => c.column),
  };
}

export const V1P2_LINK_COLUMN_MAPS = Object.fromEntries(
  V1P2_OWNER_COLUMN_FILES.map((f) => [f, v1p2LinkColumnMap(f)]),
) as Partial<Record<V1p2CsvFile, V1p2LinkColumnMap>>;

/**
 * A link file whose rows are gathered into a JSON list kept in a column of the rows of the
 * objects it links (`V1P2_GATHERED_LINK_FILES`: the learning objective links into
 * `learning_objective_set`), from the CSV binding: the objects' table, the CSV column
 * naming the object and its file, and the SQL column of the list.
 */
export interface V1p2GatheredLinkMap {
  file: ObjectiveFile;
  table: string;
  owner: string;
  ownerFile: V1p2CsvFile;
  column: string;
}

function v1p2GatheredLinkMap(file: V1p2CsvFile): V1p2GatheredLinkMap {
  const def = V1P2_CSV[file];
  const column = def.columns.find(
    (c) => c.sqlColumn && c.column !== def.ownerColumn,
  )?.sqlColumn;
  const ownerFile = def.columns.find((c) => c.column === def.ownerColumn)
    ?.target as V1p2CsvFile | undefined;
  if (
    !isObjectiveFile(file) ||
    !def.table ||
    !def.ownerColumn ||
    !column ||
    !ownerFile
  )
    throw new Error(`${file}.csv: not a link gathered into its object's row`);
  return { file, table: def.table, owner: def.ownerColumn, ownerFile, column };
}

export const V1P2_GATHERED_LINK_MAPS = Object.fromEntries(
  V1P2_GATHERED_LINK_FILES.map((f) => [f, v1p2GatheredLinkMap(f)]),
) as Partial<Record<V1p2CsvFile, V1p2GatheredLinkMap>>;

/** The table map of a file of either binding stored by the importer. */
export const tableMapOf = (file: AnyCsvFile): TableMap =>
  (TABLE_MAPS as Partial<Record<AnyCsvFile, TableMap>>)[file] ??
  (V1P2_TABLE_MAPS[file as V1p2CsvFile] as TableMap);

/** A OneRoster record in the form both directions share. */
export interface CsvRecordData {
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  dateLastModified: Date;
  values: Record<string, CsvValue>;
  metadata: Record<string, unknown> | null;
}

/** The database value of one CSV value (the codec of @oneroster/database converts). */
export function toDb(
  storage: Storage,
  v: CsvValue,
  keys?: readonly string[],
): unknown {
  if (v === null || v === undefined) return null;
  switch (storage) {
    case 'pairs':
      return Array.isArray(v) && v.length > 0
        ? encodeJson(pairs(v as PairValue[], keys))
        : null;
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

/** The database value of a column of a record (an `object` column: of its parts). */
export function columnToDb(
  c: ColumnMap,
  values: Record<string, CsvValue>,
): unknown {
  if (!c.parts) return toDb(c.storage, values[c.csv], c.keys);
  const o: Record<string, string> = {};
  for (const p of c.parts) {
    const v = values[p.csv];
    if (v !== null && v !== undefined && v !== '') o[p.key] = String(v);
  }
  return Object.keys(o).length ? encodeJson([o]) : null;
}

/** A column's CSV values from its database value (an `object` column: each part's). */
export function columnFromDb(
  c: ColumnMap,
  v: unknown,
  values: Record<string, CsvValue>,
): void {
  if (!c.parts) {
    values[c.csv] = fromDb(c.storage, v, c.keys);
    return;
  }
  const [o] =
    v === null || v === undefined
      ? []
      : (decodeList<Record<string, unknown>>(v) ?? []);
  for (const p of c.parts) {
    const x = o?.[p.key];
    values[p.csv] = x === null || x === undefined ? null : String(x);
  }
}

/** The CSV value of one database value. */
export function fromDb(
  storage: Storage,
  v: unknown,
  keys?: readonly string[],
): CsvValue {
  if (v === null || v === undefined) return null;
  switch (storage) {
    case 'pairs':
      return pairs(decodeList<PairValue>(v) ?? [], keys);
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

/** Items of a `pairs` value with exactly their two fields, in the binding's order. */
function pairs(list: PairValue[], keys?: readonly string[]): PairValue[] {
  const [a, b] = keys ?? [];
  return a && b
    ? list.map((x) => ({ [a]: String(x[a] ?? ''), [b]: String(x[b] ?? '') }))
    : list;
}

/**
 * The CSV text of one value (§8.1 lists, `{type:identifier}` userIds, 1.2 `{first:second}`
 * pairs, true/false).
 */
export function cellText(v: CsvValue): string | string[] {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v))
    return (v as (string | UserIdValue | PairValue)[]).map((x) =>
      typeof x === 'string' ? x : `{${Object.values(x).join(':')}}`,
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
  for (const c of map.columns)
    for (const csv of c.parts ? c.parts.map((p) => p.csv) : [c.csv]) {
      const t = cellText(values[csv]);
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
