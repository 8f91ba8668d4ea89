import { rmSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import {
  CLASSES,
  csvColumn,
  csvFields,
  refTarget,
} from '@oneroster/oneroster-catalogue';
import { CsvImportService } from './import';
import { copyFixture, editCsv } from './testing/csv-sets';

/*
 * Every GUIDRef the catalogue declares with a CSV column is checked by the importer: a
 * reference to a record that exists neither in the set nor in the database is refused
 * with `unknown_reference` at its own file, line and column, naming the class it points
 * to. The list of references comes from the catalogue, not from the importer, so a
 * GUIDRef added to the catalogue that the importer does not check fails here.
 */

const T0 = new Date('2026-09-02T10:00:00.000Z');

jest.setTimeout(120_000);

/** Every GUIDRef field with a CSV column: its file, column and the file it points into. */
const REFS = CLASSES.flatMap((c) =>
  c.csv
    ? csvFields(c)
        .filter((f) => f.type === 'guidRef')
        .map((f) => ({
          file: c.csv?.file as string,
          column: csvColumn(f).column,
          target: refTarget(f).csv?.file,
          value: `dangling-${c.csv?.file}-${csvColumn(f).column}`,
        }))
    : [],
);

describe.each(testEngines('csv_import_refs'))(
  'CSV import references on $name',
  (engine) => {
    let ds: DataSource;
    beforeEach(async () => {
      ds = await openMigratedDatabase(engine);
    });
    afterEach(async () => {
      await ds.destroy();
    });

    it('refuses a dangling reference in every GUIDRef column the catalogue declares, naming its target', async () => {
      // Single and list references, into other files and into the file itself.
      expect(REFS.length).toBeGreaterThanOrEqual(20);
      expect(REFS.every((r) => r.target !== undefined)).toBe(true);
      expect(REFS.some((r) => r.target === r.file)).toBe(true);
      const dir = copyFixture('school');
      try {
        // The first data row (line 2) of each file refers to a record that exists nowhere.
        for (const r of REFS)
          editCsv(dir, `${r.file}.csv`, (rows, col) => {
            if (rows.length < 2)
              throw new Error(`the fixture's ${r.file}.csv has no data row`);
            rows[1][col(r.column)] = r.value;
            return rows;
          });
        const report = await new CsvImportService(ds).importSet(dir, {
          now: T0,
        });
        expect(report.committed).toBe(false);
        const key = (x: unknown[]) => JSON.stringify(x);
        const got = report.errors
          .map((e) => [
            e.file,
            e.line,
            e.column,
            e.value,
            e.code,
            e.message.replace(/^no (\w+) record.*$/, '$1'),
          ])
          .sort((a, b) => key(a).localeCompare(key(b)));
        const want = REFS.map((r) => [
          `${r.file}.csv`,
          2,
          r.column,
          r.value,
          'unknown_reference',
          r.target,
        ]).sort((a, b) => key(a).localeCompare(key(b)));
        expect(got).toEqual(want);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
