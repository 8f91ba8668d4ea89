import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { TestApi, startTestApi } from './support';

const BASE = '/ims/oneroster/v1p1';
type Json = Record<string, unknown>;
type Obj = Record<string, unknown> & { sourcedId: string };

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return { raw: text };
  }
}

describe.each(testEngines('api_e2e', { sqliteFile: true }))(
  'OneRoster rostering API on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let tokenA: string;
    let schoolA: { id: string; org: string };
    let schoolB: { id: string; org: string };
    const ids: Record<string, string> = {};

    const one = async (sql: string, params: unknown[] = []) => {
      const rows = (await db.query(sql, params)) as Record<string, string>[];
      return rows[0] ? Object.values(rows[0])[0] : '';
    };
    const column = async (sql: string, params: unknown[] = []) =>
      ((await db.query(sql, params)) as Record<string, string>[])
        .map((r) => Object.values(r)[0])
        .sort();

    async function get(path: string, token: string | null = tokenA) {
      const res = await fetch(
        `${api.url}${path.startsWith('/ims') || path.startsWith('/health') ? '' : BASE}${path}`,
        {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        },
      );
      const text = await res.text();
      const body = parseJson(text);
      return { status: res.status, body, headers: res.headers };
    }
    const list = (body: Json, key: string) => body[key] as Obj[];
    const minor = (body: Json) =>
      (
        body['imsx_CodeMinor'] as {
          imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
        }
      ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;
    /** Fetches every page of a collection. */
    async function all(path: string, key: string, limit = 500): Promise<Obj[]> {
      const out: Obj[] = [];
      for (let offset = 0; ; offset += limit) {
        const sep = path.includes('?') ? '&' : '?';
        const r = await get(`${path}${sep}limit=${limit}&offset=${offset}`);
        expect(r.status).toBe(200);
        const page = list(r.body, key);
        out.push(...page);
        if (page.length < limit) return out;
      }
    }

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      const [a, b] = api.plan.schools;
      schoolA = { id: a.schoolId, org: a.orgSourcedId };
      schoolB = { id: b.schoolId, org: b.orgSourcedId };
      tokenA = await api.issuer.token({ school_ids: [schoolA.id] });
      const A = [schoolA.id];
      ids['classA'] = await one(
        "SELECT sourced_id FROM classes WHERE school_id = ? AND class_type = 'scheduled' ORDER BY sourced_id LIMIT 1",
        A,
      );
      ids['classB'] = await one(
        'SELECT sourced_id FROM classes WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB.id],
      );
      ids['studentA'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'student' ORDER BY user_sourced_id LIMIT 1",
        [schoolA.id, ids['classA']],
      );
      ids['teacherA'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'teacher' LIMIT 1",
        [schoolA.id, ids['classA']],
      );
      ids['studentB'] = await one(
        "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'student' LIMIT 1",
        [schoolB.id],
      );
      ids['courseA'] = await one(
        'SELECT course_sourced_id FROM classes WHERE school_id = ? AND sourced_id = ?',
        [schoolA.id, ids['classA']],
      );
      ids['enrollmentA'] = await one(
        'SELECT sourced_id FROM enrollments WHERE school_id = ? LIMIT 1',
        A,
      );
      ids['term'] = api.plan.sessionIds.terms[0];
      ids['gradingPeriod'] = api.plan.sessionIds.halfTerms[0];
      ids['year'] = api.plan.sessionIds.year;
    }, 240_000);

    afterAll(async () => {
      await db?.destroy();
      await api?.close();
    });

    describe('access', () => {
      it('answers 401 with a OneRoster payload without a token', async () => {
        const r = await get('/users', null);
        expect(r.status).toBe(401);
        expect(r.body).toMatchObject({
          imsx_codeMajor: 'failure',
          imsx_severity: 'error',
        });
        expect(minor(r.body)).toBe('unauthorisedrequest');
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
      });

      it.each([
        [
          'a key outside the JWKS',
          () => api.issuer.foreignToken({ school_ids: [schoolA.id] }),
        ],
        [
          'typ JWT instead of at+jwt',
          () => api.issuer.token({ school_ids: [schoolA.id] }, { typ: 'JWT' }),
        ],
        [
          'an expired token',
          () =>
            api.issuer.token(
              { school_ids: [schoolA.id] },
              { expiresIn: '-2m' },
            ),
        ],
        [
          'another audience',
          () =>
            api.issuer.token(
              { school_ids: [schoolA.id] },
              { audience: 'http://other.test' },
            ),
        ],
        [
          'another issuer',
          () =>
            api.issuer.token(
              { school_ids: [schoolA.id] },
              { issuer: 'http://evil.test' },
            ),
        ],
        ['garbage', async () => 'not-a-jwt'],
      ])('answers 401 for %s', async (_label, make) => {
        const r = await get('/users', await make());
        expect(r.status).toBe(401);
        expect(minor(r.body)).toBe('unauthorisedrequest');
      });

      it('answers 403 when the token lacks the scope', async () => {
        const gradebookOnly = await api.issuer.token({
          school_ids: [schoolA.id],
          scope: ONEROSTER_SCOPES.gradebookRead,
        });
        expect((await get('/users', gradebookOnly)).status).toBe(403);
        const core = await api.issuer.token({
          school_ids: [schoolA.id],
          scope: ONEROSTER_SCOPES.rosterCore,
        });
        expect((await get('/users', core)).status).toBe(200);
        const relation = await get(`/classes/${ids['classA']}/students`, core);
        expect(relation.status).toBe(403);
        expect(minor(relation.body)).toBe('forbidden');
        const roster = await api.issuer.token({
          school_ids: [schoolA.id],
          scope: ONEROSTER_SCOPES.roster,
        });
        expect((await get('/demographics', roster)).status).toBe(403);
        expect(
          (await get(`/classes/${ids['classA']}/students`, roster)).status,
        ).toBe(200);
      });

      it('keeps /health public', async () => {
        expect((await get('/health', null)).status).toBe(200);
      });

      it('answers an unknown route with a OneRoster 404', async () => {
        const r = await get('/nonsense');
        expect(r.status).toBe(404);
        expect(minor(r.body)).toBe('unknownobject');
      });
    });

    describe('tenancy', () => {
      it('never returns another school’s records in any collection', async () => {
        const foreign = new Set(
          await column('SELECT sourced_id FROM users WHERE school_id = ?', [
            schoolB.id,
          ]),
        );
        const own = await all('/users', 'users', 2000);
        expect(own.length).toBe(
          Number(
            await one('SELECT COUNT(*) FROM users WHERE school_id = ?', [
              schoolA.id,
            ]),
          ),
        );
        expect(own.filter((u) => foreign.has(u.sourcedId))).toEqual([]);
      });

      it('answers 404 for another school’s ids, directly and as a parent', async () => {
        for (const path of [
          `/classes/${ids['classB']}`,
          `/students/${ids['studentB']}`,
          `/users/${ids['studentB']}/classes`,
          `/classes/${ids['classB']}/students`,
          `/schools/${schoolB.org}`,
          `/schools/${schoolB.org}/classes`,
        ]) {
          const r = await get(path);
          expect({ path, status: r.status }).toEqual({ path, status: 404 });
          expect(minor(r.body)).toBe('unknownobject');
        }
      });

      it('shows a shared trust record once, as the caller’s school holds it', async () => {
        const r = await get(
          `/orgs?filter=${encodeURIComponent(`sourcedId='${api.plan.trustSourcedId}'`)}`,
        );
        expect(list(r.body, 'orgs')).toHaveLength(1);
      });

      it('sees nothing with a token naming no school it holds', async () => {
        const none = await api.issuer.token({ school_ids: ['no-such-school'] });
        const r = await get('/users', none);
        expect(r.status).toBe(200);
        expect(list(r.body, 'users')).toEqual([]);
        expect(r.headers.get('x-total-count')).toBe('0');
      });
    });

    describe('the 24 base endpoints', () => {
      it.each([
        ['/academicSessions', 'academicSessions', 10],
        ['/classes', 'classes', 1],
        ['/courses', 'courses', 1],
        ['/demographics', 'demographics', 1],
        ['/enrollments', 'enrollments', 1],
        ['/gradingPeriods', 'academicSessions', 6],
        ['/orgs', 'orgs', 2],
        ['/schools', 'orgs', 1],
        ['/students', 'users', 1],
        ['/teachers', 'users', 1],
        ['/terms', 'academicSessions', 3],
        ['/users', 'users', 1],
      ])('GET %s answers {%s: [...]}', async (path, key, atLeast) => {
        const r = await get(path);
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toMatch(/application\/json/);
        expect(list(r.body, key).length).toBeGreaterThanOrEqual(
          Math.min(atLeast, 100),
        );
        expect(Number(r.headers.get('x-total-count'))).toBeGreaterThanOrEqual(
          atLeast,
        );
        for (const o of list(r.body, key)) {
          expect(['active', 'tobedeleted']).toContain(o['status']);
          expect(String(o['dateLastModified'])).toMatch(
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
          );
        }
      });

      it('keeps subtype collections to their subtype', async () => {
        expect(
          list((await get('/schools')).body, 'orgs').every(
            (o) => o['type'] === 'school',
          ),
        ).toBe(true);
        expect(
          list((await get('/terms')).body, 'academicSessions').every(
            (o) => o['type'] === 'term',
          ),
        ).toBe(true);
        expect(
          list((await get('/gradingPeriods')).body, 'academicSessions').every(
            (o) => o['type'] === 'gradingPeriod',
          ),
        ).toBe(true);
        expect(
          list((await get('/students')).body, 'users').every(
            (o) => o['role'] === 'student',
          ),
        ).toBe(true);
        expect(
          list((await get('/teachers')).body, 'users').every(
            (o) => o['role'] === 'teacher',
          ),
        ).toBe(true);
      });

      it.each([
        ['/academicSessions/', 'year', 'academicSession'],
        ['/classes/', 'classA', 'class'],
        ['/courses/', 'courseA', 'course'],
        ['/demographics/', 'studentA', 'demographics'],
        ['/enrollments/', 'enrollmentA', 'enrollment'],
        ['/gradingPeriods/', 'gradingPeriod', 'academicSession'],
        ['/students/', 'studentA', 'user'],
        ['/teachers/', 'teacherA', 'user'],
        ['/terms/', 'term', 'academicSession'],
        ['/users/', 'studentA', 'user'],
      ])('GET %s{id} answers {%s}', async (path, id, key) => {
        const r = await get(`${path}${ids[id]}`);
        expect(r.status).toBe(200);
        expect((r.body[key] as Obj).sourcedId).toBe(ids[id]);
      });

      it('answers the org and school single endpoints', async () => {
        expect(
          ((await get(`/orgs/${api.plan.trustSourcedId}`)).body['org'] as Obj)[
            'type'
          ],
        ).toBe('district');
        expect(
          ((await get(`/schools/${schoolA.org}`)).body['org'] as Obj)['type'],
        ).toBe('school');
      });

      it('answers 404 for the wrong kind of object on a subtype endpoint', async () => {
        for (const path of [
          `/students/${ids['teacherA']}`,
          `/teachers/${ids['studentA']}`,
          `/gradingPeriods/${ids['term']}`,
          `/terms/${ids['gradingPeriod']}`,
          `/schools/${api.plan.trustSourcedId}`,
          `/classes/${ids['studentA']}`,
        ]) {
          expect({ path, status: (await get(path)).status }).toEqual({
            path,
            status: 404,
          });
        }
      });

      it('serialises every field as OneRoster 1.1 names it, with full GUIDRefs', async () => {
        const cls = (await get(`/classes/${ids['classA']}`)).body[
          'class'
        ] as Json;
        expect(Object.keys(cls).sort()).toEqual(
          [
            'classCode',
            'classType',
            'course',
            'dateLastModified',
            'grades',
            'location',
            'periods',
            'school',
            'sourcedId',
            'status',
            'subjectCodes',
            'subjects',
            'terms',
            'title',
          ]
            .concat('resources' in cls ? ['resources'] : [])
            .sort(),
        );
        expect(cls['course']).toEqual({
          href: `http://api.test${BASE}/courses/${ids['courseA']}`,
          sourcedId: ids['courseA'],
          type: 'course',
        });
        expect((cls['terms'] as Json[]).map((t) => t['sourcedId'])).toEqual(
          api.plan.sessionIds.terms,
        );
        const user = (await get(`/users/${ids['studentA']}`)).body[
          'user'
        ] as Json;
        expect(user).toMatchObject({
          role: 'student',
          enabledUser: true,
          orgs: [
            {
              sourcedId: schoolA.org,
              type: 'org',
              href: `http://api.test${BASE}/orgs/${schoolA.org}`,
            },
          ],
        });
        expect(user).not.toHaveProperty('password');
        expect((user['agents'] as Json[]).length).toBeGreaterThan(0);
        const term = (await get(`/terms/${ids['term']}`)).body[
          'academicSession'
        ] as Json;
        expect(term).toMatchObject({
          type: 'term',
          schoolYear: '2027',
          parent: { sourcedId: ids['year'], type: 'academicSession' },
        });
        expect(
          (term['children'] as Json[]).map((c) => c['sourcedId']).sort(),
        ).toEqual(api.plan.sessionIds.halfTerms.slice(0, 2).sort());
        expect(String(term['startDate'])).toMatch(/^\d{4}-\d\d-\d\d$/);
        const demo = (await get(`/demographics/${ids['studentA']}`)).body[
          'demographics'
        ] as Json;
        expect(typeof demo['white']).toBe('boolean');
      });
    });

    describe('the 17 relationship endpoints', () => {
      const enrolled = (classId: string, role: string) =>
        column(
          'SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = ?',
          [schoolA.id, classId, role],
        );

      it('/classes/{id}/students and /teachers list exactly the enrolled users', async () => {
        expect(
          (await all(`/classes/${ids['classA']}/students`, 'users'))
            .map((u) => u.sourcedId)
            .sort(),
        ).toEqual(await enrolled(ids['classA'], 'student'));
        expect(
          (await all(`/classes/${ids['classA']}/teachers`, 'users'))
            .map((u) => u.sourcedId)
            .sort(),
        ).toEqual(await enrolled(ids['classA'], 'teacher'));
      });

      it('/schools/{s}/classes/{c}/students, /teachers and /enrollments', async () => {
        const p = `/schools/${schoolA.org}/classes/${ids['classA']}`;
        expect(
          (await all(`${p}/students`, 'users')).map((u) => u.sourcedId).sort(),
        ).toEqual(await enrolled(ids['classA'], 'student'));
        expect(
          (await all(`${p}/teachers`, 'users')).map((u) => u.sourcedId).sort(),
        ).toEqual(await enrolled(ids['classA'], 'teacher'));
        const enr = await all(`${p}/enrollments`, 'enrollments');
        expect(enr.length).toBe(
          (await enrolled(ids['classA'], 'student')).length +
            (await enrolled(ids['classA'], 'teacher')).length,
        );
        expect(
          (
            await get(
              `/schools/${schoolA.org}/classes/${ids['classB']}/students`,
            )
          ).status,
        ).toBe(404);
      });

      it('/schools/{s}/... lists the school’s courses, classes, enrolments, students, teachers and terms', async () => {
        const s = `/schools/${schoolA.org}`;
        const count = async (sql: string) =>
          Number(await one(sql, [schoolA.id]));
        expect((await get(`${s}/courses`)).headers.get('x-total-count')).toBe(
          String(
            await count('SELECT COUNT(*) FROM courses WHERE school_id = ?'),
          ),
        );
        expect((await get(`${s}/classes`)).headers.get('x-total-count')).toBe(
          String(
            await count('SELECT COUNT(*) FROM classes WHERE school_id = ?'),
          ),
        );
        expect(
          (await get(`${s}/enrollments`)).headers.get('x-total-count'),
        ).toBe(
          String(
            await count('SELECT COUNT(*) FROM enrollments WHERE school_id = ?'),
          ),
        );
        expect((await get(`${s}/students`)).headers.get('x-total-count')).toBe(
          String(
            await count(
              "SELECT COUNT(*) FROM users WHERE school_id = ? AND role = 'student'",
            ),
          ),
        );
        expect((await get(`${s}/teachers`)).headers.get('x-total-count')).toBe(
          String(
            await count(
              "SELECT COUNT(*) FROM users WHERE school_id = ? AND role = 'teacher'",
            ),
          ),
        );
        expect(
          list((await get(`${s}/terms`)).body, 'academicSessions')
            .map((t) => t.sourcedId)
            .sort(),
        ).toEqual([...api.plan.sessionIds.terms].sort());
      });

      it('/terms/{t}/classes and /terms/{t}/gradingPeriods', async () => {
        const classes = Number(
          await one(
            'SELECT COUNT(*) FROM class_terms WHERE school_id = ? AND term_sourced_id = ?',
            [schoolA.id, ids['term']],
          ),
        );
        expect(
          (await get(`/terms/${ids['term']}/classes`)).headers.get(
            'x-total-count',
          ),
        ).toBe(String(classes));
        const gps = list(
          (await get(`/terms/${ids['term']}/gradingPeriods`)).body,
          'academicSessions',
        );
        expect(gps.map((g) => g.sourcedId).sort()).toEqual(
          api.plan.sessionIds.halfTerms.slice(0, 2).sort(),
        );
        expect(
          (await get(`/terms/${ids['gradingPeriod']}/classes`)).status,
        ).toBe(404);
      });

      it('/courses/{c}/classes, /students/{s}/classes, /teachers/{t}/classes, /users/{u}/classes', async () => {
        const courseClasses = await column(
          'SELECT sourced_id FROM classes WHERE school_id = ? AND course_sourced_id = ?',
          [schoolA.id, ids['courseA']],
        );
        expect(
          (await all(`/courses/${ids['courseA']}/classes`, 'classes'))
            .map((c) => c.sourcedId)
            .sort(),
        ).toEqual(courseClasses);
        const classesOf = (user: string, role?: string) =>
          column(
            `SELECT class_sourced_id FROM enrollments WHERE school_id = ? AND user_sourced_id = ?${role ? ' AND role = ?' : ''}`,
            [schoolA.id, user, ...(role ? [role] : [])],
          );
        expect(
          (await all(`/students/${ids['studentA']}/classes`, 'classes'))
            .map((c) => c.sourcedId)
            .sort(),
        ).toEqual(await classesOf(ids['studentA'], 'student'));
        expect(
          (await all(`/teachers/${ids['teacherA']}/classes`, 'classes'))
            .map((c) => c.sourcedId)
            .sort(),
        ).toEqual(await classesOf(ids['teacherA'], 'teacher'));
        expect(
          (await all(`/users/${ids['teacherA']}/classes`, 'classes'))
            .map((c) => c.sourcedId)
            .sort(),
        ).toEqual(await classesOf(ids['teacherA']));
        expect((await get(`/students/${ids['teacherA']}/classes`)).status).toBe(
          404,
        );
        expect((await get(`/courses/no-such-course/classes`)).status).toBe(404);
        // An unknown parent answers 404 whatever the query; a known one checks the query.
        expect(
          (await get(`/courses/no-such-course/classes?limit=0&fields=`)).status,
        ).toBe(404);
        expect(
          (await get(`/students/${ids['studentA']}/classes?limit=0`)).status,
        ).toBe(400);
      });
    });

    describe('query language', () => {
      const users = async (q: string) => {
        const r = await get(`/users?${q}`);
        return { ...r, users: (r.body['users'] ?? []) as Obj[] };
      };
      const enc = encodeURIComponent;

      it('pages with limit, offset, X-Total-Count and Link, never skipping or repeating', async () => {
        const total = Number(
          await one('SELECT COUNT(*) FROM classes WHERE school_id = ?', [
            schoolA.id,
          ]),
        );
        const first = await get('/classes');
        expect(list(first.body, 'classes')).toHaveLength(100);
        expect(first.headers.get('x-total-count')).toBe(String(total));
        const link = first.headers.get('link') ?? '';
        expect(link).toContain('rel="first"');
        expect(link).toContain('rel="next"');
        expect(link).toContain('rel="last"');
        expect(link).not.toContain('rel="prev"');
        expect(link).toContain(`offset=${Math.floor((total - 1) / 100) * 100}`);
        const seen = (await all('/classes', 'classes', 37)).map(
          (c) => c.sourcedId,
        );
        expect(seen).toHaveLength(total);
        expect(new Set(seen).size).toBe(total);
        expect(seen).toEqual([...seen].sort());
      });

      it('answers an empty page past the end', async () => {
        const r = await get('/classes?offset=100000');
        expect(r.status).toBe(200);
        expect(list(r.body, 'classes')).toEqual([]);
      });

      it.each([
        'limit=0',
        'limit=-1',
        'limit=abc',
        'limit=1e3',
        'offset=-5',
        'offset=x',
        'limit=1&limit=2',
        'orderBy=sideways',
      ])('answers 400 invaliddata for %s', async (q) => {
        const r = await get(`/classes?${q}`);
        expect(r.status).toBe(400);
        expect(minor(r.body)).toBe('invaliddata');
      });

      it('clamps a huge limit to 10,000', async () => {
        const r = await get('/enrollments?limit=999999');
        expect(r.status).toBe(200);
        expect(list(r.body, 'enrollments').length).toBe(
          Math.min(10000, Number(r.headers.get('x-total-count'))),
        );
      });

      it('writes a large page as it builds it: the JSON of small pages, warnings last', async () => {
        const big = await get('/enrollments?limit=10000&fields=nonsense');
        expect(big.status).toBe(200);
        expect(big.headers.get('content-type')).toMatch(
          /^application\/json; charset=utf-8/,
        );
        expect(big.headers.get('content-length')).toBeNull(); // chunked
        const total = Number(big.headers.get('x-total-count'));
        // More records than one batch (500), so the page is written in several.
        expect(total).toBeGreaterThan(1000);
        expect(Object.keys(big.body)).toEqual(['enrollments', 'statusInfoSet']);
        const small = await all('/enrollments', 'enrollments', 400);
        expect(list(big.body, 'enrollments')).toEqual(small.slice(0, 10000));
      });

      it('pages in large pages exactly as in small ones', async () => {
        // 700 is more than a batch: each page is written (and, on MySQL, read) as it goes.
        const large = await all('/enrollments', 'enrollments', 700);
        expect(large.length).toBeGreaterThan(1400);
        expect(large).toEqual(await all('/enrollments', 'enrollments', 400));
      });

      it('lets go of everything when clients leave in the middle of large pages', async () => {
        // More abandoned responses than the database pool has connections: a response that
        // kept its connection would leave the last requests waiting forever.
        for (let i = 0; i < 15; i++) {
          const abort = new AbortController();
          const res = await fetch(`${api.url}${BASE}/enrollments?limit=10000`, {
            headers: { authorization: `Bearer ${tokenA}` },
            signal: abort.signal,
          });
          expect(res.status).toBe(200);
          abort.abort();
        }
        for (let i = 0; i < 12; i++) {
          const r = await get('/enrollments?limit=600');
          expect(list(r.body, 'enrollments')).toHaveLength(600);
        }
      });

      it('sorts both ways, by any scalar field', async () => {
        const asc = (await users('sort=familyName&limit=300')).users.map((u) =>
          String(u['familyName']),
        );
        const desc = (
          await users('sort=familyName&orderBy=desc&limit=300')
        ).users.map((u) => String(u['familyName']));
        const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
        expect(asc).toEqual([...asc].sort(cmp));
        expect(desc).toEqual([...desc].sort(cmp).reverse());
      });

      it('warns about an unknown sort field and uses the default order', async () => {
        const r = await users('sort=shoeSize');
        expect(r.status).toBe(200);
        expect(r.body['statusInfoSet']).toEqual([
          expect.objectContaining({
            imsx_codeMajor: 'success',
            imsx_severity: 'warning',
            imsx_description: 'Invalid sort field: shoeSize',
          }),
        ]);
        expect(r.users.map((u) => u.sourcedId)).toEqual(
          [...r.users.map((u) => u.sourcedId)].sort(),
        );
      });

      it('projects fields, warns about unknown ones and refuses a blank list', async () => {
        const r = await users('fields=sourcedId,givenName,orgs');
        expect(
          r.users.every(
            (u) => Object.keys(u).sort().join() === 'givenName,orgs,sourcedId',
          ),
        ).toBe(true);
        const unknown = await users('fields=sourcedId,shoeSize');
        expect(unknown.status).toBe(200);
        expect(unknown.users[0]).toHaveProperty('familyName');
        expect(JSON.stringify(unknown.body['statusInfoSet'])).toContain(
          'invalid_selection_field',
        );
        const blank = await users('fields=');
        expect(blank.status).toBe(400);
        expect(minor(blank.body)).toBe('invalid_blank_selection_field');
      });

      it('reads fields on a single object as on a collection, with the same warning', async () => {
        const path = `/users/${ids['studentA']}`;
        const known = await get(`${path}?fields=sourcedId,givenName`);
        expect(Object.keys(known.body['user'] as Obj).sort()).toEqual([
          'givenName',
          'sourcedId',
        ]);
        expect(known.body).not.toHaveProperty('statusInfoSet');
        const unknown = await get(`${path}?fields=sourcedId,shoeSize`);
        expect(unknown.status).toBe(200);
        expect(unknown.body['user']).toHaveProperty('familyName');
        // Each payload has its own message reference; the rest is the collection's.
        const withoutRef = (set: unknown) =>
          (set as Json[]).map((info) => {
            const rest = { ...info };
            delete rest['imsx_messageRefIdentifier'];
            return rest;
          });
        expect(withoutRef(unknown.body['statusInfoSet'])).toEqual(
          withoutRef(
            (await users('fields=sourcedId,shoeSize')).body['statusInfoSet'],
          ),
        );
        expect(JSON.stringify(unknown.body['statusInfoSet'])).toContain(
          'invalid_selection_field',
        );
        const blank = await get(`${path}?fields=`);
        expect(blank.status).toBe(400);
        expect(minor(blank.body)).toBe('invalid_blank_selection_field');
      });

      it('filters with every predicate', async () => {
        const name = String(
          (await get(`/users/${ids['studentA']}`)).body['user'] &&
            ((await get(`/users/${ids['studentA']}`)).body['user'] as Json)[
              'familyName'
            ],
        );
        const count = async (where: string, params: unknown[]) =>
          Number(
            await one(
              `SELECT COUNT(*) FROM users WHERE school_id = ? AND ${where}`,
              [schoolA.id, ...params],
            ),
          );
        const total = async (f: string) =>
          Number(
            (await get(`/users?filter=${enc(f)}`)).headers.get('x-total-count'),
          );
        expect(await total(`familyName='${name}'`)).toBe(
          await count('family_name = ?', [name]),
        );
        expect(await total(`familyName!='${name}'`)).toBe(
          await count('family_name <> ?', [name]),
        );
        expect(await total(`familyName>'M'`)).toBe(
          await count('family_name > ?', ['M']),
        );
        expect(await total(`familyName>='M'`)).toBe(
          await count('family_name >= ?', ['M']),
        );
        expect(await total(`familyName<'M'`)).toBe(
          await count('family_name < ?', ['M']),
        );
        expect(await total(`familyName<='M'`)).toBe(
          await count('family_name <= ?', ['M']),
        );
        expect(
          await total(`familyName~'${name.slice(1, 3).toUpperCase()}'`),
        ).toBe(
          await count('LOWER(family_name) LIKE ?', [
            `%${name.slice(1, 3).toLowerCase()}%`,
          ]),
        );
      });

      it('combines clauses with AND and OR', async () => {
        const and = await users(
          `filter=${enc("role='student' AND grades='07'")}&limit=1000`,
        );
        expect(and.users.length).toBeGreaterThan(0);
        expect(
          and.users.every(
            (u) =>
              u['role'] === 'student' &&
              (u['grades'] as string[]).includes('07'),
          ),
        ).toBe(true);
        const or = await get(
          `/users?filter=${enc("role='administrator' OR role='aide'")}&limit=1000`,
        );
        const roles = new Set(list(or.body, 'users').map((u) => u['role']));
        expect([...roles].sort()).toEqual(['administrator', 'aide']);
      });

      it('filters on GUIDRefs and GUIDRef lists by sourcedId', async () => {
        const byCourse = await get(
          `/classes?filter=${enc(`course.sourcedId='${ids['courseA']}'`)}`,
        );
        expect(
          list(byCourse.body, 'classes').every(
            (c) => (c['course'] as Obj).sourcedId === ids['courseA'],
          ),
        ).toBe(true);
        const byTerm = await get(
          `/classes?filter=${enc(`terms.sourcedId='${ids['term']}'`)}&limit=1`,
        );
        expect(Number(byTerm.headers.get('x-total-count'))).toBeGreaterThan(0);
        const byOrg = await get(
          `/users?filter=${enc(`orgs.sourcedId='${schoolA.org}'`)}&limit=1`,
        );
        expect(byOrg.headers.get('x-total-count')).toBe(
          await one('SELECT COUNT(*) FROM users WHERE school_id = ?', [
            schoolA.id,
          ]).then(String),
        );
      });

      it('sees delta changes, deleted records included', async () => {
        await db.query(
          "UPDATE users SET status = 'tobedeleted', date_last_modified = ? WHERE school_id = ? AND sourced_id = ?",
          ['2026-10-02 09:30:00.000', schoolA.id, ids['studentB'] || 'x'],
        );
        await db.query(
          "UPDATE classes SET status = 'tobedeleted', date_last_modified = ? WHERE school_id = ? AND sourced_id = ?",
          ['2026-10-02 09:30:00.000', schoolA.id, ids['classA']],
        );
        const r = await get(
          `/classes?filter=${enc("dateLastModified>'2026-10-01T00:00:00Z'")}`,
        );
        expect(
          list(r.body, 'classes').map((c) => [c.sourcedId, c['status']]),
        ).toEqual([[ids['classA'], 'tobedeleted']]);
        const date = await get(
          `/classes?filter=${enc("dateLastModified>='2026-10-02'")}`,
        );
        expect(list(date.body, 'classes')).toHaveLength(1);
        const active = await get(
          `/classes?filter=${enc("status='active'")}&limit=1`,
        );
        expect(Number(active.headers.get('x-total-count'))).toBe(
          Number(
            await one(
              "SELECT COUNT(*) FROM classes WHERE school_id = ? AND status = 'active'",
              [schoolA.id],
            ),
          ),
        );
        await db.query(
          "UPDATE classes SET status = 'active', date_last_modified = ? WHERE school_id = ? AND sourced_id = ?",
          ['2026-09-01 08:00:00.000', schoolA.id, ids['classA']],
        );
      });

      it.each([
        ["shoeSize='9'", 'invalid_filter_field'],
        ["familyName'x'", 'invaliddata'],
        ["familyName='x", 'invaliddata'],
        ["dateLastModified>'yesterday'", 'invaliddata'],
        ["enabledUser='maybe'", 'invaliddata'],
        ["dateLastModified~'2026'", 'invaliddata'],
      ])('answers 400 for filter %s', async (f, codeMinor) => {
        const r = await get(`/users?filter=${enc(f)}`);
        expect(r.status).toBe(400);
        expect(minor(r.body)).toBe(codeMinor);
        if (codeMinor === 'invalid_filter_field')
          expect(String(r.body['imsx_description'])).toContain('shoeSize');
      });

      it('treats filter values as data, never as SQL', async () => {
        for (const v of [
          "x' OR '1'='1",
          "'; DROP TABLE users; --",
          '%',
          '_',
          '\\',
          '!',
        ]) {
          const r = await get(
            `/users?filter=${enc(`familyName='${v.replace(/'/g, "''")}'`)}`,
          );
          expect(r.status).toBe(200);
          expect(list(r.body, 'users')).toEqual([]);
        }
        expect(Number(await one('SELECT COUNT(*) FROM users'))).toBeGreaterThan(
          0,
        );
      });
    });
  },
);
