import {
  CSV_FILE_NAMES,
  classOfCsvFile,
  csvColumn,
  csvFields,
  refTarget,
  v1p2StoredFields,
  type CsvFileName,
  type FieldDef,
} from '@oneroster/oneroster-catalogue';

/**
 * The OneRoster 1.1 CSV binding (spec digest §8.4): the 13 data files, their exact headers
 * in order, and what each column holds. The headers, their order, requiredness, vocabularies
 * and targets are the catalogue's (@oneroster/oneroster-catalogue); every other part of the
 * CSV code is driven by this table, so a header is spelt in one place only.
 */

export type CsvFile = CsvFileName;

/** The 13 data files in manifest (alphabetical) order. */
export const CSV_FILES: readonly CsvFile[] = CSV_FILE_NAMES;

/** Appendix A dependency order: a file only refers to files before it. */
export const DEPENDENCY_ORDER: readonly CsvFile[] = [
  'orgs',
  'academicSessions',
  'categories',
  'resources',
  'courses',
  'classes',
  'users',
  'demographics',
  'enrollments',
  'lineItems',
  'results',
  'classResources',
  'courseResources',
];

export type ColumnKind =
  | 'id'
  | 'status'
  | 'dateLastModified'
  | 'string'
  | 'enum'
  | 'date'
  /** A Date in CSV; a DateTime is accepted too (lineItems.assignDate/dueDate). */
  | 'dateOrDateTime'
  | 'year'
  | 'boolean'
  | 'float'
  | 'ref'
  | 'refs'
  | 'list'
  | 'userIds'
  /** 1.2: a list of two-field nested objects, `{first:second}` items (`keys` names them). */
  | 'pairs';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  required?: boolean;
  /** Allowed values of an `enum` column, or of every element of a `list` column. */
  values?: readonly string[];
  /** A 1.2 extensible vocabulary: `ext:<name>` values are accepted too. */
  extensible?: boolean;
  /** The file a `ref`/`refs` column points into. */
  target?: string;
  /** The two field names of a `pairs` column's items. */
  keys?: readonly string[];
}

/** How the binding reads the column of a catalogue field. */
function columnKind(f: FieldDef): ColumnKind {
  if (f.name === 'sourcedId') return 'id';
  if (f.name === 'status' || f.name === 'dateLastModified') return f.name;
  if (f.type === 'guidRef') return f.list ? 'refs' : 'ref';
  if (f.type === 'userId') return 'userIds';
  if (f.list) return 'list';
  switch (f.type) {
    case 'dateTime':
      return 'dateOrDateTime';
    case 'number':
      return 'float';
    case 'year':
    case 'date':
    case 'enum':
    case 'boolean':
      return f.type;
    default:
      return 'string';
  }
}

function columnSpec(f: FieldDef): ColumnSpec {
  const kind = columnKind(f);
  const target = f.type === 'guidRef' ? refTarget(f).csv?.file : undefined;
  return {
    name: csvColumn(f).column,
    kind,
    required: csvColumn(f).required,
    // The `status` kind knows its vocabulary (StatusType) itself.
    ...(f.values && kind !== 'status' ? { values: f.values } : {}),
    ...(target ? { target } : {}),
  };
}

export const CSV_COLUMNS = Object.fromEntries(
  CSV_FILES.map((file) => [
    file,
    csvFields(classOfCsvFile(file)).map(columnSpec),
  ]),
) as unknown as Record<CsvFile, readonly ColumnSpec[]>;

/**
 * The columns a 1.1 set carries after the 1.1 ones when it is the form of a OneRoster 1.2
 * set (written by `v1p2SetToV1p1` for the importer, by the 1.2 exporter for `v1p1SetToV1p2`):
 * the class's fields stored for 1.2 only (the catalogue's `v1p2` fields: users' preferred
 * names, pronouns, master identifier, primary org; a category's weight; a line item's and a
 * result's score scale; a result's textScore and flags), read as their type says (a
 * number, a boolean), named `v1p2.<entity property>` (a name
 * neither binding uses). Never in a 1.1 file: a 1.1 set with such a header is refused
 * (`unknown_header`).
 */
export const V1P2_STORED_PREFIX = 'v1p2.';
export const V1P2_STORED_COLUMNS = Object.fromEntries(
  CSV_FILES.map((file) => [
    file,
    v1p2StoredFields(classOfCsvFile(file)).map((f): ColumnSpec => ({
      name:
        V1P2_STORED_PREFIX +
        (f.store.kind === 'column' ? f.store.property : f.name),
      kind: columnKind(f),
      required: false,
      ...(f.type === 'guidRef' ? { target: refTarget(f).csv?.file } : {}),
    })),
  ]),
) as unknown as Record<CsvFile, readonly ColumnSpec[]>;

/** The columns of a 1.1 file in the form of a 1.2 set (the 1.1 ones, then the 1.2 stored ones). */
export const V1P2_FORM_COLUMNS = Object.fromEntries(
  CSV_FILES.map((f) => [f, [...CSV_COLUMNS[f], ...V1P2_STORED_COLUMNS[f]]]),
) as unknown as Record<CsvFile, readonly ColumnSpec[]>;

/** The exact 1.1 header row of each file, in order. */
export const CSV_HEADERS = Object.fromEntries(
  CSV_FILES.map((f) => [f, CSV_COLUMNS[f].map((c) => c.name)]),
) as unknown as Record<CsvFile, readonly string[]>;

/** Extension columns (§8.1): `metadata.<name>`, to the right of the defined columns. */
export const METADATA_PREFIX = 'metadata.';

export const isCsvFile = (name: string): name is CsvFile =>
  (CSV_FILES as readonly string[]).includes(name);
