import { GUID_TYPES } from '@oneroster/contracts';
import { CATALOGUE } from './catalogue';
import {
  CLASSES,
  classOfCsvFile,
  csvHeader,
  restFields,
  v1p2StoredFields,
  type CsvColumnName,
  type FieldName,
  type RestFieldName,
} from './derive';
import { CATALOGUE_V1P2 } from './catalogue-v1p2';
import { CLASS_KEYS, CSV_FILE_NAMES } from './model';

/*
 * The catalogue is consistent with itself. Agreement with the code that projects it (entities,
 * reader, OpenAPI schemas, CSV binding, CSV-to-table map) is checked in
 * tools/workspace-checks/catalogue-drift.spec.ts, which may import those libraries.
 */
describe('OneRoster 1.1 catalogue', () => {
  it('has one definition per class key, under its own key', () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...CLASS_KEYS].sort());
    for (const k of CLASS_KEYS) expect(CATALOGUE[k].key).toBe(k);
  });

  it('keeps the fields stored for 1.2 only out of the 1.1 JSON and CSV, in a column, read by a 1.2 field', () => {
    const problems: string[] = [];
    for (const c of CLASSES)
      for (const f of v1p2StoredFields(c)) {
        const at = `${c.key}.${f.name}`;
        if (f.rest !== false) problems.push(`${at}: published by 1.1`);
        if (f.csv) problems.push(`${at}: in the 1.1 CSV file`);
        if (f.store.kind !== 'column') problems.push(`${at}: not a column`);
        if (f.required) problems.push(`${at}: required`);
        const readers = Object.values(CATALOGUE_V1P2).filter(
          (k) =>
            k.from === c.key &&
            k.fields.some((x) =>
              x.from.kind === 'same'
                ? x.from.field === f.name
                : x.from.kind === 'derived' && x.from.fields.includes(f.name),
            ),
        );
        if (!readers.length) problems.push(`${at}: no 1.2 field reads it`);
      }
    expect(problems).toEqual([]);
    expect(v1p2StoredFields(CATALOGUE.user).map((f) => f.name)).toEqual([
      'userMasterIdentifier',
      'preferredFirstName',
      'preferredMiddleName',
      'preferredLastName',
      'pronouns',
      'primaryOrg',
    ]);
  });

  it('gives every CSV file of the binding to exactly one class', () => {
    const files = CLASSES.flatMap((c) => (c.csv ? [c.csv.file] : []));
    expect(files.sort()).toEqual([...CSV_FILE_NAMES].sort());
  });

  it('lists each CSV-carried field exactly once in its file order, and only those', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      const withCsv = c.fields.filter((f) => f.csv).map((f) => f.name);
      const order = c.csv?.order ?? [];
      for (const n of order)
        if (!withCsv.includes(n))
          problems.push(`${c.key}.${n}: in the CSV order but has no column`);
      for (const n of withCsv)
        if (order.filter((o) => o === n).length !== 1)
          problems.push(
            `${c.key}.${n}: has a column but is not once in the order`,
          );
    }
    expect(problems).toEqual([]);
  });

  it('types every field coherently (GUIDRefs name a class, enums a vocabulary)', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      const names = c.fields.map((f) => f.name);
      if (new Set(names).size !== names.length)
        problems.push(`${c.key}: duplicate field names`);
      for (const f of c.fields) {
        const at = `${c.key}.${f.name}`;
        if ((f.type === 'guidRef') !== Boolean(f.ref))
          problems.push(`${at}: ref only and always on a GUIDRef`);
        if (f.ref && !CATALOGUE[f.ref].rest)
          problems.push(`${at}: points to ${f.ref}, which has no GUIDRef type`);
        if ((f.type === 'enum') !== Boolean(f.values?.length))
          problems.push(`${at}: values only and always on an enum`);
        if (f.nonEmpty && !(f.list && f.required))
          problems.push(`${at}: nonEmpty only on a required list`);
        if (f.store.kind !== 'column' && !(f.list && f.type === 'guidRef'))
          problems.push(`${at}: only GUIDRef lists live outside the table`);
        if (f.store.kind === 'reverse' && f.csv)
          problems.push(`${at}: a derived list has no CSV column`);
        if (f.emitEmpty && !f.required)
          problems.push(`${at}: only a required field is emitted when empty`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every REST class a GUIDRef type of 1.1 and a collection', () => {
    for (const c of CLASSES.filter((x) => x.rest)) {
      expect(GUID_TYPES).toContain(c.rest?.guidType);
      expect(c.rest?.collection).toMatch(/^[a-z][A-Za-z]+$/);
    }
  });

  it('documents every REST field (the OpenAPI description), examples only where they fit', () => {
    const problems: string[] = [];
    for (const c of CLASSES)
      for (const f of restFields(c)) {
        const at = `${c.key}.${f.name}`;
        if (!f.doc?.trim()) problems.push(`${at}: no documentation`);
        if (f.example !== undefined) {
          if (f.type === 'guidRef' || f.type === 'userId')
            problems.push(`${at}: an example of a nested object`);
          if (Array.isArray(f.example) !== Boolean(f.list))
            problems.push(`${at}: the example is not of the field's shape`);
          if (
            f.values &&
            ![f.example].flat().every((v) => f.values?.includes(String(v)))
          )
            problems.push(`${at}: the example is not in the vocabulary`);
        }
      }
    expect(problems).toEqual([]);
  });

  it('derives the 1.1 header of a file in order, and REST fields without CSV-only ones', () => {
    expect(csvHeader('orgs')).toEqual([
      'sourcedId',
      'status',
      'dateLastModified',
      'name',
      'type',
      'identifier',
      'parentSourcedId',
    ]);
    expect(classOfCsvFile('classResources').key).toBe('classResource');
    expect(restFields(CATALOGUE.user).map((f) => f.name)).not.toContain(
      'password',
    );
    expect(restFields(CATALOGUE.classResource)).toEqual([]);
  });

  it('names fields, JSON properties and CSV columns in its helper types', () => {
    const field: FieldName<'user'> = 'password';
    const column: CsvColumnName<'class'> = 'termSourcedIds';
    const prop: RestFieldName<'user'> = 'orgs';
    // @ts-expect-error password is never published by the REST API
    const hidden: RestFieldName<'user'> = 'password';
    // @ts-expect-error children are derived, orgs.csv has no such column
    const derived: CsvColumnName<'org'> = 'children';
    // @ts-expect-error users have no such field
    const unknown: FieldName<'user'> = 'nickname';
    expect([field, column, prop, hidden, derived, unknown]).toHaveLength(6);
  });
});
