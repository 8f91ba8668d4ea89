import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { encodeDate } from '@oneroster/database';
import { ApiUsageSink } from '@oneroster/util-http';

/**
 * Usage statistics of the API (table `api_usage_daily`). Rules enforced:
 * - one count per request, school, integrator (empty when the token names none), UTC day
 *   and route template, kept in memory: counting never touches the database;
 * - the records a read answered with are added to the same row (`countRecords`, told once
 *   the response was sent);
 * - every `flushEveryMs` (and when the app closes) the counts are added to the table in one
 *   transaction, with an upsert that adds (`ON DUPLICATE KEY UPDATE` on MySQL/MariaDB,
 *   `ON CONFLICT … DO UPDATE` on SQLite), so several instances add to the same rows;
 * - a flush that fails changes nothing and keeps its counts for the next one: nothing is
 *   lost or counted twice while the database is away;
 * - flushes never overlap.
 */
interface Row {
  schoolId: string;
  integratorId: string;
  day: string;
  route: string;
  requests: number;
  records: number;
}

const CHUNK = 500;

@Injectable()
export class ApiUsageRecorder
  extends ApiUsageSink
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  flushEveryMs = 5000;
  private readonly logger = new Logger('ApiUsageRecorder');
  private pending = new Map<string, Row>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;

  constructor(private readonly ds: DataSource) {
    super();
  }

  count(
    schoolIds: readonly string[],
    integratorId: string | null,
    route: string,
    at: Date = new Date(),
  ): void {
    const day = encodeDate(at);
    for (const schoolId of schoolIds)
      this.add({
        schoolId,
        integratorId: integratorId ?? '',
        day,
        route,
        requests: 1,
        records: 0,
      });
  }

  countRecords(
    schoolIds: readonly string[],
    integratorId: string | null,
    route: string,
    records: number,
    at: Date = new Date(),
  ): void {
    const day = encodeDate(at);
    for (const schoolId of schoolIds)
      this.add({
        schoolId,
        integratorId: integratorId ?? '',
        day,
        route,
        requests: 0,
        records,
      });
  }

  /** Requests counted but not yet written. */
  get pendingRequests(): number {
    let n = 0;
    for (const row of this.pending.values()) n += row.requests;
    return n;
  }

  /** Writes the counts so far; false (counts kept) when the database refused. */
  flush(): Promise<boolean> {
    // A flush asked for during another waits for it, then writes what came since.
    const run = async (): Promise<boolean> => {
      if (this.flushing) await this.flushing;
      return this.write();
    };
    const next = run().finally(() => {
      if (this.flushing === next) this.flushing = null;
    });
    this.flushing = next;
    return next;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.flushEveryMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private add(row: Row): void {
    const key = `${row.schoolId}\u0000${row.integratorId}\u0000${row.day}\u0000${row.route}`;
    const existing = this.pending.get(key);
    if (existing) {
      existing.requests += row.requests;
      existing.records += row.records;
    } else this.pending.set(key, { ...row });
  }

  private async write(): Promise<boolean> {
    if (this.pending.size === 0) return true;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.ds.transaction(async (em) => {
        for (let i = 0; i < batch.length; i += CHUNK) {
          const rows = batch.slice(i, i + CHUNK);
          await em.query(this.upsertSql(rows.length), rows.flatMap(values));
        }
      });
      return true;
    } catch (err) {
      for (const row of batch) this.add(row);
      this.logger.warn(
        `Usage counts kept for the next flush (${batch.length} rows): ${(err as Error).message}`,
      );
      return false;
    }
  }

  private upsertSql(rows: number): string {
    const tuples = Array.from(
      { length: rows },
      () => '(?, ?, ?, ?, ?, ?)',
    ).join(', ');
    const insert = `INSERT INTO api_usage_daily (school_id, integrator_id, day, route, requests, records) VALUES ${tuples}`;
    return this.ds.options.type === 'better-sqlite3'
      ? `${insert} ON CONFLICT (school_id, integrator_id, day, route) DO UPDATE SET requests = api_usage_daily.requests + excluded.requests, records = api_usage_daily.records + excluded.records`
      : `${insert} ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests), records = records + VALUES(records)`;
  }
}

const values = (r: Row) => [
  r.schoolId,
  r.integratorId,
  r.day,
  r.route,
  r.requests,
  r.records,
];
