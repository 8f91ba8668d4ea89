/**
 * Cost of the API's per-client rate limit (docs/reliability.md, "Rate limits"): requests per
 * second and latency of a cheap authorised call (`GET /orgs?limit=1`, embedded SQLite demo
 * database) with the limit off, counted in memory, and counted in Redis, plus Redis
 * unreachable (fail open). The limit is set far above the load so every request is admitted
 * and the figures show the counting alone.
 *
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/api-hardening.ts
 *   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16), BENCH_REDIS_URL
 *   (default redis://127.0.0.1:6379); needs dist/apps/api (`npx nx build api`).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startTestIssuer } from '@oneroster/api-testing';
import { planTrust } from '@oneroster/demo-data';

const root = join(__dirname, '../..');
const MAIN = join(root, 'dist/apps/api/main.js');
const seconds = Number(process.env['BENCH_SECONDS'] || 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] || 16);
const redisUrl = process.env['BENCH_REDIS_URL'] || 'redis://127.0.0.1:6379';
const PORT = 3911;
const PUBLIC = `http://127.0.0.1:${PORT}`;
const log = (s: string) => process.stdout.write(`${s}\n`);

async function startApi(
  env: Record<string, string>,
  issuer: { issuer: string; jwksUrl: string },
  file: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      DATABASE_URL: `sqlite:${file}`,
      API_PORT: String(PORT),
      API_PUBLIC_URL: PUBLIC,
      AUTH_ISSUER: issuer.issuer,
      AUTH_JWKS_URL: issuer.jwksUrl,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${PUBLIC}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the API did not start');
}

async function stop(child: ChildProcess): Promise<void> {
  const ended = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await ended;
}

async function main() {
  if (!existsSync(MAIN)) throw new Error('build first: npx nx build api');
  const dir = mkdtempSync(join(tmpdir(), 'oneroster-bench-hardening-'));
  const file = join(dir, 'api.sqlite');
  const issuer = await startTestIssuer(PUBLIC);
  const school = planTrust({ size: 'demo' }).schools[0];
  const clientId = `sandbox-${school.urn}`;
  const token = await issuer.token(
    { client_id: clientId, sub: clientId, school_ids: [school.schoolId] },
    { expiresIn: '1h' },
  );
  const variants: [string, Record<string, string>][] = [
    ['limit off', { API_RATE_LIMIT: '0' }],
    ['memory', { API_RATE_LIMIT: '100000000' }],
    ['Redis', { API_RATE_LIMIT: '100000000', REDIS_URL: redisUrl }],
    [
      'Redis unreachable (fail open)',
      { API_RATE_LIMIT: '100000000', REDIS_URL: 'redis://127.0.0.1:1' },
    ],
  ];
  log(
    `GET /orgs?limit=1, ${connections} connections, ${seconds} s each, embedded SQLite`,
  );
  log('| Rate limit | requests/s | p50 ms | p99 ms |');
  log('| --- | ---: | ---: | ---: |');
  try {
    for (const [name, env] of variants) {
      const api = await startApi(env, issuer, file);
      try {
        const url = `${PUBLIC}/ims/oneroster/v1p1/orgs?limit=1`;
        // Warm-up: JWKS fetch, approval cache, JIT.
        await autocannon({
          url,
          connections,
          duration: 2,
          headers: { authorization: `Bearer ${token}` },
        });
        const r = await autocannon({
          url,
          connections,
          duration: seconds,
          headers: { authorization: `Bearer ${token}` },
        });
        if (r.non2xx || r.errors)
          throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        log(
          `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} |`,
        );
      } finally {
        await stop(api);
      }
    }
  } finally {
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
