import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  CSV_FILES,
  CsvFile,
  csvLine,
  type V1p2CsvFile,
} from '@oneroster/util-oneroster-csv';
import { readRecords } from '../records';
import { fingerprint, tableMapOf, V1P2_TABLE_MAPS } from '../tables';
import { FIXTURE_COUNTS_FILE, FIXTURES_ENV, FixtureSet } from './fixture-sets';

/** The folder of a generated fixture set; fails (never skips) when it is not there. */
export function fixtureDir(name: FixtureSet): string {
  const root = process.env[FIXTURES_ENV];
  const dir = root ? join(root, name) : '';
  if (!root || !existsSync(join(dir, 'manifest.csv')))
    throw new Error(
      `CSV fixture set "${name}" is missing: run the tests through libs/shared/data-access-csv/jest.config.cts, whose globalSetup generates it`,
    );
  return dir;
}

/** Rows per file of a fixture set, as the generator wrote them. */
export function fixtureCounts(name: FixtureSet): Record<CsvFile, number> {
  fixtureDir(name);
  const all = JSON.parse(
    readFileSync(
      join(process.env[FIXTURES_ENV] as string, FIXTURE_COUNTS_FILE),
      'utf8',
    ),
  ) as Record<FixtureSet, Record<CsvFile, number>>;
  return all[name];
}

/** The files of a set that have rows, with their row counts. */
export function nonEmptyCounts(
  name: FixtureSet,
): Partial<Record<CsvFile, number>> {
  return Object.fromEntries(
    Object.entries(fixtureCounts(name)).filter(([, n]) => n > 0),
  );
}

/** A writable copy of a fixture set. */
export function copyFixture(name: FixtureSet): string {
  const dir = mkdtempSync(join(tmpdir(), `or-csv-${name}-`));
  cpSync(fixtureDir(name), dir, { recursive: true });
  return dir;
}

/** RFC 4180 records of a whole text (test helper: the files are small). */
export function splitCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/**
 * Edits one file of a copied set as records of named fields (row 0 = header, so row i is
 * on line i + 1), keeping its line ends.
 */
export function editCsv(
  dir: string,
  file: string,
  edit: (rows: string[][], col: (name: string) => number) => string[][],
): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const rows = splitCsv(text);
  const col = (name: string) => {
    const i = rows[0].indexOf(name);
    if (i < 0) throw new Error(`${file} has no column ${name}`);
    return i;
  };
  const out = edit(rows, col);
  writeFileSync(path, out.map((r) => csvLine(r).slice(0, -1) + eol).join(''));
}

/** Edits one file of a copied set line by line (line 1 = header). */
export function editLines(
  dir: string,
  file: string,
  edit: (lines: string[]) => string[],
): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
  const out = edit(lines);
  writeFileSync(path, out.join(eol) + (trailing !== undefined ? eol : ''));
}

export function setManifest(
  dir: string,
  modes: Partial<Record<CsvFile, string>>,
): void {
  editLines(dir, 'manifest.csv', (lines) =>
    lines.map((l) => {
      const m = /^file\.(\w+),/.exec(l);
      return m && m[1] in modes ? `file.${m[1]},${modes[m[1] as CsvFile]}` : l;
    }),
  );
}

export interface DumpedRecord {
  sourcedId: string;
  status: string;
  dateLastModified: string;
  content: string;
}

/** Every record of one school, per file, in sourcedId order. */
export async function dumpSchool(
  ds: DataSource,
  schoolId: string,
): Promise<Record<CsvFile | V1p2CsvFile, DumpedRecord[]>> {
  const q = (sql: string, p?: unknown[]) =>
    ds.query(sql, p) as Promise<unknown[]>;
  const out = {} as Record<CsvFile | V1p2CsvFile, DumpedRecord[]>;
  // The 1.1 tables, then the 1.2 ones the CSV importer writes (score scales).
  const files = [
    ...CSV_FILES,
    ...(Object.keys(V1P2_TABLE_MAPS) as V1p2CsvFile[]),
  ];
  for (const file of files) {
    const map = tableMapOf(file);
    const list: DumpedRecord[] = (out[file] = []);
    for await (const r of readRecords(q, map, schoolId))
      list.push({
        sourcedId: r.sourcedId,
        status: r.status,
        dateLastModified: r.dateLastModified.toISOString(),
        content: fingerprint(map, r.values, r.metadata),
      });
  }
  return out;
}

export async function countRows(
  ds: DataSource,
  table: string,
  schoolId?: string,
): Promise<number> {
  const rows = (await ds.query(
    `SELECT COUNT(*) AS n FROM ${table}${schoolId ? ' WHERE school_id = ?' : ''}`,
    schoolId ? [schoolId] : [],
  )) as { n: number | string }[];
  return Number(rows[0].n);
}
