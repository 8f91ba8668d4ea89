import { CATALOGUE } from './catalogue';
import {
  CLASS_KEYS,
  type ClassDef,
  type ClassKey,
  type CsvColumnDef,
  type CsvFileName,
  type FieldDef,
} from './model';

/*
 * Projections of the catalogue that consumers derive their tables from, and the helper
 * types that name a class's fields, JSON properties and CSV columns.
 */

export type Catalogue = typeof CATALOGUE;
/** The field definitions of one class, as literal types. */
export type FieldOf<K extends ClassKey> = Catalogue[K]['fields'][number];
/** The field names of one class. */
export type FieldName<K extends ClassKey> = FieldOf<K>['name'];
/** The JSON properties the REST API publishes for one class. */
export type RestFieldName<K extends ClassKey> = Exclude<
  FieldOf<K>,
  { readonly rest: false }
>['name'];
/** The CSV columns of one class's file. */
export type CsvColumnName<K extends ClassKey> = Extract<
  FieldOf<K>,
  { readonly csv: CsvColumnDef }
>['csv']['column'];
/** The class whose CSV file is `F`. */
export type ClassOfCsvFile<F extends CsvFileName> = {
  [K in ClassKey]: Catalogue[K]['csv'] extends { readonly file: F } ? K : never;
}[ClassKey];

export const classDef = (key: ClassKey): ClassDef => CATALOGUE[key];

/** Every class, in CLASS_KEYS order. */
export const CLASSES: readonly ClassDef[] = CLASS_KEYS.map((k) => CATALOGUE[k]);

export function fieldOf(cls: ClassDef, name: string): FieldDef {
  const f = cls.fields.find((x) => x.name === name);
  if (!f) throw new Error(`${cls.key} has no field ${name}`);
  return f;
}

/** The fields the REST API publishes for a class, in JSON order (none for link records). */
export const restFields = (cls: ClassDef): readonly FieldDef[] =>
  cls.rest ? cls.fields.filter((f) => f.rest !== false) : [];

/**
 * The fields of a class stored for OneRoster 1.2 only (`v1p2`), in catalogue order: columns
 * of the class's table that neither the 1.1 JSON nor the 1.1 CSV file carries.
 */
export const v1p2StoredFields = (cls: ClassDef): readonly FieldDef[] =>
  cls.fields.filter((f) => f.v1p2 === true);

/** The fields of a class's CSV file, in header order. */
export const csvFields = (cls: ClassDef): readonly FieldDef[] =>
  cls.csv ? cls.csv.order.map((n) => fieldOf(cls, n)) : [];

/** A CSV field's column definition (throws for a field the CSV file lacks). */
export function csvColumn(f: FieldDef): CsvColumnDef {
  if (!f.csv) throw new Error(`${f.name} has no CSV column`);
  return f.csv;
}

/** The class whose CSV file is `file`. */
export function classOfCsvFile<F extends CsvFileName>(
  file: F,
): Catalogue[ClassOfCsvFile<F>] {
  const cls = CLASSES.find((c) => c.csv?.file === file);
  if (!cls) throw new Error(`no class has the CSV file ${file}`);
  return cls as Catalogue[ClassOfCsvFile<F>];
}

/** The exact 1.1 header row of a CSV file (§8.4), in order. */
export const csvHeader = (file: CsvFileName): readonly string[] =>
  csvFields(classOfCsvFile(file)).map((f) => csvColumn(f).column);

/** The class a GUIDRef field points to. */
export function refTarget(f: FieldDef): ClassDef {
  if (f.type !== 'guidRef' || !f.ref)
    throw new Error(`${f.name} is not a GUIDRef`);
  return CATALOGUE[f.ref];
}
