import type { Redis } from 'ioredis';
import type { DataSource, QueryRunner } from 'typeorm';
import type { DatabaseConfig, ReplicaConfig } from '@oneroster/config';

type MysqlConfig = Extract<DatabaseConfig, { kind: 'mysql' }>;

/** What /health tells of one replica. */
export interface ReplicaStatus {
  /** `host:port` (never the credentials). */
  address: string;
  /** The replica took the status connection at the last check (it may still refuse the query). */
  reachable: boolean;
  /** Both replication threads run (IO and SQL). */
  replicating: boolean;
  /** Seconds_Behind_Master of the last check; null when unknown (stopped, unreachable). */
  lagSeconds: number | null;
  /** Reads may go to it. */
  inRotation: boolean;
  /** Why it is out of the rotation (null when in). */
  reason: string | null;
  /** When it was last checked (ISO 8601), null before the first check. */
  checkedAt: string | null;
}

/**
 * Where the read-your-writes window is shared between instances: Redis, one key per school
 * written to, `<keyPrefix>:ryw:<schoolId>`, set by `noteWrite` with the window as its TTL.
 */
export interface SharedWritesConfig {
  redisUrl: string;
  /** Namespace of the keys; the platform's invalidation channel (one per platform). */
  keyPrefix: string;
  /** A Redis answer slower than this counts as an error (the read goes to the primary). */
  commandTimeoutMs?: number;
}

/** The part of TypeORM's MysqlDriver the rotation uses (public members of the driver). */
interface ClusterDriver {
  options: {
    replication?: { slaves: readonly object[] };
  };
  poolCluster?: {
    add(id: string, config: object): void;
    remove(pattern: string): void;
  };
  createConnectionOptions(options: object, credentials: object): object;
}

interface MonitorConnection {
  query(sql: string): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}

/** Errors of mysql2 that leave no usable connection (server gone, connection refused). */
const isFatal = (err: unknown) => {
  const e = err as { fatal?: boolean; driverError?: { fatal?: boolean } };
  return e?.fatal === true || e?.driverError?.fatal === true;
};

/**
 * Which server a read goes to, and the state of each replica. Rules enforced:
 * - writes, transactions and every query not asked for as a replica read go to the primary
 *   (TypeORM `replication.defaultMode: 'master'`); only `readQueryRunner`/`readQuery` use
 *   a replica;
 * - a replica is in the read rotation only when its last status check (every
 *   `checkIntervalMs`) found it reachable, both replication threads running and
 *   Seconds_Behind_Master at most `maxLagSeconds`; otherwise it is removed from mysql2's
 *   pool cluster and added back once a check finds it healthy again;
 * - no replica in rotation, or no connection to be had from one: the read goes to the
 *   primary (a stopped replica costs freshness checks, never failed reads);
 * - read-your-writes: after a write for a school through this process, that school's reads
 *   go to the primary for `(maxLagSeconds + 1) s + checkIntervalMs`, the longest a replica
 *   in rotation can be behind (lag is reported in whole seconds, and may grow between two
 *   checks), so the writer never reads an older state than it wrote;
 * - with `shared` (REDIS_URL set), the window is also kept in Redis, so every instance sees
 *   every instance's writes: a read that could go to a replica first asks Redis (one MGET)
 *   whether its schools wrote lately; Redis unreachable, slow or in error: the read goes to
 *   the primary (never a possibly stale replica).
 */
export class ReadRouting {
  private readonly states: ReplicaStatus[];
  private readonly monitors: (MonitorConnection | null)[];
  private readonly writes = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;
  /** Reads sent to the primary because no replica connection could be had (since start). */
  fallbacks = 0;
  /** Redis commands of the shared window that failed (since start). */
  sharedErrors = 0;
  private redis: Redis | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly servers: readonly MysqlConfig[],
    private readonly settings: Pick<
      ReplicaConfig,
      'maxLagSeconds' | 'checkIntervalMs'
    >,
    private readonly shared: SharedWritesConfig | null = null,
  ) {
    this.states = servers.map((s) => ({
      address: `${s.host}:${s.port}`,
      reachable: false,
      replicating: false,
      lagSeconds: null,
      // Out until the first check has seen it healthy.
      inRotation: false,
      reason: 'not checked yet',
      checkedAt: null,
    }));
    this.monitors = servers.map(() => null);
  }

  /** How long a school's reads stay on the primary after a write, in ms. */
  get readYourWritesMs(): number {
    return (
      (this.settings.maxLagSeconds + 1) * 1000 + this.settings.checkIntervalMs
    );
  }

  /** Checks every replica now, then every `checkIntervalMs`. */
  async start(): Promise<void> {
    if (this.shared) {
      const { Redis } = await import('ioredis');
      this.redis = new Redis(this.shared.redisUrl, {
        // Fail at once while disconnected instead of queueing: the read goes to the primary.
        enableOfflineQueue: false,
        commandTimeout: this.shared.commandTimeoutMs ?? 250,
        maxRetriesPerRequest: 0,
        lazyConnect: true,
      });
      // Reconnects by itself; errors show as failed commands (sharedErrors).
      this.redis.on('error', () => undefined);
      await this.redis.connect().catch(() => undefined);
    }
    await this.check();
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.schedule());
    }, this.settings.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    await Promise.all(
      this.monitors.map((m) => m?.end().catch(() => undefined)),
    );
    this.monitors.fill(null);
    if (this.redis) {
      const redis = this.redis;
      this.redis = null;
      if (redis.status === 'ready') await redis.quit().catch(() => undefined);
      redis.disconnect();
    }
  }

  statuses(): ReplicaStatus[] {
    return this.states.map((s) => ({ ...s }));
  }

  private sharedKey(schoolId: string): string {
    return `${this.shared?.keyPrefix}:ryw:${schoolId}`;
  }

  /**
   * Records a committed write for these schools (read-your-writes): in this instance's memory
   * at once and, shared, in Redis (resolves once Redis has it; never rejects).
   */
  async noteWrite(schoolIds: readonly string[]): Promise<void> {
    const ms = this.readYourWritesMs;
    const until = Date.now() + ms;
    for (const id of schoolIds) this.writes.set(id, until);
    const redis = this.redis;
    if (!redis || schoolIds.length === 0) return;
    // Sent before this returns (the command is written to the connection synchronously),
    // so before the writer's answer leaves for its client.
    const multi = redis.multi();
    for (const id of schoolIds) multi.set(this.sharedKey(id), '1', 'PX', ms);
    try {
      await multi.exec();
    } catch {
      this.sharedErrors++;
    }
  }

  /** Whether this instance wrote for one of these schools within the window. */
  private wroteLocally(schoolIds: readonly string[]): boolean {
    const now = Date.now();
    for (const id of schoolIds) {
      const until = this.writes.get(id);
      if (until === undefined) continue;
      if (until > now) return true;
      this.writes.delete(id);
    }
    return false;
  }

  /**
   * Whether one of these schools wrote within the window: through this instance, or (shared)
   * through any instance. Redis unreachable, slow or in error counts as yes.
   */
  async wroteLately(schoolIds: readonly string[]): Promise<boolean> {
    if (this.wroteLocally(schoolIds)) return true;
    if (!this.shared || schoolIds.length === 0) return false;
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') {
      this.sharedErrors++;
      return true;
    }
    try {
      const found = await redis.mget(
        ...schoolIds.map((id) => this.sharedKey(id)),
      );
      return found.some((v) => v !== null);
    } catch {
      this.sharedErrors++;
      return true;
    }
  }

  /** Where a read for these schools goes now. */
  async modeFor(schoolIds: readonly string[]): Promise<'slave' | 'master'> {
    if (!this.states.some((s) => s.inRotation)) return 'master';
    return (await this.wroteLately(schoolIds)) ? 'master' : 'slave';
  }

  /** One status round over every replica (rounds never overlap). */
  check(): Promise<void> {
    this.round ??= Promise.all(
      this.servers.map((_, i) => this.checkOne(i)),
    ).then(
      () => {
        this.round = null;
      },
      () => {
        this.round = null;
      },
    );
    return this.round;
  }

  private async checkOne(i: number): Promise<void> {
    if (this.stopped) return;
    const state = this.states[i];
    if (!state) return;
    let next: Omit<ReplicaStatus, 'address' | 'inRotation' | 'checkedAt'>;
    try {
      const row = await this.replicaStatus(i);
      if (!row) {
        next = {
          reachable: true,
          replicating: false,
          lagSeconds: null,
          reason: 'not a replica (no replication configured)',
        };
      } else {
        const io = pick(row, 'Slave_IO_Running', 'Replica_IO_Running');
        const sql = pick(row, 'Slave_SQL_Running', 'Replica_SQL_Running');
        const lagRaw = pick(
          row,
          'Seconds_Behind_Master',
          'Seconds_Behind_Source',
        );
        const replicating = io === 'Yes' && sql === 'Yes';
        const lagSeconds =
          lagRaw === null || lagRaw === undefined ? null : Number(lagRaw);
        next = {
          reachable: true,
          replicating,
          lagSeconds,
          reason: !replicating
            ? `replication stopped (IO ${io ?? '?'}, SQL ${sql ?? '?'})`
            : lagSeconds === null
              ? 'lag unknown'
              : lagSeconds > this.settings.maxLagSeconds
                ? `lagging ${lagSeconds} s (bound ${this.settings.maxLagSeconds} s)`
                : null,
        };
      }
    } catch (err) {
      // A server that answers with an error (the account may not read the replication
      // status) is reachable; only a lost or refused connection is not.
      const answered =
        this.monitors[i] !== null &&
        typeof (err as { errno?: unknown }).errno === 'number' &&
        !isFatal(err);
      if (!answered) {
        await this.monitors[i]?.end().catch(() => undefined);
        this.monitors[i] = null;
      }
      next = {
        reachable: answered,
        replicating: false,
        lagSeconds: null,
        reason: answered
          ? `replication status unreadable (${errorCode(err)})`
          : `unreachable (${errorCode(err)})`,
      };
    }
    if (this.stopped) return;
    Object.assign(state, next, {
      inRotation: next.reason === null,
      checkedAt: new Date().toISOString(),
    });
    this.applyRotation(i, state.inRotation);
  }

  private async replicaStatus(
    i: number,
  ): Promise<Record<string, unknown> | null> {
    let conn = this.monitors[i];
    if (!conn) {
      const s = this.servers[i];
      if (!s) throw new Error(`no replica ${i}`);
      const { createConnection } = await import('mysql2/promise');
      conn = (await createConnection({
        host: s.host,
        port: s.port,
        user: s.user,
        password: s.password,
        connectTimeout: Math.min(
          3000,
          Math.max(500, this.settings.checkIntervalMs),
        ),
      })) as unknown as MonitorConnection;
      // A broken monitor connection is found by the next query; errors must not go unhandled.
      (conn as unknown as { on(e: string, f: () => void): void }).on(
        'error',
        () => undefined,
      );
      this.monitors[i] = conn;
    }
    let rows: unknown;
    try {
      // MariaDB 10.5.1+ and MySQL 8.0.22+; older servers know only SHOW SLAVE STATUS.
      [rows] = await conn.query('SHOW REPLICA STATUS');
    } catch (err) {
      if ((err as { errno?: number }).errno !== 1064) throw err;
      [rows] = await conn.query('SHOW SLAVE STATUS');
    }
    return (rows as Record<string, unknown>[])[0] ?? null;
  }

  /** Adds or removes the replica's node in mysql2's pool cluster (both idempotent). */
  private applyRotation(i: number, inRotation: boolean) {
    const driver = this.ds.driver as unknown as ClusterDriver;
    const cluster = driver.poolCluster;
    const credentials = driver.options.replication?.slaves[i];
    if (!cluster || !credentials) return;
    if (inRotation)
      cluster.add(
        `SLAVE${i}`,
        driver.createConnectionOptions(driver.options, credentials),
      );
    else cluster.remove(`SLAVE${i}`);
  }
}

const pick = (row: Record<string, unknown>, a: string, b: string) =>
  (row[a] ?? row[b] ?? null) as string | number | null;

function errorCode(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ?? e?.message ?? 'error';
}

const routings = new WeakMap<DataSource, ReadRouting>();

export function attachReadRouting(ds: DataSource, routing: ReadRouting) {
  routings.set(ds, routing);
}

/** The read routing of a DataSource opened with replicas; null without replicas. */
export function readRouting(ds: DataSource): ReadRouting | null {
  return routings.get(ds) ?? null;
}

/**
 * A connected query runner for a read on behalf of these schools: a replica's when one is in
 * rotation and the schools wrote nothing lately, the primary's otherwise (and whenever no
 * replica connection can be had). Release it when done.
 */
export async function readQueryRunner(
  ds: DataSource,
  schoolIds: readonly string[],
): Promise<QueryRunner> {
  const routing = readRouting(ds);
  const mode = routing ? await routing.modeFor(schoolIds) : 'master';
  const runner = ds.createQueryRunner(mode);
  try {
    await runner.connect();
    return runner;
  } catch (err) {
    await runner.release();
    if (mode !== 'slave') throw err;
  }
  if (routing) routing.fallbacks++;
  const primary = ds.createQueryRunner('master');
  try {
    await primary.connect();
    return primary;
  } catch (err) {
    await primary.release();
    throw err;
  }
}

/**
 * A read query through `readQueryRunner`. A replica connection lost during the query (the
 * server stopped) is retried once on the primary.
 */
export async function readQuery<T = Record<string, unknown>[]>(
  ds: DataSource,
  schoolIds: readonly string[],
  sql: string,
  params: unknown[] = [],
): Promise<T> {
  const runner = await readQueryRunner(ds, schoolIds);
  const onReplica = runner.getReplicationMode() === 'slave';
  try {
    return (await runner.query(sql, params)) as T;
  } catch (err) {
    if (!onReplica || !isFatal(err)) throw err;
  } finally {
    await runner.release();
  }
  const routing = readRouting(ds);
  if (routing) routing.fallbacks++;
  return (await ds.query(sql, params)) as T;
}

/**
 * Records a committed write for these schools, so their next reads see it (no-op without
 * replicas). Effective in this instance at once; with a shared window, the promise resolves
 * once Redis holds it (awaiting it is optional: the command leaves before this returns).
 */
export function noteWrite(
  ds: DataSource,
  schoolIds: readonly string[],
): Promise<void> {
  return readRouting(ds)?.noteWrite(schoolIds) ?? Promise.resolve();
}
