import fc from 'fast-check';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { CsvImportService } from './import';
import { fixtureDir } from './testing/csv-sets';

/**
 * Fuzzing the CSV importer with validate-only imports of a mutated fixture set (testing/fixture-sets.ts): headers
 * dropped, doubled, renamed or reordered; rows cut, padded, duplicated or filled with
 * hostile values; encodings (BOM, Latin-1, UTF-16, invalid UTF-8, NUL, CR-only lines);
 * manifests with unknown modes or files missing; a zip that is not one. Properties: the
 * import always returns a report (never throws), never commits, and leaves the database
 * exactly as it was. CI size by default; `FUZZ_SCALE=10` (or `npm run hardening -- fuzz`)
 * for the full run, `FUZZ_SEED` to replay.
 */
const SCALE = Number(process.env['FUZZ_SCALE'] || 1);
const SEED = Number(process.env['FUZZ_SEED'] || 424242);
const TABLES = [
  'schools',
  'orgs',
  'academic_sessions',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
  'user_orgs',
  'class_terms',
];

type Mutation = (files: Map<string, Buffer>) => void;

const hostileValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '"',
    '""',
    '"a,b"',
    'a\nb',
    '"a\r\nb"',
    ',',
    '\u0000',
    'x'.repeat(70_000),
    '2026-02-30',
    'tobedeleted',
    'active',
    '=cmd|calc',
    '-1',
    '1e309',
  ),
);

function lines(buf: Buffer): string[] {
  return buf.toString('utf8').split(/\r?\n/);
}

const mutation: fc.Arbitrary<{ file: number; apply: Mutation; name: string }> =
  fc
    .tuple(
      fc.nat(),
      fc.nat(),
      fc.nat(),
      hostileValue,
      fc.constantFrom(
        'drop-column',
        'double-column',
        'rename-column',
        'swap-columns',
        'blank-header',
        'cut-row',
        'pad-row',
        'set-value',
        'duplicate-row',
        'blank-lines',
        'open-quote',
        'bom',
        'latin1',
        'utf16',
        'invalid-utf8',
        'nul',
        'cr-only',
        'truncate',
        'delete-file',
        'manifest-mode',
        'empty-file',
      ),
    )
    .map(([file, row, col, value, name]) => ({
      file,
      name,
      apply: (files: Map<string, Buffer>) => {
        const names = [...files.keys()].sort();
        const f =
          name === 'manifest-mode'
            ? 'manifest.csv'
            : names[file % names.length];
        const buf = files.get(f);
        if (!buf) return;
        const ls = lines(buf);
        const header = ls[0].split(',');
        const c = col % Math.max(1, header.length);
        const r = 1 + (row % Math.max(1, ls.length - 2));
        const cells = (i: number) => (ls[i] ?? '').split(',');
        const put = (text: string) => files.set(f, Buffer.from(text, 'utf8'));
        switch (name) {
          case 'drop-column':
            return put(
              ls
                .map((l) =>
                  l
                    .split(',')
                    .filter((_, i) => i !== c)
                    .join(','),
                )
                .join('\n'),
            );
          case 'double-column':
            header.push(header[c]);
            ls[0] = header.join(',');
            return put(ls.join('\n'));
          case 'rename-column':
            header[c] = value.slice(0, 40) || header[c].toUpperCase();
            ls[0] = header.join(',');
            return put(ls.join('\n'));
          case 'swap-columns':
            [header[0], header[c]] = [header[c], header[0]];
            ls[0] = header.join(',');
            return put(ls.join('\n'));
          case 'blank-header':
            ls[0] = '';
            return put(ls.join('\n'));
          case 'cut-row':
            ls[r] = cells(r).slice(0, c).join(',');
            return put(ls.join('\n'));
          case 'pad-row':
            ls[r] = `${ls[r]},${value.replace(/[\r\n]/g, ' ')}`;
            return put(ls.join('\n'));
          case 'set-value': {
            const cs = cells(r);
            cs[c % cs.length] = /[",\r\n]/.test(value)
              ? `"${value.replace(/"/g, '""')}"`
              : value;
            ls[r] = cs.join(',');
            return put(ls.join('\n'));
          }
          case 'duplicate-row':
            ls.splice(r, 0, ls[r]);
            return put(ls.join('\n'));
          case 'blank-lines':
            ls.splice(r, 0, '', ',,,', '');
            return put(ls.join('\n'));
          case 'open-quote':
            ls[r] = `"${ls[r]}`;
            return put(ls.join('\n'));
          case 'bom':
            return files.set(
              f,
              Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]),
            );
          case 'latin1':
            return files.set(
              f,
              Buffer.from(`${buf.toString('utf8')}\n${value}é,ü`, 'latin1'),
            );
          case 'utf16':
            return files.set(
              f,
              Buffer.from(`\uFEFF${buf.toString('utf8')}`, 'utf16le'),
            );
          case 'invalid-utf8':
            return files.set(
              f,
              Buffer.concat([
                buf.subarray(0, (row * 7) % buf.length),
                Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
                buf.subarray((row * 7) % buf.length),
              ]),
            );
          case 'nul':
            return files.set(
              f,
              Buffer.concat([
                buf.subarray(0, (row * 13) % buf.length),
                Buffer.from([0]),
                buf.subarray((row * 13) % buf.length),
              ]),
            );
          case 'cr-only':
            return files.set(
              f,
              Buffer.from(buf.toString('utf8').replace(/\r?\n/g, '\r')),
            );
          case 'truncate':
            return files.set(f, buf.subarray(0, (row * 31) % buf.length));
          case 'delete-file':
            return files.delete(f);
          case 'empty-file':
            return files.set(f, Buffer.alloc(0));
          case 'manifest-mode': {
            const modes = [
              'bulk',
              'delta',
              'absent',
              'BULK',
              '',
              value.slice(0, 20),
            ];
            const m = 1 + (row % Math.max(1, ls.length - 2));
            const [k] = (ls[m] ?? 'x').split(',');
            ls[m] = `${k},${modes[col % modes.length]}`;
            return put(ls.join('\n'));
          }
        }
      },
    }));

const engines = testEngines('csv_fuzz').filter(
  (e) => !process.env['FUZZ_ENGINE'] || e.name === process.env['FUZZ_ENGINE'],
);

describe.each(engines)('fuzzing the CSV importer on $name', (engine) => {
  let ds: DataSource;
  let service: CsvImportService;
  const base = new Map<string, Buffer>();
  const outcomes = { ok: 0, refused: 0 };

  async function state(): Promise<string> {
    const out: unknown[] = [];
    for (const t of TABLES)
      out.push(
        await ds.query(
          ['schools', 'user_orgs', 'class_terms'].includes(t)
            ? `SELECT COUNT(*) AS n FROM ${t}`
            : `SELECT COUNT(*) AS n, MAX(date_last_modified) AS m, SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS a FROM ${t}`,
        ),
      );
    return JSON.stringify(out);
  }

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
    service = new CsvImportService(ds);
    const dir = fixtureDir('school');
    for (const f of readdirSync(dir)) base.set(f, readFileSync(join(dir, f)));
    // The school exists already, so bulk and delta mutations meet stored records.
    const first = await service.importSet(dir);
    expect(first.committed).toBe(true);
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(
      `fuzz CSV (${engine.name}): ${outcomes.ok + outcomes.refused} validate-only imports, ${outcomes.ok} valid, ${outcomes.refused} refused with a report\n`,
    );
    await ds?.destroy();
  });

  it('reports on any mutated set, never throws and never writes', async () => {
    const before = await state();
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (mutations, asZip) => {
          const files = new Map(base);
          for (const m of mutations) m.apply(files);
          const dir = mkdtempSync(join(tmpdir(), 'or-csv-fuzz-'));
          try {
            let path = dir;
            if (asZip && mutations[0].file % 5 === 0) {
              // Not a zip at all, though named like one.
              path = join(dir, 'set.zip');
              writeFileSync(
                path,
                files.get('users.csv') ?? Buffer.from('PK\x03\x04'),
              );
            } else for (const [f, b] of files) writeFileSync(join(dir, f), b);
            const report = await service.importSet(path, {
              validateOnly: true,
            });
            if (typeof report.ok !== 'boolean' || report.committed)
              throw new Error(
                `a validate-only import committed: ${mutations.map((m) => m.name)}`,
              );
            if (report.errorCount < report.errors.length)
              throw new Error('the error count is short of the errors listed');
            if (!report.ok && report.errorCount === 0)
              throw new Error('refused without an error');
            if (report.ok) outcomes.ok++;
            else outcomes.refused++;
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 100 * SCALE, seed: SEED },
    );
    expect(await state()).toBe(before);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 3_600_000);
});
