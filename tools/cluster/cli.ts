/* eslint-disable no-console -- a command-line report */
/**
 * `npm run test:cluster`: the production topology on one machine's loopback ports, checked
 * end to end. Two auth servers and two API instances, built as `npm start` builds them, share
 * one MariaDB database and one Redis; HAProxy (Debian's package) balances each pair. Checks:
 *
 *  1. tokens issued by either auth server are accepted by either API instance, directly and
 *     through the proxy (one issuer, one signing key);
 *  2. a revocation made through one auth server's portal refuses, at the other auth server,
 *     the next token at once (its client cache holds clients a minute: only the Redis bus can
 *     tell it) and, at the other API instance, a token already issued within seconds;
 *  3. an API instance killed (SIGKILL) in the middle of a load of gradebook writes through the
 *     proxy loses no write: every PUT either succeeded or is retried by the client (PUT is
 *     idempotent) on the surviving instance, and every result is there afterwards.
 *
 * Environment (all optional):
 *   CLUSTER_DATABASE_URL  MariaDB/MySQL server URL; the database named in it is dropped and
 *                         created (default mysql://root@127.0.0.1:3306/oneroster_cluster)
 *   CLUSTER_REDIS_URL     Redis (default redis://127.0.0.1:6379; its keys are not touched,
 *                         the run uses a channel of its own)
 *   CLUSTER_PORT_BASE     first of the 30 loopback ports used (default 18400)
 *   CLUSTER_SKIP_BUILD=1  use the apps already in dist/
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '@oneroster/config';
import {
  ALL_ONEROSTER_SCOPES,
  PORTAL_CSRF_HEADER,
  PORTAL_SESSION_COOKIE,
} from '@oneroster/contracts';
import { PortalSessions } from '@oneroster/data-access-portal';
import { openDatabase } from '@oneroster/database';
import {
  Instance,
  buildApps,
  dbCli,
  sleep,
  startApp,
  startHaproxy,
  stop,
} from './processes';

const BASE = '/ims/oneroster/v1p1';
const SECRET = 'cluster-sandbox-secret';

const databaseUrl =
  process.env['CLUSTER_DATABASE_URL'] ||
  'mysql://root@127.0.0.1:3306/oneroster_cluster';
const redisUrl = process.env['CLUSTER_REDIS_URL'] || 'redis://127.0.0.1:6379';
const portBase = Number(process.env['CLUSTER_PORT_BASE'] || 18400);
const ports = {
  apiProxy: portBase,
  authProxy: portBase + 1,
  api: [portBase + 10, portBase + 11],
  auth: [portBase + 20, portBase + 21],
};

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail: string): void {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
}

async function createDatabase(): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.replace(/^\//, '');
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new Error(`CLUSTER_DATABASE_URL must name a database, got "${name}"`);
  url.pathname = '/mysql';
  const server = await openDatabase(parseDatabaseUrl(url.toString()));
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await server.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } finally {
    await server.destroy();
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  if (process.env['CLUSTER_SKIP_BUILD'] !== '1') {
    console.log('Building api and auth…');
    buildApps();
  }
  console.log(`Preparing ${databaseUrl} (migrations, demo trust)…`);
  await createDatabase();
  dbCli(['prepare'], {
    DATABASE_URL: databaseUrl,
    MIGRATE_ON_START: 'true',
    SEED_DEMO_DATA: 'true',
    SANDBOX_CLIENT_SECRET: SECRET,
    DEMO_PASSWORD: 'cluster-demo-password',
    ONEROSTER_MODE: 'demo',
  });

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = JSON.stringify({
    ...(await exportJWK(privateKey)),
    kid: `cluster-${randomUUID()}`,
  });
  const authPublic = `http://127.0.0.1:${ports.authProxy}`;
  const apiPublic = `http://127.0.0.1:${ports.apiProxy}`;
  const shared = {
    ONEROSTER_MODE: 'demo',
    DATABASE_URL: databaseUrl,
    MIGRATE_ON_START: 'false',
    SEED_DEMO_DATA: 'false',
    REDIS_URL: redisUrl,
    INVALIDATION_CHANNEL: `oneroster:cluster:${randomUUID()}`,
    AUTH_PUBLIC_URL: authPublic,
    API_PUBLIC_URL: apiPublic,
    AUTH_TRUST_PROXY: 'loopback',
    SANDBOX_CLIENT_SECRET: SECRET,
    // One client calls from one address for every check: no per-client limits in the way.
    API_RATE_LIMIT: '0',
    AUTH_TOKEN_RATE_LIMIT: '0',
  };
  const instances: Instance[] = [];
  const ds = await openDatabase(parseDatabaseUrl(databaseUrl));
  try {
    console.log('Starting two auth servers, two API instances and HAProxy…');
    const auths = await Promise.all(
      ports.auth.map((port, i) =>
        startApp(`auth${i + 1}`, 'auth', port, {
          ...shared,
          AUTH_SIGNING_KEY: signingKey,
          // A minute: a revocation can reach the other auth server in time only by the bus.
          AUTH_CLIENT_CACHE_MS: '60000',
        }),
      ),
    );
    instances.push(...auths);
    const proxy = await startHaproxy(
      join(tmpdir(), `oneroster-cluster-${process.pid}`),
      {
        auth: {
          port: ports.authProxy,
          servers: auths.map((a) => ({ name: a.name, port: a.port })),
        },
        api: {
          port: ports.apiProxy,
          servers: ports.api.map((port, i) => ({ name: `api${i + 1}`, port })),
        },
      },
    ).catch(async (err) => {
      throw err;
    });
    instances.push(proxy);
    // The APIs fetch the signing keys through the proxy, as they would in production.
    const apis = await Promise.all(
      ports.api.map((port, i) =>
        startApp(`api${i + 1}`, 'api', port, {
          ...shared,
          AUTH_ISSUER: `${authPublic}/oidc`,
          AUTH_JWKS_URL: `${authPublic}/oidc/jwks`,
        }),
      ),
    );
    instances.push(...apis);
    await untilProxyServes(apiPublic);
    console.log(`Up after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const world = await loadWorld(ds);
    await tokensAcrossInstances(auths, apis, authPublic, apiPublic, world);
    await revocationAcrossInstances(ds, auths, apis, world);
    await killMidWrites(apis, apiPublic, authPublic, world);
  } finally {
    for (const i of instances.reverse()) await stop(i);
    await ds.destroy();
  }
  const failed = checks.filter((c) => !c.ok);
  console.log(
    `\n${checks.length - failed.length}/${checks.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed.length ? 1 : 0;
}

interface World {
  schoolA: string;
  schoolB: string;
  clientA: string;
  clientB: string;
  classA: string;
  studentsA: string[];
}

async function loadWorld(ds: DataSource): Promise<World> {
  const clients: { client_id: string; school_id: string }[] = await ds.query(
    `SELECT client_id, school_id FROM oauth_clients WHERE client_id LIKE 'sandbox-%' ORDER BY client_id`,
  );
  if (clients.length < 2) throw new Error('expected two sandbox clients');
  const [a, b] = clients;
  const [cls]: { class_sourced_id: string }[] = await ds.query(
    `SELECT class_sourced_id FROM enrollments WHERE school_id = ? AND role = 'student'
     GROUP BY class_sourced_id HAVING COUNT(*) >= 20 ORDER BY class_sourced_id LIMIT 1`,
    [a.school_id],
  );
  const students: { user_sourced_id: string }[] = await ds.query(
    `SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ?
     AND role = 'student' ORDER BY user_sourced_id LIMIT 20`,
    [a.school_id, cls.class_sourced_id],
  );
  return {
    schoolA: a.school_id,
    schoolB: b.school_id,
    clientA: a.client_id,
    clientB: b.client_id,
    classA: cls.class_sourced_id,
    studentsA: students.map((s) => s.user_sourced_id),
  };
}

async function untilProxyServes(url: string): Promise<void> {
  // HAProxy marks a server up after two good health checks (about a second).
  for (let i = 0; i < 60; i++) {
    const codes = await Promise.all(
      [0, 1, 2, 3].map(() =>
        fetch(`${url}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    if (codes.every((c) => c === 200)) return;
    await sleep(250);
  }
  throw new Error(`${url} did not serve through the proxy`);
}

function tokenRequest(authUrl: string, clientId: string): Promise<Response> {
  return fetch(`${authUrl}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

async function tokenFrom(authUrl: string, clientId: string): Promise<string> {
  const res = await tokenRequest(authUrl, clientId);
  if (res.status !== 200)
    throw new Error(`token from ${authUrl}: ${res.status} ${await res.text()}`);
  return String(
    ((await res.json()) as Record<string, unknown>)['access_token'],
  );
}

const statusOf = async (url: string, token: string) =>
  (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;

async function tokensAcrossInstances(
  auths: Instance[],
  apis: Instance[],
  authPublic: string,
  apiPublic: string,
  world: World,
): Promise<void> {
  const issuers = [...auths.map((a) => a.url), authPublic];
  const readers = [...apis.map((a) => a.url), apiPublic];
  const answers: string[] = [];
  let good = 0;
  for (const issuer of issuers) {
    const token = await tokenFrom(issuer, world.clientA);
    for (const reader of readers) {
      const status = await statusOf(`${reader}${BASE}/schools`, token);
      if (status === 200) good++;
      else answers.push(`${issuer} → ${reader}: ${status}`);
    }
  }
  check(
    'tokens of either auth server work at either API instance',
    good === issuers.length * readers.length,
    answers.length
      ? answers.join('; ')
      : `${good} issuer × reader pairs answered 200 (two instances each, and both proxies)`,
  );
}

async function revocationAcrossInstances(
  ds: DataSource,
  auths: Instance[],
  apis: Instance[],
  world: World,
): Promise<void> {
  const [{ application_id: appId }]: { application_id: string }[] =
    await ds.query(
      'SELECT application_id FROM oauth_clients WHERE client_id = ?',
      [world.clientB],
    );
  const [{ id: adminId }]: { id: string }[] = await ds.query(
    `SELECT a.id AS id FROM accounts a JOIN account_school_roles r ON r.account_id = a.id
     WHERE r.school_id = ? AND r.role = 'school_admin' ORDER BY a.email LIMIT 1`,
    [world.schoolB],
  );
  // A portal session as the browser holds it (sessions live in the shared database).
  const session = await new PortalSessions(ds).create(adminId, null);
  const portal = async (authUrl: string, path: string, body: unknown = {}) => {
    const res = await fetch(`${authUrl}/portal/api${path}`, {
      method: 'POST',
      headers: {
        cookie: `${PORTAL_SESSION_COOKIE}=${encodeURIComponent(session.cookie)}`,
        [PORTAL_CSRF_HEADER]: session.csrfToken,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 200)
      throw new Error(`portal ${path}: ${res.status} ${await res.text()}`);
  };
  const [auth1, auth2] = auths;
  const [, api2] = apis;
  // Instance 2 has the client and the approval in its caches.
  const token = await tokenFrom(auth2.url, world.clientB);
  const warm = await statusOf(`${api2.url}${BASE}/schools`, token);
  const revokedAt = Date.now();
  await portal(
    auth1.url,
    `/schools/${world.schoolB}/applications/${appId}/revoke`,
  );
  const refused = await tokenRequest(auth2.url, world.clientB);
  const authMs = Date.now() - revokedAt;
  let apiStatus = await statusOf(`${api2.url}${BASE}/schools`, token);
  while (apiStatus !== 403 && Date.now() - revokedAt < 10_000) {
    await sleep(20);
    apiStatus = await statusOf(`${api2.url}${BASE}/schools`, token);
  }
  const apiMs = Date.now() - revokedAt;
  check(
    'a revocation through auth1 refuses the next token at auth2 at once',
    warm === 200 && refused.status === 400,
    `token endpoint of auth2 answered ${refused.status} ${refused.status === 400 ? '(access_denied)' : ''} ${authMs} ms after the revocation, with a one-minute client cache`,
  );
  check(
    'a revocation through auth1 refuses a token already issued at api2 within seconds',
    apiStatus === 403 && apiMs < 5_000,
    `api2 answered ${apiStatus} ${apiMs} ms after the revocation`,
  );
  await portal(
    auth1.url,
    `/schools/${world.schoolB}/applications/${appId}/approve`,
    {
      scopes: ALL_ONEROSTER_SCOPES,
    },
  );
  const again = await tokenRequest(auth2.url, world.clientB);
  check(
    're-approval through auth1 serves the client at auth2 again',
    again.status === 200,
    `token endpoint of auth2 answered ${again.status}`,
  );
}

async function killMidWrites(
  apis: Instance[],
  apiPublic: string,
  authPublic: string,
  world: World,
): Promise<void> {
  const token = await tokenFrom(authPublic, world.clientA);
  const run = randomUUID().slice(0, 8);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${apiPublic}${BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  const lineItems = Array.from(
    { length: 20 },
    (_, i) => `cluster-${run}-li-${i}`,
  );
  for (const id of lineItems) {
    const r = await call('PUT', `/lineItems/${id}`, {
      lineItem: { title: id, class: { sourcedId: world.classA } },
    });
    if (r.status !== 201)
      throw new Error(`PUT lineItem ${id}: ${r.status} ${await r.text()}`);
  }
  const writes = lineItems.flatMap((li, i) =>
    world.studentsA.map((student, j) => ({
      id: `cluster-${run}-r-${i}-${j}`,
      body: {
        result: {
          lineItem: { sourcedId: li },
          student: { sourcedId: student },
          scoreStatus: 'fully graded',
          score: (i * 7 + j) % 101,
          scoreDate: '2026-10-01',
        },
      },
    })),
  );
  let next = 0;
  let acknowledged = 0;
  let retried = 0;
  const servedBy = new Map<string, number>();
  const failures: string[] = [];
  const killAfter = Math.floor(writes.length / 4);
  let killed = false;
  const [api1] = apis;
  const kill = async () => {
    killed = true;
    api1.child.kill('SIGKILL');
    await api1.exited;
  };
  async function worker(): Promise<void> {
    while (next < writes.length) {
      const w = writes[next++];
      for (let attempt = 1; ; attempt++) {
        let status: number;
        try {
          const res = await call('PUT', `/results/${w.id}`, w.body);
          status = res.status;
          const server = res.headers.get('x-served-by') ?? '?';
          servedBy.set(server, (servedBy.get(server) ?? 0) + 1);
        } catch {
          status = 0; // the connection broke: the instance died under it
        }
        if (status === 200 || status === 201) break;
        if ((status === 0 || status >= 502) && attempt < 6) {
          retried++;
          await sleep(100 * attempt);
          continue;
        }
        failures.push(`${w.id}: ${status}`);
        break;
      }
      acknowledged++;
      if (!killed && acknowledged >= killAfter) void kill();
    }
  }
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 8 }, worker));
  const seconds = (Date.now() - t0) / 1000;
  const missing: string[] = [];
  for (const w of writes) {
    const r = await call('GET', `/results/${w.id}`);
    const body =
      r.status === 200
        ? ((await r.json()) as { result: { score: number } })
        : null;
    if (!body || body.result.score !== w.body.result.score) missing.push(w.id);
  }
  check(
    'an API instance killed mid-load loses no gradebook write',
    killed &&
      (servedBy.get('api1') ?? 0) > 0 &&
      failures.length === 0 &&
      missing.length === 0,
    `${writes.length} result PUTs by 8 clients through the proxy in ${seconds.toFixed(1)} s, api1 killed (SIGKILL) after ${killAfter}; answered by ${[...servedBy].map(([k, v]) => `${k} ${v}`).join(', ')}; ${retried} attempts retried by the clients (HAProxy retries a broken connection on the other server itself); ${failures.length} refused${failures.length ? ` (${failures.slice(0, 3).join(', ')})` : ''}; ${missing.length} missing or wrong when read back`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
