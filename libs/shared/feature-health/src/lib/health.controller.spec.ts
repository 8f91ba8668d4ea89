import type { Response } from 'express';
import type { DatabaseConfig } from '@oneroster/config';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { HealthController } from './health.controller';

type Mysql = Extract<DatabaseConfig, { kind: 'mysql' }>;

function response() {
  const res = { statusCode: 200 } as { statusCode: number };
  return Object.assign(res, {
    status(code: number) {
      res.statusCode = code;
      return res;
    },
  }) as unknown as Response & { statusCode: number };
}

const service = { name: 'api', version: '0.0.0-test' };

describe.each(testEngines('health'))('GET /health on $name', (engine) => {
  it('answers ok without a replicas field when none are configured', async () => {
    const ds = await openDatabase(await engine.config());
    try {
      const res = response();
      const body = await new HealthController(ds, service).check(res);
      expect(res.statusCode).toBe(200);
      expect(body).toEqual({
        status: 'ok',
        service: 'api',
        version: '0.0.0-test',
        database: 'up',
      });
    } finally {
      await ds.destroy();
    }
  });

  it('answers 503 degraded when the database is down', async () => {
    const ds = await openDatabase(await engine.config());
    const controller = new HealthController(ds, service);
    await ds.destroy();
    const res = response();
    const body = await controller.check(res);
    expect(res.statusCode).toBe(503);
    expect(body).toMatchObject({ status: 'degraded', database: 'down' });
  });
});

const mysql = testEngines('health_mysql').filter((e) => e.name === 'mysql');

// MariaDB/MySQL only (TEST_DATABASE_URL).
(mysql.length
  ? describe.each(mysql)
  : describe.skip.each(testEngines('unused')))(
  'GET /health with a replica on $name',
  (engine) => {
    it('is degraded but 200 when a replica is out of rotation, and says why', async () => {
      const primary = (await engine.config()) as Mysql;
      // The primary named as its own replica: reachable, but it replicates nothing.
      const ds = await openDatabase(primary, {
        replicas: {
          servers: [{ ...primary }],
          maxLagSeconds: 5,
          checkIntervalMs: 1000,
        },
      });
      try {
        const res = response();
        const body = await new HealthController(ds, service).check(res);
        expect(res.statusCode).toBe(200);
        expect(body).toMatchObject({ status: 'degraded', database: 'up' });
        expect(body.replicas).toEqual([
          {
            address: `${primary.host}:${primary.port}`,
            reachable: true,
            replicating: false,
            lagSeconds: null,
            inRotation: false,
            reason: 'not a replica (no replication configured)',
            checkedAt: expect.any(String),
          },
        ]);
      } finally {
        await ds.destroy();
      }
    });
  },
);
