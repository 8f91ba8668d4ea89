import { DataSource, DataSourceOptions, MigrationInterface } from 'typeorm';
import type { DatabaseConfig, ReplicaConfig } from '@oneroster/config';
import { ALL_ENTITIES } from '@oneroster/entities';
import { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import {
  attachReadRouting,
  ReadRouting,
  type SharedWritesConfig,
} from './replicas';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { serverConnection } from './mysql-server';

export type Dialect = DatabaseConfig['kind'];

export const MIGRATIONS_TABLE = 'schema_migrations';

export function migrationsFor(
  dialect: Dialect,
): (new () => MigrationInterface)[] {
  return dialect === 'sqlite' ? [...SQLITE_MIGRATIONS] : [...MYSQL_MIGRATIONS];
}

export interface DataSourceExtras {
  logging?: boolean;
  /** Connection pool size (MySQL; per server with replicas). */
  poolSize?: number;
  /**
   * Read replicas (MySQL/MariaDB): reads asked for through `readQuery`/`readQueryRunner` may
   * go to them; everything else stays on the primary (replicas.ts).
   */
  replicas?: ReplicaConfig;
  /**
   * With replicas: share the read-your-writes window between instances through Redis
   * (REDIS_URL set); null or absent: each instance keeps its own.
   */
  sharedWrites?: SharedWritesConfig | null;
}

/**
 * TypeORM options for either engine. `synchronize` is never on: the schema changes only
 * through the explicit migrations of each dialect.
 */
export function dataSourceOptions(
  config: DatabaseConfig,
  extras: DataSourceExtras = {},
): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: migrationsFor(config.kind),
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    migrationsRun: false,
    logging: extras.logging ?? false,
  } as const;
  if (config.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: config.file,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        // WAL lets readers run while an import writes; busy_timeout makes writers queue
        // instead of failing with SQLITE_BUSY.
        if (config.file !== ':memory:') db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 10000');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  const server = {
    host: config.host,
    port: config.port,
    username: config.user,
    password: config.password,
    database: config.database,
  };
  const replicas = extras.replicas?.servers ?? [];
  return {
    ...common,
    // TypeORM reads column defaults differently on MariaDB; the wrong driver type makes
    // every nullable column look changed.
    type: config.flavor === 'mariadb' ? 'mariadb' : 'mysql',
    ...(replicas.length === 0
      ? server
      : {
          replication: {
            master: server,
            slaves: replicas.map((r) => ({
              host: r.host,
              port: r.port,
              username: r.user,
              password: r.password,
              database: r.database,
            })),
            // Only reads asked for as replica reads leave the primary: TypeORM's own
            // default sends every query builder SELECT (entity finds, checks before a
            // write) to a replica, where it could read an older state.
            defaultMode: 'master',
            // mysql2's pool cluster: a replica that refuses a connection is dropped at the
            // first error (the read then falls back to the primary) and added back by the
            // status checks of ReadRouting once it is healthy again.
            canRetry: true,
            removeNodeErrorCount: 1,
            restoreNodeTimeout: 0,
            selector: 'RR',
          },
        }),
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    // DATE columns stay `YYYY-MM-DD` strings; no time zone can shift them.
    dateStrings: ['DATE'],
    poolSize: extras.poolSize ?? 10,
    // A server that does not answer (host down, packets dropped) fails a request in 3 s
    // instead of mysql2's 10 s; a refused connection fails at once anyway.
    connectTimeout: 3000,
  };
}

/** Opens a connection (creating the SQLite folder if needed). Does not migrate. */
export async function openDatabase(
  config: DatabaseConfig,
  extras: DataSourceExtras = {},
): Promise<DataSource> {
  if (config.kind === 'sqlite' && config.file !== ':memory:')
    mkdirSync(dirname(config.file), { recursive: true });
  if (config.kind === 'mysql' && !config.flavor)
    config = { ...config, flavor: await detectMysqlFlavor(config) };
  const replicas = extras.replicas;
  if (config.kind !== 'mysql' || !replicas?.servers.length) {
    const ds = new DataSource(dataSourceOptions(config, extras));
    await ds.initialize();
    return ds;
  }
  const ds = new ReplicatedDataSource(dataSourceOptions(config, extras));
  await ds.initialize();
  ds.routing = new ReadRouting(
    ds,
    replicas.servers,
    replicas,
    extras.sharedWrites ?? null,
  );
  attachReadRouting(ds, ds.routing);
  await ds.routing.start();
  return ds;
}

/** A DataSource with read replicas: its status checks stop when it is destroyed. */
class ReplicatedDataSource extends DataSource {
  routing: ReadRouting | null = null;

  override async destroy(): Promise<void> {
    await this.routing?.stop();
    await super.destroy();
  }
}

async function detectMysqlFlavor(
  config: Extract<DatabaseConfig, { kind: 'mysql' }>,
): Promise<'mysql' | 'mariadb'> {
  const { createConnection } = await import('mysql2/promise');
  const conn = await createConnection({
    ...serverConnection(config),
    connectTimeout: 10000,
  });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const version = String((rows as { v: string }[])[0]?.v ?? '');
    return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

/** Applies pending migrations; returns the names of those applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const applied = await ds.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/**
 * SQL that would still be needed to make the database match the entities. Empty when the
 * migrations and the entities agree.
 */
export async function schemaDrift(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
