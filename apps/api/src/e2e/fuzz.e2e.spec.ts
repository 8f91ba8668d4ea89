import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { ALL_ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { filterArbitrary, queryValueArbitrary } from '@oneroster/api-testing';
import { TestApi, startTestApi } from './support';

/**
 * Fuzzing the API over HTTP: the query language of every collection and the gradebook PUT
 * bodies. Properties: never a 5xx, never a hang (a per-request timeout), every error a
 * OneRoster status payload (`imsx_codeMajor` failure, a description, a CodeMinor), every
 * warning a `success` status, and a refused write leaves nothing behind.
 * CI size by default; `FUZZ_SCALE=10` (or `npm run hardening -- fuzz`) for the full run,
 * `FUZZ_SEED` to replay a failure.
 */
const BASE = '/ims/oneroster/v1p1';
const SCALE = Number(process.env['FUZZ_SCALE'] || 1);
const SEED = Number(process.env['FUZZ_SEED'] || 424242);
const TIMEOUT_MS = 20_000;
type Json = Record<string, unknown>;

const engines = testEngines('fuzz_e2e', { sqliteFile: true }).filter(
  (e) => !process.env['FUZZ_ENGINE'] || e.name === process.env['FUZZ_ENGINE'],
);

const COLLECTIONS = [
  'academicSessions',
  'classes',
  'courses',
  'demographics',
  'enrollments',
  'gradingPeriods',
  'orgs',
  'schools',
  'students',
  'teachers',
  'terms',
  'users',
  'categories',
  'lineItems',
  'results',
  'resources',
];
/** The same collections of the OneRoster 1.2 rostering service (its own query rules). */
const V1P2 = '/ims/oneroster/rostering/v1p2';
const V1P2_COLLECTIONS = COLLECTIONS.slice(0, COLLECTIONS.indexOf('users') + 1);
const COLLECTION_PATHS = [
  ...COLLECTIONS.map((c) => `${BASE}/${c}`),
  ...V1P2_COLLECTIONS.map((c) => `${V1P2}/${c}`),
];

function statusPayloadProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'not a JSON object';
  const b = body as Json;
  if (b['imsx_codeMajor'] !== 'failure') return 'imsx_codeMajor is not failure';
  if (b['imsx_severity'] !== 'error') return 'imsx_severity is not error';
  if (typeof b['imsx_description'] !== 'string') return 'no imsx_description';
  const minor = (
    b['imsx_CodeMinor'] as {
      imsx_codeMinorField?: { imsx_codeMinorFieldValue?: unknown }[];
    }
  )?.imsx_codeMinorField?.[0]?.imsx_codeMinorFieldValue;
  if (typeof minor !== 'string') return 'no imsx_CodeMinor';
  if (JSON.stringify(b).includes('    at ')) return 'a stack trace';
  return null;
}

describe.each(engines)('fuzzing the API on $name', (engine) => {
  let api: TestApi;
  let db: DataSource;
  let token: string;
  let cls: string;
  let lineItem: string;
  let student: string;
  let requests = 0;
  const tally = new Map<string, number>();

  async function send(
    method: string,
    path: string,
    body?: string,
  ): Promise<{ status: number; body: unknown; text: string }> {
    requests++;
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
      json = JSON.parse(text);
    } catch {
      /* judged by the property */
    }
    return { status: res.status, body: json, text };
  }

  /** The properties every answer must have; returns the first broken one. */
  function judge(
    r: { status: number; body: unknown; text: string },
    allowed: number[],
  ): string | null {
    if (!allowed.includes(r.status))
      return `status ${r.status}: ${r.text.slice(0, 300)}`;
    if (r.status >= 400) {
      const p = statusPayloadProblem(r.body);
      return p ? `${r.status} ${p}: ${r.text.slice(0, 300)}` : null;
    }
    if (!r.body || typeof r.body !== 'object') return 'a 2xx without JSON';
    const warnings = (r.body as Json)['statusInfoSet'];
    if (warnings !== undefined) {
      if (!Array.isArray(warnings)) return 'statusInfoSet is not a list';
      for (const w of warnings as Json[])
        if (w['imsx_codeMajor'] !== 'success' || !w['imsx_description'])
          return `a warning that is not a success status: ${JSON.stringify(w)}`;
    }
    return null;
  }

  beforeAll(async () => {
    api = await startTestApi(engine);
    db = await openDatabase(api.database);
    const schoolA = api.plan.schools[0].schoolId;
    token = await api.issuer.token(
      { school_ids: [schoolA], scope: ALL_ONEROSTER_SCOPES.join(' ') },
      { expiresIn: '2h' },
    );
    const [row] = (await db.query(
      "SELECT r.line_item_sourced_id AS li, r.student_sourced_id AS st, l.class_sourced_id AS cl FROM results r JOIN line_items l ON l.school_id = r.school_id AND l.sourced_id = r.line_item_sourced_id WHERE r.school_id = ? AND r.status = 'active' ORDER BY r.sourced_id LIMIT 1",
      [schoolA],
    )) as Record<string, string>[];
    [cls, lineItem, student] = [row['cl'], row['li'], row['st']];
  }, 240_000);

  afterAll(async () => {
    process.stdout.write(
      `fuzz (${engine.name}): ${requests} HTTP requests ${JSON.stringify(Object.fromEntries(tally))}\n`,
    );
    await db?.destroy();
    await api?.close();
  });

  it('answers any query string on any collection with data or a OneRoster error', async () => {
    const param = fc.oneof(
      { arbitrary: queryValueArbitrary(), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 4 },
    );
    const count = (max: number) =>
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.integer({ min: 0, max }).map(String), weight: 2 },
        { arbitrary: queryValueArbitrary(), weight: 1 },
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COLLECTION_PATHS),
        fc.record({
          filter: fc.oneof(
            { arbitrary: filterArbitrary(), weight: 3 },
            { arbitrary: param, weight: 2 },
          ),
          sort: param,
          orderBy: fc.oneof(
            fc.constantFrom('asc', 'desc', 'acs', 'DESC', '', 'up'),
            param,
          ),
          fields: param,
          limit: count(20_000),
          offset: count(5_000),
        }),
        // Query strings the URL API would never build: raw escapes, repeats, brackets.
        fc.oneof(
          { arbitrary: fc.constant([]), weight: 4 },
          fc.array(
            fc.constantFrom(
              '%',
              '%zz',
              '%C0%AF',
              '%00',
              '%FF%FE',
              'limit=1&limit=2',
              'filter[a]=b',
              'sort[]=x',
              'fields',
              '=',
              '&&',
              'offset=1e3',
              'filter=%27',
            ),
            { maxLength: 2 },
          ),
        ),
        async (collection, q, raw) => {
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(q))
            if (v !== undefined) qs.set(k, v);
          const query = [qs.toString(), ...raw].filter(Boolean).join('&');
          const r = await send('GET', `${collection}?${query}`);
          const problem = judge(r, [200, 400]);
          if (problem)
            throw new Error(`GET ${collection}?${query}: ${problem}`);
        },
      ),
      { numRuns: 400 * SCALE, seed: SEED },
    );
  }, 3_600_000);

  const hostile = fc.oneof(
    fc.jsonValue(),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      null,
      true,
      -1,
      1e308,
      Number.MAX_SAFE_INTEGER,
      '',
      'x'.repeat(20_000),
      '2026-02-30',
      '2026-09-01T25:00:00Z',
      'NaN',
      [],
      {},
      { sourcedId: 1 },
      { sourcedId: 'y'.repeat(5000) },
    ),
  );
  const ref = (id: string) =>
    fc.oneof(fc.constant({ sourcedId: id }), fc.constant(id), hostile);
  const bodies: Record<string, () => fc.Arbitrary<Json>> = {
    lineItems: () =>
      fc.record(
        {
          title: fc.oneof(fc.string(), hostile),
          description: hostile,
          class: ref(cls),
          category: hostile,
          gradingPeriod: hostile,
          assignDate: fc.oneof(fc.constant('2026-09-14T09:00:00Z'), hostile),
          dueDate: hostile,
          resultValueMin: fc.oneof(fc.double(), hostile),
          resultValueMax: fc.oneof(fc.double(), hostile),
          sourcedId: hostile,
        },
        { requiredKeys: [] },
      ),
    results: () =>
      fc.record(
        {
          lineItem: ref(lineItem),
          student: ref(student),
          score: fc.oneof(fc.double(), hostile),
          scoreStatus: fc.oneof(
            fc.constantFrom(
              'exempt',
              'fully graded',
              'not submitted',
              'partially graded',
              'submitted',
            ),
            hostile,
          ),
          scoreDate: hostile,
          comment: hostile,
        },
        { requiredKeys: [] },
      ),
    categories: () =>
      fc.record(
        { title: fc.oneof(fc.string(), hostile), sourcedId: hostile },
        { requiredKeys: [] },
      ),
  };
  const valid: Record<string, () => Json> = {
    lineItems: () => ({
      title: 'Quiz',
      class: { sourcedId: cls },
      assignDate: '2026-09-14T09:00:00Z',
      dueDate: '2026-09-21T09:00:00Z',
      resultValueMin: 0,
      resultValueMax: 10,
    }),
    results: () => ({
      lineItem: { sourcedId: lineItem },
      student: { sourcedId: student },
      score: 7,
      scoreStatus: 'fully graded',
      scoreDate: '2026-09-22',
    }),
    categories: () => ({ title: 'Homework' }),
  };
  /** A valid body with one field replaced (or added) by a hostile value. */
  const oneOff = (collection: string) =>
    fc
      .tuple(
        fc.constantFrom(
          ...Object.keys(valid[collection]()),
          'sourcedId',
          'status',
          'metadata',
          '__proto__',
        ),
        hostile,
      )
      .map(([k, v]) => {
        const body = valid[collection]();
        Object.defineProperty(body, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return body;
      });
  const envelope: Record<string, string> = {
    lineItems: 'lineItem',
    results: 'result',
    categories: 'category',
  };

  it.each(Object.keys(bodies))(
    'answers any PUT /%s body with the stored object or a OneRoster error, and a refusal writes nothing',
    async (collection) => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { arbitrary: oneOff(collection), weight: 4 },
            { arbitrary: bodies[collection](), weight: 2 },
            { arbitrary: fc.jsonValue(), weight: 1 },
          ),
          fc.constantFrom(
            'enveloped',
            'bare',
            'proto',
            'constructor',
            'text',
            'truncated',
          ),
          async (value, shape) => {
            const id = `fz-${collection}-${SEED}-${n++}`;
            let text = JSON.stringify(
              shape === 'bare' ? value : { [envelope[collection]]: value },
            );
            // Keys JSON.parse turns into own properties named like prototype slots.
            if (shape === 'proto' && text.startsWith('{'))
              text = `{"__proto__":{"polluted":true},${text.slice(1)}`.replace(
                ',}',
                '}',
              );
            if (shape === 'constructor' && text.startsWith('{'))
              text =
                `{"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`.replace(
                  ',}',
                  '}',
                );
            if (shape === 'text')
              text =
                typeof value === 'string' ? value : text.replace(/[{}]/g, '');
            if (shape === 'truncated') text = text.slice(0, -1);
            const before = await changes();
            const r = await send('PUT', `${BASE}/${collection}/${id}`, text);
            const problem = judge(r, [200, 201, 400, 422]);
            if (problem)
              throw new Error(
                `PUT /${collection}/${id} ${text.slice(0, 500)}: ${problem}`,
              );
            if (({} as Json)['polluted'] !== undefined)
              throw new Error(`Object.prototype polluted by ${text}`);
            if (r.status >= 400) {
              if ((await changes()) !== before)
                throw new Error(`a refused PUT recorded a change: ${text}`);
              const stored = await send('GET', `${BASE}/${collection}/${id}`);
              if (stored.status !== 404)
                throw new Error(`a refused PUT stored ${id}: ${text}`);
            }
          },
        ),
        { numRuns: 80 * SCALE, seed: SEED },
      );
    },
    3_600_000,
  );

  // Found by the PUT /results property on MariaDB: 2026-02-30 passed validation (Date rolls
  // it over) and the database refused it, a 500.
  it.each([
    ['results', { scoreDate: '2026-02-30' }],
    ['results', { scoreDate: '2026-13-01' }],
    ['lineItems', { assignDate: '2026-02-30T09:00:00Z' }],
    ['lineItems', { dueDate: '2026-04-31' }],
  ])(
    'refuses an impossible calendar date in PUT /%s (%j) with 422',
    async (collection, change) => {
      const before = await changes();
      const r = await send(
        'PUT',
        `${BASE}/${collection}/fz-date`,
        JSON.stringify({ ...valid[collection](), ...change }),
      );
      expect(r.status).toBe(422);
      expect(statusPayloadProblem(r.body)).toBeNull();
      expect(await changes()).toBe(before);
    },
  );

  async function changes(): Promise<number> {
    const [row] = (await db.query(
      'SELECT COUNT(*) AS n FROM gradebook_changes',
    )) as { n: number | string }[];
    return Number(row.n);
  }
});
