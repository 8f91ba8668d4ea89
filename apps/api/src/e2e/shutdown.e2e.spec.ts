import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { startTestIssuer } from '@oneroster/api-testing';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { ApiUsageDailyEntity, CategoryEntity } from '@oneroster/entities';
import { freePort } from '@oneroster/testing-browser';
import { approveTestClient, startTestApi, TestApi } from './support';

/*
 * Graceful stop: a request still uploading its body when the app starts closing is served
 * to the end; new connections are refused; usage counts are flushed before the database
 * closes; a request that outlives the drain bound is cut, and the close does not wait for it.
 * The compiled API (dist/apps/api/main.js, from `npx nx build api`) is also stopped with a
 * real SIGTERM and must exit 0 after answering the request in flight.
 */
const BASE = '/ims/oneroster/v1p1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SlowPut {
  /** Sends the rest of the body. */
  finish(): void;
  response: Promise<{ status: number; connection: string; body: string }>;
}

/** A PUT whose body arrives in two parts, so the request is in flight as long as we like. */
function slowPut(
  url: string,
  path: string,
  token: string,
  body: unknown,
): SlowPut {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const { hostname, port } = new URL(url);
  const req = request({
    host: hostname,
    port,
    method: 'PUT',
    path,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    },
  });
  const response = new Promise<{
    status: number;
    connection: string;
    body: string;
  }>((resolve, reject) => {
    req.on('response', (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          connection: String(res.headers['connection']),
          body: data,
        }),
      );
    });
    req.on('error', reject);
  });
  req.write(text.slice(0, half));
  return { finish: () => req.end(text.slice(half)), response };
}

const refused = (url: string) =>
  fetch(`${url}/health`).then(
    () => false,
    () => true,
  );

describe('API graceful shutdown (in process)', () => {
  const engines = testEngines('shutdown_e2e', { sqliteFile: true });

  it('finishes the request in flight, refuses new ones, flushes usage, then closes', async () => {
    const api: TestApi = await startTestApi(engines[0]);
    let db: DataSource | null = null;
    try {
      const token = await api.issuer.token({
        school_ids: [api.plan.schools[0].schoolId],
        scope: ONEROSTER_SCOPES.gradebookCreatePut,
        integrator_id: 'integrator-drain',
      });
      const put = slowPut(api.url, `${BASE}/categories/c-drain`, token, {
        category: { title: 'Drained' },
      });
      await sleep(300);
      let closed = false;
      const started = Date.now();
      const closing = api.app.close().then(() => (closed = true));
      await sleep(500);
      expect(closed).toBe(false);
      expect(await refused(api.url)).toBe(true);
      put.finish();
      const res = await put.response;
      expect(res.status).toBe(201);
      expect(res.connection).toBe('close');
      await closing;
      expect(Date.now() - started).toBeLessThan(5000);

      db = await openDatabase(api.database);
      const schoolId = api.plan.schools[0].schoolId;
      await expect(
        db
          .getRepository(CategoryEntity)
          .countBy({ schoolId, sourcedId: 'c-drain' }),
      ).resolves.toBe(1);
      const usage = await db
        .getRepository(ApiUsageDailyEntity)
        .findBy({ integratorId: 'integrator-drain' });
      expect(usage.map((u) => [u.route, u.requests])).toEqual([
        [`${BASE}/categories/{sourcedId}`, 1],
      ]);
    } finally {
      await db?.destroy();
      await api.close();
    }
  }, 240_000);

  it('cuts a request that outlives the drain bound instead of waiting for it', async () => {
    const api = await startTestApi(engines[0], {
      app: { drainTimeoutMs: 500 },
    });
    try {
      const token = await api.issuer.token({
        school_ids: [api.plan.schools[0].schoolId],
        scope: ONEROSTER_SCOPES.gradebookCreatePut,
      });
      const put = slowPut(api.url, `${BASE}/categories/c-stuck`, token, {
        category: { title: 'Never finished' },
      });
      const outcome = put.response.then(
        (r) => `status ${r.status}`,
        (e: Error) => `error ${e.message}`,
      );
      await sleep(300);
      const started = Date.now();
      await api.app.close();
      expect(Date.now() - started).toBeLessThan(3000);
      await expect(outcome).resolves.toMatch(/^error /);
    } finally {
      await api.close();
    }
  }, 240_000);
});

const MAIN = join(__dirname, '../../../../dist/apps/api/main.js');

(existsSync(MAIN) ? describe : describe.skip)(
  'compiled API stopped with SIGTERM',
  () => {
    let child: ChildProcess | null = null;

    afterAll(() => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
    });

    it('answers the request in flight, then exits 0', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'oneroster-shutdown-'));
      const file = join(dir, 'api.sqlite');
      const port = await freePort();
      const audience = `http://127.0.0.1:${port}`;
      const issuer = await startTestIssuer(audience);
      let output = '';
      try {
        child = spawn(process.execPath, [MAIN], {
          env: {
            PATH: process.env['PATH'],
            DATABASE_URL: `sqlite:${file}`,
            API_PORT: String(port),
            API_PUBLIC_URL: audience,
            AUTH_ISSUER: issuer.issuer,
            AUTH_JWKS_URL: issuer.jwksUrl,
            LOG_LEVEL: 'log',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
        const exited = new Promise<number | null>((r) =>
          child?.once('exit', (code) => r(code)),
        );
        for (let i = 0; i < 240 && !/API on /.test(output); i++) {
          if (child.exitCode !== null) break;
          await sleep(250);
        }
        expect(output).toMatch(/API on /);
        const db = await openDatabase({ kind: 'sqlite', file });
        let schoolId: string;
        try {
          await approveTestClient(db);
          schoolId = (
            (await db.query('SELECT id FROM schools ORDER BY id LIMIT 1')) as {
              id: string;
            }[]
          )[0].id;
        } finally {
          await db.destroy();
        }
        const put = slowPut(
          audience,
          `${BASE}/categories/c-sigterm`,
          await issuer.token({
            school_ids: [schoolId],
            scope: ONEROSTER_SCOPES.gradebookCreatePut,
          }),
          { category: { title: 'Signal' } },
        );
        await sleep(300);
        child.kill('SIGTERM');
        await sleep(500);
        expect(child.exitCode).toBeNull();
        put.finish();
        const res = await put.response;
        expect(res.status).toBe(201);
        await expect(exited).resolves.toBe(0);
        expect(output).toMatch(/Draining 1 request/);
      } finally {
        await issuer.close();
      }
    }, 240_000);
  },
);
