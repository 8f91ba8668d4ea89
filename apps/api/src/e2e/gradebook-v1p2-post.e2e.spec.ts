import type { DataSource } from 'typeorm';
import {
  ONEROSTER_SCOPES,
  ONEROSTER_V1P2_SCOPES,
  PLATFORM_SCOPES,
} from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { TestApi, startTestApi } from './support';

/*
 * The four POSTs of the OneRoster 1.2 gradebook service (postLineItemsForClass,
 * postLineItemsForSchool, postResultsForLineItem, postResultsForAcademicSessionForClass):
 * 201 with the sourcedIdPairs, each object readable at its allocated sourcedId with what
 * was posted, one `created` change each in the MIS change feed; all or nothing (a bad
 * element is a 422 naming it, and nothing is written); another school's parent 404s; the
 * createpost scope or its 1.1 counterpart, else 403; no token 401; too many elements 413.
 */
const GB = '/ims/oneroster/gradebook/v1p2';
const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
type Json = Record<string, unknown>;
type Pair = { suppliedSourcedId: string; allocatedSourcedId: string };

describe.each(testEngines('api_e2e_gb_v1p2_post', { sqliteFile: true }))(
  'OneRoster 1.2 gradebook POSTs on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let token: string;
    let schoolA: { id: string; org: string };
    let schoolB: { id: string; org: string };
    const ids: Record<string, string> = {};
    const S2 = ONEROSTER_V1P2_SCOPES;

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
      const text = await res.text();
      return {
        status: res.status,
        body: (text ? JSON.parse(text) : {}) as Json,
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
    const count = async (table: string) =>
      Number(
        await one(`SELECT COUNT(*) FROM ${table} WHERE school_id = ?`, [
          schoolA.id,
        ]),
      );
    const tokenWith = (...scopes: string[]) =>
      api.issuer.token({ school_ids: [schoolA.id], scope: scopes.join(' ') });
    const pairsOf = (b: Json) => b['sourcedIdPairs'] as Pair[];

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      schoolA = {
        id: api.plan.schools[0].schoolId,
        org: api.plan.schools[0].orgSourcedId,
      };
      schoolB = {
        id: api.plan.schools[1].schoolId,
        org: api.plan.schools[1].orgSourcedId,
      };
      token = await tokenWith(S2.gradebookRead, S2.gradebookCreatePost);
      ids['class'] = await one(
        "SELECT c.sourced_id FROM classes c JOIN class_terms t ON t.school_id = c.school_id AND t.class_sourced_id = c.sourced_id WHERE c.school_id = ? AND c.class_type = 'scheduled' AND c.status = 'active' ORDER BY c.sourced_id LIMIT 1",
        [schoolA.id],
      );
      ids['term'] = await one(
        'SELECT term_sourced_id FROM class_terms WHERE school_id = ? AND class_sourced_id = ? ORDER BY position LIMIT 1',
        [schoolA.id, ids['class']],
      );
      ids['period'] = await one(
        "SELECT sourced_id FROM academic_sessions WHERE school_id = ? AND parent_sourced_id = ? AND type = 'gradingPeriod' AND status = 'active' ORDER BY sourced_id LIMIT 1",
        [schoolA.id, ids['term']],
      );
      ids['category'] = await one(
        "SELECT sourced_id FROM categories WHERE school_id = ? AND status = 'active' ORDER BY sourced_id LIMIT 1",
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
      ids['teacher'] = await one(
        "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'teacher' ORDER BY sourced_id LIMIT 1",
        [schoolA.id],
      );
      ids['classB'] = await one(
        'SELECT sourced_id FROM classes WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB.id],
      );
      ids['lineItemB'] = await one(
        'SELECT sourced_id FROM line_items WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB.id],
      );
      ids['sessionB'] = await one(
        'SELECT sourced_id FROM academic_sessions WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB.id],
      );
      for (const k of Object.keys(ids))
        expect([k, ids[k]]).not.toEqual([k, '']);
      expect(ids['student']).not.toBe(ids['student2']);
    }, 120_000);

    afterAll(async () => {
      await db?.destroy();
      await api?.close();
    });

    const lineItem = (sourcedId: string, title: string, more: Json = {}) => ({
      sourcedId,
      status: 'active',
      title,
      assignDate: '2026-09-14T09:00:00Z',
      dueDate: '2026-09-21T09:00:00Z',
      category: { sourcedId: ids['category'], type: 'category' },
      resultValueMin: 0,
      resultValueMax: 20,
      ...more,
    });

    it('postLineItemsForClass: 201 with the pairs, each line item readable at its allocated sourcedId, one created change each', async () => {
      const changesBefore = await count('gradebook_changes');
      const r = await call('POST', `${GB}/classes/${ids['class']}/lineItems`, {
        lineItems: [
          lineItem('client-li-1', 'Essay 1'),
          lineItem('client-li-2', 'Essay 2', {
            class: { sourcedId: ids['class'], type: 'class' },
            school: { sourcedId: schoolA.org, type: 'org' },
            gradingPeriod: {
              sourcedId: ids['period'],
              type: 'academicSession',
            },
          }),
        ],
      });
      expect(r.status).toBe(201);
      const pairs = pairsOf(r.body);
      expect(pairs.map((p) => p.suppliedSourcedId)).toEqual([
        'client-li-1',
        'client-li-2',
      ]);
      for (const p of pairs) expect(p.allocatedSourcedId).toMatch(UUID);
      expect(new Set(pairs.map((p) => p.allocatedSourcedId)).size).toBe(2);
      ids['li1'] = pairs[0].allocatedSourcedId;
      ids['li2'] = pairs[1].allocatedSourcedId;

      for (const [p, title] of [
        [pairs[0], 'Essay 1'],
        [pairs[1], 'Essay 2'],
      ] as const) {
        const read = await call(
          'GET',
          `${GB}/lineItems/${p.allocatedSourcedId}`,
        );
        expect(read.status).toBe(200);
        expect(read.body['lineItem']).toMatchObject({
          sourcedId: p.allocatedSourcedId,
          status: 'active',
          title,
          assignDate: '2026-09-14T09:00:00.000Z',
          dueDate: '2026-09-21T09:00:00.000Z',
          resultValueMax: 20,
          class: { sourcedId: ids['class'], type: 'class' },
          school: { sourcedId: schoolA.org, type: 'org' },
          category: { sourcedId: ids['category'], type: 'category' },
        });
      }
      const second = await call('GET', `${GB}/lineItems/${ids['li2']}`);
      expect(second.body['lineItem']).toMatchObject({
        gradingPeriod: { sourcedId: ids['period'] },
      });
      // The supplied sourcedId names nothing.
      expect((await call('GET', `${GB}/lineItems/client-li-1`)).status).toBe(
        404,
      );

      expect(await count('gradebook_changes')).toBe(changesBefore + 2);
      const feed = await api.issuer.token({
        school_ids: [schoolA.id],
        scope: PLATFORM_SCOPES.gradebookChanges,
      });
      const changes = await call(
        'GET',
        '/platform/v1/gradebook/changes?limit=1000',
        undefined,
        feed,
      );
      expect(changes.status).toBe(200);
      const mine = (changes.body['changes'] as Json[]).filter((c) =>
        [ids['li1'], ids['li2']].includes(String(c['sourcedId'])),
      );
      expect(
        mine.map((c) => [c['objectType'], c['sourcedId'], c['action']]),
      ).toEqual([
        ['lineItem', ids['li1'], 'created'],
        ['lineItem', ids['li2'], 'created'],
      ]);
      expect(mine[0]['after']).toMatchObject({
        sourcedId: ids['li1'],
        title: 'Essay 1',
      });
    });

    it('postLineItemsForSchool: a line item of one of the school’s classes', async () => {
      const r = await call('POST', `${GB}/schools/${schoolA.org}/lineItems`, {
        lineItems: [
          lineItem('client-school-li', 'Project', {
            class: { sourcedId: ids['class'] },
          }),
        ],
      });
      expect(r.status).toBe(201);
      const [pair] = pairsOf(r.body);
      expect(pair.suppliedSourcedId).toBe('client-school-li');
      const read = await call(
        'GET',
        `${GB}/lineItems/${pair.allocatedSourcedId}`,
      );
      expect(read.body['lineItem']).toMatchObject({
        title: 'Project',
        class: { sourcedId: ids['class'] },
        school: { sourcedId: schoolA.org },
      });
    });

    it('postResultsForLineItem and postResultsForAcademicSessionForClass: results readable at their allocated sourcedIds', async () => {
      const r = await call('POST', `${GB}/lineItems/${ids['li1']}/results`, {
        results: [
          {
            sourcedId: 'client-r-1',
            status: 'active',
            student: { sourcedId: ids['student'], type: 'user' },
            scoreStatus: 'fully graded',
            score: 17,
            scoreDate: '2026-09-22',
            comment: 'Good',
          },
          {
            sourcedId: 'client-r-2',
            lineItem: { sourcedId: ids['li1'] },
            class: { sourcedId: ids['class'] },
            student: { sourcedId: ids['student2'] },
            scoreStatus: 'exempt',
            scoreDate: '2026-09-22',
          },
        ],
      });
      expect(r.status).toBe(201);
      const pairs = pairsOf(r.body);
      expect(pairs.map((p) => p.suppliedSourcedId)).toEqual([
        'client-r-1',
        'client-r-2',
      ]);
      const first = await call(
        'GET',
        `${GB}/results/${pairs[0].allocatedSourcedId}`,
      );
      expect(first.body['result']).toMatchObject({
        sourcedId: pairs[0].allocatedSourcedId,
        lineItem: { sourcedId: ids['li1'] },
        class: { sourcedId: ids['class'] },
        student: { sourcedId: ids['student'] },
        scoreStatus: 'fully graded',
        score: 17,
        scoreDate: '2026-09-22',
        comment: 'Good',
      });
      const second = await call(
        'GET',
        `${GB}/results/${pairs[1].allocatedSourcedId}`,
      );
      expect(second.body['result']).toMatchObject({
        scoreStatus: 'exempt',
        score: 0,
      });

      // li2's grading period is the path's session, or a session within the path's term.
      for (const session of [ids['period'], ids['term']]) {
        const s = await call(
          'POST',
          `${GB}/classes/${ids['class']}/academicSessions/${session}/results`,
          {
            results: [
              {
                sourcedId: `client-s-${session}`,
                lineItem: { sourcedId: ids['li2'] },
                student: { sourcedId: ids['student'] },
                scoreStatus: 'partially graded',
                score: 9,
              },
            ],
          },
        );
        expect([session, s.status]).toEqual([session, 201]);
        const [pair] = pairsOf(s.body);
        const read = await call(
          'GET',
          `${GB}/results/${pair.allocatedSourcedId}`,
        );
        expect(read.body['result']).toMatchObject({
          lineItem: { sourcedId: ids['li2'] },
          score: 9,
          scoreStatus: 'partially graded',
        });
      }
    });

    it('stores the 1.2-only result fields of posted elements (learningObjectiveSet too), and refuses a score scale the school lacks or a malformed set at its element', async () => {
      const r = await call('POST', `${GB}/lineItems/${ids['li1']}/results`, {
        results: [
          {
            sourcedId: 'client-flags',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'submitted',
            score: 4,
            scoreDate: '2026-09-22',
            textScore: 'Working towards',
            inProgress: 'false',
            late: 'true',
            learningObjectiveSet: [
              {
                source: 'case',
                learningObjectiveResults: [
                  { learningObjectiveId: 'lo-1', score: 2 },
                ],
              },
            ],
          },
        ],
      });
      expect(r.status).toBe(201);
      const [pair] = pairsOf(r.body);
      const got = await call('GET', `${GB}/results/${pair.allocatedSourcedId}`);
      expect(got.body['result']).toMatchObject({
        textScore: 'Working towards',
        inProgress: 'false',
        late: 'true',
        learningObjectiveSet: [
          {
            source: 'case',
            learningObjectiveResults: [
              { learningObjectiveId: 'lo-1', score: 2 },
            ],
          },
        ],
      });
      expect(got.body['result']).not.toHaveProperty('missing');
      const before = await count('results');
      const bad = await call('POST', `${GB}/lineItems/${ids['li1']}/results`, {
        results: [
          {
            sourcedId: 'client-scale',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'submitted',
            score: 4,
            scoreScale: { sourcedId: 'no-such-scale' },
          },
          {
            sourcedId: 'client-objectives',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'submitted',
            score: 4,
            learningObjectiveSet: [{ source: 'case' }],
          },
        ],
      });
      expect(bad.status).toBe(422);
      expect(String(bad.body['imsx_description'])).toContain(
        'results[0].scoreScale: score scale no-such-scale does not exist in this school',
      );
      expect(String(bad.body['imsx_description'])).toContain(
        'results[1].learningObjectiveSet[0].learningObjectiveResults: required',
      );
      expect(await count('results')).toBe(before);
    });

    it('422 listing every bad element with its index, and nothing written', async () => {
      // A line item of the class's term: not of the term's grading period.
      const ofTerm = await call(
        'POST',
        `${GB}/classes/${ids['class']}/lineItems`,
        {
          lineItems: [
            lineItem('client-term-li', 'Term test', {
              gradingPeriod: { sourcedId: ids['term'] },
            }),
          ],
        },
      );
      expect(ofTerm.status).toBe(201);
      const termLineItem = pairsOf(ofTerm.body)[0].allocatedSourcedId;
      const before = {
        lineItems: await count('line_items'),
        results: await count('results'),
        changes: await count('gradebook_changes'),
      };
      const bad = await call('POST', `${GB}/lineItems/${ids['li1']}/results`, {
        results: [
          {
            sourcedId: 'ok',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'fully graded',
            score: 1,
          },
          {
            sourcedId: 'no-score',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'fully graded',
          },
          {
            sourcedId: 'teacher',
            student: { sourcedId: ids['teacher'] },
            scoreStatus: 'exempt',
          },
          {
            sourcedId: 'ok',
            student: { sourcedId: 'nobody' },
            scoreStatus: 'submitted',
            score: 3,
          },
          {
            sourcedId: 'bad-date',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'submitted',
            score: 3,
            scoreDate: '2026-02-30',
          },
          {
            sourcedId: 'fast',
            student: { sourcedId: ids['student'] },
            scoreStatus: 'fast',
          },
        ],
      });
      expect([bad.status, minor(bad.body)]).toEqual([422, 'invaliddata']);
      const text = String(bad.body['imsx_description']);
      for (const expected of [
        'results[1].score is required',
        `results[2].student: user ${ids['teacher']} is not a student`,
        'results[3].sourcedId: "ok" is also the sourcedId of results[0]',
        'results[3].student: user nobody does not exist',
        'results[4].scoreDate: must be a date YYYY-MM-DD',
        'results[5].scoreStatus: fast has no OneRoster 1.1 counterpart',
      ])
        expect([expected, text.includes(expected)]).toEqual([expected, true]);
      expect(text).not.toContain('results[0]:');

      const other = await call(
        'POST',
        `${GB}/classes/${ids['class']}/lineItems`,
        {
          lineItems: [
            lineItem('fine', 'Fine'),
            lineItem('moved', 'Moved', { class: { sourcedId: 'elsewhere' } }),
            lineItem('wrong-school', 'Wrong school', {
              school: { sourcedId: schoolB.org },
            }),
            lineItem('bad', 'Bad', {
              category: { sourcedId: 'no-such-category' },
              resultValueMin: 30,
            }),
          ],
        },
      );
      expect(other.status).toBe(422);
      const otherText = String(other.body['imsx_description']);
      for (const expected of [
        `lineItems[1].class: names class elsewhere but the path names class ${ids['class']}`,
        `lineItems[2].school: names school ${schoolB.org}`,
        'lineItems[3].category: category no-such-category does not exist',
        'lineItems[3].resultValueMax is below resultValueMin',
      ])
        expect([expected, otherText.includes(expected)]).toEqual([
          expected,
          true,
        ]);

      // A line item of another session of the class, and one of another class.
      const session = await call(
        'POST',
        `${GB}/classes/${ids['class']}/academicSessions/${ids['period']}/results`,
        {
          results: [
            {
              sourcedId: 'x',
              lineItem: { sourcedId: termLineItem },
              student: { sourcedId: ids['student'] },
              scoreStatus: 'exempt',
            },
            {
              sourcedId: 'y',
              lineItem: { sourcedId: ids['lineItemB'] },
              student: { sourcedId: ids['student'] },
              scoreStatus: 'exempt',
            },
          ],
        },
      );
      expect(session.status).toBe(422);
      const sessionText = String(session.body['imsx_description']);
      for (const expected of [
        `results[0].lineItem: line item ${termLineItem} is of academic session ${ids['term']}, not of ${ids['period']}`,
        `results[1].lineItem: line item ${ids['lineItemB']} does not exist in this school`,
      ])
        expect([expected, sessionText.includes(expected)]).toEqual([
          expected,
          true,
        ]);

      expect({
        lineItems: await count('line_items'),
        results: await count('results'),
        changes: await count('gradebook_changes'),
      }).toEqual(before);
    });

    it('404 for another school’s class, school, line item or session; 400 for a body of another shape; 413 above 1,000 elements', async () => {
      const result = {
        sourcedId: 'r',
        student: { sourcedId: ids['student'] },
        scoreStatus: 'exempt',
      };
      for (const [path, body] of [
        [
          `${GB}/classes/${ids['classB']}/lineItems`,
          { lineItems: [lineItem('a', 'A')] },
        ],
        [
          `${GB}/classes/no-such-class/lineItems`,
          { lineItems: [lineItem('a', 'A')] },
        ],
        [
          `${GB}/schools/${schoolB.org}/lineItems`,
          { lineItems: [lineItem('a', 'A')] },
        ],
        [
          `${GB}/schools/${ids['class']}/lineItems`,
          { lineItems: [lineItem('a', 'A')] },
        ],
        [`${GB}/lineItems/${ids['lineItemB']}/results`, { results: [result] }],
        [
          `${GB}/classes/${ids['classB']}/academicSessions/${ids['sessionB']}/results`,
          { results: [result] },
        ],
        [
          `${GB}/classes/${ids['class']}/academicSessions/no-such-session/results`,
          { results: [result] },
        ],
      ] as const) {
        const r = await call('POST', path, body);
        expect([path, r.status, minor(r.body)]).toEqual([
          path,
          404,
          'unknownobject',
        ]);
      }
      const shape = await call(
        'POST',
        `${GB}/lineItems/${ids['li1']}/results`,
        {
          result,
        },
      );
      expect([shape.status, minor(shape.body)]).toEqual([400, 'invaliddata']);
      const many = await call('POST', `${GB}/lineItems/${ids['li1']}/results`, {
        results: Array.from({ length: 1001 }, (_, i) => ({
          ...result,
          sourcedId: `m${i}`,
        })),
      });
      expect([
        many.status,
        minor(many.body),
        String(many.body['imsx_description']),
      ]).toEqual([413, 'invaliddata', expect.stringContaining('At most 1000')]);
    });

    it('403 without the createpost scope or its 1.1 counterpart, 401 without a token; the 1.1 createput scope posts', async () => {
      const path = `${GB}/classes/${ids['class']}/lineItems`;
      const body = { lineItems: [lineItem('scoped', 'Scoped')] };
      for (const t of [
        await tokenWith(S2.gradebookRead, S2.gradebookCreatePut),
        await tokenWith(ONEROSTER_SCOPES.gradebookRead),
      ]) {
        const r = await call('POST', path, body, t);
        expect([r.status, minor(r.body)]).toEqual([403, 'forbidden']);
      }
      const none = await call('POST', path, body, null);
      expect([none.status, minor(none.body)]).toEqual([
        401,
        'unauthorisedrequest',
      ]);
      const v1p1 = await call(
        'POST',
        path,
        body,
        await tokenWith(ONEROSTER_SCOPES.gradebookCreatePut),
      );
      expect(v1p1.status).toBe(201);
    });
  },
);
