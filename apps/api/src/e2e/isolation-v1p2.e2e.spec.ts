import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
} from '@oneroster/contracts';
import { encodeInstant, openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import {
  SchoolWorld,
  echoedBy,
  filterArbitrary,
  findLeaks,
  foreignOnly,
  loadSchoolWorlds,
  queryValueArbitrary,
  seededRandom,
} from '@oneroster/api-testing';
import { isServedV1p2 } from '@oneroster/feature-rostering-v1p2';
import {
  V1P2_BASE_PATHS,
  V1P2_ROUTES,
  type V1p2Route,
} from '@oneroster/oneroster-catalogue';
import { TestApi, approveTestClient, startTestApi } from './support';

/**
 * Cross-school isolation and fuzzing over every route of the OneRoster 1.2 checklist
 * (V1P2_ROUTES: rostering, gradebook and resources, 81 routes), beside the 1.1 suites
 * (isolation.e2e.spec.ts, fuzz.e2e.spec.ts). Each school gets a score scale, an assessment
 * line item and an assessment result (stored as 1.2) through the API first, so that every
 * class of the three services has objects in every school. Properties:
 * - another school's id in a path answers 404 (a PUT of it creates the caller's own object,
 *   and a body naming the other school's objects answers 422); a route the service does not
 *   support answers 501 `unsupported` before it reads anything;
 * - no collection of any route shows a school's token another school's objects;
 * - malformed queries and bodies never give a 5xx, and every error is the 1.2 status
 *   payload (imsx_StatusInfoDType: no other property, 1.2 codeMinor values);
 * - nothing of another school changes, and a refused write records nothing.
 * `FUZZ_SCALE`, `FUZZ_SEED` as for the 1.1 fuzz suite.
 */
const SCALE = Number(process.env['FUZZ_SCALE'] || 1);
const SEED = Number(process.env['FUZZ_SEED'] || 20261204);
const TIMEOUT_MS = 20_000;
const CLIENT = 'isolation-v1p2';
type Json = Record<string, unknown>;

/** imsx_StatusInfoDType.imsx_CodeMinor values of the 1.2 documents. */
const V1P2_CODE_MINORS = new Set([
  'fullsuccess',
  'invalid_filter_field',
  'invalid_selection_field',
  'invaliddata',
  'unauthorisedrequest',
  'forbidden',
  'server_busy',
  'unknownobject',
  'internal_server_error',
]);

/** What is wrong with a 1.2 error body, or null. */
function v1p2StatusProblem(status: number, body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'not a JSON object';
  const b = body as Json;
  const extra = Object.keys(b).filter(
    (k) =>
      ![
        'imsx_codeMajor',
        'imsx_severity',
        'imsx_description',
        'imsx_CodeMinor',
      ].includes(k),
  );
  if (extra.length) return `properties the 1.2 schema forbids: ${extra}`;
  const major = status === 501 ? 'unsupported' : 'failure';
  if (b['imsx_codeMajor'] !== major) return `imsx_codeMajor is not ${major}`;
  if (b['imsx_severity'] !== 'error') return 'imsx_severity is not error';
  if (typeof b['imsx_description'] !== 'string') return 'no imsx_description';
  const minor = (
    b['imsx_CodeMinor'] as {
      imsx_codeMinorField?: { imsx_codeMinorFieldValue?: unknown }[];
    }
  )?.imsx_codeMinorField?.[0]?.imsx_codeMinorFieldValue;
  if (typeof minor !== 'string' || !V1P2_CODE_MINORS.has(minor))
    return `codeMinor ${String(minor)} is not a 1.2 value`;
  if (JSON.stringify(b).includes('    at ')) return 'a stack trace';
  return null;
}

/** Ids of one school by collection name (the 1.1 worlds plus the 1.2-only classes). */
type Ids = Record<string, string[]>;

/** The collection a path parameter takes its ids from. */
function kindOf(route: V1p2Route, param: string): string {
  if (param === 'sourcedId') {
    const parts = route.path.split('/');
    return parts[parts.indexOf('{sourcedId}') - 1];
  }
  const stem = param.replace(/SourcedId$/, '');
  return stem.endsWith('s') ? `${stem}es` : `${stem}s`;
}

const engines = testEngines('iso_v1p2_e2e', { sqliteFile: true });

describe.each(engines)(
  'OneRoster 1.2: isolation and fuzzing over every checklist route on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let worlds: SchoolWorld[];
    const ids = new Map<string, Ids>();
    /** Per school, path values that belong together (a result's line item, class, student…). */
    const anchors = new Map<string, Record<string, string>>();
    const tokens = new Map<string, string>();
    const extra = new Map<string, string[]>();
    const tally = new Map<string, number>();
    const query = (sql: string, params: unknown[] = []) =>
      db.query(sql, params) as Promise<Record<string, unknown>[]>;

    async function send(
      method: string,
      path: string,
      token: string,
      body?: string,
    ) {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      const key = `${method} ${res.status}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        /* judged below */
      }
      return { status: res.status, body: json, text };
    }

    /** The first broken property of an answer, or null. */
    function judge(
      r: { status: number; body: unknown; text: string },
      allowed: number[],
    ): string | null {
      if (!allowed.includes(r.status))
        return `status ${r.status}: ${r.text.slice(0, 300)}`;
      if (r.status >= 400) {
        const p = v1p2StatusProblem(r.status, r.body);
        return p ? `${r.status} ${p}: ${r.text.slice(0, 300)}` : null;
      }
      return null;
    }

    const schoolIds = () => worlds.map((w) => w.schoolId);
    const foreignOf = (school: string) => {
      const set = foreignOnly(worlds, [school]);
      for (const [s, xs] of extra)
        if (s !== school) for (const x of xs) set.add(x.toLowerCase());
      return set;
    };
    const changes = async () =>
      Number(
        (await query('SELECT COUNT(*) AS n FROM gradebook_changes'))[0]['n'],
      );
    const urlOf = (route: V1p2Route, values: Record<string, string>) =>
      `${V1P2_BASE_PATHS[route.service]}${route.path.replace(
        /\{(\w+)\}/g,
        (_, p: string) => encodeURIComponent(values[p] ?? `missing-${p}`),
      )}`;

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      // Every school approves this client with every scope of both versions (the assessment
      // scopes are 1.2 only and granted only where an approval lists them).
      await approveTestClient(db, CLIENT);
      await query('UPDATE approvals SET scopes = ? WHERE application_id = ?', [
        JSON.stringify([...ALL_ONEROSTER_SCOPES, ...ALL_ONEROSTER_V1P2_SCOPES]),
        CLIENT,
      ]);
      worlds = await loadSchoolWorlds(query);
      for (const w of worlds)
        tokens.set(
          w.schoolId,
          await api.issuer.token(
            {
              client_id: CLIENT,
              sub: CLIENT,
              school_ids: [w.schoolId],
              scope: [
                ...ALL_ONEROSTER_SCOPES,
                ...ALL_ONEROSTER_V1P2_SCOPES,
              ].join(' '),
            },
            { expiresIn: '2h' },
          ),
        );
      // One of each 1.2-only object per school, through the API.
      const GB = V1P2_BASE_PATHS.gradebook;
      for (const w of worlds) {
        const token = tokens.get(w.schoolId) ?? '';
        const [row] = await query(
          "SELECT class_sourced_id AS cl, user_sourced_id AS st FROM enrollments WHERE school_id = ? AND role = 'student' AND status = 'active' ORDER BY sourced_id LIMIT 1",
          [w.schoolId],
        );
        const tag = w.schoolId.replace(/[^A-Za-z0-9]/g, '').slice(-12);
        const ss = `ss-iso-${tag}`;
        const ali = `ali-iso-${tag}`;
        const ar = `ar-iso-${tag}`;
        const puts: [string, Json][] = [
          [
            `${GB}/scoreScales/${ss}`,
            {
              scoreScale: {
                title: 'Letters',
                type: 'letter',
                class: { sourcedId: row['cl'] },
                scoreScaleValue: [{ itemValueLHS: 'A', itemValueRHS: '90' }],
              },
            },
          ],
          [
            `${GB}/assessmentLineItems/${ali}`,
            {
              assessmentLineItem: {
                title: 'Benchmark',
                class: { sourcedId: row['cl'] },
                scoreScale: { sourcedId: ss },
              },
            },
          ],
          [
            `${GB}/assessmentResults/${ar}`,
            {
              assessmentResult: {
                assessmentLineItem: { sourcedId: ali },
                student: { sourcedId: row['st'] },
                scoreStatus: 'fully graded',
                score: 40,
                scoreDate: '2026-10-01',
              },
            },
          ],
        ];
        for (const [path, body] of puts) {
          const r = await send('PUT', path, token, JSON.stringify(body));
          if (r.status !== 201)
            throw new Error(`PUT ${path}: ${r.status} ${r.text}`);
        }
        extra.set(w.schoolId, [ss, ali, ar]);
        // A user–resource link (stored as 1.2, written by the 1.2 CSV import), so that a
        // user's resources list something in every school.
        await query(
          "INSERT INTO user_resources (school_id, sourced_id, status, date_last_modified, user_sourced_id, resource_sourced_id) SELECT school_id, ?, 'active', ?, ?, sourced_id FROM resources WHERE school_id = ? ORDER BY sourced_id LIMIT 1",
          [`ur-iso-${tag}`, encodeInstant(new Date()), row['st'], w.schoolId],
        );
        const [a] = await query(
          "SELECT l.class_sourced_id AS cl, l.sourced_id AS li, r.student_sourced_id AS st, c.school_sourced_id AS sc, l.grading_period_sourced_id AS ses FROM results r JOIN line_items l ON l.school_id = r.school_id AND l.sourced_id = r.line_item_sourced_id JOIN classes c ON c.school_id = l.school_id AND c.sourced_id = l.class_sourced_id WHERE r.school_id = ? AND r.status = 'active' AND l.status = 'active' ORDER BY r.sourced_id LIMIT 1",
          [w.schoolId],
        );
        anchors.set(w.schoolId, {
          classSourcedId: String(a['cl']),
          lineItemSourcedId: String(a['li']),
          studentSourcedId: String(a['st']),
          schoolSourcedId: String(a['sc']),
          academicSessionSourcedId: String(a['ses']),
        });
        ids.set(w.schoolId, {
          ...w.ids,
          scoreScales: [ss],
          assessmentLineItems: [ali],
          assessmentResults: [ar],
        });
      }
    }, 240_000);

    afterAll(async () => {
      process.stdout.write(
        `isolation/fuzz 1.2 (${engine.name}): ${JSON.stringify(Object.fromEntries(tally))}\n`,
      );
      await db?.destroy();
      await api?.close();
    });

    it('probes every route of the checklist', () => {
      expect(V1P2_ROUTES).toHaveLength(81);
      expect(worlds.length).toBeGreaterThanOrEqual(2);
    });

    it('answers another school’s ids with 404 on every route, and never shows or changes that school’s objects', async () => {
      const rnd = seededRandom(SEED);
      const failures: string[] = [];
      const tables = [
        'categories',
        'line_items',
        'results',
        'score_scales',
        'assessment_line_items',
        'assessment_results',
        'user_resources',
        'gradebook_changes',
      ];
      let probes = 0;
      let recordsSeen = 0;
      for (const school of schoolIds()) {
        const token = tokens.get(school) ?? '';
        const others = schoolIds().filter((s) => s !== school);
        const snapshot = async () =>
          JSON.stringify(
            await Promise.all(
              tables.map((t) =>
                query(
                  `SELECT * FROM ${t} WHERE school_id IN (${others.map(() => '?').join(', ')}) ORDER BY ${
                    t === 'gradebook_changes' ? 'id' : 'school_id, sourced_id'
                  }`,
                  others,
                ),
              ),
            ),
          );
        const foreign = foreignOf(school);
        const own = ids.get(school) ?? {};
        const before = await snapshot();
        for (const route of V1P2_ROUTES) {
          const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(
            (m) => m[1],
          );
          const served = isServedV1p2(route) || route.service === 'rostering';
          const check = (
            what: string,
            url: string,
            r: { status: number; body: unknown; text: string },
            allowed: number[],
            body?: string,
          ) => {
            probes++;
            const problem = judge(r, served ? allowed : [501]);
            if (problem)
              failures.push(
                `${school} ${what} ${route.method} ${url}: ${problem}`,
              );
            const leaks = findLeaks(r.body, foreign, echoedBy(url, body));
            if (leaks.length)
              failures.push(
                `${school} ${what} ${route.method} ${url}: leaks ${leaks.slice(0, 5)}`,
              );
          };
          const anchor = anchors.get(school) ?? {};
          // A route with two ids takes them from one object, so that they belong together.
          const pickOwn = (p: string) =>
            (params.length > 1 ? anchor[p] : undefined) ??
            rnd.pick(own[kindOf(route, p)] ?? []) ??
            `missing-${p}`;
          // Every path id of another school, then (routes with two) only the innermost one.
          const modes = params.length > 1 ? ['all', 'innermost'] : ['all'];
          for (const mode of params.length ? modes : []) {
            const other = rnd.one(others);
            const theirs = ids.get(other) ?? {};
            const values: Record<string, string> = {};
            let foreignPath = false;
            params.forEach((p, n) => {
              const useForeign = mode === 'all' || n === params.length - 1;
              const id = useForeign
                ? (rnd.pick(theirs[kindOf(route, p)] ?? []) ?? `missing-${p}`)
                : pickOwn(p);
              if (useForeign && foreign.has(id.toLowerCase()))
                foreignPath = true;
              values[p] = id;
            });
            const url = urlOf(route, values);
            if (route.method === 'GET' || route.method === 'DELETE') {
              // An id of a kind only another school holds is unknown here.
              check(
                `foreign ${mode}`,
                url,
                await send(route.method, url, token),
                foreignPath ? [404] : [404, 200, 204],
              );
            } else if (route.method === 'POST') {
              // An empty set: refused (400 or 422) when the parent is the caller's too (an
              // id both schools hold), never written.
              const body = JSON.stringify({ [route.body ?? 'x']: [] });
              check(
                `foreign ${mode}`,
                url,
                await send('POST', url, token, body),
                foreignPath ? [404] : [404, 400, 422],
                body,
              );
            }
          }
          // A PUT of another school's sourcedId, its body naming that school's objects:
          // refused, and the other school's object stays as it was.
          if (route.method === 'PUT') {
            const other = rnd.one(others);
            const theirs = ids.get(other) ?? {};
            const id =
              rnd.pick(theirs[route.path.split('/')[1]] ?? []) ?? 'missing';
            const ref = (kind: string) => ({
              sourcedId: rnd.pick(theirs[kind] ?? []) ?? 'missing',
            });
            const body = JSON.stringify(
              {
                categories: { category: { title: 'Probe', metadata: {} } },
                lineItems: {
                  lineItem: {
                    title: 'Probe',
                    assignDate: '2026-09-01T00:00:00Z',
                    dueDate: '2026-09-02T00:00:00Z',
                    class: ref('classes'),
                    school: ref('schools'),
                    category: ref('categories'),
                  },
                },
                results: {
                  result: {
                    lineItem: ref('lineItems'),
                    student: ref('students'),
                    scoreStatus: 'exempt',
                    scoreDate: '2026-09-03',
                  },
                },
                scoreScales: {
                  scoreScale: {
                    title: 'Probe',
                    type: 'x',
                    class: ref('classes'),
                    scoreScaleValue: [{ itemValueLHS: 'A', itemValueRHS: '1' }],
                  },
                },
                assessmentLineItems: {
                  assessmentLineItem: {
                    title: 'Probe',
                    class: ref('classes'),
                    scoreScale: ref('scoreScales'),
                  },
                },
                assessmentResults: {
                  assessmentResult: {
                    assessmentLineItem: ref('assessmentLineItems'),
                    student: ref('students'),
                    scoreStatus: 'exempt',
                    scoreDate: '2026-09-03',
                  },
                },
              }[route.path.split('/')[1]],
            );
            const url = urlOf(route, { sourcedId: id });
            // A category names nothing: the PUT creates the caller's own copy, deleted again.
            const allowed = route.path.startsWith('/categories/')
              ? [201]
              : [422];
            check(
              'foreign refs',
              url,
              await send('PUT', url, token, body),
              allowed,
              body,
            );
            if (allowed[0] === 201)
              check(
                'own copy deleted',
                url,
                await send('DELETE', url, token),
                [204],
              );
          }
          // Every collection with the caller's own parents: nothing of another school.
          if (route.method === 'GET' && route.response === 'collection') {
            const values = Object.fromEntries(
              params.map((p) => [p, pickOwn(p)]),
            );
            const url = `${urlOf(route, values)}?limit=10000`;
            const r = await send('GET', url, token);
            check('own', url, r, [200]);
            if (r.status === 200)
              recordsSeen += (r.text.match(/"sourcedId"/g) ?? []).length;
          }
        }
        expect({ school, same: (await snapshot()) === before }).toEqual({
          school,
          same: true,
        });
      }
      process.stdout.write(
        `isolation 1.2 (${engine.name}): ${probes} probes over ${V1P2_ROUTES.length} routes and ${worlds.length} schools, ${recordsSeen} sourcedIds checked, ${failures.length} failures\n`,
      );
      expect(recordsSeen).toBeGreaterThan(1000);
      expect(failures.slice(0, 20)).toEqual([]);
    }, 1_800_000);

    it('answers any query string on every 1.2 GET with data or a 1.2 status payload', async () => {
      const school = schoolIds()[0];
      const token = tokens.get(school) ?? '';
      const own = ids.get(school) ?? {};
      const anchor = anchors.get(school) ?? {};
      const gets = V1P2_ROUTES.filter((r) => r.method === 'GET');
      const urls = gets.map((route) => {
        const values: Record<string, string> = {};
        for (const m of route.path.matchAll(/\{(\w+)\}/g))
          values[m[1]] =
            anchor[m[1]] ?? own[kindOf(route, m[1])]?.[0] ?? 'missing';
        return { route, url: urlOf(route, values) };
      });
      const param = fc.oneof(
        { arbitrary: queryValueArbitrary(), weight: 1 },
        { arbitrary: fc.constant(undefined), weight: 3 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...urls),
          fc.record({
            filter: fc.oneof(
              { arbitrary: filterArbitrary(), weight: 3 },
              { arbitrary: param, weight: 2 },
            ),
            sort: param,
            orderBy: fc.oneof(fc.constantFrom('asc', 'desc', 'up', ''), param),
            fields: param,
            limit: fc.oneof(
              fc.integer({ min: -2, max: 20_000 }).map(String),
              param,
            ),
            offset: param,
          }),
          fc.array(
            fc.constantFrom(
              '%',
              '%zz',
              '%00',
              'limit=1&limit=2',
              'filter[a]=b',
              'fields',
            ),
            { maxLength: 2 },
          ),
          async ({ route, url }, q, raw) => {
            const qs = new URLSearchParams();
            for (const [k, v] of Object.entries(q))
              if (v !== undefined && (route.query as string[]).includes(k))
                qs.set(k, v);
            const full = `${url}?${[qs.toString(), ...raw].filter(Boolean).join('&')}`;
            const r = await send('GET', full, token);
            const served = route.service === 'rostering' || isServedV1p2(route);
            const problem = judge(r, served ? [200, 400] : [501]);
            if (problem) throw new Error(`GET ${full}: ${problem}`);
          },
        ),
        { numRuns: 300 * SCALE, seed: SEED },
      );
    }, 3_600_000);

    it('answers any body on every 1.2 write with a 1.2 status payload or success, and a refusal records nothing', async () => {
      const school = schoolIds()[0];
      const token = tokens.get(school) ?? '';
      const own = ids.get(school) ?? {};
      const anchor = anchors.get(school) ?? {};
      const writes = V1P2_ROUTES.filter((r) => r.method !== 'GET');
      const hostile = fc.oneof(
        fc.jsonValue(),
        fc.constantFrom(
          null,
          -1,
          1e308,
          '',
          'x'.repeat(5000),
          '2026-02-30',
          'ext:',
          'true',
          [],
          {},
          { sourcedId: 1 },
          { sourcedId: 'missing' },
        ),
      );
      const field = fc.constantFrom(
        'sourcedId',
        'status',
        'title',
        'class',
        'student',
        'lineItem',
        'assessmentLineItem',
        'scoreStatus',
        'scoreDate',
        'score',
        'scoreScaleValue',
        'learningObjectiveSet',
        'weight',
        'late',
        '__proto__',
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...writes),
          fc.dictionary(field, hostile, { maxKeys: 5 }),
          fc.constantFrom('enveloped', 'bare', 'list', 'text', 'truncated'),
          async (route, value, shape) => {
            const id = `fz2-${SEED}-${n++}`;
            const values: Record<string, string> = { sourcedId: id };
            for (const m of route.path.matchAll(/\{(\w+)\}/g))
              if (m[1] !== 'sourcedId')
                values[m[1]] =
                  anchor[m[1]] ?? own[kindOf(route, m[1])]?.[0] ?? 'missing';
            const url = urlOf(route, values);
            const key =
              route.method === 'POST' ? `${route.body}s` : (route.body ?? 'x');
            let text = JSON.stringify(
              shape === 'bare'
                ? value
                : shape === 'list'
                  ? { [key]: [value] }
                  : { [key]: value },
            );
            if (shape === 'text') text = text.replace(/[{}]/g, '');
            if (shape === 'truncated') text = text.slice(0, -1);
            const before = await changes();
            const r = await send(
              route.method,
              url,
              token,
              route.method === 'DELETE' ? undefined : text,
            );
            const served = isServedV1p2(route);
            const allowed =
              route.method === 'DELETE'
                ? [404]
                : route.method === 'PUT'
                  ? [200, 201, 400, 422]
                  : [201, 400, 404, 422];
            const problem = judge(r, served ? allowed : [400, 501]);
            if (problem)
              throw new Error(
                `${route.method} ${url} ${text.slice(0, 300)}: ${problem}`,
              );
            if (({} as Json)['polluted'] !== undefined)
              throw new Error(`Object.prototype polluted by ${text}`);
            if (r.status >= 400 && (await changes()) !== before)
              throw new Error(
                `a refused ${route.method} recorded a change: ${text}`,
              );
          },
        ),
        { numRuns: 200 * SCALE, seed: SEED },
      );
    }, 3_600_000);
  },
);
