import type { DataSource } from 'typeorm';
import {
  USAGE_CATEGORY_KEYS,
  USAGE_CATEGORY_LABELS,
  type IntegratorUsageView,
  type UsageCategoryFigures,
  type UsageCategoryKey,
  type UsageDayView,
} from '@oneroster/contracts';
import { encodeDate } from '@oneroster/database';
import { IntegratorEntity } from '@oneroster/entities';
import { usageCategoryOf } from '@oneroster/oneroster-catalogue';
import { assertSchoolAdmin, type PortalActor } from './actor';
import { invalid } from './errors';
import { integratorSummary } from './views';

const DAY_MS = 86_400_000;
const BUSIEST_DAYS = 3;

/** True for "table does not exist" on SQLite and MySQL/MariaDB. */
function isMissingTable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === 'ER_NO_SUCH_TABLE' || /no such table/i.test(e?.message ?? '')
  );
}

/** The usage figures as a CSV download: its name and its text. */
export interface UsageCsv {
  filename: string;
  body: string;
}

interface DayTally {
  requests: number;
  recordsWritten: number;
  categories: Map<UsageCategoryKey, { requests: number; records: number }>;
}

/**
 * What each integrator did with one school's data per day: API requests and the records
 * they answered with, per kind of data (`usageCategoryOf` of the route template), from
 * `api_usage_daily`, which the API maintains (no such table means no usage recorded yet);
 * and records written back (from `gradebook_changes`). Days are UTC, oldest first, and only
 * days with activity are listed.
 */
export class PortalUsage {
  constructor(private readonly ds: DataSource) {}

  async forSchool(
    actor: PortalActor,
    schoolId: string,
    daysParam: string | number | undefined,
  ): Promise<IntegratorUsageView[]> {
    assertSchoolAdmin(actor, schoolId);
    const days = parseDays(daysParam);
    const sinceDay = encodeDate(startOfPeriod(days));

    let requests: {
      integratorId: string;
      day: string;
      route: string;
      requests: number | string;
      records: number | string;
    }[] = [];
    try {
      requests = await this.ds.query(
        `SELECT integrator_id AS integratorId, day, route, SUM(requests) AS requests,
                SUM(records) AS records
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
      { days: Map<string, DayTally>; routes: Map<string, number> }
    >();
    const of = (id: string) => {
      let u = usage.get(id);
      if (!u) usage.set(id, (u = { days: new Map(), routes: new Map() }));
      return u;
    };
    const day = (id: string, d: string) => {
      const u = of(id);
      let e = u.days.get(d);
      if (!e)
        u.days.set(
          d,
          (e = { requests: 0, recordsWritten: 0, categories: new Map() }),
        );
      return e;
    };
    for (const r of requests) {
      const n = Number(r.requests);
      const records = Number(r.records);
      const tally = day(r.integratorId, String(r.day).slice(0, 10));
      tally.requests += n;
      const key = usageCategoryOf(r.route);
      const c = tally.categories.get(key) ?? { requests: 0, records: 0 };
      c.requests += n;
      c.records += records;
      tally.categories.set(key, c);
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
        const dayViews = [...u.days.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([d, v]) => dayView(d, v));
        return {
          integrator: integratorSummary(i),
          days: dayViews,
          categories: figures((key) =>
            dayViews.reduce(
              (sum, d) => {
                const c = d.categories.find((x) => x.key === key);
                return c
                  ? {
                      requests: sum.requests + c.requests,
                      records: sum.records + c.records,
                    }
                  : sum;
              },
              { requests: 0, records: 0 },
            ),
          ),
          totals: {
            requests: dayViews.reduce((n, d) => n + d.requests, 0),
            recordsRead: dayViews.reduce((n, d) => n + d.recordsRead, 0),
            recordsWritten: dayViews.reduce((n, d) => n + d.recordsWritten, 0),
          },
          busiestDays: [...dayViews]
            .filter((d) => d.requests > 0)
            .sort(
              (a, b) =>
                b.recordsRead - a.recordsRead ||
                b.requests - a.requests ||
                (a.day < b.day ? -1 : 1),
            )
            .slice(0, BUSIEST_DAYS),
          endpoints: [...u.routes.entries()]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, 20)
            .map(([route, n]) => ({ route, requests: n })),
        };
      });
  }

  /**
   * The same figures as `forSchool`, one CSV row (RFC 4180) per integrator, day and kind of
   * data: requests, records read and, on the `results` row, records written back (the
   * gradebook's records). Text cells that a spreadsheet would run as a formula are quoted
   * with a leading apostrophe (OWASP "CSV injection").
   */
  async csvForSchool(
    actor: PortalActor,
    schoolId: string,
    daysParam: string | number | undefined,
  ): Promise<UsageCsv> {
    const views = await this.forSchool(actor, schoolId, daysParam);
    const days = parseDays(daysParam);
    const lines = [
      [
        'day',
        'integrator_id',
        'integrator',
        'data_category',
        'data_category_label',
        'requests',
        'records_read',
        'records_written',
      ],
    ];
    for (const v of views)
      for (const d of v.days) {
        const rows = new Map(
          d.categories.map((c) => [c.key, { ...c, written: 0 }]),
        );
        if (d.recordsWritten > 0) {
          const results = rows.get('results') ?? {
            key: 'results' as const,
            label: USAGE_CATEGORY_LABELS.results,
            requests: 0,
            records: 0,
            written: 0,
          };
          results.written = d.recordsWritten;
          rows.set('results', results);
        }
        for (const key of USAGE_CATEGORY_KEYS) {
          const row = rows.get(key);
          if (!row) continue;
          lines.push([
            d.day,
            v.integrator.id,
            v.integrator.name,
            key,
            row.label,
            String(row.requests),
            String(row.records),
            String(row.written),
          ]);
        }
      }
    const from = encodeDate(startOfPeriod(days));
    const to = encodeDate(new Date());
    const safeId = schoolId.replace(/[^A-Za-z0-9._-]/g, '_');
    return {
      filename: `usage-${safeId}-${from}-to-${to}.csv`,
      body:
        lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') +
        '\r\n',
    };
  }
}

function parseDays(daysParam: string | number | undefined): number {
  const days = daysParam === undefined ? 30 : Number(daysParam);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw invalid({ days: 'must be a whole number from 1 to 366' });
  return days;
}

function startOfPeriod(days: number): Date {
  const since = new Date(Date.now() - (days - 1) * DAY_MS);
  since.setUTCHours(0, 0, 0, 0);
  return since;
}

function figures(
  of: (key: UsageCategoryKey) => { requests: number; records: number },
): UsageCategoryFigures[] {
  return USAGE_CATEGORY_KEYS.map((key) => ({
    key,
    label: USAGE_CATEGORY_LABELS[key],
    ...of(key),
  })).filter((c) => c.requests > 0);
}

function dayView(day: string, t: DayTally): UsageDayView {
  const categories = figures(
    (key) => t.categories.get(key) ?? { requests: 0, records: 0 },
  );
  return {
    day,
    requests: t.requests,
    recordsRead: categories.reduce((n, c) => n + c.records, 0),
    recordsWritten: t.recordsWritten,
    categories,
  };
}

function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
