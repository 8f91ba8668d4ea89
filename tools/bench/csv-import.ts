/**
 * CSV import/export benchmark on MariaDB/MySQL. `npm run bench:csv` (docs/benchmarks.md).
 *
 *   BENCH_SERVER_URL   default mysql://root@127.0.0.1:3306
 *   BENCH_NODE_FLAGS   Node flags of the measured children (default --optimize-for-size)
 *   BENCH_DB_PREFIX    default csv_bench: databases <prefix>_import and <prefix>_load are
 *                      dropped and created afresh
 *   BENCH_CSV_DIR      reuse a CSV set instead of writing the large demo trust
 *
 * 1. Writes the large demo trust as a OneRoster 1.1 bulk CSV set (the demo-data writer).
 * 2. Imports it with CsvImportService into a fresh database, in a child process running
 *    csv-import-child.ts bundled (plain Node, as the apps run): rows/s (records and link
 *    rows written) and the child's peak RSS (getrusage maxrss).
 * 3. Loads the very same rows (dumped from the imported tables as TSV) into a second fresh
 *    database with `LOAD DATA LOCAL INFILE`, table by table, same schema and indexes:
 *    rows/s, and the ratio import / LOAD DATA.
 * 4. Exports every school as a bulk zip, in a child process: rows/s and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  rmSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createConnection as createCallbackConnection } from 'mysql2';
import { parseDatabaseUrl } from '@oneroster/config';
import { migrate, openDatabase } from '@oneroster/database';
import { planTrust, writeTrustCsv } from '@oneroster/demo-data';

const server = (
  process.env['BENCH_SERVER_URL'] || 'mysql://root@127.0.0.1:3306'
).replace(/\/$/, '');
const prefix = process.env['BENCH_DB_PREFIX'] || 'csv_bench';
const IMPORT_DB = `${prefix}_import`;
const LOAD_DB = `${prefix}_load`;
const log = (s: string) => process.stdout.write(`${s}\n`);
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;

const TABLES = [
  'orgs',
  'academic_sessions',
  'categories',
  'resources',
  'courses',
  'classes',
  'class_terms',
  'users',
  'user_orgs',
  'user_agents',
  'demographics',
  'enrollments',
  'line_items',
  'results',
  'class_resources',
  'course_resources',
];

async function freshDatabase(name: string) {
  const base = parseDatabaseUrl(`${server}/${name}`);
  if (base.kind !== 'mysql')
    throw new Error('BENCH_SERVER_URL must be mysql://');
  const conn = await createConnection({
    host: base.host,
    port: base.port,
    user: base.user,
    password: base.password,
  });
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.query(
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  );
  await conn.end();
  const ds = await openDatabase(base);
  await migrate(ds);
  return { ds, config: base };
}

const tsv = (v: unknown) =>
  v === null || v === undefined
    ? '\\N'
    : String(v)
        .replace(/\\/g, '\\\\')
        .replace(/\t/g, '\\t')
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r');

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-csv-'));
  try {
    let csvDir = process.env['BENCH_CSV_DIR'];
    if (!csvDir) {
      csvDir = join(tmp, 'large');
      const t = Date.now();
      await writeTrustCsv(planTrust({ size: 'large' }), csvDir);
      log(
        `CSV set written in ${((Date.now() - t) / 1000).toFixed(1)} s: ${csvDir}`,
      );
    }

    // 2. Import, in a child process of its own so that its peak RSS is the import's.
    const imp = await freshDatabase(IMPORT_DB);
    const child = await runChild('import', csvDir);
    const importMs = child['ms'] as number;
    const importPeak = child['maxRss'] as number;
    const report = child['report'] as {
      ok: boolean;
      errors: unknown[];
      files: Record<string, { rows: number }>;
    };
    if (!report.ok)
      throw new Error(
        `import refused: ${JSON.stringify(report.errors.slice(0, 5))}`,
      );
    const counts: Record<string, number> = {};
    let total = 0;
    for (const table of TABLES) {
      const [r] = (await imp.ds.query(
        `SELECT COUNT(*) AS n FROM ${table}`,
      )) as { n: string }[];
      counts[table] = Number(r.n);
      total += Number(r.n);
    }
    const csvRows = Object.values(report.files).reduce(
      (n, f) => n + (f?.rows ?? 0),
      0,
    );
    log(
      `import: ${csvRows.toLocaleString('en')} CSV rows → ${total.toLocaleString('en')} database rows in ${(importMs / 1000).toFixed(1)} s = ${Math.round(total / (importMs / 1000)).toLocaleString('en')} rows/s; peak RSS ${mb(importPeak)} (${mb(child['rssBefore'] as number)} before the import); CPU ${((child['cpuMs'] as number) / 1000).toFixed(1)} s`,
    );

    // 3. LOAD DATA LOCAL INFILE of the same rows.
    const load = await freshDatabase(LOAD_DB);
    const ic = imp.config as {
      host: string;
      port: number;
      user: string;
      password?: string;
    };
    const src = await createConnection({
      host: ic.host,
      port: ic.port,
      user: ic.user,
      password: ic.password,
      database: IMPORT_DB,
      dateStrings: true,
    });
    const files: [string, string, string[]][] = [];
    for (const table of TABLES) {
      const cols = (
        (await src.query(`SHOW COLUMNS FROM ${table}`)) as unknown as [
          { Field: string }[],
        ]
      )[0].map((c) => c.Field);
      const path = join(tmp, `${table}.tsv`);
      const out = createWriteStream(path);
      const raw = (
        src as unknown as {
          connection: {
            query(sql: string): { stream(): AsyncIterable<unknown> };
          };
        }
      ).connection
        .query(`SELECT ${cols.join(',')} FROM ${table}`)
        .stream();
      for await (const row of raw) {
        const r = row as Record<string, unknown>;
        if (!out.write(cols.map((c) => tsv(r[c])).join('\t') + '\n'))
          await once(out, 'drain');
      }
      await new Promise<void>((resolve) => out.end(resolve));
      files.push([table, path, cols]);
    }
    await src.end();
    const cfg = load.config as {
      host: string;
      port: number;
      user: string;
      password?: string;
    };
    const dst = createCallbackConnection({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      password: cfg.password,
      database: LOAD_DB,
      infileStreamFactory: (p: string) => createReadStream(p),
    } as never).promise();
    const t = Date.now();
    await dst.query('START TRANSACTION');
    for (const [table, path, cols] of files)
      await dst.query({
        sql: `LOAD DATA LOCAL INFILE ? INTO TABLE ${table} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${cols.join(',')})`,
        values: [path],
      });
    await dst.query('COMMIT');
    const loadMs = Date.now() - t;
    await dst.end();
    const importRate = total / (importMs / 1000);
    const loadRate = total / (loadMs / 1000);
    log(
      `LOAD DATA LOCAL INFILE: ${total.toLocaleString('en')} rows in ${(loadMs / 1000).toFixed(1)} s = ${Math.round(loadRate).toLocaleString('en')} rows/s`,
    );
    log(`ratio import / LOAD DATA: ${(importRate / loadRate).toFixed(2)}`);
    await load.ds.destroy();

    // 4. Export every school (a child process again).
    const exp = await runChild('export', tmp);
    log(
      `export: ${exp['schools']} schools, ${(exp['rows'] as number).toLocaleString('en')} CSV rows in ${((exp['ms'] as number) / 1000).toFixed(1)} s = ${Math.round((exp['rows'] as number) / ((exp['ms'] as number) / 1000)).toLocaleString('en')} rows/s; peak RSS ${mb(exp['maxRss'] as number)} (${mb(exp['rssBefore'] as number)} before the export); CPU ${((exp['cpuMs'] as number) / 1000).toFixed(1)} s`,
    );
    await imp.ds.destroy();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The child runs csv-import-child.ts bundled by esbuild (the compiler tsx itself uses), with
 * node_modules left external, so its memory is the import's and the libraries', as in the
 * apps' production bundles, without the TypeScript loader (about 50 MB more RSS).
 */
let bundle: string | undefined;
/**
 * V8 flags of the children: `--optimize-for-size` makes V8 collect garbage before growing
 * the heap, which keeps a long import's RSS at about its live memory (see docs/csv.md).
 */
const nodeFlags = (process.env['BENCH_NODE_FLAGS'] ?? '--optimize-for-size')
  .split(' ')
  .filter(Boolean);
async function childBundle(): Promise<string> {
  if (bundle) return bundle;
  const { build } = (await import('esbuild')) as typeof import('esbuild');
  const root = join(__dirname, '..', '..');
  bundle = join(
    root,
    'node_modules',
    '.cache',
    'oneroster-bench',
    'csv-child.cjs',
  );
  await build({
    entryPoints: [join(__dirname, 'csv-import-child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    packages: 'external',
    tsconfig: join(root, 'tools', 'tsconfig.json'),
    outfile: bundle,
    logLevel: 'warning',
  });
  return bundle;
}

async function runChild(
  phase: string,
  arg: string,
): Promise<Record<string, unknown>> {
  const r = spawnSync(
    process.execPath,
    [...nodeFlags, await childBundle(), phase, arg, `${server}/${IMPORT_DB}`],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`${phase} child failed: ${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<
    string,
    unknown
  >;
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
