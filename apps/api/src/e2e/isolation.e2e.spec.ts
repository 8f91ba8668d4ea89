import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import {
  Caller,
  Route,
  SchoolWorld,
  echoedBy,
  findLeaks,
  foreignOnly,
  generateReadProbes,
  loadSchoolWorlds,
  routesFromOpenApi,
  seededRandom,
} from '@oneroster/api-testing';
import { TEST_CLIENT_ID, TestApi, startTestApi } from './support';

/**
 * Cross-school isolation, generated from the API's own route table. CI size by default;
 * `ISOLATION_PROBES=5000` (or `npm run hardening -- isolation`) for the full run,
 * `ISOLATION_SEED` to replay, `ISOLATION_ENGINE=mysql` to skip SQLite.
 */
const BASE = '/ims/oneroster/v1p1';
/** The OneRoster 1.2 rostering service reads the same data: probed the same way. */
const BASE_V1P2 = '/ims/oneroster/rostering/v1p2';
const PROBES = Number(process.env['ISOLATION_PROBES'] || 400);
const SEED = Number(process.env['ISOLATION_SEED'] || 20261127);
const CONCURRENCY = 4;
const TIMEOUT_MS = 30_000;
type Json = Record<string, unknown>;

interface Token extends Caller {
  token: string;
  kind: 'client credentials' | 'user';
}

const engines = testEngines('isolation_e2e', { sqliteFile: true }).filter(
  (e) =>
    !process.env['ISOLATION_ENGINE'] ||
    e.name === process.env['ISOLATION_ENGINE'],
);

async function request(
  url: string,
  method: string,
  token: string,
  body?: unknown,
) {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* checked below: errors must be JSON status payloads */
  }
  return { status: res.status, body: json };
}

/** Runs tasks with a fixed number in flight. */
async function pool<T>(items: T[], n: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

const isStatusPayload = (b: unknown) =>
  !!b &&
  typeof b === 'object' &&
  (b as Json)['imsx_codeMajor'] === 'failure' &&
  typeof (b as Json)['imsx_description'] === 'string' &&
  !!(b as Json)['imsx_CodeMinor'];

describe.each(engines)('cross-school isolation on $name', (engine) => {
  let api: TestApi;
  let db: DataSource;
  let worlds: SchoolWorld[];
  let routes: Route[];
  let callers: Token[];
  const query = (sql: string, params: unknown[] = []) =>
    db.query(sql, params) as Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    api = await startTestApi(engine);
    db = await openDatabase(api.database);
    worlds = await loadSchoolWorlds(query);
    const doc = SwaggerModule.createDocument(
      api.app,
      new DocumentBuilder().build(),
    );
    routes = [
      ...routesFromOpenApi(doc, BASE),
      ...routesFromOpenApi(doc, BASE_V1P2),
    ];
    const scope = ALL_ONEROSTER_SCOPES.join(' ');
    callers = [];
    for (const w of worlds) {
      // A client-credentials token of a client bound to the school…
      callers.push({
        label: `client@${w.schoolId}`,
        kind: 'client credentials',
        schoolIds: [w.schoolId],
        token: await api.issuer.token({
          school_ids: [w.schoolId],
          scope,
          integrator_id: 'isolation',
        }),
      });
      // …and a signed-in staff member's token as the hybrid flow issues it: subject = the
      // account, client_id = the application, school_ids = the account's schools.
      const [account] = await query(
        'SELECT account_id FROM account_school_roles WHERE school_id = ? ORDER BY role DESC LIMIT 1',
        [w.schoolId],
      );
      callers.push({
        label: `user@${w.schoolId}`,
        kind: 'user',
        schoolIds: [w.schoolId],
        token: await api.issuer.token({
          sub: String(account['account_id']),
          client_id: TEST_CLIENT_ID,
          school_ids: [w.schoolId],
          scope,
          integrator_id: 'isolation',
        }),
      });
    }
  }, 240_000);

  afterAll(async () => {
    await db?.destroy();
    await api?.close();
  });

  it('finds every route of the API in its route table', () => {
    expect(worlds.length).toBeGreaterThanOrEqual(2);
    // 41 rostering, 10 gradebook and 4 resources reads; PUT and DELETE of three objects.
    expect(
      routes.filter((r) => r.method === 'GET').length,
    ).toBeGreaterThanOrEqual(55);
    expect(
      routes.filter((r) => r.method !== 'GET').length,
    ).toBeGreaterThanOrEqual(6);
    // The 41 reads of the 1.2 rostering service.
    expect(
      routes.filter((r) => r.method === 'GET' && r.path.startsWith(BASE_V1P2)),
    ).toHaveLength(41);
  });

  it('detects a leak: a school’s own users, judged as another school’s caller, are leaks', async () => {
    const [a, b] = callers.filter((c) => c.kind === 'client credentials');
    const url = `${BASE}/users?limit=20&filter=${encodeURIComponent("role='student'")}`;
    const r = await request(`${api.url}${url}`, 'GET', b.token);
    expect(r.status).toBe(200);
    const leaks = findLeaks(
      r.body,
      foreignOnly(worlds, a.schoolIds),
      echoedBy(url),
    );
    // sourcedId, href of each user, and the emails of pupils who have one.
    expect(leaks.length).toBeGreaterThanOrEqual(40);
    expect(
      findLeaks(r.body, foreignOnly(worlds, b.schoolIds), echoedBy(url)),
    ).toEqual([]);
  });

  it('answers no GET with another school’s ids, filters, fields or sort with that school’s data', async () => {
    const probes = generateReadProbes({
      routes,
      worlds,
      callers,
      count: PROBES,
      seed: SEED,
    });
    const byLabel = new Map(callers.map((c) => [c.label, c]));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const foreignSets = new Map(
      callers.map((c) => [c.label, foreignOnly(worlds, c.schoolIds)]),
    );
    let foreignPaths = 0;
    let recordsSeen = 0;
    await pool(probes, CONCURRENCY, async (p) => {
      const caller = byLabel.get(p.caller) ?? callers[0];
      const r = await request(`${api.url}${p.url}`, p.method, caller.token);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const problem = (why: string) =>
        failures.push(`${caller.label} ${p.method} ${p.url}: ${why}`);
      if (r.status >= 500) problem(`status ${r.status}`);
      if (r.status >= 400 && !isStatusPayload(r.body))
        problem(`status ${r.status} without a OneRoster status payload`);
      if (p.foreignPath) {
        foreignPaths++;
        if (r.status !== 404 && r.status !== 400)
          problem(`another school's id in the path answered ${r.status}`);
      }
      const leaks = findLeaks(
        r.body,
        foreignSets.get(caller.label) ?? new Set<string>(),
        echoedBy(p.url),
      );
      if (leaks.length) problem(`leaks ${leaks.slice(0, 5).join(', ')}`);
      if (r.status === 200)
        recordsSeen += (JSON.stringify(r.body).match(/"sourcedId"/g) ?? [])
          .length;
    });
    const probed = new Set(probes.map((p) => p.url.split('?')[0]));
    process.stdout.write(
      `isolation (${engine.name}): ${probes.length} GET probes over ${
        routes.filter((r) => r.method === 'GET').length
      } routes and ${callers.length} callers, ${foreignPaths} with another school's id in the path, ${recordsSeen} sourcedIds checked; statuses ${JSON.stringify(
        Object.fromEntries(statuses),
      )}; ${failures.length} failures\n`,
    );
    expect(probes.length).toBe(PROBES);
    expect(probed.size).toBeGreaterThan(55);
    // The probes must have reached data, or "no leak" proves nothing.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(PROBES / 4);
    expect(foreignPaths).toBeGreaterThan(PROBES / 10);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 1_800_000);

  it('lets no gradebook PUT or DELETE on another school’s ids touch that school', async () => {
    const rnd = seededRandom(SEED + 1);
    const WRITABLE = ['categories', 'lineItems', 'results'] as const;
    type Writable = (typeof WRITABLE)[number];
    const collectionOf = (r: Route) => r.path.split('/').slice(-2)[0];
    const writes = routes.filter(
      (r) =>
        r.method !== 'GET' &&
        (WRITABLE as readonly string[]).includes(collectionOf(r)),
    );
    expect(new Set(writes.map(collectionOf))).toEqual(new Set(WRITABLE));
    const rounds = Math.max(2, Math.ceil(PROBES / 100));
    const failures: string[] = [];
    let probes = 0;
    for (const caller of callers) {
      const others = worlds.filter(
        (w) => !caller.schoolIds.includes(w.schoolId),
      );
      const otherIds = others.map((w) => w.schoolId);
      const snapshot = async () =>
        JSON.stringify(
          await Promise.all(
            ['categories', 'line_items', 'results', 'gradebook_changes'].map(
              (t) =>
                query(
                  `SELECT * FROM ${t} WHERE school_id IN (${otherIds.map(() => '?').join(', ')}) ORDER BY ${
                    t === 'gradebook_changes' ? 'id' : 'school_id, sourced_id'
                  }`,
                  otherIds,
                ),
            ),
          ),
        );
      const foreign = foreignOnly(worlds, caller.schoolIds);
      const own = caller.schoolIds[0];
      const [ownResult] = await query(
        "SELECT r.line_item_sourced_id AS li, r.student_sourced_id AS st, l.class_sourced_id AS cl FROM results r JOIN line_items l ON l.school_id = r.school_id AND l.sourced_id = r.line_item_sourced_id WHERE r.school_id = ? AND r.status = 'active' ORDER BY r.sourced_id LIMIT 1",
        [own],
      );
      const before = await snapshot();
      for (let round = 0; round < rounds; round++) {
        const w = rnd.one(others);
        const foreignClass = rnd.one(w.ids.classes);
        const foreignLineItem = rnd.one(w.ids.lineItems);
        const foreignStudent = rnd.one(w.ids.students);
        for (const route of writes) {
          const collection = collectionOf(route) as Writable;
          const id = rnd.pick(w.ids[collection]);
          if (!id || !foreign.has(id.toLowerCase())) continue;
          const url = `${api.url}${route.path.replace('{sourcedId}', encodeURIComponent(id))}`;
          const check = (
            what: string,
            r: { status: number; body: unknown },
            expected: number[],
            echo?: unknown,
          ) => {
            probes++;
            if (!expected.includes(r.status))
              failures.push(
                `${caller.label} ${what} ${route.path} ${id}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
              );
            // The caller's own copy carries the path's sourcedId: that is not a leak.
            const leaks = findLeaks(
              r.body,
              foreign,
              echoedBy(url, JSON.stringify(echo ?? '')),
            ).filter((l) => l !== `sourcedId: ${id.toLowerCase()}`);
            if (leaks.length)
              failures.push(`${caller.label} ${what} ${id}: leaks ${leaks}`);
          };
          if (route.method === 'DELETE') {
            check('DELETE', await request(url, 'DELETE', caller.token), [404]);
            continue;
          }
          const foreignBody = {
            categories: { category: { title: 'Probe' } },
            lineItems: {
              lineItem: { title: 'Probe', class: { sourcedId: foreignClass } },
            },
            results: {
              result: {
                lineItem: { sourcedId: foreignLineItem },
                student: { sourcedId: foreignStudent },
                scoreStatus: 'exempt',
              },
            },
          }[collection];
          if (collection !== 'categories')
            check(
              'PUT with references to the other school',
              await request(url, 'PUT', caller.token, foreignBody),
              [422],
              foreignBody,
            );
          const ownBody = {
            categories: { category: { title: 'Probe' } },
            lineItems: {
              lineItem: {
                title: 'Probe',
                class: { sourcedId: ownResult['cl'] },
              },
            },
            results: {
              result: {
                lineItem: { sourcedId: ownResult['li'] },
                student: { sourcedId: ownResult['st'] },
                scoreStatus: 'exempt',
              },
            },
          }[collection];
          // The same sourcedId in the caller's school is the caller's own object (ids are
          // per school): created there, then deleted, and the other school's stays as it was.
          check(
            'PUT in own school',
            await request(url, 'PUT', caller.token, ownBody),
            [200, 201],
            ownBody,
          );
          check(
            'DELETE own copy',
            await request(url, 'DELETE', caller.token),
            [204],
          );
        }
      }
      expect({
        caller: caller.label,
        same: (await snapshot()) === before,
      }).toEqual({ caller: caller.label, same: true });
    }
    process.stdout.write(
      `isolation (${engine.name}): ${probes} gradebook write probes on other schools' ids, ${failures.length} failures\n`,
    );
    expect(probes).toBeGreaterThanOrEqual(callers.length * 5);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 1_800_000);
});
