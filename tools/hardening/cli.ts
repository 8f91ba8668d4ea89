/**
 * The hardening suites at full size: `npm run hardening -- <suite> [options]`
 * (docs/reliability.md). `npm test` runs the same suites at CI size.
 *
 *   isolation   cross-school isolation probes (apps/api/src/e2e/isolation.e2e.spec.ts)
 *   fuzz        fast-check fuzzing of the API's query language and gradebook bodies, the
 *               CSV importer and the auth server's token endpoint
 *   all         both
 *   isolation-live   the isolation probes against a running API with real tokens of the auth
 *                    server: client credentials and signed-in teachers (isolation-live.ts)
 *
 *   --probes N      isolation probes (default 5000)
 *   --scale N       fuzz size as a multiple of the CI size (default 10: ≥ 10,000 inputs)
 *   --seed N        replay a run (ISOLATION_SEED / FUZZ_SEED)
 *   --engine E      mysql (default), sqlite or both
 *   TEST_DATABASE_URL   MariaDB/MySQL base URL (default mysql://root@127.0.0.1:3306/oneroster_hardening;
 *                       each suite creates its own `<base>_<suffix>` database afresh)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const [suite, ...args] = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
if (suite === 'isolation-live') {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, join(__dirname, 'isolation-live.ts'), ...args],
    { cwd: root, stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}
const engine = opt('engine') ?? 'mysql';
if (!['mysql', 'sqlite', 'both'].includes(engine)) {
  console.error('--engine must be mysql, sqlite or both');
  process.exit(2);
}

const SUITES: Record<string, { config: string; spec: string; esm: boolean }[]> =
  {
    isolation: [
      {
        config: 'apps/api/jest.config.cts',
        spec: 'apps/api/src/e2e/isolation.e2e.spec.ts',
        esm: true,
      },
    ],
    fuzz: [
      {
        config: 'apps/api/jest.config.cts',
        spec: 'apps/api/src/e2e/fuzz.e2e.spec.ts',
        esm: true,
      },
      {
        config: 'apps/auth/jest.config.cts',
        spec: 'apps/auth/src/e2e/fuzz.e2e.spec.ts',
        esm: true,
      },
      {
        config: 'libs/shared/data-access-csv/jest.config.cts',
        spec: 'libs/shared/data-access-csv/src/lib/fuzz.spec.ts',
        esm: false,
      },
    ],
  };

const chosen =
  suite === 'all' ? [...SUITES['isolation'], ...SUITES['fuzz']] : SUITES[suite];
if (!chosen) {
  console.error(
    'usage: npm run hardening -- isolation|fuzz|all|isolation-live [--probes N] [--scale N] [--seed N] [--engine mysql|sqlite|both]',
  );
  process.exit(2);
}

const seed = opt('seed');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  TEST_DATABASE_URL:
    engine === 'sqlite'
      ? ''
      : process.env['TEST_DATABASE_URL'] ||
        'mysql://root@127.0.0.1:3306/oneroster_hardening',
  ISOLATION_PROBES: opt('probes') ?? '5000',
  FUZZ_SCALE: opt('scale') ?? '10',
  ...(engine === 'both'
    ? {}
    : { ISOLATION_ENGINE: engine, FUZZ_ENGINE: engine }),
  ...(seed ? { ISOLATION_SEED: seed, FUZZ_SEED: seed } : {}),
};

let failed = 0;
for (const s of chosen) {
  const started = Date.now();
  const r = spawnSync('npx', ['jest', '-c', s.config, s.spec, '--runInBand'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...env,
      NODE_OPTIONS: s.esm
        ? `${env['NODE_OPTIONS'] ?? ''} --experimental-vm-modules`.trim()
        : env['NODE_OPTIONS'],
    },
  });
  process.stdout.write(
    `${s.spec}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
