/**
 * Demo data: `npm run demo-data -- <command> [options]`.
 *
 *   seed   [--size demo|large] [--schools N] [--seed N]   migrate, then write the trust into
 *                                                          DATABASE_URL (refuses a database
 *                                                          that already holds schools;
 *                                                          refused in production mode)
 *   csv    --out DIR [--size demo|large] [--schools N] [--seed N]
 *                                                          write OneRoster 1.1 bulk CSV files
 */
import { existsSync } from 'node:fs';
import { describeDatabase, loadConfig } from '@oneroster/config';
import { migrate, openDatabase } from '@oneroster/database';
import {
  planTrust,
  seedDemoIfEmpty,
  TrustSize,
  writeTrustCsv,
} from '@oneroster/demo-data';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function planOptions(args: string[]) {
  const size = (option(args, 'size') ?? 'demo') as TrustSize;
  if (size !== 'demo' && size !== 'large')
    throw new Error('--size must be demo or large');
  const schools = option(args, 'schools');
  const seed = option(args, 'seed');
  return {
    size,
    ...(schools ? { schools: Number(schools) } : {}),
    ...(seed ? { seed: Number(seed) } : {}),
  };
}

const mem = () => `${Math.round(process.memoryUsage().rss / 1048576)} MB RSS`;

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...args] = process.argv.slice(2);
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  if (command === 'seed') {
    const config = loadConfig();
    if (config.mode === 'production') {
      console.error(
        'Production mode (ONEROSTER_MODE=production, or NODE_ENV=production): the demo trust is never seeded; nothing written.',
      );
      return 1;
    }
    const ds = await openDatabase(config.database);
    try {
      await migrate(ds);
      const opts = planOptions(args);
      const plan = planTrust(opts);
      console.warn(
        `Seeding ${plan.name} (${plan.schools.length} schools) into ${describeDatabase(config.database)}`,
      );
      const creds = await seedDemoIfEmpty(ds, {
        ...opts,
        password: process.env['DEMO_PASSWORD'] || 'demo-password',
        sandboxClientSecret:
          process.env['SANDBOX_CLIENT_SECRET'] || 'sandbox-secret',
        onProgress: (p) =>
          console.warn(
            `  ${p.schoolsDone}/${p.schoolsTotal} ${p.school.name}: ${p.rowsDone} rows, ${seconds()} s, ${mem()}`,
          ),
      });
      if (!creds) {
        console.error(
          'The database already holds schools; nothing written. Use an empty database.',
        );
        return 1;
      }
      console.warn(`Done in ${seconds()} s.`);
      return 0;
    } finally {
      await ds.destroy();
    }
  }
  if (command === 'csv') {
    const out = option(args, 'out');
    if (!out) throw new Error('--out DIR is required');
    const plan = planTrust(planOptions(args));
    const counts = await writeTrustCsv(plan, out, (done, total) =>
      console.warn(`  ${done}/${total} schools, ${seconds()} s, ${mem()}`),
    );
    for (const [file, n] of Object.entries(counts))
      if (n) console.warn(`  ${file}.csv: ${n} rows`);
    console.warn(`Wrote ${out} in ${seconds()} s.`);
    return 0;
  }
  console.error(
    'usage: demo-data <seed|csv> [--size demo|large] [--schools N] [--seed N] [--out DIR]',
  );
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
