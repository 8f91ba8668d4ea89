/**
 * Read benchmark of the OneRoster API against plain node:http + mysql2 baselines, on
 * MariaDB/MySQL holding the large demo trust. `npm run bench:api` (see docs/benchmarks.md).
 *
 *   BENCH_DATABASE_URL   default mysql://root@127.0.0.1:3306/oneroster_large
 *   BENCH_SECONDS        duration of each load run (default 15)
 *   BENCH_CONNECTIONS    concurrent connections of each load run (default 16)
 *   BENCH_SKIP_BUILD=1   reuse dist/apps/api
 *   BENCH_PARTS          which parts to run, comma-separated: rps,paging,memory,v1p2 (default all)
 *   BENCH_PAGING_RUNS    API/streaming pairs of the paging part (default 3; median reported)
 *   BENCH_PAGE_TIMES=1   print the time of every page of each paging run
 *   BENCH_API_NODE_FLAGS Node flags of the API process (default `--max-old-space-size=256`,
 *                        as `npm start` runs it; e.g. add `--cpu-prof`)
 *   BENCH_API_PORT, BENCH_BASELINE_PORT  loopback ports of the API and the baseline server
 *                        (default 3901, 3902)
 *
 * 1. Requests per second of `GET /users?limit=100&filter=role='student'` and of
 *    `GET /classes/{id}/students` (one school's token), API vs baseline server running the
 *    same SQL and producing the same JSON (checked before measuring).
 * 2. Paging through every enrolment of the trust with limit=10000 (a token for all schools),
 *    API vs mysql2 streaming the same rows in the same order; first and last page times.
 * 3. Peak RSS of the API while 8 clients page through every enrolment at once.
 * 4. OneRoster 1.2 beside 1.1: the requests of 1 and the paging of 2 through the 1.2
 *    rostering service, alternately with their 1.1 twins in the same run (same objects,
 *    checked by count); the figure is 1.2 / 1.1.
 */
import { ChildProcess, fork } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
import { ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createConnection } from 'mysql2';
import { parseDatabaseUrl } from '@oneroster/config';
import { startTestIssuer } from '@oneroster/api-testing';
import {
  buildApi,
  cpuSeconds,
  memoryMb,
  startApi,
  waitFor,
} from './api-process';

const dbUrl =
  process.env['BENCH_DATABASE_URL'] ||
  'mysql://root@127.0.0.1:3306/oneroster_large';
const seconds = Number(process.env['BENCH_SECONDS'] || 15);
const connections = Number(process.env['BENCH_CONNECTIONS'] || 16);
const parts = new Set(
  (process.env['BENCH_PARTS'] || 'rps,paging,memory,v1p2').split(','),
);
const pagingRuns = Math.max(1, Number(process.env['BENCH_PAGING_RUNS'] || 3));
const API_PORT = Number(process.env['BENCH_API_PORT'] || 3901);
const BASELINE_PORT = Number(process.env['BENCH_BASELINE_PORT'] || 3902);
const PUBLIC = 'http://bench.test';
const BASE = '/ims/oneroster/v1p1';
const V1P2 = '/ims/oneroster/rostering/v1p2';

const children: ChildProcess[] = [];
const log = (s: string) => process.stdout.write(`${s}\n`);

async function load(url: string, headers: Record<string, string>) {
  const r = await autocannon({ url, connections, duration: seconds, headers });
  if (r.non2xx || r.errors)
    throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function main() {
  const db = parseDatabaseUrl(dbUrl);
  if (db.kind !== 'mysql')
    throw new Error('BENCH_DATABASE_URL must be a mysql:// URL');
  const mysql = await import('mysql2/promise');
  const probe = await mysql.createConnection({ uri: dbUrl });
  const [schoolRows] = await probe.query(
    'SELECT id, org_sourced_id FROM schools ORDER BY id',
  );
  const schools = schoolRows as { id: string; org_sourced_id: string }[];
  if (schools.length < 2)
    throw new Error(
      'Seed the large trust first: DATABASE_URL=… npm run demo-data -- seed --size large',
    );
  const [[{ n: enrolments }]] = (await probe.query(
    'SELECT COUNT(*) AS n FROM enrollments',
  )) as unknown as [[{ n: number }]];
  // The school with the most pupils, and one of its teaching groups.
  const [[big]] = (await probe.query(
    "SELECT school_id AS id FROM users WHERE role = 'student' GROUP BY school_id ORDER BY COUNT(*) DESC LIMIT 1",
  )) as unknown as [[{ id: string }]];
  const [[cls]] = (await probe.query(
    "SELECT class_sourced_id AS id FROM enrollments WHERE school_id = ? AND role = 'student' GROUP BY class_sourced_id ORDER BY COUNT(*) DESC LIMIT 1",
    [big.id],
  )) as unknown as [[{ id: string }]];
  // The API serves a token only the schools that approve its client now: register the
  // test issuer's client as an application every school approves (once per database).
  const [[integrator]] = (await probe.query(
    'SELECT id FROM integrators ORDER BY id LIMIT 1',
  )) as unknown as [[{ id: string }]];
  const now = new Date();
  await probe.query(
    'INSERT IGNORE INTO applications (id, integrator_id, name, description, requested_scopes, redirect_uris, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)',
    [
      'test-client',
      integrator.id,
      'Benchmark client',
      JSON.stringify(ALL_ONEROSTER_SCOPES),
      '[]',
      now,
      now,
    ],
  );
  for (const s of schools) {
    await probe.query(
      "INSERT INTO approvals (id, school_id, application_id, status, scopes, requested_at, decided_at, decided_by_account_id) SELECT ?, ?, 'test-client', 'approved', ?, ?, ?, NULL FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM approvals WHERE school_id = ? AND application_id = 'test-client')",
      [
        randomUUID(),
        s.id,
        JSON.stringify(ALL_ONEROSTER_SCOPES),
        now,
        now,
        s.id,
      ],
    );
  }
  await probe.end();
  log(
    `Database: ${db.host}:${db.port}/${db.database}, ${schools.length} schools, ${enrolments} enrolments`,
  );

  if (process.env['BENCH_SKIP_BUILD'] !== '1') {
    log('Building the API…');
    buildApi();
  }
  const issuer = await startTestIssuer(PUBLIC);
  const flags = process.env['BENCH_API_NODE_FLAGS'];
  const api = await startApi({
    port: API_PORT,
    databaseUrl: dbUrl,
    publicUrl: PUBLIC,
    issuer,
    nodeFlags:
      flags === undefined ? undefined : flags.split(' ').filter(Boolean),
  });
  children.push(api.child);
  const apiPid = api.pid;
  const baseline = fork(
    join(__dirname, 'baseline-server.mjs'),
    [dbUrl, String(BASELINE_PORT), PUBLIC],
    { stdio: 'inherit' },
  );
  children.push(baseline);
  await waitFor(`http://127.0.0.1:${BASELINE_PORT}/`);

  // Both outlive a full run (all parts take longer than a default token's lifetime).
  const schoolToken = await issuer.token(
    { school_ids: [big.id] },
    { expiresIn: '2h' },
  );
  const trustToken = await issuer.token(
    { school_ids: schools.map((s) => s.id) },
    { expiresIn: '2h' },
  );
  const apiHeaders = { authorization: `Bearer ${schoolToken}` };
  const baseHeaders = { 'x-schools': big.id };

  const results: string[] = [
    '| Request | API req/s | Baseline req/s | Ratio | API p50 / p99 ms | Baseline p50 / p99 ms |',
    '|---|---|---|---|---|---|',
  ];
  const rpsPaths = [
    `${BASE}/users?limit=100&filter=${encodeURIComponent("role='student'")}`,
    `${BASE}/classes/${cls.id}/students?limit=100`,
  ];
  for (const path of parts.has('rps') ? rpsPaths : []) {
    const a = await fetch(`http://127.0.0.1:${API_PORT}${path}`, {
      headers: apiHeaders,
    });
    const b = await fetch(`http://127.0.0.1:${BASELINE_PORT}${path}`, {
      headers: baseHeaders,
    });
    const [ja, jb] = [await a.json(), await b.json()];
    if (
      !isDeepStrictEqual(ja, jb) ||
      a.headers.get('x-total-count') !== b.headers.get('x-total-count')
    ) {
      throw new Error(`API and baseline answer ${path} differently`);
    }
    log(
      `Same JSON from both for ${path} (${(ja as { users: unknown[] }).users.length} users)`,
    );
    // Warm both, then measure API and baseline alternately, twice each.
    await load(`http://127.0.0.1:${API_PORT}${path}`, apiHeaders);
    await load(`http://127.0.0.1:${BASELINE_PORT}${path}`, baseHeaders);
    const runs = {
      api: [] as Awaited<ReturnType<typeof load>>[],
      base: [] as Awaited<ReturnType<typeof load>>[],
    };
    for (let i = 0; i < 2; i++) {
      runs.api.push(
        await load(`http://127.0.0.1:${API_PORT}${path}`, apiHeaders),
      );
      runs.base.push(
        await load(`http://127.0.0.1:${BASELINE_PORT}${path}`, baseHeaders),
      );
    }
    const mean = (xs: { rps: number }[]) =>
      xs.reduce((s, x) => s + x.rps, 0) / xs.length;
    const [ra, rb] = [mean(runs.api), mean(runs.base)];
    const label = path.includes('/students')
      ? 'GET /classes/{id}/students?limit=100'
      : "GET /users?limit=100&filter=role='student'";
    results.push(
      `| ${label} | ${ra.toFixed(0)} | ${rb.toFixed(0)} | ${(ra / rb).toFixed(2)}× | ${runs.api[1].p50} / ${runs.api[1].p99} | ${runs.base[1].p50} / ${runs.base[1].p99} |`,
    );
  }

  // 2. Paging through every enrolment with limit=10000.
  const page = async (offset: number, token: string, base = BASE) => {
    const t0 = performance.now();
    const r = await fetch(
      `http://127.0.0.1:${API_PORT}${base}/enrollments?limit=10000&offset=${offset}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    // Read in full but not parsed: the client's JSON parsing is not the server's time.
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`page ${offset}: ${r.status}`);
    const total = Number(r.headers.get('x-total-count'));
    return {
      ms: performance.now() - t0,
      n: Math.max(0, Math.min(10000, total - offset)),
      total,
    };
  };
  const pageAll = async (token: string, base = BASE) => {
    const times: number[] = [];
    let rows = 0;
    for (let offset = 0; ; offset += 10000) {
      const p = await page(offset, token, base);
      times.push(p.ms);
      rows += p.n;
      if (p.n < 10000) return { times, rows, total: p.total };
    }
  };
  const streamAll = (total: number) =>
    new Promise<{ ms: number; cpu: number }>((resolve, reject) => {
      const conn = createConnection({
        uri: dbUrl,
        timezone: 'Z',
        dateStrings: ['DATE'],
      });
      const s0 = performance.now();
      const cpu0 = process.cpuUsage();
      let n = 0;
      const ids = schools.map((s) => s.id);
      conn
        .query(
          `SELECT t.school_id, t.sourced_id, t.status, t.date_last_modified, t.metadata, t.user_sourced_id, t.class_sourced_id, t.school_sourced_id, t.role, t.is_primary, t.begin_date, t.end_date FROM enrollments t WHERE t.school_id IN (${ids.map(() => '?').join(', ')}) ORDER BY t.sourced_id ASC, t.school_id ASC`,
          ids,
        )
        .stream()
        .on('data', () => n++)
        .on('error', reject)
        .on('end', () => {
          conn.end();
          if (n !== total)
            reject(new Error(`streamed ${n} rows, expected ${total}`));
          else {
            const used = process.cpuUsage(cpu0);
            resolve({
              ms: performance.now() - s0,
              cpu: (used.user + used.system) / 1e6,
            });
          }
        });
    });
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2
      ? sorted[mid]
      : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  // API and streaming alternately, `pagingRuns` pairs after a warm-up; the median pair
  // ratio is the figure (this machine's speed drifts between runs, so pairs compare like
  // with like).
  const measurePaging = async (token: string) => {
    await pageAll(token); // warm
    const runs: {
      apiMs: number;
      apiCpu: number;
      streamMs: number;
      streamCpu: number;
      first: number;
      lastFull: number;
      rows: number;
      pages: number;
    }[] = [];
    for (let i = 0; i < pagingRuns; i++) {
      const cpu0 = cpuSeconds(apiPid);
      const t0 = performance.now();
      const paged = await pageAll(token);
      const apiMs = performance.now() - t0;
      const apiCpu = cpuSeconds(apiPid) - cpu0;
      if (paged.rows !== paged.total)
        throw new Error(`paged ${paged.rows} of ${paged.total}`);
      if (process.env['BENCH_PAGE_TIMES'])
        log(paged.times.map((t) => t.toFixed(0)).join(' '));
      const stream = await streamAll(paged.total);
      runs.push({
        apiMs,
        apiCpu,
        streamMs: stream.ms,
        streamCpu: stream.cpu,
        first: paged.times[0],
        lastFull: paged.times[paged.times.length - 2] ?? paged.times[0],
        rows: paged.rows,
        pages: paged.times.length,
      });
    }
    return { runs, median };
  };
  const paging = parts.has('paging') ? await measurePaging(trustToken) : null;
  // 3. Memory: 8 clients paging at once.
  let memory: { ms: number; peak: number; hwm: number } | null = null;
  if (parts.has('memory')) {
    let peak = memoryMb(apiPid).rss;
    const sampler = setInterval(
      () => (peak = Math.max(peak, memoryMb(apiPid).rss)),
      50,
    );
    const m0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => pageAll(trustToken)));
    memory = {
      ms: performance.now() - m0,
      peak,
      hwm: memoryMb(apiPid).hwm,
    };
    clearInterval(sampler);
  }

  // 4. OneRoster 1.2 beside 1.1: the same reads, alternately, in this run.
  const v1p2Rows: string[] = [];
  if (parts.has('v1p2')) {
    const twins: [string, string, string][] = [
      [
        "GET /users?limit=100, students (1.1 role='student', 1.2 roles.role='student')",
        `${BASE}/users?limit=100&filter=${encodeURIComponent("role='student'")}`,
        `${V1P2}/users?limit=100&filter=${encodeURIComponent("roles.role='student'")}`,
      ],
      [
        'GET /classes/{id}/students?limit=100',
        `${BASE}/classes/${cls.id}/students?limit=100`,
        `${V1P2}/classes/${cls.id}/students?limit=100`,
      ],
    ];
    for (const [label, v11, v12] of twins) {
      const [a, b] = await Promise.all(
        [v11, v12].map((path) =>
          fetch(`http://127.0.0.1:${API_PORT}${path}`, { headers: apiHeaders }),
        ),
      );
      const ids = async (r: Response) =>
        ((await r.json()) as { users: { sourcedId: string }[] }).users.map(
          (u) => u.sourcedId,
        );
      if (
        a.status !== 200 ||
        b.status !== 200 ||
        !isDeepStrictEqual(await ids(a), await ids(b))
      )
        throw new Error(`1.1 and 1.2 answer ${label} with different users`);
      await load(`http://127.0.0.1:${API_PORT}${v11}`, apiHeaders);
      await load(`http://127.0.0.1:${API_PORT}${v12}`, apiHeaders);
      const r11: number[] = [];
      const r12: number[] = [];
      for (let i = 0; i < 2; i++) {
        r11.push(
          (await load(`http://127.0.0.1:${API_PORT}${v11}`, apiHeaders)).rps,
        );
        r12.push(
          (await load(`http://127.0.0.1:${API_PORT}${v12}`, apiHeaders)).rps,
        );
      }
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      v1p2Rows.push(
        `| ${label}: req/s 1.1 / 1.2 | ${mean(r11).toFixed(0)} / ${mean(r12).toFixed(0)} = ${(mean(r12) / mean(r11)).toFixed(2)}× |`,
      );
    }
    await pageAll(trustToken, V1P2); // warm
    const ratios: number[] = [];
    for (let i = 0; i < pagingRuns; i++) {
      const t11 = performance.now();
      const p11 = await pageAll(trustToken);
      const ms11 = performance.now() - t11;
      const t12 = performance.now();
      const p12 = await pageAll(trustToken, V1P2);
      const ms12 = performance.now() - t12;
      if (p11.rows !== p12.rows)
        throw new Error(
          `paged ${p11.rows} enrolments on 1.1, ${p12.rows} on 1.2`,
        );
      ratios.push(ms12 / ms11);
      v1p2Rows.push(
        `| Paging all enrolments, run ${i + 1}: 1.1 / 1.2 | ${(ms11 / 1000).toFixed(2)} s / ${(ms12 / 1000).toFixed(2)} s = ${(ms12 / ms11).toFixed(2)}× |`,
      );
    }
    const sorted = [...ratios].sort((x, y) => x - y);
    v1p2Rows.push(
      `| Paging, 1.2 / 1.1, median of ${ratios.length} | ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}× |`,
    );
  }

  log('');
  log(
    `Machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}; load: autocannon, ${connections} connections, ${seconds} s per run, mean of 2 runs`,
  );
  log('');
  log(results.join('\n'));
  log('');
  if (paging || memory) {
    log('| Paging all enrolments, limit=10000 | Value |');
    log('|---|---|');
  }
  if (paging) {
    const { runs, median } = paging;
    const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    log(`| Rows (pages) | ${runs[0].rows} (${runs[0].pages}) |`);
    runs.forEach((r, i) =>
      log(
        `| Run ${i + 1}: API / streaming (CPU API / streaming) | ${secs(r.apiMs)} / ${secs(r.streamMs)} = ${(r.apiMs / r.streamMs).toFixed(2)}× (${r.apiCpu.toFixed(2)} s / ${r.streamCpu.toFixed(2)} s) |`,
      ),
    );
    log(
      `| Ratio API / streaming, median of ${runs.length} | ${median(runs.map((r) => r.apiMs / r.streamMs)).toFixed(2)}× |`,
    );
    const first = median(runs.map((r) => r.first));
    const lastFull = median(runs.map((r) => r.lastFull));
    log(
      `| First page / last full page (medians) | ${first.toFixed(0)} ms / ${lastFull.toFixed(0)} ms (${(lastFull / first).toFixed(2)}×) |`,
    );
  }
  if (memory)
    log(
      `| 8 clients paging at once: time, peak RSS of the API | ${(memory.ms / 1000).toFixed(1)} s, ${memory.peak.toFixed(0)} MB (VmHWM ${memory.hwm.toFixed(0)} MB) |`,
    );
  if (v1p2Rows.length) {
    log('');
    log('| OneRoster 1.2 beside 1.1, same API, same run | Value |');
    log('|---|---|');
    log(v1p2Rows.join('\n'));
  }
  await issuer.close();
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(), 500);
  });
