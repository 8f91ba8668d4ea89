import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { DatabaseConfig } from '@oneroster/config';
import { openDatabase } from './data-source';
import type { DataSource } from 'typeorm';
import {
  noteWrite,
  ReadRouting,
  readQuery,
  readQueryRunner,
  readRouting,
} from './replicas';
import { testEngines } from './test-database';

type Mysql = Extract<DatabaseConfig, { kind: 'mysql' }>;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function routingOf(ds: DataSource): ReadRouting {
  const routing = readRouting(ds);
  if (!routing) throw new Error('opened without read routing');
  return routing;
}

const settings = { maxLagSeconds: 5, checkIntervalMs: 100 };

describe.each(testEngines('replicas'))(
  'reads without replicas on $name',
  (engine) => {
    it('go to the primary, with no read routing', async () => {
      const ds = await openDatabase(await engine.config());
      try {
        expect(readRouting(ds)).toBeNull();
        const runner = await readQueryRunner(ds, ['school-1']);
        // SQLite's runners have no replication mode at all.
        expect(runner.getReplicationMode()).not.toBe('slave');
        await runner.release();
        const rows = await readQuery<{ one: number | string }[]>(
          ds,
          ['school-1'],
          'SELECT 1 AS one',
        );
        expect(rows.map((r) => Number(r.one))).toEqual([1]);
        noteWrite(ds, ['school-1']);
      } finally {
        await ds.destroy();
      }
    });
  },
);

const mysql = testEngines('replicas_mysql').filter((e) => e.name === 'mysql');

// MariaDB/MySQL only (TEST_DATABASE_URL).
(mysql.length
  ? describe.each(mysql)
  : describe.skip.each(testEngines('unused')))(
  'read replicas on $name',
  (engine) => {
    it('keep a replica that refuses connections out of rotation; reads go to the primary', async () => {
      const primary = (await engine.config()) as Mysql;
      const port = await closedPort();
      const ds = await openDatabase(primary, {
        replicas: {
          servers: [{ ...primary, host: '127.0.0.1', port }],
          ...settings,
        },
      });
      try {
        const routing = routingOf(ds);
        expect(routing.statuses()).toEqual([
          {
            address: `127.0.0.1:${port}`,
            reachable: false,
            replicating: false,
            lagSeconds: null,
            inRotation: false,
            reason: 'unreachable (ECONNREFUSED)',
            checkedAt: expect.any(String),
          },
        ]);
        expect(await routing.modeFor(['school-1'])).toBe('master');
        const runner = await readQueryRunner(ds, ['school-1']);
        expect(runner.getReplicationMode()).toBe('master');
        await runner.release();
        const rows = await readQuery<{ port: number | string }[]>(
          ds,
          ['school-1'],
          'SELECT @@port AS port',
        );
        expect(rows.map((r) => Number(r.port))).toEqual([primary.port]);
        expect(routing.fallbacks).toBe(0);
      } finally {
        await ds.destroy();
      }
    });

    it('keep a server that replicates nothing out of rotation, and stop checking once destroyed', async () => {
      const primary = (await engine.config()) as Mysql;
      const ds = await openDatabase(primary, {
        replicas: { servers: [{ ...primary }], ...settings },
      });
      const routing = routingOf(ds);
      const [status] = routing.statuses();
      expect(status).toMatchObject({
        reachable: true,
        replicating: false,
        lagSeconds: null,
        inRotation: false,
        reason: 'not a replica (no replication configured)',
      });
      await ds.destroy();
      const checkedAt = routing.statuses()[0]?.checkedAt;
      await new Promise((r) => setTimeout(r, 3 * settings.checkIntervalMs));
      expect(routing.statuses()[0]?.checkedAt).toBe(checkedAt);
    });

    it('keeps a school on the primary for the lag bound plus a check after its write', async () => {
      const primary = (await engine.config()) as Mysql;
      const ds = await openDatabase(primary, {
        replicas: { servers: [{ ...primary }], ...settings },
      });
      try {
        expect(routingOf(ds).readYourWritesMs).toBe(6100);
      } finally {
        await ds.destroy();
      }
    });
  },
);

/**
 * The read-your-writes window shared through Redis (TEST_REDIS_URL, e.g.
 * redis://127.0.0.1:6379; every test uses a key prefix of its own under TEST_REDIS_PREFIX).
 * Two routings stand for two instances; they need no replica for the window itself.
 */
const REDIS = process.env['TEST_REDIS_URL'];
const redisPrefix = () =>
  `${process.env['TEST_REDIS_PREFIX'] || 'oneroster:test'}:ryw-${randomUUID()}`;

(REDIS ? describe : describe.skip)('the shared read-your-writes window', () => {
  const quick = { maxLagSeconds: 0, checkIntervalMs: 100 };
  let ds: DataSource;
  const started: ReadRouting[] = [];
  const instance = async (
    keyPrefix: string,
    redisUrl = REDIS as string,
  ): Promise<ReadRouting> => {
    const r = new ReadRouting(ds, [], quick, { redisUrl, keyPrefix });
    await r.start();
    started.push(r);
    return r;
  };

  beforeAll(async () => {
    ds = await openDatabase(await testEngines('ryw')[0].config());
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await ds.destroy();
  });

  it("shows one instance's write to another for the window, for that school only", async () => {
    const prefix = redisPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    expect(await b.wroteLately(['school-1'])).toBe(false);
    const t0 = Date.now();
    await a.noteWrite(['school-1']);
    expect(await b.wroteLately(['school-1'])).toBe(true);
    expect(await b.wroteLately(['school-2', 'school-1'])).toBe(true);
    expect(await b.wroteLately(['school-2'])).toBe(false);
    // The key lives exactly the window (1 s + one check of 100 ms here).
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS as string);
    try {
      const ttl = await redis.pttl(`${prefix}:ryw:school-1`);
      expect(ttl).toBeGreaterThan(a.readYourWritesMs - 500);
      expect(ttl).toBeLessThanOrEqual(a.readYourWritesMs);
    } finally {
      redis.disconnect();
    }
    while (Date.now() - t0 <= a.readYourWritesMs + 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(await b.wroteLately(['school-1'])).toBe(false);
    expect(a.sharedErrors + b.sharedErrors).toBe(0);
  });

  it('keeps platforms with other prefixes apart, and an unshared window to its instance', async () => {
    const [a, other] = [
      await instance(redisPrefix()),
      await instance(redisPrefix()),
    ];
    const unshared = new ReadRouting(ds, [], quick);
    await unshared.noteWrite(['school-1']);
    expect(await unshared.wroteLately(['school-1'])).toBe(true);
    await a.noteWrite(['school-1']);
    expect(await other.wroteLately(['school-1'])).toBe(false);
  });

  it('sends reads to the primary while Redis is unreachable (counted), writes still noted locally', async () => {
    const port = await closedPort();
    const r = await instance(redisPrefix(), `redis://127.0.0.1:${port}`);
    expect(await r.wroteLately(['school-1'])).toBe(true);
    await r.noteWrite(['school-2']);
    expect(await r.wroteLately(['school-2'])).toBe(true);
    expect(r.sharedErrors).toBeGreaterThanOrEqual(2);
  });
});
