import { connect } from 'node:net';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { TestApi, startTestApi } from './support';

/*
 * What real OneRoster 1.1 consumers (SIS connectors, Google Classroom, HTTP client
 * libraries with default limits) send and expect, against the booted API.
 */
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

const enc = encodeURIComponent;

describe.each(testEngines('interop_e2e', { sqliteFile: true }))(
  'OneRoster interoperability on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let tokenA: string;
    let schoolA: { id: string; org: string };

    const one = async (sql: string, params: unknown[] = []) => {
      const rows = (await db.query(sql, params)) as Record<string, string>[];
      return rows[0] ? Object.values(rows[0])[0] : '';
    };

    async function get(path: string, token: string | null = tokenA) {
      const res = await fetch(
        `${api.url}${path.startsWith('/ims') ? '' : BASE}${path}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} },
      );
      return {
        status: res.status,
        body: parseJson(await res.text()),
        headers: res.headers,
      };
    }
    const list = (body: Json, key: string) => body[key] as Obj[];
    const minor = (body: Json) =>
      (
        body['imsx_CodeMinor'] as {
          imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
        }
      ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      const [a] = api.plan.schools;
      schoolA = { id: a.schoolId, org: a.orgSourcedId };
      tokenA = await api.issuer.token({ school_ids: [schoolA.id] });
    }, 240_000);

    afterAll(async () => {
      await db?.destroy();
      await api?.close();
    });

    describe('Swagger error examples', () => {
      type Doc = {
        paths: Record<
          string,
          Record<
            string,
            {
              responses: Record<
                string,
                {
                  content?: Record<
                    string,
                    { examples?: Record<string, { $ref: string }> }
                  >;
                }
              >;
            }
          >
        >;
        components: { examples: Record<string, { value: Json }> };
      };
      let doc: Doc;
      const examples = (path: string, status: string): Json[] =>
        Object.values(
          doc.paths[`${BASE}${path}`]['get'].responses[status].content?.[
            'application/json'
          ]?.examples ?? {},
        ).map(
          (e) =>
            doc.components.examples[
              e.$ref.replace('#/components/examples/', '')
            ].value,
        );
      const withoutRef = (b: Json) => {
        const { imsx_messageRefIdentifier: _, ...rest } = b;
        return rest;
      };

      beforeAll(async () => {
        doc = (await (await fetch(`${api.url}/docs-json`)).json()) as Doc;
      });

      it.each([
        ['400', '/users?limit=0', '/users'],
        ['400', `/users?filter=${enc("shoeSize='9'")}`, '/users'],
        ['400', '/users?fields=', '/users'],
        ['401', '/users', '/users'],
        ['403', '/users', '/users'],
        ['404', '/classes/no-such-class', '/classes/{sourcedId}'],
      ])(
        'shows for %s the codeMinor the API really answers (GET %s)',
        async (status, url, path) => {
          const token =
            status === '401'
              ? null
              : status === '403'
                ? await api.issuer.token({
                    school_ids: [schoolA.id],
                    scope: ONEROSTER_SCOPES.gradebookRead,
                  })
                : tokenA;
          const r = await get(url, token);
          expect(String(r.status)).toBe(status);
          const shown = examples(path, status);
          expect(shown.map((e) => minor(e))).toContain(minor(r.body));
          const same = shown.find((e) => minor(e) === minor(r.body)) as Json;
          expect(same['imsx_codeMajor']).toBe(r.body['imsx_codeMajor']);
          expect(same['imsx_severity']).toBe(r.body['imsx_severity']);
          if (status === '401' || status === '403')
            expect(withoutRef(same)).toEqual(withoutRef(r.body));
        },
      );
    });

    describe('Link header', () => {
      const links = (header: string | null) =>
        Object.fromEntries(
          (header ?? '')
            .split(/,\s*(?=<)/)
            .filter(Boolean)
            .map((l) => {
              const m = /^<([^>]*)>; rel="(\w+)"$/.exec(l.trim());
              return [m?.[2] ?? '?', new URL(m?.[1] ?? 'http://x')];
            }),
        );

      it('builds links from the parsed, normalised parameters, not from the request URL', async () => {
        const filter = "status = 'active'  and  familyName~'a'";
        const r = await get(
          `/users?limit=5&offset=5&orderBy=DESC&sort=familyName&fields=sourcedId,familyName&filter=${enc(filter)}&utm_source=${'x'.repeat(3000)}`,
        );
        expect(r.status).toBe(200);
        const next = links(r.headers.get('link')).next;
        expect(next).toBeDefined();
        expect([...next.searchParams.keys()]).toEqual([
          'limit',
          'offset',
          'sort',
          'orderBy',
          'filter',
          'fields',
        ]);
        expect(Object.fromEntries(next.searchParams)).toEqual({
          limit: '5',
          offset: '10',
          sort: 'familyName',
          orderBy: 'desc',
          filter: "status='active' AND familyName~'a'",
          fields: 'sourcedId,familyName',
        });
        expect(`${next.origin}${next.pathname}`).toBe(
          `http://api.test${BASE}/users`,
        );
        // Following the link gives the next page of the same query.
        const followed = await get(`${next.pathname}${next.search}`);
        expect(followed.status).toBe(200);
        expect(followed.headers.get('x-total-count')).toBe(
          r.headers.get('x-total-count'),
        );
      });

      it('leaves out parameters the API dropped (unknown sort and selection fields)', async () => {
        const r = await get('/users?limit=2&sort=shoeSize&fields=shoeSize');
        expect(r.status).toBe(200);
        const first = links(r.headers.get('link')).first;
        expect(Object.fromEntries(first.searchParams)).toEqual({
          limit: '2',
          offset: '0',
        });
      });

      it('keeps response headers small for a long but legal query: Link is left out past 4 KiB', async () => {
        const long = 'a'.repeat(6000);
        const r = await get(
          `/users?limit=1&filter=${enc(`familyName!='${long}'`)}`,
        );
        expect(r.status).toBe(200);
        expect(list(r.body, 'users')).toHaveLength(1);
        expect(r.headers.get('link')).toBeNull();
        expect(Number(r.headers.get('x-total-count'))).toBeGreaterThan(1);
        let size = 0;
        r.headers.forEach((v, k) => (size += k.length + v.length + 4));
        expect(size).toBeLessThan(4 * 1024);
      });
    });

    describe('requests the HTTP parser refuses', () => {
      /** Sends raw bytes and reads the whole answer (the server closes the connection). */
      const raw = (request: string) =>
        new Promise<{ status: number; body: Json; head: string }>(
          (resolve, reject) => {
            const u = new URL(api.url);
            const socket = connect(Number(u.port), u.hostname);
            const chunks: Buffer[] = [];
            socket.on('data', (c) => chunks.push(c));
            socket.on('error', reject);
            socket.on('close', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const [head, ...rest] = text.split('\r\n\r\n');
              resolve({
                status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
                body: parseJson(rest.join('\r\n\r\n')),
                head,
              });
            });
            socket.write(request);
          },
        );
      const isStatusPayload = (body: Json) => {
        expect(body).toMatchObject({
          imsx_codeMajor: 'failure',
          imsx_severity: 'error',
        });
        expect(minor(body)).toBe('invaliddata');
      };

      it('answers a URI over the header limit with 414 and a OneRoster payload', async () => {
        const r = await raw(
          `GET ${BASE}/users?filter=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        );
        expect(r.status).toBe(414);
        expect(r.head).toMatch(/content-type: application\/json/i);
        isStatusPayload(r.body);
      });

      it('answers headers over the limit with 431 and a OneRoster payload', async () => {
        const res = await fetch(`${api.url}${BASE}/users`, {
          headers: {
            authorization: `Bearer ${tokenA}`,
            'x-big': 'b'.repeat(20_000),
          },
        });
        expect(res.status).toBe(431);
        isStatusPayload(parseJson(await res.text()));
      });

      it('answers a request that is not HTTP with 400 and a OneRoster payload', async () => {
        const r = await raw('NOT HTTP AT ALL\r\n\r\n');
        expect(r.status).toBe(400);
        isStatusPayload(r.body);
      });

      it('answers a body over the limit with 413 and a OneRoster payload', async () => {
        const res = await fetch(`${api.url}${BASE}/results/r-too-large`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${tokenA}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ result: { comment: 'c'.repeat(2_000_000) } }),
        });
        expect(res.status).toBe(413);
        isStatusPayload(parseJson(await res.text()));
      });
    });

    describe('categories of a class (1.2 route served on 1.1)', () => {
      let writer: string;
      let classX: string;
      let classY: string;
      const put = async (path: string, body: Json) => {
        const res = await fetch(`${api.url}${BASE}${path}`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${writer}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        });
        expect({ path, ok: [200, 201].includes(res.status) }).toEqual({
          path,
          ok: true,
        });
      };
      const lineItem = (id: string, cls: string, category: string) =>
        put(`/lineItems/${id}`, {
          lineItem: {
            title: id,
            class: { sourcedId: cls },
            category: { sourcedId: category },
            assignDate: '2026-09-14T09:00:00Z',
            dueDate: '2026-09-21T16:00:00Z',
          },
        });

      beforeAll(async () => {
        writer = await api.issuer.token({
          school_ids: [schoolA.id],
          scope: [
            ONEROSTER_SCOPES.gradebookRead,
            ONEROSTER_SCOPES.gradebookCreatePut,
          ].join(' '),
        });
        const rows = (await db.query(
          "SELECT sourced_id FROM classes WHERE school_id = ? AND status = 'active' ORDER BY sourced_id LIMIT 2",
          [schoolA.id],
        )) as { sourced_id: string }[];
        [classX, classY] = rows.map((r) => r.sourced_id);
        for (const id of ['cat-x', 'cat-y', 'cat-free'])
          await put(`/categories/${id}`, { category: { title: id } });
        await lineItem('li-cat-x', classX, 'cat-x');
        await lineItem('li-cat-y', classY, 'cat-y');
      });

      it('answers the categories the class uses plus the school categories no class uses', async () => {
        const r = await get(
          `/classes/${classX}/categories?limit=10000`,
          writer,
        );
        expect(r.status).toBe(200);
        const got = list(r.body, 'categories').map((c) => c.sourcedId);
        expect(got).toContain('cat-x');
        expect(got).toContain('cat-free');
        expect(got).not.toContain('cat-y');
        // The same rule, said in SQL over the whole school.
        const expected = (
          (await db.query(
            `SELECT k.sourced_id AS id FROM categories k WHERE k.school_id = ? AND k.status = 'active' AND (
               EXISTS (SELECT 1 FROM line_items l WHERE l.school_id = k.school_id AND l.category_sourced_id = k.sourced_id AND l.class_sourced_id = ? AND l.status = 'active')
               OR NOT EXISTS (SELECT 1 FROM line_items l WHERE l.school_id = k.school_id AND l.category_sourced_id = k.sourced_id AND l.status = 'active'))`,
            [schoolA.id, classX],
          )) as { id: string }[]
        )
          .map((x) => x.id)
          .sort();
        expect([...got].sort()).toEqual(expected);
        expect(r.headers.get('x-total-count')).toBe(String(expected.length));
        const y = await get(`/classes/${classY}/categories`, writer);
        expect(list(y.body, 'categories').map((c) => c.sourcedId)).toContain(
          'cat-y',
        );
      });

      it('takes the collection parameters (filter, fields)', async () => {
        const r = await get(
          `/classes/${classX}/categories?fields=sourcedId,title&filter=${enc("title='cat-x'")}`,
          writer,
        );
        expect(r.status).toBe(200);
        expect(list(r.body, 'categories')).toEqual([
          { sourcedId: 'cat-x', title: 'cat-x' },
        ]);
      });

      it('answers 404 for an unknown class or another school’s class, as the other class routes do', async () => {
        const other = await one(
          'SELECT sourced_id FROM classes WHERE school_id = ? AND sourced_id NOT IN (SELECT sourced_id FROM classes WHERE school_id = ?) LIMIT 1',
          [api.plan.schools[1].schoolId, schoolA.id],
        );
        for (const id of ['no-such-class', other]) {
          const r = await get(`/classes/${id}/categories`, writer);
          const lineItems = await get(`/classes/${id}/lineItems`, writer);
          expect({ id, status: r.status }).toEqual({ id, status: 404 });
          expect(lineItems.status).toBe(404);
          expect(minor(r.body)).toBe('unknownobject');
        }
      });

      it('needs the gradebook read scope', async () => {
        const rosterOnly = await api.issuer.token({
          school_ids: [schoolA.id],
          scope: ONEROSTER_SCOPES.roster,
        });
        const r = await get(`/classes/${classX}/categories`, rosterOnly);
        expect(r.status).toBe(403);
        expect(minor(r.body)).toBe('forbidden');
      });
    });

    describe('courses of a school', () => {
      it('lists the courses of the school and the district courses its classes use', async () => {
        const district = await one(
          'SELECT parent_sourced_id FROM orgs WHERE school_id = ? AND sourced_id = ?',
          [schoolA.id, schoolA.org],
        );
        expect(district).not.toBe('');
        const used = await one(
          "SELECT c.course_sourced_id FROM classes c WHERE c.school_id = ? AND c.school_sourced_id = ? AND c.status = 'active' ORDER BY c.course_sourced_id LIMIT 1",
          [schoolA.id, schoolA.org],
        );
        // The district keeps the catalogue: one course the school's classes use, one no
        // class of the school uses.
        const unused = 'course-district-only';
        await db.query(
          'UPDATE courses SET org_sourced_id = ? WHERE school_id = ? AND sourced_id = ?',
          [district, schoolA.id, used],
        );
        await db.query(
          `INSERT INTO courses (school_id, sourced_id, status, date_last_modified, title, course_code, org_sourced_id)
           SELECT school_id, ?, status, date_last_modified, 'District only', '', ? FROM courses WHERE school_id = ? AND sourced_id = ?`,
          [unused, district, schoolA.id, used],
        );
        const r = await get(`/schools/${schoolA.org}/courses?limit=10000`);
        expect(r.status).toBe(200);
        const got = list(r.body, 'courses').map((c) => c.sourcedId);
        expect(got).toContain(used);
        expect(got).not.toContain(unused);
        const expected = (
          (await db.query(
            `SELECT k.sourced_id AS id FROM courses k WHERE k.school_id = ? AND (k.org_sourced_id = ?
               OR EXISTS (SELECT 1 FROM classes c WHERE c.school_id = k.school_id AND c.course_sourced_id = k.sourced_id AND c.school_sourced_id = ? AND c.status = 'active'))`,
            [schoolA.id, schoolA.org, schoolA.org],
          )) as { id: string }[]
        )
          .map((x) => x.id)
          .sort();
        expect([...got].sort()).toEqual(expected);
        // The course still names its real org.
        const course = list(r.body, 'courses').find(
          (c) => c.sourcedId === used,
        );
        expect((course?.['org'] as Json)['sourcedId']).toBe(district);
        // And the district's course is listed once, however many classes use it.
        expect(got.filter((id) => id === used)).toHaveLength(1);
      });
    });

    describe('orgs a school-bound client sees', () => {
      let schoolB: { id: string; org: string };
      let teacher: string;

      /** Copies a row of another tenant into school A's tenant, as the CSV importer does. */
      const copyInto = async (table: string, where: Json, changes: Json) => {
        const keys = Object.keys(where);
        const rows = (await db.query(
          `SELECT * FROM ${table} WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')}`,
          Object.values(where),
        )) as Json[];
        expect(rows).toHaveLength(1);
        const row = { ...rows[0], ...changes };
        const cols = Object.keys(row);
        await db.query(
          `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
          Object.values(row),
        );
      };

      beforeAll(async () => {
        const b = api.plan.schools[1];
        schoolB = { id: b.schoolId, org: b.orgSourcedId };
        teacher = await one(
          "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'teacher' ORDER BY sourced_id LIMIT 1",
          [schoolA.id],
        );
        // A teacher of school A also works at school B: the import copies school B's org
        // into school A's data and names it in the teacher's orgs.
        await copyInto(
          'orgs',
          { school_id: schoolB.id, sourced_id: schoolB.org },
          { school_id: schoolA.id },
        );
        await copyInto(
          'user_orgs',
          {
            school_id: schoolA.id,
            user_sourced_id: teacher,
            org_sourced_id: schoolA.org,
          },
          { org_sourced_id: schoolB.org },
        );
      });

      it('lists its own school and its ancestors under /orgs and /schools, never another school', async () => {
        const orgs = list((await get('/orgs?limit=10000')).body, 'orgs').map(
          (o) => o.sourcedId,
        );
        expect([...orgs].sort()).toEqual(
          [schoolA.org, api.plan.trustSourcedId].sort(),
        );
        const schools = list((await get('/schools')).body, 'orgs').map(
          (o) => o.sourcedId,
        );
        expect(schools).toEqual([schoolA.org]);
        const filtered = await get(
          `/orgs?filter=${enc(`sourcedId='${schoolB.org}'`)}`,
        );
        expect(list(filtered.body, 'orgs')).toEqual([]);
        expect(filtered.headers.get('x-total-count')).toBe('0');
      });

      it('answers 404 for the other school under /orgs/{id}, /schools/{id} and its relationship routes', async () => {
        for (const path of [
          `/orgs/${schoolB.org}`,
          `/schools/${schoolB.org}`,
          `/schools/${schoolB.org}/classes`,
          `/schools/${schoolB.org}/teachers`,
        ]) {
          const r = await get(path);
          expect({ path, status: r.status }).toEqual({ path, status: 404 });
        }
        expect((await get(`/orgs/${api.plan.trustSourcedId}`)).status).toBe(
          200,
        );
        expect((await get(`/schools/${schoolA.org}`)).status).toBe(200);
      });

      it('keeps the reference to the other school as a GUIDRef', async () => {
        const r = await get(`/users/${teacher}`);
        expect(r.status).toBe(200);
        const refs = (r.body['user'] as Json)['orgs'] as Json[];
        expect(refs).toContainEqual({
          href: `http://api.test${BASE}/orgs/${schoolB.org}`,
          sourcedId: schoolB.org,
          type: 'org',
        });
      });

      it('lists each school once for a token of both schools', async () => {
        const both = await api.issuer.token({
          school_ids: [schoolA.id, schoolB.id],
        });
        const schools = list((await get('/schools', both)).body, 'orgs').map(
          (o) => o.sourcedId,
        );
        expect([...schools].sort()).toEqual([schoolA.org, schoolB.org].sort());
      });
    });

    describe('filter operators', () => {
      it.each([
        "familyName=='x'",
        "familyName=<'x'",
        "familyName=>'x'",
        "familyName==='x'",
        "familyName~~'x'",
        "familyName<>'x'",
        "familyName= ='x'",
        "status='active' AND familyName=='x'",
      ])(
        'answers a doubled or unknown operator (%s) as the other malformed filters: 400 invaliddata',
        async (f) => {
          const malformed = await get(`/users?filter=${enc("familyName'x'")}`);
          const r = await get(`/users?filter=${enc(f)}`);
          expect(r.status).toBe(400);
          expect(r.status).toBe(malformed.status);
          expect(minor(r.body)).toBe('invaliddata');
          expect(r.body).toMatchObject({
            imsx_codeMajor: malformed.body['imsx_codeMajor'],
            imsx_severity: malformed.body['imsx_severity'],
          });
          expect(String(r.body['imsx_description'])).toMatch(
            /unknown operator/,
          );
          expect(r.body).not.toHaveProperty('users');
        },
      );

      it('still reads every legal predicate', async () => {
        for (const p of ['=', '!=', '>', '>=', '<', '<=', '~']) {
          const r = await get(
            `/users?limit=1&filter=${enc(`familyName${p}'M'`)}`,
          );
          expect({ p, status: r.status }).toEqual({ p, status: 200 });
        }
      });
    });
  },
);
