import { request as httpRequest, type ClientRequest } from 'node:http';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@oneroster/database';
import { testEngines, TestEngine } from '@oneroster/database/testing';
import { RosteringService } from '@oneroster/data-access-oneroster';
import {
  approveTestClient,
  startTestApi,
  TestApi,
  TestApiOptions,
} from './support';

/*
 * No request can exhaust the capacity collection responses share (rows in flight, large
 * pages per client, pooled connections), against the real API on SQLite and on MariaDB
 * (TEST_DATABASE_URL):
 * - a client that drops a queued request takes nothing: the queue empties and later
 *   requests are served;
 * - a request that waits longer than API_QUEUE_TIMEOUT_MS answers 503 server_busy with
 *   Retry-After;
 * - a slow reader that does not drain within API_WRITE_IDLE_TIMEOUT_MS is cut, and gives
 *   back its rows and its database connection;
 * - one client has at most API_LARGE_PAGES_PER_CLIENT large pages at once; others pass;
 * - more large pages than the pool has connections are all served (they are bounded below
 *   the pool in total, so they never wait for one another's connections).
 * Slow readers are real HTTP clients that stop reading a page of 12 MB or more (users padded
 * with metadata), far beyond what the sockets' buffers take, so the server is left waiting.
 */
const BASE = '/ims/oneroster/v1p1';
type Json = Record<string, unknown>;

const minor = (b: Json) =>
  (
    b['imsx_CodeMinor'] as {
      imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
    }
  ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;

const sameDatabase = (api: TestApi, name: TestEngine['name']): TestEngine => ({
  name,
  config: async () => api.database,
});

/** Waits (polling) until `check` holds; fails naming `what` if it never does. */
async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  withinMs = 30_000,
): Promise<void> {
  const end = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface SlowReader {
  status: number;
  stop(): void;
}

/** A client that asks for a page, takes its headers and stops reading the body. */
function slowReader(
  api: TestApi,
  token: string,
  path: string,
): Promise<SlowReader> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest(`${api.url}${BASE}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      agent: false,
    });
    req.on('response', (res) => {
      res.pause();
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, stop: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(testEngines('capacity_e2e', { sqliteFile: true }))(
  'API capacity on $name',
  (engine) => {
    let seeded: TestApi;
    let db: DataSource;
    let schoolIds: string[];
    const started: TestApi[] = [];

    beforeAll(async () => {
      seeded = await startTestApi(engine);
      db = await openDatabase(seeded.database);
      for (const client of ['other-client', 'third-client'])
        await approveTestClient(db, client);
      // About 20 kB per user, so a page of 1,000 is far more than sockets buffer.
      const padding = JSON.stringify({ padding: 'x'.repeat(20_000) });
      await db.query('UPDATE users SET metadata = ?', [padding]);
      schoolIds = seeded.plan.schools.map((s) => s.schoolId);
      const [{ n }] = (await db.query('SELECT COUNT(*) AS n FROM users')) as {
        n: number | string;
      }[];
      expect(Number(n)).toBeGreaterThanOrEqual(1_000);
    }, 240_000);

    afterAll(async () => {
      for (const api of started) await api.close();
      await db?.destroy();
      await seeded?.close();
    }, 60_000);

    async function start(options: TestApiOptions): Promise<TestApi> {
      const api = await startTestApi(sameDatabase(seeded, engine.name), {
        ...options,
        issuer: seeded.issuer,
      });
      started.push(api);
      return api;
    }
    const token = (clientId = 'test-client') =>
      seeded.issuer.token({
        client_id: clientId,
        sub: clientId,
        school_ids: schoolIds,
        integrator_id: 'integrator-capacity',
      });
    const capacity = (api: TestApi) => api.app.get(RosteringService).capacity();
    const idle = (api: TestApi) => {
      const c = capacity(api);
      return (
        c.available === c.capacity &&
        c.waiting === 0 &&
        Object.keys(c.largePages).length === 0
      );
    };
    async function get(api: TestApi, bearer: string, path: string) {
      const res = await fetch(`${api.url}${BASE}${path}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      const body = (await res.json()) as Json;
      return { res, body };
    }
    /** Database connections of the API busy with a query (MariaDB only; else 0). */
    async function busyConnections(api: TestApi): Promise<number> {
      if (engine.name !== 'mysql' || api.database.kind !== 'mysql') return 0;
      const [{ n }] = (await db.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND <> 'Sleep' AND ID <> CONNECTION_ID()",
        [api.database.database],
      )) as { n: number | string }[];
      return Number(n);
    }

    it('takes nothing for queued requests whose clients left, and serves requests afterwards', async () => {
      const api = await start({
        app: { maxRowsInFlight: 10_000 },
        env: { API_QUEUE_TIMEOUT_MS: '120000' },
      });
      const bearer = await token();
      const holder = await slowReader(api, bearer, '/users?limit=10000');
      expect(holder.status).toBe(200);
      expect(capacity(api).available).toBe(0);
      // On MariaDB the page being written holds a pooled connection (busy with its query).
      expect((await busyConnections(api)) > 0).toBe(engine.name === 'mysql');
      // Three large pages queue behind it, then their clients give up.
      const leaving = [1, 2, 3].map(() => new AbortController());
      const dropped = leaving.map((c) =>
        fetch(`${api.url}${BASE}/users?limit=10000`, {
          headers: { authorization: `Bearer ${bearer}` },
          signal: c.signal,
        }).catch((err: Error) => err.name),
      );
      await until('three requests queued', () => capacity(api).waiting === 3);
      for (const c of leaving) c.abort();
      expect(await Promise.all(dropped)).toEqual([
        'AbortError',
        'AbortError',
        'AbortError',
      ]);
      await until('the queue empties', () => capacity(api).waiting === 0);
      expect(capacity(api).available).toBe(0);
      holder.stop();
      await until('the holder gives its rows back', () => idle(api));
      await until(
        'its connection is back',
        async () => (await busyConnections(api)) === 0,
      );
      // Each takes the whole budget: any row left behind by a dropped request would stall them.
      for (let i = 0; i < 4; i++) {
        const { res, body } = await get(
          api,
          bearer,
          '/users?limit=10000&fields=sourcedId',
        );
        expect(res.status).toBe(200);
        expect((body['users'] as unknown[]).length).toBeGreaterThan(1_000);
      }
      await until('nothing is held', () => idle(api));
    }, 90_000);

    it('answers 503 server_busy with Retry-After to a request that waits past the queue timeout', async () => {
      const api = await start({
        app: { maxRowsInFlight: 10_000 },
        env: { API_QUEUE_TIMEOUT_MS: '300' },
      });
      const bearer = await token();
      const holder = await slowReader(api, bearer, '/users?limit=10000');
      expect(holder.status).toBe(200);
      const { res, body } = await get(
        api,
        bearer,
        '/users?limit=2000&fields=sourcedId',
      );
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(body).toMatchObject({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: 'The server is busy; retry shortly',
      });
      expect(minor(body)).toBe('server_busy');
      expect(capacity(api)).toMatchObject({ available: 0, waiting: 0 });
      holder.stop();
      await until('the holder gives its rows back', () => idle(api));
      const after = await get(
        api,
        bearer,
        '/users?limit=2000&fields=sourcedId',
      );
      expect(after.res.status).toBe(200);
    }, 90_000);

    it('cuts slow readers, gives back their rows and connections, then serves requests', async () => {
      const api = await start({
        env: {
          API_WRITE_IDLE_TIMEOUT_MS: '500',
          API_QUEUE_TIMEOUT_MS: '120000',
        },
      });
      const bearers = [await token(), await token('other-client')];
      // Four large pages of each of two clients: eight pooled connections on MariaDB.
      const readers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          slowReader(api, bearers[i % 2], `/users?limit=600&offset=${i}`),
        ),
      );
      expect(readers.map((r) => r.status)).toEqual(Array(8).fill(200));
      // A cut page's connection reads the rest of its result away before it goes back.
      await until('every slow reader is cut', () => idle(api), 120_000);
      await until(
        'their connections are back',
        async () => (await busyConnections(api)) === 0,
        120_000,
      );
      const served = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          get(
            api,
            bearers[i % 2],
            `/users?limit=600&offset=${i}&fields=sourcedId`,
          ),
        ),
      );
      expect(served.map((s) => s.res.status)).toEqual(Array(8).fill(200));
      for (const r of readers) r.stop();
    }, 300_000);

    it('serves more large pages at once than the database pool has connections', async () => {
      const api = await start({ env: { API_QUEUE_TIMEOUT_MS: '120000' } });
      // Three clients, four each (their cap): twelve large pages, each reading through a
      // pooled connection of its own (10 on MariaDB) and needing others for its count and
      // its lists (orgs). Past the pool they would all wait for one another.
      const bearers = [
        await token(),
        await token('other-client'),
        await token('third-client'),
      ];
      const served = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          get(
            api,
            bearers[i % 3],
            `/users?limit=600&offset=${i}&fields=sourcedId,orgs`,
          ),
        ),
      );
      expect(served.map((s) => s.res.status)).toEqual(Array(12).fill(200));
      expect(
        served.every((s) => (s.body['users'] as unknown[]).length === 600),
      ).toBe(true);
      await until('nothing is held', () => idle(api));
    }, 90_000);

    it('holds one client to its large pages while other clients and small pages pass', async () => {
      const api = await start({
        env: {
          API_LARGE_PAGES_PER_CLIENT: '2',
          API_QUEUE_TIMEOUT_MS: '120000',
        },
      });
      const greedy = await token();
      const other = await token('other-client');
      const held = [
        await slowReader(api, greedy, '/users?limit=1000'),
        await slowReader(api, greedy, '/users?limit=1000&offset=1'),
      ];
      expect(held.map((h) => h.status)).toEqual([200, 200]);
      let third: number | null = null;
      const waiting = get(
        api,
        greedy,
        '/users?limit=1000&offset=2&fields=sourcedId',
      ).then((r) => (third = r.res.status));
      await until(
        'the third large page waits',
        () => capacity(api).waiting === 1,
      );
      expect(capacity(api).largePages).toEqual({ 'test-client': 2 });
      // Another client's large page and the same client's small page are served meanwhile.
      expect(
        (await get(api, other, '/users?limit=1000&fields=sourcedId')).res
          .status,
      ).toBe(200);
      expect(
        (await get(api, greedy, '/users?limit=100&fields=sourcedId')).res
          .status,
      ).toBe(200);
      expect(third).toBeNull();
      held[0].stop();
      await waiting;
      expect(third).toBe(200);
      held[1].stop();
      await until('nothing is held', () => idle(api));
    }, 90_000);
  },
);
