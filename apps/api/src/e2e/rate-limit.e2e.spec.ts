import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@oneroster/database';
import { testEngines, TestEngine } from '@oneroster/database/testing';
import { ApiUsageDailyEntity } from '@oneroster/entities';
import { TestApi, startTestApi } from './support';

/*
 * The per-client rate limit (429 + Retry-After + OneRoster payload), in memory and shared
 * through Redis by two API instances, failing open without Redis; and the usage counters it
 * sits next to. The Redis cases run when TEST_REDIS_URL names a Redis server
 * (e.g. redis://127.0.0.1:6379); each run uses its own key prefix.
 */
const BASE = '/ims/oneroster/v1p1';
const REDIS = process.env['TEST_REDIS_URL'];
type Json = Record<string, unknown>;

const minor = (b: Json) =>
  (
    b['imsx_CodeMinor'] as {
      imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
    }
  ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;

/** An engine that reuses the database an earlier instance seeded. */
const sameDatabase = (api: TestApi): TestEngine => ({
  name: 'sqlite',
  config: async () => api.database,
});

async function tokenFor(api: TestApi, clientId = 'test-client') {
  return api.issuer.token({
    client_id: clientId,
    sub: clientId,
    school_ids: [api.plan.schools[0].schoolId],
    integrator_id: 'integrator-rl',
  });
}

async function get(api: TestApi, token: string, path = '/orgs?limit=1') {
  const res = await fetch(`${api.url}${BASE}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { res, body: (await res.json()) as Json };
}

describe('API rate limit in memory, and usage counters', () => {
  let api: TestApi;
  let db: DataSource;
  const [engine] = testEngines('rate_limit_e2e', { sqliteFile: true });

  beforeAll(async () => {
    api = await startTestApi(engine, { env: { API_RATE_LIMIT: '5' } });
    db = await openDatabase(api.database);
  }, 240_000);

  afterAll(async () => {
    await db?.destroy();
    await api?.close();
  });

  it('allows the limit per client and minute, then answers 429 with Retry-After', async () => {
    const token = await tokenFor(api);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { res } = await get(
        api,
        token,
        i % 2 ? '/orgs?limit=1' : `/orgs/${api.plan.schools[0].orgSourcedId}`,
      );
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const { res, body } = await get(api, token);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // The RateLimit-* headers agree with Retry-After: nothing left, whole limit back later.
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(
      retryAfter,
    );
    expect(body['imsx_codeMajor']).toBe('failure');
    expect(minor(body)).toBe('server_busy');
    expect(body['imsx_description']).toMatch(/Rate limit exceeded/);
    // Health checks carry no token and are never limited.
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });

  it('gives every client its own budget', async () => {
    const other = `sandbox-${api.plan.schools[0].urn}`;
    const { res } = await get(api, await tokenFor(api, other));
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('counts admitted requests and the records they answered with per school, integrator, day and route template', async () => {
    await api.app.close();
    const rows = await db.getRepository(ApiUsageDailyEntity).find({
      where: { integratorId: 'integrator-rl' },
      order: { route: 'ASC' },
    });
    const day = new Date().toISOString().slice(0, 10);
    const schoolId = api.plan.schools[0].schoolId;
    expect(rows.map((r) => ({ ...r }))).toEqual([
      {
        schoolId,
        integratorId: 'integrator-rl',
        day,
        route: `${BASE}/orgs`,
        // Two from test-client, one from the other client; the refused one is not counted.
        requests: 3,
        // limit=1: one org on each page.
        records: 3,
      },
      {
        schoolId,
        integratorId: 'integrator-rl',
        day,
        route: `${BASE}/orgs/{sourcedId}`,
        requests: 3,
        records: 3,
      },
    ]);
  });
});

describe('API rate limit without Redis', () => {
  it('fails open when Redis cannot be reached', async () => {
    const [engine] = testEngines('rate_limit_open_e2e', { sqliteFile: true });
    const api = await startTestApi(engine, {
      env: { API_RATE_LIMIT: '2', REDIS_URL: 'redis://127.0.0.1:1' },
    });
    try {
      const token = await tokenFor(api);
      const started = Date.now();
      for (let i = 0; i < 5; i++)
        expect((await get(api, token)).res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await api.close();
    }
  }, 240_000);
});

(REDIS ? describe : describe.skip)(
  'API rate limit shared through Redis',
  () => {
    let a: TestApi;
    let b: TestApi;
    const prefix = `oneroster:test:${randomUUID()}`;

    beforeAll(async () => {
      const [engine] = testEngines('rate_limit_redis_e2e', {
        sqliteFile: true,
      });
      const env = { API_RATE_LIMIT: '10', REDIS_URL: REDIS as string };
      a = await startTestApi(engine, { env, app: { rateLimitPrefix: prefix } });
      b = await startTestApi(sameDatabase(a), {
        env,
        issuer: a.issuer,
        app: { rateLimitPrefix: prefix },
      });
    }, 240_000);

    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('shares one limit between two instances', async () => {
      const tokens = [await tokenFor(a), await tokenFor(a)];
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) {
        const api = i % 2 ? b : a;
        statuses.push((await get(api, tokens[i % 2])).res.status);
      }
      expect(statuses).toEqual([...Array(10).fill(200), ...Array(4).fill(429)]);
      const { res } = await get(b, tokens[1]);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    });
  },
);
