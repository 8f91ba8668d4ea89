/**
 * OneRoster 1.1 and 1.2 CSV: `npm run csv -- <command> [options]` against DATABASE_URL.
 *
 *   import <zip|dir> [--school <id>] [--validate-only] [--report out.json]
 *       validate and import a CSV set, 1.1 or 1.2 as its manifest says (split per school
 *       unless --school); prints the report (or writes it as JSON); exit 1 on errors
 *   export --school <id> --out <dir|file.zip> [--since <ISO date-time>] [--version 1.1|1.2]
 *       write the school's data as a bulk set, or a delta set of changes since a time,
 *       as OneRoster 1.1 CSV (default) or 1.2 CSV (1.2.1 binding)
 *
 * Progress goes to stderr.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { describeDatabase, loadConfig } from '@oneroster/config';
import { migrate, openDatabase } from '@oneroster/database';
import { CsvImportService, exportCsv } from '@oneroster/data-access-csv';
import { formatIssue } from '@oneroster/util-oneroster-csv';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const mem = () => {
  const m = process.memoryUsage();
  return `${Math.round(m.rss / 1048576)} MB, heap ${Math.round(m.heapUsed / 1048576)}/${Math.round(m.heapTotal / 1048576)} MB`;
};

function progressLine(text: string) {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}
function progressDone(text: string) {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  process.stderr.write(`${text}\n`);
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'import' && command !== 'export') {
    process.stderr.write(
      'usage: npm run csv -- import <zip|dir> [--school <id>] [--validate-only] [--report out.json]\n' +
        '       npm run csv -- export --school <id> --out <dir|zip> [--since <ISO>] [--version 1.1|1.2]\n',
    );
    return 2;
  }
  const config = loadConfig();
  const ds = await openDatabase(config.database);
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  try {
    await migrate(ds);
    if (command === 'import') {
      const path = args[0];
      if (!path || path.startsWith('--'))
        throw new Error('import needs a zip or a folder');
      process.stderr.write(
        `Importing ${path} into ${describeDatabase(config.database)}\n`,
      );
      const report = await new CsvImportService(ds).importSet(path, {
        ...(option(args, 'school') ? { schoolId: option(args, 'school') } : {}),
        validateOnly: args.includes('--validate-only'),
        maxInflatedBytes: config.csv.maxInflatedBytes,
        onProgress: (p) => {
          const text = `${p.phase === 'validate' ? 'checking' : 'writing '} ${p.file}.csv: ${p.rows.toLocaleString('en')} rows (${seconds()} s, ${mem()} RSS)`;
          if (p.done) progressDone(text);
          else progressLine(text);
        },
      });
      const out = option(args, 'report');
      if (out) writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
      for (const i of [...report.errors, ...report.warnings])
        process.stdout.write(formatIssue(i) + '\n');
      if (report.errorCount > report.errors.length)
        process.stdout.write(
          `… and ${report.errorCount - report.errors.length} more errors\n`,
        );
      for (const [file, s] of Object.entries(report.files))
        process.stdout.write(
          `${file}: ${s.mode}, ${s.rows} rows; inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, tobedeleted ${s.deleted}\n`,
        );
      for (const s of report.schools)
        process.stdout.write(
          `school ${s.schoolId} (${s.name}, org ${s.orgSourcedId})${s.created ? ' created' : ''}\n`,
        );
      process.stdout.write(
        `${report.ok ? (report.committed ? 'Imported' : 'Valid, nothing written') : 'Refused, nothing written'}: ${report.errorCount} errors, ${report.warningCount} warnings (${seconds()} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)\n`,
      );
      return report.ok ? 0 : 1;
    }
    const schoolId = option(args, 'school');
    const outPath = option(args, 'out');
    const since = option(args, 'since');
    const version = option(args, 'version') ?? '1.1';
    if (version !== '1.1' && version !== '1.2')
      throw new Error('--version must be 1.1 or 1.2');
    if (!schoolId || !outPath)
      throw new Error('export needs --school <id> and --out <dir|zip>');
    const sinceDate = since ? new Date(since) : undefined;
    if (sinceDate && Number.isNaN(sinceDate.getTime()))
      throw new Error('--since must be an ISO 8601 date-time');
    const res = await exportCsv(ds, {
      schoolId,
      out: outPath,
      version,
      ...(sinceDate ? { since: sinceDate } : {}),
      onProgress: (p) => {
        const text = `${p.file}.csv: ${p.rows.toLocaleString('en')} rows (${seconds()} s, ${mem()} RSS)`;
        if (p.done) progressDone(text);
        else progressLine(text);
      },
    });
    process.stdout.write(
      `Exported ${res.rows} rows of school ${schoolId} to ${outPath} as OneRoster ${version} CSV (${seconds()} s)\n`,
    );
    return 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  },
);
