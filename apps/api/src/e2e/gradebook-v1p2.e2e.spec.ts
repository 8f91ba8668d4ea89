import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES, ONEROSTER_V1P2_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { TestApi, startTestApi } from './support';

/*
 * The OneRoster 1.2 gradebook and resources services (/ims/oneroster/{gradebook,resources}/v1p2):
 * Google Classroom's 1.2 grade sync (categories of the class, PUT a line item, edit it, PUT
 * results, list them, DELETE), written through the 1.1 writer and read back as 1.2; the 1.2
 * and counterpart 1.1 scopes; other schools' objects 404; what nothing stores answers 501.
 */
const GB = '/ims/oneroster/gradebook/v1p2';
const RS = '/ims/oneroster/resources/v1p2';
type Json = Record<string, unknown>;

const parse = (text: string): Json => {
  try {
    return text ? (JSON.parse(text) as Json) : {};
  } catch {
    return { raw: text };
  }
};

describe.each(testEngines('api_e2e_gb_v1p2', { sqliteFile: true }))(
  'OneRoster 1.2 gradebook and resources API on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let token: string;
    let schoolA: { id: string; org: string };
    let schoolB: string;
    const ids: Record<string, string> = {};
    const S2 = ONEROSTER_V1P2_SCOPES;
    const S1 = ONEROSTER_SCOPES;

    async function call(
      method: string,
      path: string,
      body?: unknown,
      t: string | null = token,
    ) {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          ...(t ? { authorization: `Bearer ${t}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: res.status,
        text: await res
          .clone()
          .text()
          .catch(() => ''),
        body: parse(await res.text().catch(() => '')),
      };
    }
    const minor = (b: Json) =>
      (
        b['imsx_CodeMinor'] as {
          imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
        }
      ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;
    const one = async (sql: string, params: unknown[] = []) => {
      const rows = (await db.query(sql, params)) as Record<string, unknown>[];
      return rows[0] ? String(Object.values(rows[0])[0]) : '';
    };
    const tokenWith = (...scopes: string[]) =>
      api.issuer.token({ school_ids: [schoolA.id], scope: scopes.join(' ') });

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      schoolA = {
        id: api.plan.schools[0].schoolId,
        org: api.plan.schools[0].orgSourcedId,
      };
      schoolB = api.plan.schools[1].schoolId;
      token = await tokenWith(
        S2.gradebookRead,
        S2.gradebookCreatePut,
        S2.gradebookDelete,
        S2.resource,
      );
      ids['class'] = await one(
        "SELECT sourced_id FROM classes WHERE school_id = ? AND class_type = 'scheduled' ORDER BY sourced_id LIMIT 1",
        [schoolA.id],
      );
      ids['student'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'student' ORDER BY user_sourced_id LIMIT 1",
        [schoolA.id, ids['class']],
      );
      ids['student2'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'student' ORDER BY user_sourced_id DESC LIMIT 1",
        [schoolA.id, ids['class']],
      );
      ids['classB'] = await one(
        'SELECT sourced_id FROM classes WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB],
      );
      ids['lineItemB'] = await one(
        'SELECT sourced_id FROM line_items WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB],
      );
      ids['resource'] = await one(
        'SELECT sourced_id FROM resources WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolA.id],
      );
      ids['resourceB'] = await one(
        'SELECT sourced_id FROM resources WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB],
      );
      for (const k of Object.keys(ids))
        expect([k, ids[k]]).not.toEqual([k, '']);
      expect(ids['student']).not.toBe(ids['student2']);
    }, 120_000);

    afterAll(async () => {
      await db?.destroy();
      await api?.close();
    });

    it('runs Google Classroom’s 1.2 grade sync: categories, PUT and edit a line item, PUT results, list, DELETE', async () => {
      const cats = await call(
        'GET',
        `${GB}/classes/${ids['class']}/categories`,
      );
      expect(cats.status).toBe(200);
      const categories = cats.body['categories'] as Json[];
      expect(categories.length).toBeGreaterThan(0);
      const category = String(categories[0]['sourcedId']);

      const li = `li-v1p2-${engine.name}`;
      const lineItem = {
        sourcedId: li,
        status: 'active',
        title: 'Essay',
        assignDate: '2026-09-14T09:00:00Z',
        dueDate: '2026-09-21T09:00:00Z',
        class: { sourcedId: ids['class'], type: 'class' },
        school: { sourcedId: schoolA.org, type: 'org' },
        category: { sourcedId: category, type: 'category' },
        resultValueMin: 0,
        resultValueMax: 10,
      };
      const created = await call('PUT', `${GB}/lineItems/${li}`, { lineItem });
      expect({ status: created.status, text: created.text }).toEqual({
        status: 201,
        text: '',
      });
      const edited = await call('PUT', `${GB}/lineItems/${li}`, {
        lineItem: { ...lineItem, title: 'Essay (revised)' },
      });
      expect(edited.status).toBe(200);
      const read = await call('GET', `${GB}/lineItems/${li}`);
      expect(read.status).toBe(200);
      expect(read.body['lineItem']).toMatchObject({
        sourcedId: li,
        title: 'Essay (revised)',
        resultValueMax: 10,
        class: { sourcedId: ids['class'], type: 'class' },
        school: { sourcedId: schoolA.org, type: 'org' },
        category: { sourcedId: category, type: 'category' },
      });
      expect(
        String(
          (read.body['lineItem'] as { class: { href: string } }).class.href,
        ),
      ).toContain(`/ims/oneroster/rostering/v1p2/classes/${ids['class']}`);

      const above = `res-v1p2-a-${engine.name}`;
      const exempt = `res-v1p2-e-${engine.name}`;
      const r1 = await call('PUT', `${GB}/results/${above}`, {
        result: {
          sourcedId: above,
          status: 'active',
          lineItem: { sourcedId: li, type: 'lineItem' },
          student: { sourcedId: ids['student'], type: 'user' },
          scoreStatus: 'fully graded',
          score: 12,
          scoreDate: '2026-09-22',
          comment: 'Extra credit',
        },
      });
      expect(r1.status).toBe(201);
      const r2 = await call('PUT', `${GB}/results/${exempt}`, {
        result: {
          sourcedId: exempt,
          status: 'active',
          lineItem: { sourcedId: li, type: 'lineItem' },
          student: { sourcedId: ids['student2'], type: 'user' },
          scoreStatus: 'exempt',
          scoreDate: '2026-09-22',
        },
      });
      expect(r2.status).toBe(201);

      const results = await call(
        'GET',
        `${GB}/classes/${ids['class']}/lineItems/${li}/results?sort=sourcedId`,
      );
      expect(results.status).toBe(200);
      const got = results.body['results'] as Json[];
      expect(
        got.map((r) => [r['sourcedId'], r['scoreStatus'], r['score']]),
      ).toEqual([
        [above, 'fully graded', 12],
        [exempt, 'exempt', 0],
      ]);
      expect(got[0]).toMatchObject({
        class: { sourcedId: ids['class'], type: 'class' },
        lineItem: { sourcedId: li, type: 'lineItem' },
        student: { sourcedId: ids['student'], type: 'user' },
      });
      // The same objects through 1.1.
      const v1p1 = await call(
        'GET',
        `/ims/oneroster/v1p1/results/${above}`,
        undefined,
        await tokenWith(S1.gradebookRead),
      );
      expect(v1p1.body['result']).toMatchObject({ score: 12 });

      const delResult = await call('DELETE', `${GB}/results/${above}`);
      expect({ status: delResult.status, text: delResult.text }).toEqual({
        status: 204,
        text: '',
      });
      expect((await call('GET', `${GB}/results/${above}`)).status).toBe(404);
      expect((await call('DELETE', `${GB}/lineItems/${li}`)).status).toBe(204);
      const gone = await call('GET', `${GB}/lineItems/${li}`);
      expect({ status: gone.status, minor: minor(gone.body) }).toEqual({
        status: 404,
        minor: 'unknownobject',
      });
      expect((await call('GET', `${GB}/results/${exempt}`)).status).toBe(404);
      const after = await call(
        'GET',
        `${GB}/classes/${ids['class']}/lineItems`,
      );
      expect(
        (after.body['lineItems'] as Json[]).map((l) => l['sourcedId']),
      ).not.toContain(li);
    });

    it('refuses a 1.2 value 1.1 cannot hold (an ext: scoreStatus) with a 422 naming the field', async () => {
      const bad = await call('PUT', `${GB}/results/res-v1p2-bad`, {
        result: {
          lineItem: { sourcedId: 'nope' },
          student: { sourcedId: ids['student'] },
          scoreStatus: 'ext:late',
        },
      });
      expect(bad.status).toBe(422);
      expect(minor(bad.body)).toBe('invaliddata');
      expect(String(bad.body['imsx_description'])).toContain('scoreStatus');
    });

    it('answers malformed 1.2 bodies with a 4xx 1.2 payload, never a 500', async () => {
      const bodies: [string, unknown][] = [
        ['lineItems', null],
        ['lineItems', []],
        ['lineItems', 'text'],
        ['lineItems', { lineItem: [] }],
        ['lineItems', { lineItem: { title: 5, class: 'x' } }],
        ['lineItems', { lineItem: { title: 'T', class: 5, school: [] } }],
        ['lineItems', { lineItem: { title: 'T', class: { sourcedId: 7 } } }],
        [
          'lineItems',
          {
            lineItem: {
              title: 'T',
              class: { sourcedId: ids['class'] },
              resultValueMax: 'x',
              assignDate: 'soon',
            },
          },
        ],
        [
          'lineItems',
          {
            lineItem: {
              sourcedId: 'other',
              title: 'T',
              class: { sourcedId: ids['class'] },
            },
          },
        ],
        [
          'results',
          {
            result: {
              lineItem: 'x',
              student: {},
              scoreStatus: 'fully graded',
              score: 'abc',
              textScore: 5,
            },
          },
        ],
        [
          'results',
          { result: { status: 'nope', scoreStatus: 7, inProgress: 'maybe' } },
        ],
        ['categories', { category: { title: ['x'], weight: 'heavy' } }],
      ];
      for (const [collection, body] of bodies) {
        const r = await call('PUT', `${GB}/${collection}/bad-v1p2`, body);
        expect([collection, body, r.status >= 400 && r.status < 500]).toEqual([
          collection,
          body,
          true,
        ]);
        expect(r.body).toMatchObject({
          imsx_codeMajor: 'failure',
          imsx_severity: 'error',
        });
        expect(r.body).not.toHaveProperty('imsx_messageRefIdentifier');
      }
    });

    it('accepts the 1.2 scopes and their 1.1 counterparts, and refuses others', async () => {
      const path = `${GB}/classes/${ids['class']}/lineItems`;
      for (const scope of [S2.gradebookRead, S1.gradebookRead])
        expect(
          (await call('GET', path, undefined, await tokenWith(scope))).status,
        ).toBe(200);
      const core = await tokenWith(S2.gradebookCore);
      expect(
        (await call('GET', `${GB}/lineItems`, undefined, core)).status,
      ).toBe(200);
      expect((await call('GET', path, undefined, core)).status).toBe(403);
      const roster = await tokenWith(S2.roster);
      expect(
        (await call('GET', `${GB}/lineItems`, undefined, roster)).status,
      ).toBe(403);
      const readOnly = await tokenWith(S1.gradebookRead);
      expect(
        (await call('PUT', `${GB}/lineItems/li-x`, { lineItem: {} }, readOnly))
          .status,
      ).toBe(403);
      expect(
        (await call('DELETE', `${GB}/lineItems/li-x`, undefined, readOnly))
          .status,
      ).toBe(403);
      const v1p1Write = await tokenWith(S1.gradebookCreatePut);
      const put = await call(
        'PUT',
        `${GB}/categories/cat-v1p2-${engine.name}`,
        { category: { title: 'Projects', weight: 0.3 } },
        v1p1Write,
      );
      expect(put.status).toBe(201);
    });

    it('answers 404 for another school’s objects and parents', async () => {
      for (const path of [
        `${GB}/lineItems/${ids['lineItemB']}`,
        `${GB}/classes/${ids['classB']}/lineItems`,
        `${GB}/classes/${ids['classB']}/categories`,
        `${GB}/classes/${ids['class']}/lineItems/${ids['lineItemB']}/results`,
        `${RS}/resources/${ids['resourceB']}`,
        `${RS}/classes/${ids['classB']}/resources`,
      ]) {
        const r = await call('GET', path);
        expect([path, r.status, minor(r.body)]).toEqual([
          path,
          404,
          'unknownobject',
        ]);
      }
      const del = await call('DELETE', `${GB}/lineItems/${ids['lineItemB']}`);
      expect(del.status).toBe(404);
    });

    it('answers 501 unsupported for score scales and POSTs, never 500; assessments need a scope no school approves yet', async () => {
      const t = await tokenWith(
        S2.gradebookRead,
        S2.gradebookCreatePut,
        S2.gradebookCreatePost,
        S2.assessmentRead,
        S2.resource,
      );
      for (const [method, path] of [
        ['GET', `${GB}/scoreScales`],
        ['GET', `${GB}/scoreScales/x`],
        ['GET', `${GB}/classes/${ids['class']}/scoreScales`],
        ['PUT', `${GB}/scoreScales/x`],
        ['POST', `${GB}/classes/${ids['class']}/lineItems`],
        ['GET', `${RS}/users/${ids['student']}/resources`],
      ]) {
        const r = await call(
          method,
          path,
          method === 'GET' ? undefined : {},
          t,
        );
        expect([
          path,
          r.status,
          r.body['imsx_codeMajor'],
          r.body['imsx_severity'],
        ]).toEqual([path, 501, 'unsupported', 'error']);
      }
      // assessment.* have no 1.1 counterpart, and approvals are of 1.1 scopes today.
      const a = await call('GET', `${GB}/assessmentLineItems`, undefined, t);
      expect([a.status, minor(a.body)]).toEqual([403, 'forbidden']);
    });

    it('reads resources as 1.2', async () => {
      const all = await call('GET', `${RS}/resources`);
      expect(all.status).toBe(200);
      const total = Number(
        await one('SELECT COUNT(*) FROM resources WHERE school_id = ?', [
          schoolA.id,
        ]),
      );
      expect((all.body['resources'] as Json[]).length).toBe(
        Math.min(total, 100),
      );
      const single = await call(
        'GET',
        `${RS}/resources/${ids['resource']}?fields=sourcedId,vendorResourceId`,
      );
      expect(single.status).toBe(200);
      expect(Object.keys(single.body['resource'] as Json).sort()).toEqual([
        'sourcedId',
        'vendorResourceId',
      ]);
      const bad = await call('GET', `${RS}/resources?fields=nope`);
      expect([bad.status, minor(bad.body)]).toEqual([
        400,
        'invalid_selection_field',
      ]);
      const v1p1 = await tokenWith(S1.resource);
      expect(
        (await call('GET', `${RS}/resources`, undefined, v1p1)).status,
      ).toBe(200);
    });
  },
);
