import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type EntityMetadata } from 'typeorm';
import * as reader from '@oneroster/data-access-oneroster';
import type { ResourceDef } from '@oneroster/data-access-oneroster';
import { TABLE_MAPS, type Storage } from '@oneroster/data-access-csv/testing';
import {
  ONEROSTER_ENTITIES,
  ONEROSTER_V1P2_ENTITIES,
} from '@oneroster/entities';
import {
  CLASSES,
  CSV_FILE_NAMES,
  csvColumn,
  csvFields,
  csvHeader,
  refTarget,
  restFields,
  v1p2StoredFields,
  V1P2_CLASSES,
  V1P2_CSV,
  V1P2_CSV_FILE_NAMES,
  v1p2FieldNames,
  type ClassDef,
  type FieldDef,
} from '@oneroster/oneroster-catalogue';
import {
  CSV_COLUMNS,
  CSV_FILES,
  CSV_HEADERS,
  type ColumnKind,
} from '@oneroster/util-oneroster-csv';

/*
 * The OneRoster 1.1 catalogue (@oneroster/oneroster-catalogue) agrees with what is still
 * written by hand: the TypeORM entities, the CSV binding (binding.ts), the CSV-to-table map
 * (tables.ts) and the scopes of the routes (the OpenAPI document's security requirements).
 * The reader's field tables (resources.ts) and the Swagger schemas (the DTO classes, hence
 * the committed apps/api/openapi.json) are built from the catalogue; for them it is only
 * checked that no field is lost on the way. Each check lists every disagreement as
 * `<class>.<field>: …`, so that a failure names what drifted and where.
 */

const root = join(__dirname, '../..');
const BASE = ['sourcedId', 'status', 'dateLastModified', 'metadata'];
const isBase = (f: FieldDef) => BASE.includes(f.name);
const at = (c: ClassDef, f: FieldDef | string) =>
  `${c.key}.${typeof f === 'string' ? f : f.name}`;
const same = (a: readonly unknown[] | undefined, b: readonly unknown[]) =>
  JSON.stringify(a ?? []) === JSON.stringify(b);

describe('the OneRoster 1.1 catalogue matches', () => {
  let ds: DataSource;
  const meta = new Map<string, EntityMetadata>();

  beforeAll(async () => {
    // An in-memory database only to let TypeORM build the entities' metadata
    // (inherited columns included), exactly as the apps see them.
    ds = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [...ONEROSTER_ENTITIES, ...ONEROSTER_V1P2_ENTITIES],
    });
    await ds.initialize();
    for (const m of ds.entityMetadatas) meta.set(m.tableName, m);
  });

  afterAll(() => ds.destroy());

  const nullable = (c: ClassDef, f: FieldDef): boolean | undefined => {
    const s = f.store;
    return s.kind === 'column'
      ? meta.get(c.table)?.columns.find((x) => x.databaseName === s.column)
          ?.isNullable
      : undefined;
  };

  it('the entities (table, property and column of each field, link tables)', () => {
    const problems: string[] = [];
    for (const c of CLASSES) {
      const m = meta.get(c.table);
      if (!m) {
        problems.push(`${c.key}: no entity has the table ${c.table}`);
        continue;
      }
      if (m.name !== c.entity)
        problems.push(
          `${c.key}: table ${c.table} is ${m.name}, not ${c.entity}`,
        );
      const claimed = new Set(['school_id']);
      for (const f of c.fields) {
        const s = f.store;
        if (s.kind === 'column') {
          claimed.add(s.column);
          const column = m.columns.find((x) => x.databaseName === s.column);
          if (!column) {
            problems.push(`${at(c, f)}: ${c.entity} has no column ${s.column}`);
            continue;
          }
          if (column.propertyName !== s.property)
            problems.push(
              `${at(c, f)}: column ${s.column} is property ${column.propertyName} of ${c.entity}, not ${s.property}`,
            );
          // A column the CSV file requires is NOT NULL, an optional one nullable.
          if (f.csv && !isBase(f) && column.isNullable === f.csv.required)
            problems.push(
              `${at(c, f)}: column ${s.column} is ${column.isNullable ? 'nullable' : 'NOT NULL'} but the CSV column is ${f.csv.required ? 'required' : 'optional'}`,
            );
        } else {
          const t = meta.get(s.table);
          const wanted = [
            s.owner,
            s.value,
            ...(s.kind === 'link' ? [s.order] : []),
          ];
          for (const w of wanted)
            if (!t?.columns.some((x) => x.databaseName === w))
              problems.push(`${at(c, f)}: table ${s.table} has no column ${w}`);
          if (s.kind === 'link') {
            if (t && t.name !== s.entity)
              problems.push(
                `${at(c, f)}: table ${s.table} is ${t.name}, not ${s.entity}`,
              );
            for (const [column, property] of [
              [s.owner, s.ownerProperty],
              [s.value, s.valueProperty],
            ]) {
              const x = t?.columns.find((y) => y.databaseName === column);
              if (x && x.propertyName !== property)
                problems.push(
                  `${at(c, f)}: ${s.table}.${column} is property ${x.propertyName}, not ${property}`,
                );
            }
          }
        }
      }
      // A required field the table may leave empty is emitted anyway ('' or []), §5.
      for (const f of restFields(c)) {
        const mayBeEmpty = f.list === true || nullable(c, f) === true;
        if (Boolean(f.emitEmpty) !== (f.required && mayBeEmpty))
          problems.push(
            `${at(c, f)}: emitEmpty ${Boolean(f.emitEmpty)}, but the field is ${f.required ? 'required' : 'optional'} and ${mayBeEmpty ? 'may' : 'cannot'} be empty`,
          );
      }
      for (const column of m.columns)
        if (!claimed.has(column.databaseName))
          problems.push(
            `${at(c, column.propertyName)}: ${c.entity} has column ${column.databaseName}, which the catalogue lacks`,
          );
    }
    expect(problems).toEqual([]);
  });

  it('the reader (resources.ts: a definition for every REST class, every REST field in order)', () => {
    const defs = Object.values(reader).filter(
      (v): v is ResourceDef =>
        typeof v === 'object' &&
        v !== null &&
        'collection' in v &&
        'fields' in v &&
        'table' in v,
    );
    const problems: string[] = [];
    for (const d of defs) {
      if (CLASSES.some((c) => c.rest && c.key === d.name)) continue;
      // The 1.2 classes with no 1.1 counterpart, stored as 1.2: their 1.2 fields in order.
      const v1p2 = V1P2_CLASSES.find((c) => !c.from && c.key === d.name);
      if (!v1p2) {
        problems.push(`${d.name}: the reader serves it, the catalogue not`);
        continue;
      }
      const want = v1p2FieldNames(v1p2);
      const got = d.fields.map((f) => f.name);
      if (!same(got, want))
        problems.push(
          `${d.name}: the reader serves ${got.join(',')}, the 1.2 catalogue ${want.join(',')}`,
        );
      // A class the 1.2 catalogue stores (its `table`, each field's `column`): the reader
      // reads the same table and columns, and the table's entity has them.
      if (!('table' in v1p2) || !v1p2.table) continue;
      if (d.table !== v1p2.table)
        problems.push(
          `${d.name}: the reader reads ${d.table}, the 1.2 catalogue stores it in ${v1p2.table}`,
        );
      const m = meta.get(v1p2.table);
      for (const f of v1p2.fields) {
        const column = (f as { column?: string }).column;
        if (!column) continue;
        const r = d.fields.find((x) => x.name === f.name);
        if (r?.column !== column)
          problems.push(
            `${d.name}.${f.name}: the reader reads ${r?.column}, the 1.2 catalogue ${column}`,
          );
        if (!m?.columns.some((x) => x.databaseName === column))
          problems.push(
            `${d.name}.${f.name}: table ${v1p2.table} has no column ${column}`,
          );
      }
    }
    for (const c of CLASSES) {
      if (!c.rest) continue;
      const def = defs.find((d) => d.name === c.key);
      if (!def) {
        problems.push(`${c.key}: the reader has no resource definition`);
        continue;
      }
      const want = restFields(c).map((f) => f.name);
      const got = def.fields.map((f) => f.name);
      if (!same(got, want))
        problems.push(
          `${c.key}: the reader serves ${got.join(',')}, the catalogue ${want.join(',')}`,
        );
    }
    expect(problems).toEqual([]);
  });

  it.each([
    ['user', 'USER_V1P2_RESOURCE'],
    ['category', 'CATEGORY_V1P2_RESOURCE'],
    ['lineItem', 'LINE_ITEM_V1P2_RESOURCE'],
    ['result', 'RESULT_V1P2_RESOURCE'],
  ] as const)(
    'the 1.2 reader of %s (%s: the REST fields, then the fields stored for 1.2 only, nullable columns)',
    (key, name) => {
      const c = CLASSES.find((x) => x.key === key) as ClassDef;
      expect(v1p2StoredFields(c).length).toBeGreaterThan(0);
      const want = [...restFields(c), ...v1p2StoredFields(c)].map((f) => [
        f.name,
        f.store.kind === 'column' ? f.store.column : null,
      ]);
      const got = reader[name].fields.map((f) => [f.name, f.column ?? null]);
      expect(got).toEqual(want);
      for (const f of v1p2StoredFields(c))
        if (f.store.kind === 'column')
          expect(
            meta
              .get(c.table)
              ?.columns.find(
                (x) =>
                  x.databaseName === (f.store as { column: string }).column,
              )?.isNullable,
          ).toBe(true);
    },
  );

  it('the Swagger schemas (apps/api/openapi.json: every REST field in order, required ones)', () => {
    interface Schema {
      required?: string[];
      properties?: Record<string, unknown>;
    }
    const doc = JSON.parse(
      readFileSync(join(root, 'apps/api/openapi.json'), 'utf8'),
    ) as { components: { schemas: Record<string, Schema> } };
    const problems: string[] = [];
    for (const c of CLASSES) {
      if (!c.rest) continue;
      const schema = doc.components.schemas[c.rest.schema];
      if (!schema) {
        problems.push(`${c.key}: openapi.json has no schema ${c.rest.schema}`);
        continue;
      }
      const fields = restFields(c);
      const got = Object.keys(schema.properties ?? {});
      const want = fields.map((f) => f.name);
      if (!same(got, want))
        problems.push(
          `${c.key}: ${c.rest.schema} has ${got.join(',')}, the catalogue ${want.join(',')}`,
        );
      const required = fields.filter((f) => f.required).map((f) => f.name);
      if (!same(schema.required, required))
        problems.push(
          `${c.key}: ${c.rest.schema} requires ${schema.required?.join(',')}, the catalogue ${required.join(',')}`,
        );
    }
    expect(problems).toEqual([]);
  });

  it('the scopes of the routes (openapi.json security: base, relationship, write routes)', () => {
    interface Operation {
      security?: Record<string, string[]>[];
      responses?: Record<
        string,
        { content?: Record<string, { schema?: { $ref?: string } }> }
      >;
    }
    interface Schema {
      properties?: Record<
        string,
        {
          $ref?: string;
          items?: { $ref?: string };
          allOf?: { $ref?: string }[];
        }
      >;
    }
    const doc = JSON.parse(
      readFileSync(join(root, 'apps/api/openapi.json'), 'utf8'),
    ) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    const name = (ref?: string) => ref?.split('/').pop();
    /** The class an operation answers with, from the objects its envelope holds. */
    const answered = (op: Operation): ClassDef | undefined => {
      const ok = op.responses?.['200'] ?? op.responses?.['201'];
      const envelope = name(ok?.content?.['application/json']?.schema?.$ref);
      const props = doc.components.schemas[envelope ?? '']?.properties ?? {};
      const inner = Object.values(props).map((p) =>
        name(p.$ref ?? p.items?.$ref ?? p.allOf?.[0]?.$ref),
      );
      return CLASSES.find((c) => c.rest && inner.includes(c.rest.schema));
    };
    const prefix = '/ims/oneroster/v1p1/';
    const problems: string[] = [];
    let routes = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith(prefix)) continue;
      const segments = path.slice(prefix.length).split('/');
      const base =
        segments.length === 1 ||
        (segments.length === 2 && segments[1].startsWith('{'));
      for (const [method, op] of Object.entries(ops)) {
        const c =
          method === 'delete'
            ? CLASSES.find((x) => x.rest?.collection === segments[0])
            : answered(op);
        if (!c) {
          problems.push(
            `${method.toUpperCase()} ${path}: answers no catalogue class`,
          );
          continue;
        }
        routes++;
        const want =
          method === 'get'
            ? base
              ? c.scopes.read
              : c.scopes.relationships
            : method === 'put'
              ? c.scopes.createPut
              : method === 'delete'
                ? c.scopes.delete
                : undefined;
        const got = (op.security ?? []).flatMap((r) => Object.values(r).flat());
        if (!same([...got].sort(), [...(want ?? [])].sort()))
          problems.push(
            `${c.key}: ${method.toUpperCase()} ${path} requires ${got.join(' or ') || 'nothing'}, the catalogue ${want?.join(' or ') ?? 'no such route'}`,
          );
      }
    }
    expect(problems).toEqual([]);
    // Every OneRoster route (41 rostering, 16 gradebook, 4 resources) was looked at.
    expect(routes).toBeGreaterThanOrEqual(61);
  });

  it('the CSV binding (binding.ts: files, headers in order, kinds, requiredness)', () => {
    const kindOf = (f: FieldDef): ColumnKind =>
      f.name === 'sourcedId'
        ? 'id'
        : f.name === 'status' || f.name === 'dateLastModified'
          ? f.name
          : f.type === 'guidRef'
            ? f.list
              ? 'refs'
              : 'ref'
            : f.type === 'userId'
              ? 'userIds'
              : f.list
                ? 'list'
                : f.type === 'dateTime'
                  ? 'dateOrDateTime'
                  : f.type === 'number'
                    ? 'float'
                    : f.type === 'metadata'
                      ? 'string'
                      : f.type;
    const problems: string[] = [];
    if (!same(CSV_FILES, CSV_FILE_NAMES))
      problems.push(
        `CSV files: binding ${CSV_FILES.join(',')}, catalogue ${CSV_FILE_NAMES.join(',')}`,
      );
    for (const c of CLASSES) {
      if (!c.csv) continue;
      const file = c.csv.file;
      const header = CSV_HEADERS[file] ?? [];
      const mine = csvHeader(file);
      for (let i = 0; i < Math.max(header.length, mine.length); i++)
        if (header[i] !== mine[i])
          problems.push(
            `${at(c, csvFields(c)[i]?.name ?? String(header[i]))}: column ${i + 1} of ${file}.csv is ${header[i]} in binding.ts, ${mine[i]} in the catalogue`,
          );
      for (const f of csvFields(c)) {
        const column = csvColumn(f).column;
        const b = (CSV_COLUMNS[file] ?? []).find((x) => x.name === column);
        if (!b) continue;
        if (b.kind !== kindOf(f))
          problems.push(
            `${at(c, f)}: ${file}.${column} is ${b.kind} in binding.ts, ${kindOf(f)} in the catalogue`,
          );
        if (Boolean(b.required) !== csvColumn(f).required)
          problems.push(
            `${at(c, f)}: ${file}.${column} is ${b.required ? 'required' : 'optional'} in binding.ts`,
          );
        // The binding's `status` kind knows its vocabulary (StatusType) itself.
        if (
          b.kind !== 'status' &&
          (f.values || b.values) &&
          !same(b.values, f.values ?? [])
        )
          problems.push(
            `${at(c, f)}: ${file}.${column} allows ${b.values?.join('|')} in binding.ts, ${f.values?.join('|')} in the catalogue`,
          );
        if (f.type === 'guidRef' && b.target !== refTarget(f).csv?.file)
          problems.push(
            `${at(c, f)}: ${file}.${column} points to ${b.target} in binding.ts, ${refTarget(f).csv?.file} in the catalogue`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('the CSV-to-table map (tables.ts: table, columns, storage, link tables)', () => {
    const storageOf = (f: FieldDef): Storage =>
      f.list || f.type === 'userId'
        ? 'json'
        : f.type === 'boolean'
          ? 'bool'
          : f.type === 'number'
            ? 'float'
            : f.type === 'dateTime'
              ? 'instant'
              : 'text';
    const problems: string[] = [];
    for (const c of CLASSES) {
      if (!c.csv) continue;
      const map = TABLE_MAPS[c.csv.file];
      if (!map) {
        problems.push(`${c.key}: tables.ts has no map for ${c.csv.file}.csv`);
        continue;
      }
      if (map.table !== c.table)
        problems.push(
          `${c.key}: tables.ts writes ${c.csv.file}.csv to ${map.table}, the catalogue to ${c.table}`,
        );
      const fields = csvFields(c).filter((f) => !isBase(f));
      const columns = fields
        .filter((f) => f.store.kind === 'column')
        .map((f) => ({
          csv: csvColumn(f).column,
          db: f.store.kind === 'column' ? f.store.column : '',
          storage: storageOf(f),
        }));
      const links = fields.flatMap((f) =>
        f.store.kind === 'link'
          ? [
              {
                csv: csvColumn(f).column,
                table: f.store.table,
                owner: f.store.owner,
                target: f.store.value,
              },
            ]
          : [],
      );
      // The fields stored for OneRoster 1.2 only: columns named `v1p2.<entity property>`.
      for (const f of v1p2StoredFields(c))
        if (f.store.kind === 'column')
          columns.push({
            csv: `v1p2.${f.store.property}`,
            db: f.store.column,
            storage: storageOf(f),
          });
      const name = (csv: string) =>
        fields.find((f) => f.csv?.column === csv)?.name ?? csv;
      const compare = (
        what: string,
        got: object[],
        want: { csv: string }[],
      ) => {
        const key = (o: object) => JSON.stringify(o);
        for (const w of want)
          if (!got.some((g) => key(g) === key(w)))
            problems.push(
              `${at(c, name(w.csv))}: tables.ts ${what} ${JSON.stringify(got.find((g) => (g as { csv: string }).csv === w.csv) ?? null)}, the catalogue ${key(w)}`,
            );
        for (const g of got as { csv: string }[])
          if (!want.some((w) => w.csv === g.csv))
            problems.push(
              `${at(c, name(g.csv))}: tables.ts ${what} ${key(g)}, which the catalogue lacks`,
            );
      };
      compare('column', map.columns, columns);
      compare('link', map.links, links);
    }
    expect(problems).toEqual([]);
  });
  it('the 1.2 link files stored as 1.2 (csv-v1p2.ts: table, SQL columns, requiredness)', () => {
    // A file with no class stored as 1.2 (userResources, the score scale and learning
    // objective links) names its table and columns in the CSV binding; its entity has them,
    // a required column NOT NULL, an optional one nullable; a gathered link file's columns
    // besides its owner all make the one JSON list of one column.
    const problems: string[] = [];
    let files = 0;
    for (const file of V1P2_CSV_FILE_NAMES) {
      const def = V1P2_CSV[file];
      if (def.stored !== 'v1p2' || def.of) continue;
      files++;
      const m = def.table ? meta.get(def.table) : undefined;
      if (!m) {
        problems.push(`${file}.csv: no entity has table ${def.table}`);
        continue;
      }
      for (const c of def.columns) {
        if (!c.sqlColumn) continue;
        const col = m.columns.find((x) => x.databaseName === c.sqlColumn);
        if (!col)
          problems.push(
            `${file}.${c.column}: table ${def.table} has no column ${c.sqlColumn}`,
          );
        // A link kept in its object's row (ownerColumn): the value column is NULL when the
        // object has no link, whatever the link file requires.
        else if (
          def.ownerColumn && c.column !== def.ownerColumn
            ? !col.isNullable
            : col.isNullable === c.required
        )
          problems.push(
            `${file}.${c.column}: ${c.sqlColumn} is ${col.isNullable ? '' : 'NOT '}NULL, the binding says ${c.required ? 'required' : 'optional'}${def.ownerColumn ? ` (a link kept in ${def.table})` : ''}`,
          );
      }
      if (def.gathered) {
        const lists = new Set(
          def.columns
            .filter((c) => c.sqlColumn && c.column !== def.ownerColumn)
            .map((c) => c.sqlColumn),
        );
        if (lists.size !== 1)
          problems.push(
            `${file}.csv: gathered into ${[...lists].join(', ')}, not one column`,
          );
      }
    }
    expect(files).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
