/* eslint-disable no-console -- a command-line report */
/**
 * `npm run test:cluster`: the production topology on one machine's loopback ports, checked
 * end to end. Two auth servers and two API instances, built as `npm start` builds them, share
 * one Redis and a MariaDB primary with one replica (tools/scale/replication.sh, in a folder
 * of their own); both API instances read from the replica (DATABASE_REPLICA_URLS), both auth
 * servers share one CSV upload folder; HAProxy (Debian's package) balances each pair. Checks:
 *
 *  1. tokens issued by either auth server are accepted by either API instance, directly and
 *     through the proxy (one issuer, one signing key);
 *  2. a revocation made through one auth server's portal refuses, at the other auth server,
 *     the next token at once (its client cache holds clients a minute: only the Redis bus can
 *     tell it) and, at the other API instance, a token already issued within seconds;
 *  3. an API instance killed (SIGKILL) in the middle of a load of gradebook writes through the
 *     proxy loses no write: every PUT either succeeded or is retried by the client (PUT is
 *     idempotent) on the surviving instance, and every result is there afterwards;
 *  4. reads are served by the replica: a row changed on the replica alone is what both API
 *     instances answer, and the replica's Com_select rises while the primary's does not;
 *  5. read-your-writes across instances: with the replica delayed (MASTER_DELAY, still in
 *     rotation), a gradebook PUT through the proxy is found at once by a GET the proxy sends to
 *     the other instance, while the replica does not hold it yet (the window is in Redis);
 *  6. a CSV import uploaded through one auth server's portal API runs exactly once (one
 *     worker; one start in the queue, one audit row) and its report is read from the other;
 *  7. the replica server stopped: reads through both instances keep answering (the primary),
 *     and /health of both says degraded with the replica unreachable;
 *  8. webhook deliveries are shared work: the events of a school's decisions (check 2) reach
 *     the integrator's receiver from the two auth servers' dispatchers, each event accepted
 *     once, signed, after a refused first attempt retried by whichever instance claims it.
 *
 * Environment (all optional):
 *   CLUSTER_DATABASE_URL  only its database name is used, on the private primary (default
 *                         oneroster_cluster)
 *   CLUSTER_REDIS_URL     Redis (default redis://127.0.0.1:6379)
 *   CLUSTER_REDIS_PREFIX  prefix of the run's channel and keys (default oneroster:cluster;
 *                         each run adds a random part and removes its queue keys)
 *   CLUSTER_PORT_BASE     first of the 40 loopback ports used (default 18400)
 *   CLUSTER_SKIP_BUILD=1  use the apps already in dist/
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { exportJWK, generateKeyPair } from 'jose';
import { createConnection, type Connection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '@oneroster/config';
import {
  ALL_ONEROSTER_SCOPES,
  PORTAL_CSRF_HEADER,
  PORTAL_SESSION_COOKIE,
  WEBHOOK_HEADERS,
  type ImportJobView,
} from '@oneroster/contracts';
import { CSV_IMPORT_QUEUE_NAME, exportCsv } from '@oneroster/data-access-csv';
import {
  PlatformWebhooks,
  verifyWebhook,
} from '@oneroster/data-access-platform';
import { PortalSessions } from '@oneroster/data-access-portal';
import { openDatabase } from '@oneroster/database';
import {
  Instance,
  buildApps,
  dbCli,
  replicationPair,
  rssMiB,
  sleep,
  startApp,
  startHaproxy,
  stop,
} from './processes';

const BASE = '/ims/oneroster/v1p1';
const SECRET = 'cluster-sandbox-secret';

const databaseName =
  new URL(
    process.env['CLUSTER_DATABASE_URL'] ||
      'mysql://root@127.0.0.1/oneroster_cluster',
  ).pathname.replace(/^\//, '') || 'oneroster_cluster';
const redisUrl = process.env['CLUSTER_REDIS_URL'] || 'redis://127.0.0.1:6379';
const redisPrefix = `${process.env['CLUSTER_REDIS_PREFIX'] || 'oneroster:cluster'}:${randomUUID()}`;
const portBase = Number(process.env['CLUSTER_PORT_BASE'] || 18400);
const ports = {
  apiProxy: portBase,
  authProxy: portBase + 1,
  api: [portBase + 10, portBase + 11],
  auth: [portBase + 20, portBase + 21],
  primary: portBase + 30,
  replica: portBase + 31,
  webhookReceiver: portBase + 35,
};
/** The API's replica settings: a replica up to 5 s behind stays in rotation. */
const MAX_LAG_S = 5;

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

const timings: string[] = [];
async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await work();
  } finally {
    timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/** Both servers of the pair, as root over loopback. */
interface Servers {
  primary: Connection;
  replica: Connection;
}

async function one(
  conn: Connection,
  sql: string,
  params: unknown[] = [],
): Promise<unknown> {
  const [rows] = await conn.query(sql, params);
  const row = (rows as Record<string, unknown>[])[0];
  return row ? Object.values(row)[0] : undefined;
}

/** Waits until the replica has applied everything the primary has written so far. */
async function replicaCaughtUp(db: Servers, timeoutMs = 120_000) {
  const pos = String(await one(db.primary, 'SELECT @@gtid_binlog_pos'));
  const end = Date.now() + timeoutMs;
  while (String(await one(db.replica, 'SELECT @@gtid_slave_pos')) !== pos) {
    if (Date.now() > end) throw new Error('the replica did not catch up');
    await sleep(100);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  if (process.env['CLUSTER_SKIP_BUILD'] !== '1') {
    console.log('Building api and auth…');
    await timed('build', async () => buildApps());
  }
  const work = mkdtempSync(join(tmpdir(), 'oneroster-cluster-'));
  const pair = replicationPair(
    join(work, 'replication'),
    ports.primary,
    ports.replica,
  );
  const primaryUrl = `mariadb://root@127.0.0.1:${ports.primary}/${databaseName}`;
  const replicaUrl = `mariadb://root@127.0.0.1:${ports.replica}/${databaseName}`;
  const instances: Instance[] = [];
  let receiver: WebhookReceiver | null = null;
  let db: Servers | null = null;
  let ds: DataSource | null = null;
  try {
    console.log(
      `Starting a MariaDB primary (${ports.primary}) and replica (${ports.replica})…`,
    );
    db = await timed('primary and replica started', async () => {
      pair.script('start');
      const primary = await createConnection(
        `mysql://root@127.0.0.1:${ports.primary}`,
      );
      const replica = await createConnection(
        `mysql://root@127.0.0.1:${ports.replica}`,
      );
      await primary.query(
        `CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
      );
      await primary.query(`USE \`${databaseName}\``);
      return { primary, replica };
    });
    const servers = db;
    console.log(`Preparing ${primaryUrl} (migrations, demo trust)…`);
    await timed('demo trust seeded and replicated', async () => {
      dbCli(['prepare'], {
        DATABASE_URL: primaryUrl,
        MIGRATE_ON_START: 'true',
        SEED_DEMO_DATA: 'true',
        SANDBOX_CLIENT_SECRET: SECRET,
        DEMO_PASSWORD: 'cluster-demo-password',
        ONEROSTER_MODE: 'demo',
      });
      await replicaCaughtUp(servers);
      await servers.replica.query(`USE \`${databaseName}\``);
    });

    const { privateKey } = await generateKeyPair('ES256', {
      extractable: true,
    });
    const signingKey = JSON.stringify({
      ...(await exportJWK(privateKey)),
      kid: `cluster-${randomUUID()}`,
    });
    const authPublic = `http://127.0.0.1:${ports.authProxy}`;
    const apiPublic = `http://127.0.0.1:${ports.apiProxy}`;
    const shared = {
      ONEROSTER_MODE: 'demo',
      DATABASE_URL: primaryUrl,
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
      REDIS_URL: redisUrl,
      INVALIDATION_CHANNEL: redisPrefix,
      AUTH_PUBLIC_URL: authPublic,
      API_PUBLIC_URL: apiPublic,
      AUTH_TRUST_PROXY: 'loopback',
      SANDBOX_CLIENT_SECRET: SECRET,
      // One client calls from one address for every check: no per-client limits in the way.
      API_RATE_LIMIT: '0',
      AUTH_TOKEN_RATE_LIMIT: '0',
    };
    ds = await openDatabase(parseDatabaseUrl(primaryUrl));
    console.log('Starting two auth servers, two API instances and HAProxy…');
    const uploads = join(work, 'uploads');
    const queuePrefix = `${redisPrefix}:jobs`;
    const auths = await timed('auth servers started', () =>
      Promise.all(
        ports.auth.map((port, i) =>
          startApp(`auth${i + 1}`, 'auth', port, {
            ...shared,
            AUTH_SIGNING_KEY: signingKey,
            // A minute: a revocation can reach the other auth server in time only by the bus.
            AUTH_CLIENT_CACHE_MS: '60000',
            // Queued imports run on either auth server: one upload folder for both.
            CSV_UPLOAD_DIR: uploads,
            CSV_IMPORT_QUEUE_PREFIX: queuePrefix,
            // Both dispatchers poll the one outbox often, and retry soon, for check 8.
            WEBHOOK_POLL_MS: '200',
            WEBHOOK_RETRY_BASE_MS: '500',
            WEBHOOK_RETRY_MAX_MS: '2000',
          }),
        ),
      ),
    );
    instances.push(...auths);
    const proxy = await startHaproxy(join(work, 'haproxy'), {
      auth: {
        port: ports.authProxy,
        servers: auths.map((a) => ({ name: a.name, port: a.port })),
      },
      api: {
        port: ports.apiProxy,
        servers: ports.api.map((port, i) => ({ name: `api${i + 1}`, port })),
      },
    });
    instances.push(proxy);
    // The APIs fetch the signing keys through the proxy, as they would in production.
    const apis = await timed('API instances started', () =>
      Promise.all(
        ports.api.map((port, i) =>
          startApp(`api${i + 1}`, 'api', port, {
            ...shared,
            AUTH_ISSUER: `${authPublic}/oidc`,
            AUTH_JWKS_URL: `${authPublic}/oidc/jwks`,
            DATABASE_REPLICA_URLS: replicaUrl,
            DATABASE_REPLICA_MAX_LAG_S: String(MAX_LAG_S),
            DATABASE_REPLICA_CHECK_INTERVAL_MS: '250',
          }),
        ),
      ),
    );
    instances.push(...apis);
    await untilProxyServes(apiPublic);
    console.log(`Up after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const world = await loadWorld(ds);
    receiver = await webhookReceiver(ds, world);
    await timed('tokens', () =>
      tokensAcrossInstances(auths, apis, authPublic, apiPublic, world),
    );
    await timed('revocation', () =>
      revocationAcrossInstances(ds as DataSource, auths, apis, world),
    );
    await timed('replica reads', () =>
      readsFromTheReplica(servers, apis, apiPublic, authPublic, world),
    );
    await timed('read-your-writes', () =>
      readYourWritesAcrossInstances(
        servers,
        pair.script,
        apiPublic,
        authPublic,
        world,
      ),
    );
    await timed('CSV import', () =>
      importOnce(ds as DataSource, auths, uploads, queuePrefix, world, work),
    );
    await timed('replica stopped', () =>
      replicaStopped(pair.script, apis, apiPublic, authPublic, world),
    );
    await timed('webhooks', () =>
      webhooksDelivered(ds as DataSource, receiver as WebhookReceiver),
    );
    const rss = () =>
      [...auths, ...apis]
        .map(
          (i) => `${i.name} ${rssMiB(i.child.pid)?.toFixed(0) ?? 'gone'} MiB`,
        )
        .join(', ');
    const memory = rss();
    // Last: it kills api1 (with the replica stopped, every write goes to the primary anyway).
    await timed('kill mid-writes', () =>
      killMidWrites(apis, apiPublic, authPublic, world),
    );
    console.log(
      `\nResident memory (VmRSS) before the write load: ${memory}; after it: ${rss()}`,
    );
  } finally {
    for (const i of instances.reverse()) await stop(i);
    await receiver?.close();
    await ds?.destroy();
    await db?.primary.end().catch(() => undefined);
    await db?.replica.end().catch(() => undefined);
    await removeQueueKeys();
    try {
      pair.script('destroy');
    } catch (err) {
      console.error((err as Error).message);
    }
    rmSync(work, { recursive: true, force: true });
  }
  const failed = checks.filter((c) => !c.ok);
  console.log(`Timings: ${timings.join(', ')}`);
  console.log(
    `\n${checks.length - failed.length}/${checks.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed.length ? 1 : 0;
}

/** The run's queue keys (its read-your-writes keys expire by themselves). */
async function removeQueueKeys(): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${redisPrefix}:*`);
    if (keys.length) await redis.del(...keys);
  } catch {
    /* Redis gone: nothing to clean */
  } finally {
    redis.disconnect();
  }
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

type Json = Record<string, unknown>;

async function replicaOf(
  url: string,
): Promise<{ status: string; replica: Json }> {
  const body = (await (await fetch(`${url}/health`)).json()) as Json;
  return {
    status: String(body['status']),
    replica: ((body['replicas'] as Json[] | undefined) ?? [])[0] ?? {},
  };
}

/** A webhook receiver of the integrator of client B: refuses each event's first attempt. */
interface WebhookReceiver {
  endpointId: string;
  /** Per event id: the answers given, in order (503 then 204), and whether each was signed. */
  seen: Map<string, { status: number; signed: boolean; type: string }[]>;
  close(): Promise<void>;
}

async function webhookReceiver(
  ds: DataSource,
  world: World,
): Promise<WebhookReceiver> {
  const [{ integrator_id: integratorId }]: { integrator_id: string }[] =
    await ds.query(
      `SELECT a.integrator_id FROM oauth_clients c JOIN applications a ON a.id = c.application_id
       WHERE c.client_id = ?`,
      [world.clientB],
    );
  const seen: WebhookReceiver['seen'] = new Map();
  let secret = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers[WEBHOOK_HEADERS.id] ?? '');
      const signed = verifyWebhook(
        secret,
        {
          timestamp: req.headers[WEBHOOK_HEADERS.timestamp] as string,
          signature: req.headers[WEBHOOK_HEADERS.signature] as string,
        },
        body,
      );
      const answers = seen.get(id) ?? [];
      const status = answers.length === 0 ? 503 : 204;
      answers.push({
        status,
        signed,
        type: String(req.headers[WEBHOOK_HEADERS.event] ?? ''),
      });
      seen.set(id, answers);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(ports.webhookReceiver, '127.0.0.1', resolve),
  );
  // Registered as the portal or the platform API would (same checks, loopback allowed in demo).
  const created = await new PlatformWebhooks(ds, {
    allowLoopbackHttp: true,
  }).create(integratorId, {
    url: `http://127.0.0.1:${ports.webhookReceiver}/hooks`,
  });
  secret = created.secret;
  return {
    endpointId: created.id,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Check 8: the outbox's deliveries of check 2's decisions, worked by both auth servers. */
async function webhooksDelivered(
  ds: DataSource,
  receiver: WebhookReceiver,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let rows: { status: string; attempts: number; event_id: string }[];
  do {
    rows = await ds.query(
      'SELECT status, attempts, event_id FROM webhook_deliveries WHERE endpoint_id = ?',
      [receiver.endpointId],
    );
    if (rows.length && rows.every((r) => r.status === 'succeeded')) break;
    await sleep(200);
  } while (Date.now() < deadline);
  const events = [...receiver.seen.entries()];
  const types = events.map(([, a]) => a[0].type).sort();
  const onceEach = events.every(
    ([, a]) =>
      a.length === 2 &&
      a[0].status === 503 &&
      a[1].status === 204 &&
      a.every((x) => x.signed),
  );
  const [{ attempts }]: { attempts: number }[] = await ds.query(
    `SELECT COUNT(*) AS attempts FROM webhook_attempts t
     JOIN webhook_deliveries d ON d.id = t.delivery_id WHERE d.endpoint_id = ?`,
    [receiver.endpointId],
  );
  check(
    'webhook events of decisions made through auth1 are delivered once each from the shared outbox, retried after a refusal',
    rows.length >= 2 &&
      types.includes('approval.revoked') &&
      types.includes('approval.granted') &&
      rows.every((r) => r.status === 'succeeded' && r.attempts === 2) &&
      events.length === rows.length &&
      onceEach &&
      Number(attempts) === 2 * rows.length,
    `${rows.length} deliveries (${types.join(', ')}): ${rows.map((r) => `${r.status} after ${r.attempts} attempts`).join(', ')}; receiver saw ${events.map(([, a]) => a.map((x) => `${x.status}${x.signed ? ' signed' : ' UNSIGNED'}`).join(' → ')).join('; ')}; ${attempts} attempts logged`,
  );
}

/** Polls until `ok` holds for every API instance's replica status (or times out). */
async function untilReplica(
  apis: Instance[],
  ok: (h: { status: string; replica: Json }) => boolean,
  timeoutMs = 15_000,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(apis.map((a) => replicaOf(a.url)));
    if (all.every(ok)) return true;
    if (Date.now() > end) return false;
    await sleep(100);
  }
}

async function comSelect(conn: Connection): Promise<number> {
  const [rows] = await conn.query("SHOW GLOBAL STATUS LIKE 'Com_select'");
  return Number((rows as { Value: string }[])[0]?.Value ?? NaN);
}

async function readsFromTheReplica(
  db: Servers,
  apis: Instance[],
  apiPublic: string,
  authPublic: string,
  world: World,
): Promise<void> {
  const inRotation = await untilReplica(
    apis,
    (h) => h.status === 'ok' && h.replica['inRotation'] === true,
  );
  const token = await tokenFrom(authPublic, world.clientA);
  const [[user]] = (await db.primary.query(
    `SELECT sourced_id AS id, given_name AS name FROM users WHERE school_id = ? AND role = 'student'
     ORDER BY sourced_id LIMIT 1`,
    [world.schoolA],
  )) as unknown as [{ id: string; name: string }[]];
  // A row the replica alone holds: what the API answers tells which server it read.
  const marker = `OnlyOnTheReplica${randomUUID().slice(0, 6)}`;
  await db.replica.query('SET SESSION sql_log_bin = 0');
  const setName = (name: string) =>
    db.replica.query(
      'UPDATE users SET given_name = ? WHERE school_id = ? AND sourced_id = ?',
      [name, world.schoolA, user.id],
    );
  await setName(marker);
  const answers: string[] = [];
  let fromReplica = 0;
  const readers = [...apis.map((a) => a.url), apiPublic, apiPublic];
  try {
    for (const reader of readers) {
      const res = await fetch(`${reader}${BASE}/users/${user.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const name =
        res.status === 200
          ? String(((await res.json()) as { user: Json }).user['givenName'])
          : `HTTP ${res.status}`;
      if (name === marker) fromReplica++;
      else answers.push(`${reader}: ${name}`);
    }
  } finally {
    // The row must match the primary again before anything replicates over it.
    await setName(user.name);
  }
  const reads = 50;
  const before = [await comSelect(db.primary), await comSelect(db.replica)];
  const t0 = Date.now();
  let good = 0;
  for (let i = 0; i < reads; i++)
    if ((await statusOf(`${apiPublic}${BASE}/users?limit=100`, token)) === 200)
      good++;
  const ms = Date.now() - t0;
  const onPrimary = (await comSelect(db.primary)) - before[0];
  const onReplica = (await comSelect(db.replica)) - before[1];
  check(
    'both API instances read from the replica',
    inRotation &&
      fromReplica === readers.length &&
      good === reads &&
      onReplica >= 3 * reads &&
      onPrimary < reads,
    `a name changed on the replica alone came back from api1, api2 and twice through the proxy (${fromReplica}/${readers.length}${answers.length ? `; ${answers.join(', ')}` : ''}); ${good}/${reads} reads of /users?limit=100 through the proxy in ${ms} ms ran ${onReplica} SELECTs on the replica, ${onPrimary} on the primary (health checks and token lookups included)`,
  );
}

async function readYourWritesAcrossInstances(
  db: Servers,
  script: (...args: string[]) => string,
  apiPublic: string,
  authPublic: string,
  world: World,
): Promise<void> {
  const delay = 2;
  script('delay', String(delay));
  const apis = [1, 2].map((n) => ({
    url: `http://127.0.0.1:${ports.api[n - 1]}`,
  }));
  const inRotation = () =>
    untilReplica(apis as Instance[], (h) => h.replica['inRotation'] === true);
  const rotatingBefore = await inRotation();
  const token = await tokenFrom(authPublic, world.clientA);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${apiPublic}${BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  const run = randomUUID().slice(0, 8);
  const rounds = 6;
  const problems: string[] = [];
  let crossed = 0;
  const writers = new Set<string>();
  let notYetOnReplica = 0;
  let maxLag = 0;
  for (let i = 0; i < rounds; i++) {
    const id = `cluster-ryw-${run}-${i}`;
    // Every other round, one more request first: the PUTs go to both instances in turn.
    if (i % 2) await (await call('GET', '/schools')).body?.cancel();
    const put = await call('PUT', `/lineItems/${id}`, {
      lineItem: { title: id, class: { sourcedId: world.classA } },
    });
    const writer = put.headers.get('x-served-by');
    writers.add(String(writer));
    if (put.status !== 201) {
      problems.push(`PUT ${id}: ${put.status}`);
      continue;
    }
    // Round robin: the next request goes to the other instance; one more if not.
    let get = await call('GET', `/lineItems/${id}`);
    if (get.headers.get('x-served-by') === writer) {
      await get.body?.cancel();
      get = await call('GET', `/lineItems/${id}`);
    }
    const reader = get.headers.get('x-served-by');
    const title =
      get.status === 200
        ? String(((await get.json()) as { lineItem: Json }).lineItem['title'])
        : null;
    const onReplica = Number(
      await one(
        db.replica,
        'SELECT COUNT(*) FROM line_items WHERE school_id = ? AND sourced_id = ?',
        [world.schoolA, id],
      ),
    );
    if (reader && reader !== writer) crossed++;
    if (onReplica === 0) notYetOnReplica++;
    if (title !== id)
      problems.push(
        `GET ${id} on ${reader} after PUT on ${writer}: ${get.status}`,
      );
    const h = await replicaOf(apis[0].url);
    maxLag = Math.max(maxLag, Number(h.replica['lagSeconds'] ?? 0));
  }
  const rotatingAfter = await inRotation();
  script('delay', '0');
  await replicaCaughtUp(db, 30_000);
  check(
    'a gradebook PUT on one instance is read at once on the other while the replica lags',
    rotatingBefore &&
      rotatingAfter &&
      problems.length === 0 &&
      crossed === rounds &&
      writers.size === 2 &&
      notYetOnReplica === rounds,
    `${rounds} line item PUTs through the proxy (MASTER_DELAY=${delay}, replica in rotation throughout, lag seen up to ${maxLag} s), written by ${[...writers].sort().join(' and ')}, each followed by a GET the other instance served (${crossed}/${rounds}): found ${rounds - problems.length}/${rounds} while the replica did not hold it yet (${notYetOnReplica}/${rounds})${problems.length ? `; ${problems.join(', ')}` : ''}`,
  );
}

async function importOnce(
  ds: DataSource,
  auths: Instance[],
  uploads: string,
  queuePrefix: string,
  world: World,
  work: string,
): Promise<void> {
  const [{ id: adminId }]: { id: string }[] = await ds.query(
    `SELECT a.id AS id FROM accounts a JOIN account_school_roles r ON r.account_id = a.id
     WHERE r.school_id = ? AND r.role = 'school_admin' ORDER BY a.email LIMIT 1`,
    [world.schoolA],
  );
  const session = await new PortalSessions(ds).create(adminId, null);
  const headers = {
    cookie: `${PORTAL_SESSION_COOKIE}=${encodeURIComponent(session.cookie)}`,
    [PORTAL_CSRF_HEADER]: session.csrfToken,
  };
  const zipPath = join(work, 'school.zip');
  const exported = await exportCsv(ds, {
    schoolId: world.schoolA,
    out: zipPath,
  });
  const zip = readFileSync(zipPath);
  const [auth1, auth2] = auths;
  const jobsPath = `/portal/api/schools/${world.schoolA}/imports`;
  const t0 = Date.now();
  const posted = await fetch(`${auth1.url}${jobsPath}?mode=apply`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/zip' },
    body: zip,
  });
  if (posted.status !== 202)
    throw new Error(`import upload: ${posted.status} ${await posted.text()}`);
  let job = (await posted.json()) as ImportJobView;
  const view = async (url: string) =>
    (await (
      await fetch(`${url}${jobsPath}/${job.id}`, { headers })
    ).json()) as ImportJobView;
  while (job.finishedAt === null && Date.now() - t0 < 120_000) {
    await sleep(200);
    job = await view(auth2.url);
  }
  const seconds = (Date.now() - t0) / 1000;
  const fromAuth1 = await view(auth1.url);
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(CSV_IMPORT_QUEUE_NAME, {
    connection,
    prefix: queuePrefix,
  });
  const queued = await Job.fromId(queue, job.id).finally(async () => {
    await queue.close();
    connection.disconnect();
  });
  const started = queued?.attemptsStarted ?? -1;
  const stalled = queued?.stalledCounter ?? -1;
  const audits: { action: string }[] = await ds.query(
    'SELECT action FROM audit_events WHERE target_type = ? AND target_id = ?',
    ['import', job.id],
  );
  const left = readdirSync(uploads);
  check(
    'a CSV import uploaded through auth1 runs once and its report is read through auth2',
    job.status === 'succeeded' &&
      job.report?.errors === 0 &&
      JSON.stringify(fromAuth1) === JSON.stringify(job) &&
      started === 1 &&
      stalled === 0 &&
      audits.length === 1 &&
      left.length === 0,
    `${(zip.length / 1024).toFixed(0)} KiB zip of school ${world.schoolA} (${exported.rows} rows) uploaded to auth1 (mode=apply), ${job.status} in ${seconds.toFixed(1)} s as auth2 reports it (${job.rowsRead} rows read, ${job.report?.errors ?? '?'} errors, ${job.report?.warnings ?? '?'} warnings), auth1 shows the same view: ${JSON.stringify(fromAuth1) === JSON.stringify(job)}; started ${started} time(s) in the queue, ${stalled} stalls; audit rows ${audits.map((a) => a.action).join(', ') || 'none'}; ${left.length} file(s) left in the shared upload folder`,
  );
}

async function replicaStopped(
  script: (...args: string[]) => string,
  apis: Instance[],
  apiPublic: string,
  authPublic: string,
  world: World,
): Promise<void> {
  const token = await tokenFrom(authPublic, world.clientA);
  const t0 = Date.now();
  script('stop-replica');
  const stopMs = Date.now() - t0;
  const readers = [...apis.map((a) => a.url), apiPublic, apiPublic];
  const t1 = Date.now();
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++)
    for (const reader of readers) {
      statuses.push(await statusOf(`${reader}${BASE}/users?limit=10`, token));
      statuses.push(
        await statusOf(`${reader}${BASE}/classes/${world.classA}`, token),
      );
    }
  const readMs = Date.now() - t1;
  const degraded = await untilReplica(
    apis,
    (h) =>
      h.status === 'degraded' &&
      h.replica['reachable'] === false &&
      h.replica['inRotation'] === false,
  );
  const health = await Promise.all(apis.map((a) => replicaOf(a.url)));
  const ok = statuses.filter((s) => s === 200).length;
  check(
    'reads keep working with the replica stopped, and /health of both instances says degraded',
    ok === statuses.length && degraded,
    `replica stopped in ${stopMs} ms; ${ok}/${statuses.length} reads right after (api1, api2, the proxy) answered 200 in ${readMs} ms; /health: ${health.map((h, i) => `api${i + 1} ${h.status} (${String(h.replica['reason'])})`).join(', ')}`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
