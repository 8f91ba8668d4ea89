import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CsvImportService } from '@oneroster/data-access-csv';
import { ONEROSTER_SCOPES, ONEROSTER_V1P2_SCOPES } from '@oneroster/contracts';
import { encodeInstant, openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import {
  V1P2_CSV_FILES,
  V1P2_CSV_HEADERS,
} from '@oneroster/util-oneroster-csv';
import { TestApi, approveTestClient, startTestApi } from './support';

/*
 * The OneRoster 1.2 gradebook and resources services (/ims/oneroster/{gradebook,resources}/v1p2):
 * Google Classroom's 1.2 grade sync (categories of the class, PUT a line item, edit it, PUT
 * results, list them, DELETE), written through the 1.1 writer and read back as 1.2; score
 * scales, assessment line items and results stored as 1.2; the 1.2 and counterpart 1.1
 * scopes, the assessment scopes once a school approves them; other schools' objects 404;
 * a user's resources read from the links userResources.csv imports (the POSTs:
 * gradebook-v1p2-post.e2e.spec.ts).
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
        headers: res.headers,
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

    it('stores the 1.2-only gradebook fields (weight, scoreScale, textScore, the result flags), checks them, and a 1.1 PUT clears them', async () => {
      const ss = `ss-fields-${engine.name}`;
      expect(
        (
          await call('PUT', `${GB}/scoreScales/${ss}`, {
            scoreScale: {
              title: 'Essay letters',
              type: 'letter',
              class: { sourcedId: ids['class'] },
              scoreScaleValue: [{ itemValueLHS: 'A', itemValueRHS: '90-100' }],
            },
          })
        ).status,
      ).toBe(201);
      // A score scale of another school is not one this line item can name.
      const ssB = `ss-fields-b-${engine.name}`;
      const tokenB = await api.issuer.token({
        school_ids: [schoolB],
        scope: S2.gradebookCreatePut,
      });
      expect(
        (
          await call(
            'PUT',
            `${GB}/scoreScales/${ssB}`,
            {
              scoreScale: {
                title: 'B',
                type: 'letter',
                class: { sourcedId: ids['classB'] },
                scoreScaleValue: [{ itemValueLHS: 'A', itemValueRHS: 'x' }],
              },
            },
            tokenB,
          )
        ).status,
      ).toBe(201);

      const cat = `cat-fields-${engine.name}`;
      expect(
        (
          await call('PUT', `${GB}/categories/${cat}`, {
            category: { title: 'Weighted', weight: 0.4 },
          })
        ).status,
      ).toBe(201);
      const li = `li-fields-${engine.name}`;
      const lineItem = {
        title: 'Scaled essay',
        assignDate: '2026-09-14T09:00:00Z',
        dueDate: '2026-09-21T09:00:00Z',
        class: { sourcedId: ids['class'] },
        school: { sourcedId: schoolA.org },
        category: { sourcedId: cat },
        scoreScale: { sourcedId: ss, type: 'scoreScale' },
      };
      expect(
        (await call('PUT', `${GB}/lineItems/${li}`, { lineItem })).status,
      ).toBe(201);
      const res = `res-fields-${engine.name}`;
      const result = {
        lineItem: { sourcedId: li },
        student: { sourcedId: ids['student'] },
        scoreStatus: 'partially graded',
        score: 7,
        scoreDate: '2026-09-22',
        scoreScale: { sourcedId: ss },
        textScore: 'B+',
        inProgress: 'true',
        incomplete: 'false',
        late: 'true',
        missing: 'false',
      };
      expect(
        (await call('PUT', `${GB}/results/${res}`, { result })).status,
      ).toBe(201);

      const c = await call('GET', `${GB}/categories/${cat}`);
      expect(c.body['category']).toMatchObject({
        title: 'Weighted',
        weight: 0.4,
      });
      const l = await call('GET', `${GB}/lineItems/${li}`);
      expect(l.body['lineItem']).toMatchObject({
        scoreScale: { sourcedId: ss, type: 'scoreScale' },
      });
      expect(
        (l.body['lineItem'] as { scoreScale: { href: string } }).scoreScale
          .href,
      ).toMatch(new RegExp(`/ims/oneroster/gradebook/v1p2/scoreScales/${ss}$`));
      const r = await call(
        'GET',
        `${GB}/classes/${ids['class']}/lineItems/${li}/results`,
      );
      expect((r.body['results'] as Json[])[0]).toMatchObject({
        sourcedId: res,
        scoreScale: { sourcedId: ss, type: 'scoreScale' },
        textScore: 'B+',
        inProgress: 'true',
        incomplete: 'false',
        late: 'true',
        missing: 'false',
      });
      // Filterable under their 1.2 names, string booleans compared as strings.
      const q = (f: string) => encodeURIComponent(f);
      for (const [path, key, filter] of [
        ['results', 'results', `late='true' AND textScore='B+'`],
        ['results', 'results', `scoreScale.sourcedId='${ss}'`],
        ['lineItems', 'lineItems', `scoreScale.sourcedId='${ss}'`],
        ['categories', 'categories', `weight>'0.3' AND title='Weighted'`],
      ]) {
        const f = await call('GET', `${GB}/${path}?filter=${q(filter)}`);
        expect([
          filter,
          f.status,
          (f.body[key] as Json[]).map((x) => x['sourcedId']),
        ]).toEqual([
          filter,
          200,
          [path === 'results' ? res : path === 'lineItems' ? li : cat],
        ]);
      }
      const none = await call(
        'GET',
        `${GB}/results?filter=${q(`late='false' AND textScore='B+'`)}`,
      );
      expect(none.body['results']).toEqual([]);
      // 1.1 serves none of them.
      const v1p1Token = await tokenWith(
        S1.gradebookRead,
        S1.gradebookCreatePut,
      );
      const r11 = await call(
        'GET',
        `/ims/oneroster/v1p1/results/${res}`,
        undefined,
        v1p1Token,
      );
      for (const k of ['textScore', 'inProgress', 'scoreScale', 'late'])
        expect(r11.body['result']).not.toHaveProperty(k);
      const c11 = await call(
        'GET',
        `/ims/oneroster/v1p1/categories/${cat}`,
        undefined,
        v1p1Token,
      );
      expect(c11.body['category']).not.toHaveProperty('weight');

      // Checked: every problem named, nothing written.
      const refused: [string, Json, string][] = [
        [
          `lineItems/${li}`,
          { lineItem: { ...lineItem, scoreScale: { sourcedId: 'nope' } } },
          'lineItem.scoreScale: score scale nope does not exist in this school',
        ],
        [
          `results/${res}`,
          { result: { ...result, scoreScale: { sourcedId: ssB } } },
          `result.scoreScale: score scale ${ssB} does not exist in this school`,
        ],
        [
          `results/${res}`,
          { result: { ...result, scoreScale: { sourcedId: 5 } } },
          'scoreScale: must be a GUIDRef with a sourcedId',
        ],
        [
          `results/${res}`,
          { result: { ...result, late: 'yes' } },
          'late: must be "true" or "false"',
        ],
        [
          `results/${res}`,
          { result: { ...result, textScore: 5 } },
          'result.textScore: must be a string',
        ],
        [
          `categories/${cat}`,
          { category: { title: 'W', weight: 'heavy' } },
          'category.weight: must be a number',
        ],
      ];
      for (const [path, body, says] of refused) {
        const bad = await call('PUT', `${GB}/${path}`, body);
        expect([path, bad.status, minor(bad.body)]).toEqual([
          path,
          422,
          'invaliddata',
        ]);
        expect(String(bad.body['imsx_description'])).toContain(says);
      }
      expect(
        ((await call('GET', `${GB}/results/${res}`)).body['result'] as Json)[
          'textScore'
        ],
      ).toBe('B+');

      // A 1.1 PUT replaces the object as 1.1 sees it: the 1.2-only fields are cleared.
      const put11 = await call(
        'PUT',
        `/ims/oneroster/v1p1/results/${res}`,
        { result: r11.body['result'] },
        v1p1Token,
      );
      expect(put11.status).toBeLessThan(300);
      const after = (await call('GET', `${GB}/results/${res}`)).body[
        'result'
      ] as Json;
      for (const k of [
        'scoreScale',
        'textScore',
        'inProgress',
        'incomplete',
        'late',
        'missing',
      ])
        expect(after).not.toHaveProperty(k);
      expect(after).toMatchObject({
        score: 7,
        scoreStatus: 'partially graded',
      });
      const put11c = await call(
        'PUT',
        `/ims/oneroster/v1p1/categories/${cat}`,
        { category: c11.body['category'] },
        v1p1Token,
      );
      expect(put11c.status).toBeLessThan(300);
      expect(
        (await call('GET', `${GB}/categories/${cat}`)).body['category'],
      ).not.toHaveProperty('weight');
    });

    it("stores a line item's and a result's learningObjectiveSet whole (checked as the 1.2 schema says), serves it, refuses it as a filter, and a 1.1 PUT clears it", async () => {
      const cat = `cat-lo-${engine.name}`;
      expect(
        (
          await call('PUT', `${GB}/categories/${cat}`, {
            category: { title: 'Objectives' },
          })
        ).status,
      ).toBe(201);
      const li = `li-lo-${engine.name}`;
      const objectives = [
        { source: 'case', learningObjectiveIds: ['lo-a', 'lo-b'] },
        { source: '/mylist', learningObjectiveIds: ['x1'] },
      ];
      const lineItem = {
        title: 'Objectives essay',
        assignDate: '2026-09-14T09:00:00Z',
        dueDate: '2026-09-21T09:00:00Z',
        class: { sourcedId: ids['class'] },
        school: { sourcedId: schoolA.org },
        category: { sourcedId: cat },
        learningObjectiveSet: objectives,
      };
      expect(
        (await call('PUT', `${GB}/lineItems/${li}`, { lineItem })).status,
      ).toBe(201);
      const res = `res-lo-${engine.name}`;
      const scores = [
        {
          source: 'case',
          learningObjectiveResults: [
            { learningObjectiveId: 'lo-a', score: 3 },
            { learningObjectiveId: 'lo-b', textScore: 'met' },
          ],
        },
      ];
      const result = {
        lineItem: { sourcedId: li },
        student: { sourcedId: ids['student'] },
        scoreStatus: 'fully graded',
        score: 9,
        scoreDate: '2026-09-22',
        learningObjectiveSet: scores,
      };
      expect(
        (await call('PUT', `${GB}/results/${res}`, { result })).status,
      ).toBe(201);
      // Served as stored, in the object and in the collections.
      expect(
        (await call('GET', `${GB}/lineItems/${li}`)).body['lineItem'],
      ).toMatchObject({ learningObjectiveSet: objectives });
      const list = await call(
        'GET',
        `${GB}/classes/${ids['class']}/lineItems/${li}/results?fields=sourcedId,learningObjectiveSet`,
      );
      expect(list.body['results']).toEqual([
        { sourcedId: res, learningObjectiveSet: scores },
      ]);
      expect(
        await one(
          'SELECT learning_objective_set FROM line_items WHERE school_id = ? AND sourced_id = ?',
          [schoolA.id, li],
        ),
      ).toContain('lo-b');
      // A nested list: not filterable (nor sortable).
      for (const q of [
        "filter=learningObjectiveSet%3D'x'",
        "filter=learningObjectiveSet.source%3D'case'",
      ]) {
        const bad = await call('GET', `${GB}/results?${q}`);
        expect([q, bad.status, minor(bad.body)]).toEqual([
          q,
          400,
          'invalid_filter_field',
        ]);
      }
      // 1.1 serves neither.
      const v1p1Token = await tokenWith(
        S1.gradebookRead,
        S1.gradebookCreatePut,
      );
      const l11 = await call(
        'GET',
        `/ims/oneroster/v1p1/lineItems/${li}`,
        undefined,
        v1p1Token,
      );
      expect(l11.body['lineItem']).not.toHaveProperty('learningObjectiveSet');

      // Checked element by element: every problem named, nothing written.
      const refused: [string, Json, string[]][] = [
        [
          `lineItems/${li}`,
          {
            lineItem: { ...lineItem, learningObjectiveSet: { source: 'case' } },
          },
          ['lineItem.learningObjectiveSet: expected a list'],
        ],
        [
          `lineItems/${li}`,
          {
            lineItem: {
              ...lineItem,
              title: 5,
              learningObjectiveSet: [
                { source: 'nope', learningObjectiveIds: [] },
              ],
            },
          },
          [
            'lineItem.title: must be a string',
            'lineItem.learningObjectiveSet[0].source: "nope" is not one of',
            'lineItem.learningObjectiveSet[0].learningObjectiveIds: at least one element is required',
          ],
        ],
        [
          `results/${res}`,
          {
            result: {
              ...result,
              learningObjectiveSet: [
                {
                  source: 'unknown',
                  learningObjectiveResults: [{ score: 'high' }],
                },
              ],
            },
          },
          [
            'result.learningObjectiveSet[0].learningObjectiveResults[0].learningObjectiveId: required',
            'result.learningObjectiveSet[0].learningObjectiveResults[0].score: expected a number',
          ],
        ],
      ];
      for (const [path, body, says] of refused) {
        const bad = await call('PUT', `${GB}/${path}`, body);
        expect([path, bad.status, minor(bad.body)]).toEqual([
          path,
          422,
          'invaliddata',
        ]);
        for (const s of says)
          expect(String(bad.body['imsx_description'])).toContain(s);
      }
      expect(
        (await call('GET', `${GB}/lineItems/${li}`)).body['lineItem'],
      ).toMatchObject({
        title: 'Objectives essay',
        learningObjectiveSet: objectives,
      });

      // An empty list stores none.
      expect(
        (
          await call('PUT', `${GB}/results/${res}`, {
            result: { ...result, learningObjectiveSet: [] },
          })
        ).status,
      ).toBe(200);
      expect(
        (await call('GET', `${GB}/results/${res}`)).body['result'],
      ).not.toHaveProperty('learningObjectiveSet');

      // A 1.1 PUT replaces the object as 1.1 sees it: the set is cleared.
      const put11 = await call(
        'PUT',
        `/ims/oneroster/v1p1/lineItems/${li}`,
        { lineItem: l11.body['lineItem'] },
        v1p1Token,
      );
      expect(put11.status).toBeLessThan(300);
      expect(
        (await call('GET', `${GB}/lineItems/${li}`)).body['lineItem'],
      ).not.toHaveProperty('learningObjectiveSet');
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

    it('serves a user’s resources from the links of userResources.csv: 1.2 query rules, 404 for a user the caller cannot see', async () => {
      const [r1, r2, r3] = (
        (await db.query(
          "SELECT sourced_id AS id FROM resources WHERE school_id = ? AND status = 'active' ORDER BY sourced_id LIMIT 3",
          [schoolA.id],
        )) as { id: string }[]
      ).map((r) => r.id);
      expect(r3).toBeDefined();
      // The demo's links (a class's resource assigned to its students) are served.
      const demo = (await db.query(
        "SELECT user_sourced_id AS u, resource_sourced_id AS r FROM user_resources WHERE school_id = ? AND status = 'active' ORDER BY user_sourced_id, resource_sourced_id",
        [schoolA.id],
      )) as { u: string; r: string }[];
      expect(demo.length).toBeGreaterThan(0);
      const demoUser = demo[0].u;
      const demoList = await call('GET', `${RS}/users/${demoUser}/resources`);
      expect(
        (demoList.body['resources'] as Json[])
          .map((r) => r['sourcedId'])
          .sort(),
      ).toEqual(
        [
          ...new Set(demo.filter((d) => d.u === demoUser).map((d) => d.r)),
        ].sort(),
      );
      // Two students with no link yet.
      const [s1, s2] = (
        (await db.query(
          "SELECT DISTINCT e.user_sourced_id AS id FROM enrollments e WHERE e.school_id = ? AND e.role = 'student' AND NOT EXISTS (SELECT 1 FROM user_resources u WHERE u.school_id = e.school_id AND u.user_sourced_id = e.user_sourced_id) ORDER BY e.user_sourced_id LIMIT 2",
          [schoolA.id],
        )) as { id: string }[]
      ).map((r) => r.id);
      expect(s2).toBeDefined();
      const userB = await one(
        'SELECT u.sourced_id FROM users u WHERE u.school_id = ? AND NOT EXISTS (SELECT 1 FROM users v WHERE v.school_id = ? AND v.sourced_id = u.sourced_id) ORDER BY u.sourced_id LIMIT 1',
        [schoolB, schoolA.id],
      );
      // The links, imported into school A as a 1.2 delta set (a deleted one among them).
      const set = mkdtempSync(join(tmpdir(), 'or-user-resources-'));
      try {
        const when = '2026-10-01T08:00:00.000Z';
        const line = (cells: string[]) => cells.join(',') + '\n';
        writeFileSync(
          join(set, 'manifest.csv'),
          line(['propertyName', 'value']) +
            line(['manifest.version', '1.0']) +
            line(['oneroster.version', '1.2']) +
            V1P2_CSV_FILES.map((f) =>
              line([`file.${f}`, f === 'userResources' ? 'delta' : 'absent']),
            ).join(''),
        );
        const link = (id: string, user: string, res: string, st = 'active') =>
          line([id, st, when, user, '', '', res]);
        writeFileSync(
          join(set, 'userResources.csv'),
          line([...V1P2_CSV_HEADERS.userResources]) +
            link('ur-e2e-1', s1, r1) +
            link('ur-e2e-2', s1, r2) +
            link('ur-e2e-3', s1, r3, 'tobedeleted') +
            link('ur-e2e-4', s2, r3),
        );
        const report = await new CsvImportService(db).importSet(set, {
          schoolId: schoolA.id,
        });
        expect(report.errors).toEqual([]);
        expect(report.files.userResources).toMatchObject({ rows: 4 });
      } finally {
        rmSync(set, { recursive: true, force: true });
      }
      const path = `${RS}/users/${s1}/resources`;
      const list = await call('GET', path);
      expect(list.status).toBe(200);
      expect(list.headers.get('x-total-count')).toBe('2');
      const listed = list.body['resources'] as Json[];
      expect(listed.map((r) => r['sourcedId']).sort()).toEqual([r1, r2].sort());
      expect(listed[0]).toMatchObject({
        status: 'active',
        vendorResourceId: expect.any(String),
      });
      const other = await call('GET', `${RS}/users/${s2}/resources`);
      expect(
        (other.body['resources'] as Json[]).map((r) => r['sourcedId']),
      ).toEqual([r3]);
      // fields, filter, sort and paging as on the other resources routes.
      const fields = await call('GET', `${path}?fields=sourcedId`);
      expect(
        (fields.body['resources'] as Json[]).map((r) => Object.keys(r)),
      ).toEqual([['sourcedId'], ['sourcedId']]);
      const filtered = await call(
        'GET',
        `${path}?filter=${encodeURIComponent(`sourcedId='${r2}'`)}`,
      );
      expect(
        (filtered.body['resources'] as Json[]).map((r) => r['sourcedId']),
      ).toEqual([r2]);
      const page = await call(
        'GET',
        `${path}?sort=sourcedId&orderBy=desc&limit=1`,
      );
      expect(page.headers.get('x-total-count')).toBe('2');
      expect(page.headers.get('link')).toContain('rel="next"');
      expect(
        (page.body['resources'] as Json[]).map((r) => r['sourcedId']),
      ).toEqual([[r1, r2].sort()[1]]);
      const badField = await call('GET', `${path}?fields=nope`);
      expect([badField.status, minor(badField.body)]).toEqual([
        400,
        'invalid_selection_field',
      ]);
      const badFilter = await call('GET', `${path}?filter=nope%3D'x'`);
      expect([badFilter.status, minor(badFilter.body)]).toEqual([
        400,
        'invalid_filter_field',
      ]);
      // An unknown user, another school's user: 404.
      for (const user of ['no-such-user', userB]) {
        const r = await call('GET', `${RS}/users/${user}/resources`);
        expect([user, r.status, minor(r.body)]).toEqual([
          user,
          404,
          'unknownobject',
        ]);
      }
      // The checklist's scopes: the 1.2 resource scope or its 1.1 counterpart.
      const v1p1 = await tokenWith(S1.resource);
      expect((await call('GET', path, undefined, v1p1)).status).toBe(200);
      const gradebookOnly = await tokenWith(S2.gradebookRead);
      expect((await call('GET', path, undefined, gradebookOnly)).status).toBe(
        403,
      );
    });

    it('stores score scales: PUT creates then replaces, every read route, 422 naming problems, DELETE', async () => {
      const ss = `ss-v1p2-${engine.name}`;
      const scale = {
        title: 'Letter grades',
        type: 'letter',
        class: { sourcedId: ids['class'] },
        scoreScaleValue: [
          { itemValueLHS: 'A', itemValueRHS: '90-100' },
          { itemValueLHS: 'B', itemValueRHS: '80-89' },
        ],
      };
      const created = await call('PUT', `${GB}/scoreScales/${ss}`, {
        scoreScale: scale,
      });
      expect([created.status, created.text]).toEqual([201, '']);
      const replaced = await call('PUT', `${GB}/scoreScales/${ss}`, {
        scoreScale: { ...scale, title: 'Letters' },
      });
      expect([replaced.status, replaced.text]).toEqual([200, '']);

      const single = await call('GET', `${GB}/scoreScales/${ss}`);
      expect(single.status).toBe(200);
      expect(single.body['scoreScale']).toMatchObject({
        sourcedId: ss,
        status: 'active',
        title: 'Letters',
        type: 'letter',
        class: {
          sourcedId: ids['class'],
          type: 'class',
          href: expect.stringMatching(
            new RegExp(
              `/ims/oneroster/rostering/v1p2/classes/${ids['class']}$`,
            ),
          ),
        },
        scoreScaleValue: scale.scoreScaleValue,
      });
      const all = await call(
        'GET',
        `${GB}/scoreScales?filter=${encodeURIComponent(`title='Letters'`)}&fields=sourcedId,title&sort=title`,
      );
      expect(all.status).toBe(200);
      expect(all.body['scoreScales']).toEqual([
        { sourcedId: ss, title: 'Letters' },
      ]);
      const page = await call('GET', `${GB}/scoreScales?limit=1`);
      expect(page.status).toBe(200);
      expect((page.body['scoreScales'] as Json[]).length).toBe(1);
      const ofClass = await call(
        'GET',
        `${GB}/classes/${ids['class']}/scoreScales?filter=${encodeURIComponent(`class.sourcedId='${ids['class']}'`)}`,
      );
      expect(
        (ofClass.body['scoreScales'] as Json[]).map((x) => x['sourcedId']),
      ).toContain(ss);
      const ofSchool = await call(
        'GET',
        `${GB}/schools/${schoolA.org}/scoreScales`,
      );
      expect(ofSchool.status).toBe(200);
      expect(
        (ofSchool.body['scoreScales'] as Json[]).map((x) => x['sourcedId']),
      ).toContain(ss);
      const badField = await call(
        'GET',
        `${GB}/scoreScales?filter=${encodeURIComponent("scoreScaleValue='A'")}`,
      );
      expect([badField.status, minor(badField.body)]).toEqual([
        400,
        'invalid_filter_field',
      ]);

      const invalid = await call('PUT', `${GB}/scoreScales/${ss}-bad`, {
        scoreScale: {
          type: 7,
          class: { sourcedId: 'no-such-class' },
          scoreScaleValue: [],
        },
      });
      expect(invalid.status).toBe(422);
      const message = JSON.stringify(invalid.body);
      for (const name of [
        'scoreScale.title',
        'scoreScale.type',
        'scoreScale.scoreScaleValue',
      ])
        expect([name, message.includes(name)]).toEqual([name, true]);
      const unknownClass = await call('PUT', `${GB}/scoreScales/${ss}-bad`, {
        scoreScale: { ...scale, class: { sourcedId: ids['classB'] } },
      });
      expect(unknownClass.status).toBe(422);
      expect(
        await one('SELECT COUNT(*) FROM score_scales WHERE sourced_id = ?', [
          `${ss}-bad`,
        ]),
      ).toBe('0');

      // The change log records the 1.2 objects, as for line items.
      expect(
        await one(
          "SELECT COUNT(*) FROM gradebook_changes WHERE object_type = 'scoreScale' AND sourced_id = ?",
          [ss],
        ),
      ).toBe('2');

      const del = await call('DELETE', `${GB}/scoreScales/${ss}`);
      expect([del.status, del.text]).toEqual([204, '']);
      expect((await call('GET', `${GB}/scoreScales/${ss}`)).status).toBe(404);
      const listed = await call('GET', `${GB}/scoreScales`);
      expect(
        (listed.body['scoreScales'] as Json[]).map((x) => x['sourcedId']),
      ).not.toContain(ss);
      const delta = await call(
        'GET',
        `${GB}/scoreScales?filter=${encodeURIComponent("status='tobedeleted'")}`,
      );
      expect(
        (delta.body['scoreScales'] as Json[]).map((x) => x['sourcedId']),
      ).toContain(ss);
      expect((await call('DELETE', `${GB}/scoreScales/${ss}`)).status).toBe(
        404,
      );
    });

    it('stores assessment line items and results once a school approves the assessment scopes, and stops on revocation', async () => {
      const client = `v1p2-assessments-${engine.name}`;
      await approveTestClient(db, client);
      const assessToken = await api.issuer.token({
        client_id: client,
        sub: client,
        school_ids: [schoolA.id],
        scope: [
          S2.assessmentRead,
          S2.assessmentCreatePut,
          S2.assessmentDelete,
        ].join(' '),
      });
      const as = (method: string, path: string, body?: unknown) =>
        call(method, path, body, assessToken);
      const setApproval = (scopes: string[], status = 'approved') =>
        db.query(
          'UPDATE approvals SET scopes = ?, status = ? WHERE application_id = ? AND school_id = ?',
          [JSON.stringify(scopes), status, client, schoolA.id],
        );
      const within = async (probe: () => Promise<number>, want: number) => {
        let last = 0;
        for (let i = 0; i < 100; i++) {
          last = await probe();
          if (last === want) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        return last;
      };
      const probe = async () =>
        (await as('GET', `${GB}/assessmentLineItems`)).status;

      // Approved with the 1.1 scopes only: assessments have no 1.1 counterpart.
      expect(await probe()).toBe(403);
      await setApproval([
        ...Object.values(S1),
        S2.assessmentRead,
        S2.assessmentCreatePut,
        S2.assessmentDelete,
      ]);
      expect(await within(probe, 200)).toBe(200);

      const ali = `ali-v1p2-${engine.name}`;
      const ar = `ar-v1p2-${engine.name}`;
      const item = {
        title: 'Reading benchmark',
        class: { sourcedId: ids['class'] },
        resultValueMin: 0,
        resultValueMax: 50,
        learningObjectiveSet: [
          { source: 'case', learningObjectiveIds: ['lo-1'] },
        ],
      };
      expect(
        (
          await as('PUT', `${GB}/assessmentLineItems/${ali}`, {
            assessmentLineItem: item,
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await as('PUT', `${GB}/assessmentLineItems/${ali}`, {
            assessmentLineItem: { ...item, description: 'Autumn' },
          })
        ).status,
      ).toBe(200);
      const result = {
        assessmentLineItem: { sourcedId: ali },
        student: { sourcedId: ids['student'] },
        scoreStatus: 'fully graded',
        score: 42,
        scoreDate: '2026-10-01',
        late: 'true',
      };
      expect(
        (
          await as('PUT', `${GB}/assessmentResults/${ar}`, {
            assessmentResult: result,
          })
        ).status,
      ).toBe(201);
      expect(
        (await as('PUT', `${GB}/assessmentResults/${ar}`, result)).status,
      ).toBe(200);

      const gotItem = await as('GET', `${GB}/assessmentLineItems/${ali}`);
      expect(gotItem.body['assessmentLineItem']).toMatchObject({
        sourcedId: ali,
        title: 'Reading benchmark',
        description: 'Autumn',
        class: { sourcedId: ids['class'], type: 'class' },
        resultValueMax: 50,
        learningObjectiveSet: item.learningObjectiveSet,
      });
      const gotResult = await as(
        'GET',
        `${GB}/assessmentResults/${ar}?fields=sourcedId,score,late,assessmentLineItem`,
      );
      expect(gotResult.body['assessmentResult']).toEqual({
        sourcedId: ar,
        assessmentLineItem: {
          sourcedId: ali,
          type: 'assessmentLineItem',
          href: expect.stringMatching(
            new RegExp(`${GB}/assessmentLineItems/${ali}$`),
          ),
        },
        score: 42,
        late: 'true',
      });
      const items = await as(
        'GET',
        `${GB}/assessmentLineItems?filter=${encodeURIComponent(`class.sourcedId='${ids['class']}'`)}`,
      );
      expect(items.status).toBe(200);
      expect(
        (items.body['assessmentLineItems'] as Json[]).map(
          (x) => x['sourcedId'],
        ),
      ).toContain(ali);
      const results = await as(
        'GET',
        `${GB}/assessmentResults?filter=${encodeURIComponent(`score>'40' AND student.sourcedId='${ids['student']}'`)}&sort=score`,
      );
      expect(results.status).toBe(200);
      expect(
        (results.body['assessmentResults'] as Json[]).map(
          (x) => x['sourcedId'],
        ),
      ).toEqual([ar]);

      const bad = await as('PUT', `${GB}/assessmentResults/${ar}-bad`, {
        assessmentResult: {
          assessmentLineItem: { sourcedId: ali },
          student: { sourcedId: ids['student'] },
          scoreStatus: 'great',
          scoreDate: '2026-13-01',
          late: 'yes',
        },
      });
      expect(bad.status).toBe(422);
      for (const name of ['scoreStatus', 'scoreDate', 'late'])
        expect([
          name,
          JSON.stringify(bad.body).includes(`assessmentResult.${name}`),
        ]).toEqual([name, true]);
      const other = await as('GET', `${GB}/assessmentLineItems/${ali}-of-b`);
      expect(other.status).toBe(404);

      // Deleting the assessment line item deletes its results.
      expect(
        (await as('DELETE', `${GB}/assessmentLineItems/${ali}`)).status,
      ).toBe(204);
      expect((await as('GET', `${GB}/assessmentResults/${ar}`)).status).toBe(
        404,
      );
      expect((await as('DELETE', `${GB}/assessmentResults/${ar}`)).status).toBe(
        404,
      );

      // Withdrawing the assessment categories stops them (the school still approves the rest).
      await setApproval(Object.values(S1));
      expect(await within(probe, 403)).toBe(403);
    });

    it('answers 404 for another school’s score scales and assessments', async () => {
      const now = encodeInstant(new Date());
      await db.query(
        "INSERT INTO score_scales (school_id, sourced_id, status, date_last_modified, title, type, class_sourced_id, score_scale_value) VALUES (?, ?, 'active', ?, 'B scale', 'letter', ?, ?)",
        [
          schoolB,
          `ssB-${engine.name}`,
          now,
          ids['classB'],
          '[{"itemValueLHS":"A","itemValueRHS":"top"}]',
        ],
      );
      await db.query(
        "INSERT INTO assessment_line_items (school_id, sourced_id, status, date_last_modified, title) VALUES (?, ?, 'active', ?, 'B item')",
        [schoolB, `aliB-${engine.name}`, now],
      );
      const paths = [
        `${GB}/scoreScales/ssB-${engine.name}`,
        `${GB}/classes/${ids['classB']}/scoreScales`,
      ];
      for (const path of paths) {
        const r = await call('GET', path);
        expect([path, r.status, minor(r.body)]).toEqual([
          path,
          404,
          'unknownobject',
        ]);
      }
      expect(
        (await call('DELETE', `${GB}/scoreScales/ssB-${engine.name}`)).status,
      ).toBe(404);
      const all = await call('GET', `${GB}/scoreScales`);
      expect(
        (all.body['scoreScales'] as Json[]).map((x) => x['sourcedId']),
      ).not.toContain(`ssB-${engine.name}`);
      // Without an approved assessment scope: 403 before anything is read.
      const t = await tokenWith(S2.assessmentRead);
      const a = await call(
        'GET',
        `${GB}/assessmentLineItems/aliB-${engine.name}`,
        undefined,
        t,
      );
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
