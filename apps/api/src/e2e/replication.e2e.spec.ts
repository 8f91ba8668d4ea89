/**
 * Reads from a MariaDB replica, against a real primary and replica started on loopback by
 * tools/scale/replication.sh (own data folders, binlog + GTID replication). Slow (servers
 * start, the demo trust is seeded and replicated), so it runs only with TEST_REPLICATION=1:
 * `npm run test:replication` (docs/scale.md). Checked:
 * - reads are served by the replica: a row changed on the replica alone (sql_log_bin=0) is
 *   what the API answers, for single objects and collections (count and rows);
 * - collection reads put their SELECTs on the replica, none on the primary (Com_select);
 * - read-your-writes: with the replica delayed (MASTER_DELAY, still within the lag bound and
 *   in rotation), a gradebook PUT is followed at once by a GET that finds it, while the
 *   replica does not have it yet; another school's reads stay on the replica meanwhile;
 * - replication stopped (STOP SLAVE) or lagging past the bound: /health reports it
 *   (degraded, 200) and reads go to the primary;
 * - the replica server stopped: reads keep answering 200 from the primary, also on an
 *   instance whose last status check still says "in rotation" (its reads fall back on their
 *   own); /health says the replica is unreachable; started again, it rejoins the rotation.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection, type Connection } from 'mysql2/promise';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { parseDatabaseUrl } from '@oneroster/config';
import { readRouting } from '@oneroster/database';
import type { TestEngine } from '@oneroster/database/testing';
import { DataSource } from 'typeorm';
import { freePort } from '@oneroster/testing-browser';
import { TestApi, startTestApi } from './support';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../../../tools/scale/replication.sh');
const BASE = '/ims/oneroster/v1p1';
const S = ONEROSTER_SCOPES;
const MAX_LAG_S = 5;
type Json = Record<string, unknown>;

const enabled = process.env['TEST_REPLICATION'] === '1';

(enabled ? describe : describe.skip)('read replicas (MariaDB)', () => {
  let env: Record<string, string>;
  let apiEnv: Record<string, string>;
  let engine: TestEngine;
  let api: TestApi;
  let primary: Connection;
  let replica: Connection;
  let tokenA: string;
  let tokenB: string;
  let schoolA: string;
  let schoolB: string;
  let userB: string;
  let givenNameB: string;
  let classA: string;

  const script = (...args: string[]) =>
    run('bash', [SCRIPT, ...args], { env: { ...process.env, ...env } });

  async function get(path: string, token: string) {
    const res = await fetch(`${api.url}${BASE}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  async function health() {
    const res = await fetch(`${api.url}/health`);
    return { status: res.status, body: (await res.json()) as Json };
  }

  const replicaHealth = async () =>
    ((await health()).body['replicas'] as Json[])[0] ?? {};

  /** Polls until `check` holds (or fails with the last value seen). */
  async function until<T>(
    what: string,
    probe: () => Promise<T>,
    check: (v: T) => boolean,
    timeoutMs = 30_000,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    let last: T = await probe();
    while (!check(last)) {
      if (Date.now() > end)
        throw new Error(`${what}: still ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
      last = await probe();
    }
    return last;
  }

  const measured = (what: string, since: number) =>
    process.stdout.write(
      `replication test: ${what}: ${Date.now() - since} ms\n`,
    );

  const one = async (conn: Connection, sql: string, params: unknown[] = []) => {
    const [rows] = await conn.query(sql, params);
    const row = (rows as Json[])[0];
    return row ? Object.values(row)[0] : undefined;
  };

  /** The replica has applied everything the primary has written so far. */
  async function replicaCaughtUp() {
    const pos = String(await one(primary, 'SELECT @@gtid_binlog_pos'));
    await until(
      'replica catching up',
      async () => String(await one(replica, 'SELECT @@gtid_slave_pos')),
      (p) => p === pos,
      120_000,
    );
  }

  beforeAll(async () => {
    const started = Date.now();
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    env = {
      REPLICATION_DIR: mkdtempSync(join(tmpdir(), 'oneroster-replication-')),
      REPLICATION_PRIMARY_PORT: String(primaryPort),
      REPLICATION_REPLICA_PORT: String(replicaPort),
    };
    await script('start');
    const database = 'oneroster_replication';
    const primaryUrl = `mariadb://root@127.0.0.1:${primaryPort}/${database}`;
    primary = await createConnection(primaryUrl.replace(/\/[^/]+$/, ''));
    await primary.query(
      `CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    engine = {
      name: 'mysql',
      config: async () => parseDatabaseUrl(primaryUrl),
    };
    apiEnv = {
      DATABASE_URL: primaryUrl,
      DATABASE_REPLICA_URLS: `mariadb://root@127.0.0.1:${replicaPort}/${database}`,
      DATABASE_REPLICA_MAX_LAG_S: String(MAX_LAG_S),
      DATABASE_REPLICA_CHECK_INTERVAL_MS: '250',
    };
    api = await startTestApi(engine, { env: apiEnv });
    replica = await createConnection(
      `mysql://root@127.0.0.1:${replicaPort}/${database}`,
    );
    await primary.query(`USE ${database}`);
    await replicaCaughtUp();
    [schoolA, schoolB] = api.plan.schools.map((s) => s.schoolId);
    classA = String(
      await one(
        primary,
        "SELECT sourced_id FROM classes WHERE school_id = ? AND class_type = 'scheduled' ORDER BY sourced_id LIMIT 1",
        [schoolA],
      ),
    );
    userB = String(
      await one(
        primary,
        "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'student' ORDER BY sourced_id LIMIT 1",
        [schoolB],
      ),
    );
    givenNameB = String(
      await one(
        primary,
        'SELECT given_name FROM users WHERE school_id = ? AND sourced_id = ?',
        [schoolB, userB],
      ),
    );
    const scope = [
      S.roster,
      S.gradebookRead,
      S.gradebookCreatePut,
      S.resource,
    ].join(' ');
    tokenA = await api.issuer.token({
      school_ids: [schoolA],
      scope,
      integrator_id: 'int-1',
    });
    tokenB = await api.issuer.token({
      school_ids: [schoolB],
      scope,
      integrator_id: 'int-1',
    });
    // A row that only the replica holds: what the API answers tells which server it read.
    await replica.query('SET SESSION sql_log_bin = 0');
    await replica.query(
      "UPDATE users SET given_name = 'OnlyOnTheReplica' WHERE school_id = ? AND sourced_id = ?",
      [schoolB, userB],
    );
    await until(
      'replica in rotation',
      replicaHealth,
      (r) => r['inRotation'] === true,
    );
    process.stdout.write(
      `replication test: servers started, demo trust seeded and replicated in ${Date.now() - started} ms\n`,
    );
  }, 240_000);

  afterAll(async () => {
    // The replica's connection died with the server in the last test.
    await replica?.end().catch(() => undefined);
    await primary?.end();
    await api?.close();
    if (env) await script('destroy');
  }, 60_000);

  const givenName = async () =>
    ((await get(`/users/${userB}`, tokenB)).body['user'] as Json)['givenName'];
  const filtered = async () => {
    const r = await get(
      `/users?filter=${encodeURIComponent("givenName='OnlyOnTheReplica'")}`,
      tokenB,
    );
    return (r.body['users'] as Json[]).map((u) => u['sourcedId']);
  };

  it('serves reads from the replica, and /health reports it in rotation', async () => {
    expect(await givenName()).toBe('OnlyOnTheReplica');
    // A collection: its count and its rows both come from the replica.
    expect(await filtered()).toEqual([userB]);
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', database: 'up' });
    const [status] = h.body['replicas'] as Json[];
    expect(Number(status?.['lagSeconds'])).toBeLessThanOrEqual(MAX_LAG_S);
    expect(h.body['replicas']).toEqual([
      expect.objectContaining({
        reachable: true,
        replicating: true,
        // Right after the seeding's writes it may still read 1 s.
        lagSeconds: expect.any(Number),
        inRotation: true,
        reason: null,
      }),
    ]);
  });

  it('moves the SELECTs of collection reads from the primary to the replica', async () => {
    const selects = async (conn: Connection) =>
      Number(
        (
          (await conn.query("SHOW GLOBAL STATUS LIKE 'Com_select'"))[0] as {
            Value: string;
          }[]
        )[0]?.Value,
      );
    const [primaryBefore, replicaBefore] = [
      await selects(primary),
      await selects(replica),
    ];
    const started = Date.now();
    for (let i = 0; i < 50; i++)
      expect((await get('/users?limit=100', tokenB)).status).toBe(200);
    const onPrimary = (await selects(primary)) - primaryBefore;
    const onReplica = (await selects(replica)) - replicaBefore;
    measured(
      `50 collection reads (${onReplica} SELECTs on the replica, ${onPrimary} on the primary)`,
      started,
    );
    // Each page is at least a count and its rows (SHOW STATUS is not a Com_select); the
    // primary sees at most the odd approval lookup.
    expect(onReplica).toBeGreaterThanOrEqual(100);
    expect(onPrimary).toBeLessThan(10);
  });

  it("reads a client's gradebook write back from the primary while the replica lags behind it", async () => {
    await script('delay', '2');
    await until(
      'replica back in rotation',
      replicaHealth,
      (r) => r['inRotation'] === true,
    );
    const id = `li-replication-${Date.now()}`;
    const put = await fetch(`${api.url}${BASE}/lineItems/${id}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${tokenA}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        lineItem: {
          title: 'Written to the primary',
          class: { sourcedId: classA },
          assignDate: '2026-09-14T09:00:00Z',
          dueDate: '2026-09-21T16:00:00Z',
        },
      }),
    });
    expect(put.status).toBe(201);
    const got = await get(`/lineItems/${id}`, tokenA);
    const inClass = await get(
      `/classes/${classA}/lineItems?limit=1000`,
      tokenA,
    );
    // The replica is in rotation and does not have the line item yet.
    const onReplica = await one(
      replica,
      'SELECT COUNT(*) FROM line_items WHERE school_id = ? AND sourced_id = ?',
      [schoolA, id],
    );
    const replicaState = await replicaHealth();
    expect(got.status).toBe(200);
    expect((got.body['lineItem'] as Json)['title']).toBe(
      'Written to the primary',
    );
    expect(
      (inClass.body['lineItems'] as Json[]).map((l) => l['sourcedId']),
    ).toContain(id);
    expect(Number(onReplica)).toBe(0);
    expect(replicaState['inRotation']).toBe(true);
    // Another school's reads still go to the replica.
    expect(await givenName()).toBe('OnlyOnTheReplica');
    await script('delay', '0');
    await replicaCaughtUp();
  }, 60_000);

  it('takes a replica whose replication stopped out of rotation: degraded, reads from the primary', async () => {
    await replica.query('STOP SLAVE');
    const stoppedAt = Date.now();
    const out = await until(
      'replica out of rotation',
      replicaHealth,
      (r) => r['inRotation'] === false,
    );
    expect(out).toMatchObject({
      reachable: true,
      replicating: false,
      lagSeconds: null,
    });
    expect(String(out['reason'])).toMatch(/replication stopped/);
    measured('STOP SLAVE to out of rotation', stoppedAt);
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'degraded', database: 'up' });
    expect(await givenName()).toBe(givenNameB);
    expect(await filtered()).toEqual([]);
    await replica.query('START SLAVE');
    await until('replica back', replicaHealth, (r) => r['inRotation'] === true);
    expect(await givenName()).toBe('OnlyOnTheReplica');
  }, 60_000);

  it('takes a replica lagging past DATABASE_REPLICA_MAX_LAG_S out of rotation, and back once it caught up', async () => {
    await script('delay', String(MAX_LAG_S * 4));
    const delayedAt = Date.now();
    // Writes for the replica to fall behind on.
    await primary.query(
      'CREATE TABLE IF NOT EXISTS replication_probe (id INT PRIMARY KEY, at DATETIME(3))',
    );
    const tick = setInterval(() => {
      void primary
        .query('REPLACE INTO replication_probe VALUES (1, NOW(3))')
        .catch(() => undefined);
    }, 500);
    try {
      // Changing MASTER_DELAY restarts replication: a check in that moment sees it stopped
      // (out of rotation for that reason); wait for the out-of-rotation the lag brings.
      const lagging = await until(
        'replica lagging past the bound',
        replicaHealth,
        (r) => r['inRotation'] === false && r['replicating'] === true,
        MAX_LAG_S * 4 * 1000,
      );
      expect(lagging).toMatchObject({ reachable: true, replicating: true });
      expect(Number(lagging['lagSeconds'])).toBeGreaterThan(MAX_LAG_S);
      measured(`MASTER_DELAY=${MAX_LAG_S * 4} to out of rotation`, delayedAt);
      expect(String(lagging['reason'])).toMatch(/lagging \d+ s \(bound 5 s\)/);
      expect((await health()).body['status']).toBe('degraded');
      expect(await givenName()).toBe(givenNameB);
    } finally {
      clearInterval(tick);
    }
    await script('delay', '0');
    await until(
      'replica caught up',
      replicaHealth,
      (r) => r['inRotation'] === true,
      60_000,
    );
    expect(await givenName()).toBe('OnlyOnTheReplica');
  }, 120_000);

  it('keeps reads working when the replica server stops, and takes it back when it starts', async () => {
    // A second instance that checks its replica once a minute: when the server stops, its
    // status still says "in rotation", so its reads meet the dead replica and must fall
    // back to the primary on their own.
    const slowChecks = await startTestApi(engine, {
      issuer: api.issuer,
      env: { ...apiEnv, DATABASE_REPLICA_CHECK_INTERVAL_MS: '60000' },
    });
    try {
      const routing = readRouting(slowChecks.app.get(DataSource));
      if (!routing) throw new Error('the second instance has no read routing');
      const viaSlow = async () => {
        const res = await fetch(`${slowChecks.url}${BASE}/users/${userB}`, {
          headers: { authorization: `Bearer ${tokenB}` },
        });
        return {
          status: res.status,
          body: (await res.json()) as Json,
        };
      };
      expect((await viaSlow()).body['user']).toMatchObject({
        givenName: 'OnlyOnTheReplica',
      });
      await script('stop-replica');
      const serverStoppedAt = Date.now();
      expect(routing.statuses()[0]?.inRotation).toBe(true);
      for (let i = 0; i < 5; i++) {
        const r = await viaSlow();
        expect(r.status).toBe(200);
        expect((r.body['user'] as Json)['givenName']).toBe(givenNameB);
      }
      const collection = await fetch(
        `${slowChecks.url}${BASE}/classes/${classA}/lineItems?limit=1000`,
        { headers: { authorization: `Bearer ${tokenA}` } },
      );
      expect(collection.status).toBe(200);
      expect(routing.fallbacks).toBeGreaterThanOrEqual(6);
      measured(
        '6 reads falling back to the primary after the stop',
        serverStoppedAt,
      );
    } finally {
      await slowChecks.close();
    }
    // The instance checking every 250 ms has taken the replica out.
    const out = await until(
      'replica unreachable',
      replicaHealth,
      (r) => r['reachable'] === false,
    );
    expect(out).toMatchObject({ inRotation: false, lagSeconds: null });
    expect(String(out['reason'])).toMatch(/unreachable/);
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body['status']).toBe('degraded');
    expect(await givenName()).toBe(givenNameB);
    expect((await get(`/classes/${classA}/lineItems`, tokenA)).status).toBe(
      200,
    );
    await script('start-replica');
    await until(
      'replica back in rotation',
      replicaHealth,
      (r) => r['inRotation'] === true,
      60_000,
    );
    expect(await givenName()).toBe('OnlyOnTheReplica');
  }, 120_000);
});
