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
        expect(routing.modeFor(['school-1'])).toBe('master');
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
