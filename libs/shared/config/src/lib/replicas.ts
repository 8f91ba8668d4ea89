import {
  ConfigError,
  type DatabaseConfig,
  parseDatabaseUrl,
} from './database-url';

type Env = Record<string, string | undefined>;
type MysqlConfig = Extract<DatabaseConfig, { kind: 'mysql' }>;

/**
 * Read replicas of a MySQL/MariaDB primary (DATABASE_REPLICA_*). Rules enforced at boot:
 * - replicas only beside a mysql:/mariadb: DATABASE_URL, each a mysql:/mariadb: URL (never
 *   SQLite, which has no replication);
 * - a replica URL without a database name reads the primary's database;
 * - no replica may be the primary itself (same host and port): its reads would be "replica"
 *   reads that never lag, hiding a wrong setting;
 * - the lag bound is 1 to 3600 seconds, the check interval 100 ms to 60 s.
 */
export interface ReplicaConfig {
  /** The replicas, in the order given (empty: every read goes to the primary). */
  servers: MysqlConfig[];
  /**
   * A replica further behind than this (Seconds_Behind_Master) is taken out of the read
   * rotation; also how long a school's reads stay on the primary after a write through this
   * process (read-your-writes).
   */
  maxLagSeconds: number;
  /** How often each replica's status is read. */
  checkIntervalMs: number;
}

function wholeBetween(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = env[name];
  if (v === undefined || v.trim() === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(
      `${name} must be a whole number from ${min} to ${max}, got "${v}"`,
    );
  return n;
}

export function replicaConfig(
  env: Env,
  primary: DatabaseConfig,
): ReplicaConfig {
  const maxLagSeconds = wholeBetween(
    env,
    'DATABASE_REPLICA_MAX_LAG_S',
    5,
    1,
    3600,
  );
  const checkIntervalMs = wholeBetween(
    env,
    'DATABASE_REPLICA_CHECK_INTERVAL_MS',
    1000,
    100,
    60_000,
  );
  const urls = (env['DATABASE_REPLICA_URLS'] ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length === 0) return { servers: [], maxLagSeconds, checkIntervalMs };
  if (primary.kind !== 'mysql')
    throw new ConfigError(
      'DATABASE_REPLICA_URLS needs a mysql: or mariadb: DATABASE_URL (the embedded SQLite database has no replicas)',
    );
  const servers = urls.map((raw, i) => {
    const label = `DATABASE_REPLICA_URLS entry ${i + 1}`;
    if (!/^(mysql|mariadb):\/\//i.test(raw))
      throw new ConfigError(
        `${label} must be a mysql:// or mariadb:// URL, e.g. mysql://reader@replica1:3306/oneroster`,
      );
    // Without a path the replica reads the primary's database.
    const withDb = /^[a-z]+:\/\/[^/]+\/?$/i.test(raw)
      ? `${raw.replace(/\/$/, '')}/${encodeURIComponent(primary.database)}`
      : raw;
    let server: DatabaseConfig;
    try {
      server = parseDatabaseUrl(withDb);
    } catch (err) {
      throw new ConfigError(
        `${label}: ${(err as Error).message.replace(/^DATABASE_URL /, '')}`,
      );
    }
    if (server.kind !== 'mysql') throw new ConfigError(`${label} is not MySQL`);
    if (server.host === primary.host && server.port === primary.port)
      throw new ConfigError(
        `${label} names the primary itself (${server.host}:${server.port})`,
      );
    const flavor = server.flavor ?? primary.flavor;
    return { ...server, ...(flavor ? { flavor } : {}) };
  });
  return { servers, maxLagSeconds, checkIntervalMs };
}
