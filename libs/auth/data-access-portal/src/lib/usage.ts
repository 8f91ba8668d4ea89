import type { DataSource } from 'typeorm';
import type { IntegratorUsageView } from '@oneroster/contracts';
import { encodeDate } from '@oneroster/database';
import { IntegratorEntity } from '@oneroster/entities';
import { assertSchoolAdmin, type PortalActor } from './actor';
import { invalid } from './errors';
import { integratorSummary } from './views';

const DAY_MS = 86_400_000;

/** True for "table does not exist" on SQLite and MySQL/MariaDB. */
function isMissingTable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === 'ER_NO_SUCH_TABLE' || /no such table/i.test(e?.message ?? '')
  );
}

/**
 * What each integrator did with one school's data per day: API requests (from
 * `api_usage_daily`, which the API maintains; no such table means no usage recorded yet)
 * and records written back (from `gradebook_changes`). Days are UTC, oldest first, and
 * only days with activity are listed.
 */
export class PortalUsage {
  constructor(private readonly ds: DataSource) {}

  async forSchool(
    actor: PortalActor,
    schoolId: string,
    daysParam: string | number | undefined,
  ): Promise<IntegratorUsageView[]> {
    assertSchoolAdmin(actor, schoolId);
    const days = daysParam === undefined ? 30 : Number(daysParam);
    if (!Number.isInteger(days) || days < 1 || days > 366)
      throw invalid({ days: 'must be a whole number from 1 to 366' });
    const since = new Date(Date.now() - (days - 1) * DAY_MS);
    since.setUTCHours(0, 0, 0, 0);
    const sinceDay = encodeDate(since);

    let requests: {
      integratorId: string;
      day: string;
      route: string;
      requests: number | string;
    }[] = [];
    try {
      requests = await this.ds.query(
        `SELECT integrator_id AS integratorId, day, route, SUM(requests) AS requests
         FROM api_usage_daily WHERE school_id = ? AND day >= ?
         GROUP BY integrator_id, day, route`,
        [schoolId, sinceDay],
      );
    } catch (err) {
      if (!isMissingTable(err)) throw err;
    }
    const writes: {
      integratorId: string;
      day: string;
      n: number | string;
    }[] = await this.ds.query(
      `SELECT integrator_id AS integratorId, SUBSTR(occurred_at, 1, 10) AS day, COUNT(*) AS n
       FROM gradebook_changes
       WHERE school_id = ? AND occurred_at >= ? AND integrator_id IS NOT NULL
       GROUP BY integrator_id, SUBSTR(occurred_at, 1, 10)`,
      // Instants are stored in UTC as `YYYY-MM-DD HH:MM:SS.mmm` (SQLite) or DATETIME(3).
      [schoolId, `${sinceDay} 00:00:00.000`],
    );

    const usage = new Map<
      string,
      {
        days: Map<string, { requests: number; recordsWritten: number }>;
        routes: Map<string, number>;
      }
    >();
    const of = (id: string) => {
      let u = usage.get(id);
      if (!u) usage.set(id, (u = { days: new Map(), routes: new Map() }));
      return u;
    };
    const day = (id: string, d: string) => {
      const u = of(id);
      let e = u.days.get(d);
      if (!e) u.days.set(d, (e = { requests: 0, recordsWritten: 0 }));
      return e;
    };
    for (const r of requests) {
      const n = Number(r.requests);
      day(r.integratorId, String(r.day).slice(0, 10)).requests += n;
      const routes = of(r.integratorId).routes;
      routes.set(r.route, (routes.get(r.route) ?? 0) + n);
    }
    for (const w of writes)
      day(w.integratorId, String(w.day).slice(0, 10)).recordsWritten += Number(
        w.n,
      );
    if (!usage.size) return [];
    const ids = [...usage.keys()];
    const integrators = await this.ds
      .getRepository(IntegratorEntity)
      .createQueryBuilder('i')
      .where('i.id IN (:...ids)', { ids })
      .getMany();
    return integrators
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((i) => {
        const u = usage.get(i.id) as NonNullable<ReturnType<typeof usage.get>>;
        return {
          integrator: integratorSummary(i),
          days: [...u.days.entries()]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([d, v]) => ({ day: d, ...v })),
          endpoints: [...u.routes.entries()]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, 20)
            .map(([route, n]) => ({ route, requests: n })),
        };
      });
  }
}
