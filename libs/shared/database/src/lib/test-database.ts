import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { DatabaseConfig, parseDatabaseUrl } from '@oneroster/config';
import { migrate, openDatabase } from './data-source';
import { serverConnection } from './mysql-server';

/**
 * Databases for data-layer tests. SQLite (in memory) always; MariaDB/MySQL too when
 * TEST_DATABASE_URL names a server and a base database name, e.g.
 * `mysql://root@127.0.0.1:3306/oneroster_test`. Each test file gets its own database
 * (`<base>_<suffix>`), dropped and created afresh, so files can run in parallel.
 */
export interface TestEngine {
  name: 'sqlite' | 'mysql';
  config: () => Promise<DatabaseConfig>;
}

export function testEngines(
  suffix: string,
  options: { sqliteFile?: boolean } = {},
): TestEngine[] {
  // A file when several connections (an app and the test) must see the same SQLite data.
  const sqlite = async (): Promise<DatabaseConfig> => ({
    kind: 'sqlite',
    file: options.sqliteFile
      ? join(mkdtempSync(join(tmpdir(), `oneroster-${suffix}-`)), 'test.sqlite')
      : ':memory:',
  });
  const engines: TestEngine[] = [{ name: 'sqlite', config: sqlite }];
  const url = process.env['TEST_DATABASE_URL'];
  if (url)
    engines.push({
      name: 'mysql',
      config: () => freshMysqlDatabase(url, suffix),
    });
  return engines;
}

async function freshMysqlDatabase(
  url: string,
  suffix: string,
): Promise<DatabaseConfig> {
  const base = parseDatabaseUrl(url);
  if (base.kind !== 'mysql')
    throw new Error('TEST_DATABASE_URL must be a mysql:// or mariadb:// URL');
  const database = `${base.database}_${suffix}`
    .replace(/[^A-Za-z0-9_]/g, '_')
    .slice(0, 64);
  const { createConnection } = await import('mysql2/promise');
  const conn = await createConnection(serverConnection(base));
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } finally {
    await conn.end();
  }
  return { ...base, database };
}

/** Opens a fresh database of that engine and applies every migration. */
export async function openMigratedDatabase(
  engine: TestEngine,
): Promise<DataSource> {
  const ds = await openDatabase(await engine.config());
  await migrate(ds);
  return ds;
}
