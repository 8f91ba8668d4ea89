import {
  V1P2_CSV,
  V1P2_CSV_FILE_NAMES,
  V1P2_OBJECTS,
  v1p2CsvField,
  type V1p2CsvColumnDef,
  type V1p2CsvFileDef,
  type V1p2CsvFileName,
} from '@oneroster/oneroster-catalogue';
import type { ColumnKind, ColumnSpec } from './binding';

/**
 * The OneRoster 1.2 CSV binding (1.2.1): the 21 data files, their exact headers in order and
 * what each column holds, derived from the 1.2 projection of the catalogue
 * (@oneroster/oneroster-catalogue csv-v1p2.ts) as the 1.1 binding is from the 1.1 one.
 * Columns read like 1.1 ones; `extensible` vocabularies also take `ext:<name>` values.
 */

export type V1p2CsvFile = V1p2CsvFileName;

/** The 21 data files in manifest (alphabetical) order. */
export const V1P2_CSV_FILES: readonly V1p2CsvFile[] = V1P2_CSV_FILE_NAMES;

/** The files whose data the platform stores (imported and written on export). */
export const V1P2_STORED_FILES: readonly V1p2CsvFile[] =
  V1P2_CSV_FILE_NAMES.filter((f) => V1P2_CSV[f].stored !== false);

/**
 * The files of 1.2-only data stored as 1.2 in tables of their own (`stored: 'v1p2'`:
 * scoreScales, userResources): they
 * travel beside the 1.1 set a 1.2 set is read as, and the importer writes them into their
 * tables (data-access-csv `V1P2_TABLE_MAPS`).
 */
export const V1P2_OWN_TABLE_FILES: readonly V1p2CsvFile[] =
  V1P2_CSV_FILE_NAMES.filter(
    (f) => V1P2_CSV[f].stored === 'v1p2' && !V1P2_CSV[f].ownerColumn,
  );

/**
 * The link files stored in a column of the rows of the objects they link (`ownerColumn`:
 * lineItemScoreScales, resultScoreScales). The 1.2 → 1.1 conversion reads them before the
 * objects' files (each object row takes its link), and they travel beside the 1.1 set too:
 * the importer checks every link and applies those whose object is not in the set.
 */
export const V1P2_OWNER_COLUMN_FILES: readonly V1p2CsvFile[] =
  V1P2_CSV_FILE_NAMES.filter(
    (f) =>
      V1P2_CSV[f].stored === 'v1p2' &&
      !!V1P2_CSV[f].ownerColumn &&
      !V1P2_CSV[f].gathered,
  );

/**
 * The link files whose rows are gathered into a JSON list kept in the rows of the objects
 * they link (`gathered`: lineItemLearningObjectiveIds, resultLearningObjectiveIds, into
 * `learning_objective_set`). Read by the 1.2 → 1.1 conversion before the objects' files
 * (each object row takes its whole list) and travelling beside the 1.1 set, as the score
 * scale links do.
 */
export const V1P2_GATHERED_LINK_FILES: readonly V1p2CsvFile[] =
  V1P2_CSV_FILE_NAMES.filter(
    (f) => V1P2_CSV[f].stored === 'v1p2' && !!V1P2_CSV[f].gathered,
  );

/** The files of data new in 1.2 with no storage yet: accepted on import, not written on export. */
export const V1P2_NOT_STORED_FILES: readonly V1p2CsvFile[] =
  V1P2_CSV_FILE_NAMES.filter((f) => V1P2_CSV[f].stored === false);

export const isV1p2CsvFile = (name: string): name is V1p2CsvFile =>
  (V1P2_CSV_FILES as readonly string[]).includes(name);

function kindOf(
  name: string,
  type: string | undefined,
  list: boolean,
): ColumnKind {
  if (name === 'sourcedId') return 'id';
  if (name === 'status' || name === 'dateLastModified') return name;
  switch (type) {
    case 'guidRef':
      return list ? 'refs' : 'ref';
    case 'userIds':
      return 'userIds';
    case 'pairs':
      return 'pairs';
  }
  if (list) return 'list';
  switch (type) {
    case 'dateTime':
      return 'dateOrDateTime';
    case 'number':
      return 'float';
    case 'stringBoolean':
      return 'boolean';
    case 'year':
    case 'date':
    case 'enum':
      return type;
    default:
      return 'string';
  }
}

function columnSpec(file: V1p2CsvFileDef, c: V1p2CsvColumnDef): ColumnSpec {
  const field = v1p2CsvField(file, c);
  const type = c.type ?? field?.type;
  const list = !!(c.list ?? field?.list);
  const kind = kindOf(c.column, type, list);
  const values = kind === 'enum' || kind === 'list' ? field?.values : undefined;
  // A `pairs` column's items are the nested object's two fields, in order.
  const keys =
    kind === 'pairs' && field?.of
      ? V1P2_OBJECTS[field.of].fields.map((x) => x.name)
      : undefined;
  return {
    name: c.column,
    kind,
    ...(keys ? { keys } : {}),
    required: c.required,
    ...(values ? { values } : {}),
    ...(values && field?.extensible ? { extensible: true } : {}),
    ...(c.target ? { target: c.target } : {}),
  };
}

export const V1P2_CSV_COLUMNS = Object.fromEntries(
  V1P2_CSV_FILES.map((f) => [
    f,
    V1P2_CSV[f].columns.map((c) => columnSpec(V1P2_CSV[f], c)),
  ]),
) as unknown as Record<V1p2CsvFile, readonly ColumnSpec[]>;

/** The exact 1.2 header row of each file, in order. */
export const V1P2_CSV_HEADERS = Object.fromEntries(
  V1P2_CSV_FILES.map((f) => [f, V1P2_CSV_COLUMNS[f].map((c) => c.name)]),
) as unknown as Record<V1p2CsvFile, readonly string[]>;

/**
 * Dependency order of the stored files on import: a file only refers to files before it,
 * roles.csv before users.csv (a 1.1 user row takes its role and orgs from it), the score
 * scale links after the score scales they name (the conversion reads them before lineItems
 * and results all the same: V1P2_OWNER_COLUMN_FILES).
 */
export const V1P2_DEPENDENCY_ORDER: readonly V1p2CsvFile[] = [
  'orgs',
  'academicSessions',
  'categories',
  'resources',
  'courses',
  'classes',
  'roles',
  'users',
  'demographics',
  'enrollments',
  'lineItems',
  'results',
  'classResources',
  'courseResources',
  'scoreScales',
  'lineItemScoreScales',
  'resultScoreScales',
  'lineItemLearningObjectiveIds',
  'resultLearningObjectiveIds',
  'userResources',
  'userProfiles',
];
