import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Jest global setup: generates the fixture sets (fixture-sets.ts) once per test run into a
 * temporary folder and tells the test workers where (ONEROSTER_CSV_FIXTURES). tsx runs the
 * generator because Jest's global setup does not resolve the workspace's path aliases.
 * Only Node built-ins here, for the same reason.
 */
const ROOT = resolve(__dirname, '../../../../../..');

export default function globalSetup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'or-csv-fixtures-'));
  execFileSync(
    process.execPath,
    [
      join(dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs'),
      '--tsconfig',
      join(ROOT, 'tools/tsconfig.json'),
      join(__dirname, 'make-fixtures.ts'),
      dir,
    ],
    { stdio: 'inherit', cwd: ROOT },
  );
  process.env['ONEROSTER_CSV_FIXTURES'] = dir;
}
