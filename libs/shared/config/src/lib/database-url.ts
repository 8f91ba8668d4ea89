/**
 * Where the data lives. No configuration means the embedded SQLite file under ./data;
 * `mysql://user:pass@host:3306/db` (or `mariadb://…`) means MySQL 8 / MariaDB 10.11+.
 */
export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'mysql';
      /** `mariadb://` fixes it; otherwise the server is asked on connect. */
      flavor?: 'mysql' | 'mariadb';
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
    };

export const DEFAULT_SQLITE_FILE = 'data/oneroster.sqlite';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses a DATABASE_URL. Throws a ConfigError that names the problem, never echoing a password. */
export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
  if (url === undefined || url.trim() === '')
    return { kind: 'sqlite', file: DEFAULT_SQLITE_FILE };
  const raw = url.trim();
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file)
      throw new ConfigError(
        'DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/oneroster.sqlite',
      );
    return { kind: 'sqlite', file };
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(
      'DATABASE_URL is not a valid URL (expected mysql://user:pass@host:3306/db or sqlite:path)',
    );
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new ConfigError(
      `DATABASE_URL scheme ${parsed.protocol} is not supported (use mysql:, mariadb: or sqlite:)`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database)
    throw new ConfigError(
      'DATABASE_URL must name a database, e.g. mysql://root@127.0.0.1:3306/oneroster',
    );
  return {
    kind: 'mysql',
    ...(parsed.protocol === 'mariadb:' ? { flavor: 'mariadb' as const } : {}),
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/** The URL with its password masked, fit for logs. */
export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === 'sqlite'
    ? `SQLite ${config.file}`
    : `MySQL ${config.user}@${config.host}:${config.port}/${config.database}`;
}
