/**
 * Database command line: `npm run db -- <command>`.
 *
 *   migrate               apply pending migrations (DATABASE_URL, default: embedded SQLite)
 *   prepare               what an app does before it serves: migrate and seed the demo trust
 *                         into an empty database (per MIGRATE_ON_START / SEED_DEMO_DATA)
 *   status                list applied and pending migrations
 *   drift                 print SQL the entities still need (empty = migrations match entities)
 *   generate <Name>       write a new migration for both dialects (needs MYSQL_GENERATE_URL,
 *                         an empty scratch MySQL/MariaDB database)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
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

const MIGRATIONS_DIR = join(
  __dirname,
  '../../libs/shared/database/src/lib/migrations',
);

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
            `  MIS connector client ${c.clientId} / ${demo.sandboxClientSecret} (${c.school}, gradebook change feed)`,
          );
      }
      return 0;
    }
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
      console.error('usage: db <migrate|prepare|status|drift|generate <Name>>');
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
