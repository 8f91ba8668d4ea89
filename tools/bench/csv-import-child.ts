/**
 * The measured work of the CSV benchmark, alone in its process (tools/bench/csv-import.ts
 * bundles this file and runs it with plain Node, as the apps run in production, so that
 * the TypeScript loader's own memory is not counted). Prints one JSON line.
 *
 *   node csv-import-child.cjs import <csv dir or zip> <database url>
 *   node csv-import-child.cjs export <out dir> <database url>
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseDatabaseUrl } from '@oneroster/config';
import { openDatabase } from '@oneroster/database';
import { CsvImportService, exportCsv } from '@oneroster/data-access-csv';

async function child(phase: string, arg: string, url: string): Promise<void> {
  const ds = await openDatabase(parseDatabaseUrl(url));
  const before = process.memoryUsage().rss;
  const t = Date.now();
  let out: Record<string, unknown>;
  if (phase === 'import') {
    const report = await new CsvImportService(ds).importSet(arg, {
      onProgress: (p) => {
        if (p.done && process.env['BENCH_MEMORY_TRACE'])
          process.stderr.write(
            `${((Date.now() - t) / 1000).toFixed(1)} s: ${p.phase} ${p.file} done\n`,
          );
      },
    });
    out = {
      report: { ok: report.ok, errors: report.errors, files: report.files },
    };
  } else {
    const schools = (await ds.query('SELECT id FROM schools ORDER BY id')) as {
      id: string;
    }[];
    let rows = 0;
    for (const s of schools) {
      const zip = join(arg, `export-${s.id}.zip`);
      rows += (await exportCsv(ds, { schoolId: s.id, out: zip })).rows;
      rmSync(zip, { force: true });
    }
    out = { rows, schools: schools.length };
  }
  out['ms'] = Date.now() - t;
  out['rssBefore'] = before;
  const usage = process.resourceUsage();
  out['maxRss'] = usage.maxRSS * 1024;
  // CPU of this process (ms): on a shared machine, what the import itself costs.
  out['cpuMs'] = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  await ds.destroy();
  process.stdout.write(JSON.stringify(out) + '\n');
}

const [phase, arg, url] = process.argv.slice(2);
// BENCH_MEMORY_TRACE=1: the memory figures every second on stderr, to see where they go.
if (process.env['BENCH_MEMORY_TRACE']) {
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const f = (b: number) => Math.round(b / 1048576);
    process.stderr.write(
      `${((Date.now() - t0) / 1000).toFixed(0)} s rss ${f(m.rss)} heap ${f(m.heapUsed)}/${f(m.heapTotal)} external ${f(m.external)} buffers ${f(m.arrayBuffers)}\n`,
    );
  }, 1000).unref();
}
child(phase, arg, url).then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
