/**
 * Database command line: `npm run db -- <command>`.
 *
 *   migrate               apply pending migrations (DATABASE_URL, default: embedded SQLite)
 *   prepare               what an app does before it serves: migrate and seed the demo trust
 *                         into an empty database (per MIGRATE_ON_START / SEED_DEMO_DATA);
 *                         in production mode seeding is refused (exit 1)
 *   create-operator --email E [--name N]
 *                         create a platform operator holding a one-time password (printed
 *                         once, on stdout) that must be changed at the first sign-in
 *   status                list applied and pending migrations
 *   drift                 print SQL the entities still need (empty = migrations match entities)
 *   generate <Name>       write a new migration for both dialects (needs MYSQL_GENERATE_URL,
 *                         an empty scratch MySQL/MariaDB database)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEMO_SEEDING_REFUSED,
  describeDatabase,
  loadConfig,
  parseDatabaseUrl,
} from '@oneroster/config';
import {
  generateMigrationSource,
  migrate,
  openDatabase,
  prepareDatabase,
  schemaDrift,
} from '@oneroster/database';
import {
  createAccountWithOneTimePassword,
  FieldErrors,
  PortalProblem,
} from '@oneroster/data-access-portal';

const MIGRATIONS_DIR = join(
  __dirname,
  '../../libs/shared/database/src/lib/migrations',
);

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The first operator of a deployment (or any later one), through the account lifecycle. */
async function createOperator(
  config: ReturnType<typeof loadConfig>,
  args: string[],
): Promise<number> {
  const errors = new FieldErrors();
  const input = {
    email: option(args, 'email'),
    name: option(args, 'name') ?? 'Platform operator',
  };
  const email = errors.email(input, 'email');
  const displayName = errors.text(input, 'name', 200);
  if (!errors.empty || !email || !displayName) {
    for (const [field, problem] of Object.entries(errors.fields))
      console.error(`--${field} ${problem}`);
    console.error(
      'usage: db create-operator --email ops@example.org [--name "Name"]',
    );
    return 2;
  }
  const ds = await openDatabase(config.database);
  try {
    if (await ds.showMigrations()) {
      console.error(
        `${describeDatabase(config.database)}: migrations pending; run \`npm run db -- migrate\` first`,
      );
      return 1;
    }
    const { account, oneTimePassword } = await createAccountWithOneTimePassword(
      ds,
      {
        email,
        displayName,
        platformRole: 'operator',
        integratorId: null,
        schoolRoles: [],
      },
    );
    console.warn(
      `Created the platform operator ${account.email} in ${describeDatabase(config.database)}.`,
    );
    // The only line on stdout, so a script can read it.
    process.stdout.write(`One-time password: ${oneTimePassword}\n`);
    console.warn(
      'It is shown once and only opens the form that sets a new password at the first sign-in.',
    );
    return 0;
  } catch (err) {
    if (err instanceof PortalProblem) {
      console.error(`${email}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const ds = await openDatabase(config.database);
      try {
        const applied = await migrate(ds);
        console.warn(
          `${describeDatabase(config.database)}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`,
        );
      } finally {
        await ds.destroy();
      }
      return 0;
    }
    case 'prepare': {
      if (config.mode === 'production' && config.seedDemoData) {
        console.error(
          'db prepare: refusing to seed the demo trust in production mode (ONEROSTER_MODE=production, or NODE_ENV=production without ONEROSTER_MODE; ONEROSTER_MODE=demo for the demo):',
        );
        console.error(`  - ${DEMO_SEEDING_REFUSED}`);
        return 1;
      }
      const prepared = await prepareDatabase(config);
      const where = describeDatabase(config.database);
      console.warn(
        `${where}: ${prepared.migrationsApplied.length ? `applied ${prepared.migrationsApplied.join(', ')}` : 'no migrations applied'}`,
      );
      const demo = prepared.demo;
      if (demo) {
        console.warn(
          `Seeded the demo trust. Every demo account's password: ${demo.password}`,
        );
        console.warn(`  operator            ${demo.operatorEmail}`);
        console.warn(`  integrator developer ${demo.developerEmail}`);
        for (const a of demo.schoolAdmins)
          console.warn(`  school administrator ${a.email} (${a.school})`);
        for (const c of demo.clients)
          console.warn(
            `  sandbox client       ${c.clientId} / ${demo.sandboxClientSecret} (${c.school})`,
          );
        for (const c of demo.misClients)
          console.warn(
            `  MIS connector client ${c.clientId} / ${demo.sandboxClientSecret} (${c.school}, gradebook change feed, CSV imports)`,
          );
      }
      return 0;
    }
    case 'create-operator':
      return createOperator(config, args);
    case 'status': {
      const ds = await openDatabase(config.database);
      try {
        const pending = await ds.showMigrations();
        console.warn(
          `${describeDatabase(config.database)}: ${pending ? 'migrations pending' : 'up to date'}`,
        );
        return pending ? 1 : 0;
      } finally {
        await ds.destroy();
      }
    }
    case 'drift': {
      const ds = await openDatabase(config.database);
      try {
        const sql = await schemaDrift(ds);
        for (const s of sql) console.warn(`${s};`);
        return sql.length ? 1 : 0;
      } finally {
        await ds.destroy();
      }
    }
    case 'generate': {
      const name = args[0];
      if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
        console.error('usage: db generate <PascalCaseName>');
        return 2;
      }
      const mysqlUrl = process.env['MYSQL_GENERATE_URL'];
      if (!mysqlUrl) {
        console.error(
          'MYSQL_GENERATE_URL must point at an empty scratch MySQL/MariaDB database',
        );
        return 2;
      }
      const stamp = Date.now();
      const className = `${name}${stamp}`;
      for (const [dialect, db] of [
        ['sqlite', parseDatabaseUrl('sqlite::memory:')],
        ['mysql', parseDatabaseUrl(mysqlUrl)],
      ] as const) {
        const ds = await openDatabase(db);
        try {
          await migrate(ds);
          const source = await generateMigrationSource(ds, className);
          if (!source) {
            console.warn(`${dialect}: no changes`);
            continue;
          }
          const file = join(MIGRATIONS_DIR, dialect, `${stamp}-${name}.ts`);
          writeFileSync(file, source);
          console.warn(`${dialect}: wrote ${file}`);
        } finally {
          await ds.destroy();
        }
      }
      return 0;
    }
    default:
      console.error(
        'usage: db <migrate|prepare|create-operator --email E [--name N]|status|drift|generate <Name>>',
      );
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
