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
import { CSV_FILES, CsvFile } from '@oneroster/util-oneroster-csv';
import { readRecords } from '../records';
import { fingerprint, TABLE_MAPS } from '../tables';

/** The shared sample sets (read-only; tests copy what they change). */
export const SAMPLES =
  process.env['ONEROSTER_CSV_SAMPLES'] ?? '/work/shared/data/oneroster-csv';
export const samplesAvailable = existsSync(
  join(SAMPLES, 'school-medium', 'manifest.csv'),
);

/** A writable copy of a sample set. */
export function copySample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `or-csv-${name}-`));
  cpSync(join(SAMPLES, name), dir, { recursive: true });
  return dir;
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
): Promise<Record<CsvFile, DumpedRecord[]>> {
  const q = (sql: string, p?: unknown[]) =>
    ds.query(sql, p) as Promise<unknown[]>;
  const out = {} as Record<CsvFile, DumpedRecord[]>;
  for (const file of CSV_FILES) {
    const map = TABLE_MAPS[file];
    out[file] = [];
    for await (const r of readRecords(q, map, schoolId))
      out[file].push({
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
