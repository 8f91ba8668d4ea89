/**
 * Load soak of the OneRoster API: `npm run bench:soak -- --minutes 10` (docs/reliability.md,
 * "Load"). Read-only on the database.
 *
 *   --minutes N            length of the soak at the target rate (default 10)
 *   --capacity-seconds N   length of the capacity measurement (default 20)
 *   --connections N        concurrent connections (default 16)
 *   --fraction F           soak rate as a fraction of the measured capacity (default 0.8)
 *   --skip-build           reuse dist/apps/api
 *   --json FILE            also write the figures as JSON
 *   BENCH_DATABASE_URL     default mysql://root@127.0.0.1:3306/oneroster_large (the large trust)
 *
 * 1. Starts the built API on 127.0.0.1 as `npm start` runs it (same Node flags) against the
 *    database (its per-client rate limit off), with a test token issuer whose tokens name
 *    the sandbox application (approved by every demo school), so the tool needs to write
 *    nothing to the database.
 * 2. Capacity: autocannon with N connections for the capacity seconds, on a mix of list,
 *    single, relationship and filter requests across several schools.
 * 3. Soak: the same mix at F × capacity (autocannon overallRate) for the given minutes;
 *    the API's RSS is sampled every 10 s.
 * Reports the zero-error check (no non-2xx, no socket error, no timeout), p50/p99/max
 * latency, and RSS over time (mean of the first minute against the last one). Exit 1 when
 * any request failed or RSS grew by more than 25 % between the first and last minute.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { parseDatabaseUrl } from '@oneroster/config';
import { startTestIssuer } from '@oneroster/api-testing';
import { buildApi, memoryMb, startApi } from './api-process';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const minutes = Number(opt('minutes', '10'));
const capacitySeconds = Number(opt('capacity-seconds', '20'));
const connections = Number(opt('connections', '16'));
const fraction = Number(opt('fraction', '0.8'));
const jsonOut = opt('json', '');
const dbUrl =
  process.env['BENCH_DATABASE_URL'] ||
  'mysql://root@127.0.0.1:3306/oneroster_large';
const API_PORT = 3911;
const PUBLIC = 'http://soak.test';
const BASE = '/ims/oneroster/v1p1';
const log = (s: string) => process.stdout.write(`${s}\n`);
let api: ChildProcess | undefined;

type Row = Record<string, string>;

/** The request mix: ids read from the database (SELECTs only). */
async function requestMix(): Promise<{
  applicationId: string;
  schoolIds: string[];
  paths: { label: string; path: string }[];
}> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ uri: dbUrl });
  const q = async (sql: string, p: unknown[] = []) =>
    (await conn.query(sql, p))[0] as Row[];
  try {
    const [app] = await q(
      "SELECT a.id, COUNT(*) AS n FROM applications a JOIN approvals p ON p.application_id = a.id AND p.status = 'approved' WHERE a.name = 'Sandbox Explorer' GROUP BY a.id",
    );
    if (!app)
      throw new Error(
        'No approved sandbox application: seed the large trust first (docs/benchmarks.md)',
      );
    const schools = await q(
      "SELECT s.id, s.org_sourced_id AS org FROM schools s JOIN approvals p ON p.school_id = s.id AND p.application_id = ? AND p.status = 'approved' ORDER BY s.id LIMIT 8",
      [app['id']],
    );
    const paths: { label: string; path: string }[] = [];
    const enc = encodeURIComponent;
    for (const s of schools) {
      const pick = async (sql: string) =>
        (await q(`${sql} LIMIT 1`, [s['id']]))[0] ?? {};
      const student = await pick(
        "SELECT sourced_id AS id, family_name AS name FROM users WHERE school_id = ? AND role = 'student' ORDER BY sourced_id",
      );
      const teacher = await pick(
        "SELECT sourced_id AS id FROM users WHERE school_id = ? AND role = 'teacher' ORDER BY sourced_id",
      );
      const cls = await pick(
        "SELECT class_sourced_id AS id FROM enrollments WHERE school_id = ? AND role = 'student' GROUP BY class_sourced_id ORDER BY COUNT(*) DESC",
      );
      const course = await pick(
        'SELECT sourced_id AS id FROM courses WHERE school_id = ? ORDER BY sourced_id',
      );
      paths.push(
        { label: 'list users', path: `${BASE}/users?limit=100` },
        {
          label: 'filter students',
          path: `${BASE}/users?limit=100&filter=${enc(`role='student' AND familyName='${student['name']}'`)}`,
        },
        { label: 'single student', path: `${BASE}/students/${student['id']}` },
        {
          label: 'class students',
          path: `${BASE}/classes/${cls['id']}/students`,
        },
        {
          label: 'teacher classes',
          path: `${BASE}/teachers/${teacher['id']}/classes`,
        },
        { label: 'single course', path: `${BASE}/courses/${course['id']}` },
        {
          label: 'school classes',
          path: `${BASE}/schools/${s['org']}/classes?limit=50&fields=sourcedId,title`,
        },
        {
          label: 'enrolments page',
          path: `${BASE}/enrollments?limit=100&offset=${paths.length * 100}`,
        },
        {
          label: 'delta',
          path: `${BASE}/classes?filter=${enc("dateLastModified>'2026-01-01'")}&limit=20&sort=title`,
        },
      );
    }
    return {
      applicationId: String(app['id']),
      schoolIds: schools.map((s) => s['id']),
      paths,
    };
  } finally {
    await conn.end();
  }
}

/** What this tool reads of autocannon's result. */
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function failures(r: LoadResult): string | null {
  const bad = r.non2xx + r.errors + r.timeouts;
  return bad
    ? `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`
    : null;
}

async function main(): Promise<number> {
  const db = parseDatabaseUrl(dbUrl);
  if (db.kind !== 'mysql')
    throw new Error('BENCH_DATABASE_URL must be a mysql:// URL');
  const mix = await requestMix();
  log(
    `Database ${db.host}:${db.port}/${db.database}; ${mix.paths.length} requests in the mix over ${mix.schoolIds.length} schools`,
  );
  if (!args.includes('--skip-build')) {
    log('Building the API…');
    buildApi();
  }
  const issuer = await startTestIssuer(PUBLIC);
  const started = await startApi({
    port: API_PORT,
    databaseUrl: dbUrl,
    publicUrl: PUBLIC,
    issuer,
    env: { LOG_LEVEL: 'warn' },
  });
  api = started.child;
  const { pid, url } = started;
  // A token of the sandbox application (as the hybrid flow's tokens name the application).
  const token = await issuer.token(
    {
      sub: mix.applicationId,
      client_id: mix.applicationId,
      school_ids: mix.schoolIds,
      scope: ALL_ONEROSTER_SCOPES.join(' '),
    },
    { expiresIn: `${minutes + 30}m` },
  );
  const headers = { authorization: `Bearer ${token}` };
  // Each request of the mix once, alone: it must succeed, and its time says which ones
  // dominate the mix.
  const alone = new Map<string, number[]>();
  for (const p of mix.paths) {
    const t = performance.now();
    const r = await fetch(`${url}${p.path}`, { headers });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${p.path} answered ${r.status}`);
    alone.set(p.label, [...(alone.get(p.label) ?? []), performance.now() - t]);
  }
  const aloneMs = Object.fromEntries(
    [...alone].map(([k, v]) => [
      k,
      Math.round(v.reduce((a, x) => a + x, 0) / v.length),
    ]),
  );
  log(`Mean time of each request alone (ms): ${JSON.stringify(aloneMs)}`);
  const requests = mix.paths.map((p) => ({
    method: 'GET' as const,
    path: p.path,
  }));
  const load0 = loadavg()[0];

  log(`Capacity: ${connections} connections, ${capacitySeconds} s…`);
  await autocannon({ url, connections, duration: 5, headers, requests }); // warm
  const cap: LoadResult = await autocannon({
    url,
    connections,
    duration: capacitySeconds,
    headers,
    requests,
  });
  const capFail = failures(cap);
  const capacity = cap.requests.average;
  const rate = Math.max(1, Math.floor(capacity * fraction));
  log(
    `  ${capacity.toFixed(0)} req/s (p50 ${cap.latency.p50} ms, p99 ${cap.latency.p99} ms)${capFail ? `, FAILED: ${capFail}` : ''}`,
  );

  log(`Soak: ${rate} req/s for ${minutes} min…`);
  const samples: { s: number; rss: number }[] = [];
  const t0 = Date.now();
  samples.push({ s: 0, rss: memoryMb(pid).rss });
  const sampler = setInterval(() => {
    samples.push({
      s: Math.round((Date.now() - t0) / 1000),
      rss: memoryMb(pid).rss,
    });
    const last = samples[samples.length - 1];
    if (last.s % 60 < 10)
      log(`  ${Math.round(last.s / 60)} min: RSS ${last.rss.toFixed(0)} MB`);
  }, 10_000);
  const soak: LoadResult = await autocannon({
    url,
    connections,
    overallRate: rate,
    duration: minutes * 60,
    headers,
    requests,
    timeout: 30,
  });
  clearInterval(sampler);
  samples.push({ s: minutes * 60, rss: memoryMb(pid).rss });
  const soakFail = failures(soak);
  const mean = (xs: { rss: number }[]) =>
    xs.reduce((a, x) => a + x.rss, 0) / Math.max(1, xs.length);
  const firstMin = mean(samples.filter((x) => x.s <= 60));
  const lastMin = mean(samples.filter((x) => x.s >= minutes * 60 - 60));
  const growth = (lastMin - firstMin) / firstMin;
  const figures = {
    database: `${db.host}:${db.port}/${db.database}`,
    machine: `${cpus().length} cores, Node ${process.version}, load average ${load0.toFixed(2)} before / ${loadavg()[0].toFixed(2)} after`,
    mix: mix.paths.length,
    aloneMs,
    connections,
    capacityRps: Math.round(capacity),
    soakRateTarget: rate,
    soakRps: Math.round(soak.requests.average),
    minutes,
    requests: soak.requests.total,
    errors: {
      non2xx: soak.non2xx,
      errors: soak.errors,
      timeouts: soak.timeouts,
    },
    latencyMs: {
      p50: soak.latency.p50,
      p99: soak.latency.p99,
      max: soak.latency.max,
    },
    rssMb: {
      firstMinute: Math.round(firstMin),
      lastMinute: Math.round(lastMin),
      max: Math.round(Math.max(...samples.map((x) => x.rss))),
      growth: `${(growth * 100).toFixed(1)} %`,
      samples: samples.map((x) => [x.s, Math.round(x.rss)]),
    },
  };
  log('');
  log('| Soak | Value |');
  log('|---|---|');
  log(`| Machine | ${figures.machine} |`);
  log(`| Database | ${figures.database} |`);
  log(
    `| Mix | ${figures.mix} GET requests (list, single, relationship, filter, delta, paging) over ${mix.schoolIds.length} schools, ${connections} connections |`,
  );
  log(`| Capacity (${capacitySeconds} s) | ${figures.capacityRps} req/s |`);
  log(
    `| Soak | ${minutes} min at ${rate} req/s target (${(fraction * 100).toFixed(0)} %), ${figures.soakRps} req/s achieved, ${figures.requests} requests |`,
  );
  log(
    `| Failed requests | ${soak.non2xx} non-2xx, ${soak.errors} errors, ${soak.timeouts} timeouts |`,
  );
  log(
    `| Latency p50 / p99 / max | ${soak.latency.p50} / ${soak.latency.p99} / ${soak.latency.max} ms |`,
  );
  log(
    `| RSS first minute → last minute (max) | ${figures.rssMb.firstMinute} → ${figures.rssMb.lastMinute} MB (${figures.rssMb.growth}; max ${figures.rssMb.max} MB) |`,
  );
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(figures, null, 2));
  await issuer.close();
  if (capFail || soakFail) {
    log(`FAILED: ${capFail ?? soakFail}`);
    return 1;
  }
  if (growth > 0.25) {
    log('FAILED: RSS grew by more than 25 % between the first and last minute');
    return 1;
  }
  return 0;
}

main()
  .then((code) => (process.exitCode = code))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => {
    api?.kill('SIGTERM');
    setTimeout(() => process.exit(), 500);
  });
