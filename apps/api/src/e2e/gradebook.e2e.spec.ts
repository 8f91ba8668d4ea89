import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES, PLATFORM_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import { TestApi, startTestApi } from './support';

const BASE = '/ims/oneroster/v1p1';
type Json = Record<string, unknown>;
const S = ONEROSTER_SCOPES;
const WRITE = [
  S.gradebookRead,
  S.gradebookCreatePut,
  S.gradebookDelete,
  S.resource,
].join(' ');

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return { raw: text };
  }
}

describe.each(testEngines('gradebook_e2e', { sqliteFile: true }))(
  'OneRoster gradebook API on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let token: string;
    let schoolA: string;
    let schoolB: string;
    const ids: Record<string, string> = {};

    async function call(
      method: string,
      path: string,
      body?: unknown,
      t: string | null = token,
      raw?: string,
    ) {
      const res = await fetch(
        `${api.url}${path.startsWith('/platform') ? '' : BASE}${path}`,
        {
          method,
          headers: {
            ...(t ? { authorization: `Bearer ${t}` } : {}),
            ...(body !== undefined || raw
              ? { 'content-type': 'application/json' }
              : {}),
          },
          body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
        },
      );
      return {
        status: res.status,
        body: parse(await res.text()),
        headers: res.headers,
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
    const changes = async () =>
      Number(await one('SELECT COUNT(*) FROM gradebook_changes'));

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      schoolA = api.plan.schools[0].schoolId;
      schoolB = api.plan.schools[1].schoolId;
      // The test issuer's client (`test-client`, approved by every demo school), acting for itself.
      token = await api.issuer.token({
        school_ids: [schoolA],
        scope: WRITE,
        integrator_id: 'int-1',
      });
      ids['class'] = await one(
        "SELECT sourced_id FROM classes WHERE school_id = ? AND class_type = 'scheduled' ORDER BY sourced_id LIMIT 1",
        [schoolA],
      );
      ids['classB'] = await one(
        'SELECT sourced_id FROM classes WHERE school_id = ? LIMIT 1',
        [schoolB],
      );
      ids['student'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'student' LIMIT 1",
        [schoolA, ids['class']],
      );
      ids['teacher'] = await one(
        "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'teacher' LIMIT 1",
        [schoolA],
      );
      ids['studentB'] = await one(
        "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'student' LIMIT 1",
        [schoolB],
      );
      ids['lineItemB'] = await one(
        'SELECT sourced_id FROM line_items WHERE school_id = ? LIMIT 1',
        [schoolB],
      );
      ids['category'] = await one(
        'SELECT sourced_id FROM categories WHERE school_id = ? LIMIT 1',
        [schoolA],
      );
      ids['course'] = await one(
        'SELECT course_sourced_id FROM classes WHERE school_id = ? AND sourced_id = ?',
        [schoolA, ids['class']],
      );
    }, 240_000);

    afterAll(async () => {
      await db?.destroy();
      await api?.close();
    });

    describe('PUT and GET', () => {
      it('creates a line item from a partial body (no category, no grading period, bare GUIDRefs): 201', async () => {
        const r = await call('PUT', '/lineItems/li-google-1', {
          lineItem: {
            title: 'Essay',
            class: { sourcedId: ids['class'] },
            assignDate: '2026-09-14T09:00:00Z',
            dueDate: '2026-09-21T16:00:00.000Z',
          },
        });
        expect(r.status).toBe(201);
        const li = r.body['lineItem'] as Json;
        expect(li).toMatchObject({
          sourcedId: 'li-google-1',
          status: 'active',
          title: 'Essay',
          assignDate: '2026-09-14T09:00:00.000Z',
          dueDate: '2026-09-21T16:00:00.000Z',
          class: { sourcedId: ids['class'], type: 'class' },
          category: { sourcedId: 'uncategorised', type: 'category' },
          resultValueMin: 0,
          resultValueMax: 100,
        });
        // 14 September falls in the first half term of the autumn term.
        expect((li['gradingPeriod'] as Json)['sourcedId']).toBe(
          api.plan.sessionIds.halfTerms[0],
        );
        const got = await call('GET', '/lineItems/li-google-1');
        expect(got.status).toBe(200);
        expect(got.body['lineItem']).toEqual(li);
        const inClass = await call('GET', `/classes/${ids['class']}/lineItems`);
        expect(
          (inClass.body['lineItems'] as Json[]).map((x) => x['sourcedId']),
        ).toContain('li-google-1');
        expect((await call('GET', '/categories/uncategorised')).status).toBe(
          200,
        );
      });

      it('replaces an existing line item: 200, and a long title is kept', async () => {
        const title = 'T'.repeat(255);
        const r = await call('PUT', '/lineItems/li-google-1', {
          lineItem: {
            sourcedId: 'li-google-1',
            title,
            class: { sourcedId: ids['class'] },
            category: { sourcedId: ids['category'] },
            resultValueMax: 50,
          },
        });
        expect(r.status).toBe(200);
        expect(r.body['lineItem']).toMatchObject({
          title,
          resultValueMax: 50,
          category: { sourcedId: ids['category'] },
        });
      });

      it('stores scores above the maximum and exempt results', async () => {
        const over = await call('PUT', '/results/res-1', {
          result: {
            lineItem: { sourcedId: 'li-google-1' },
            student: { sourcedId: ids['student'] },
            scoreStatus: 'fully graded',
            score: 300,
            scoreDate: '2026-09-22',
          },
        });
        expect(over.status).toBe(201);
        expect(over.body['result']).toMatchObject({
          score: 300,
          scoreStatus: 'fully graded',
          scoreDate: '2026-09-22',
        });
        const exempt = await call('PUT', '/results/res-2', {
          result: {
            lineItem: 'li-google-1',
            student: ids['student'],
            scoreStatus: 'exempt',
          },
        });
        expect(exempt.status).toBe(201);
        expect(exempt.body['result']).toMatchObject({
          scoreStatus: 'exempt',
          score: 0,
        });
        expect(
          (await call('GET', '/results/res-1')).body['result'],
        ).toMatchObject({ score: 300 });
      });

      it('reads results through the class routes and categories', async () => {
        const byClass = await call(
          'GET',
          `/classes/${ids['class']}/results?limit=1000`,
        );
        expect(
          (byClass.body['results'] as Json[]).map((r) => r['sourcedId']),
        ).toEqual(expect.arrayContaining(['res-1', 'res-2']));
        const byLine = await call(
          'GET',
          `/classes/${ids['class']}/lineItems/li-google-1/results`,
        );
        expect(
          (byLine.body['results'] as Json[]).map((r) => r['sourcedId']).sort(),
        ).toEqual(['res-1', 'res-2']);
        const byStudent = await call(
          'GET',
          `/classes/${ids['class']}/students/${ids['student']}/results?limit=1000`,
        );
        expect(
          (byStudent.body['results'] as Json[]).every(
            (r) => (r['student'] as Json)['sourcedId'] === ids['student'],
          ),
        ).toBe(true);
        expect((await call('GET', '/categories')).status).toBe(200);
        expect(
          (
            await call(
              'GET',
              '/results?filter=' + encodeURIComponent("scoreStatus='exempt'"),
            )
          ).status,
        ).toBe(200);
        expect(
          (
            await call(
              'GET',
              `/classes/${ids['class']}/lineItems/no-such/results`,
            )
          ).status,
        ).toBe(404);
        expect(
          (
            await call(
              'GET',
              `/classes/${ids['class']}/students/${ids['teacher']}/results`,
            )
          ).status,
        ).toBe(404);
      });
    });

    describe('bad input', () => {
      const lineItem = (patch: Json) => ({
        lineItem: { title: 'X', class: { sourcedId: ids['class'] }, ...patch },
      });
      const result = (patch: Json) => ({
        result: {
          lineItem: { sourcedId: 'li-google-1' },
          student: { sourcedId: ids['student'] },
          scoreStatus: 'fully graded',
          score: 1,
          ...patch,
        },
      });

      it.each([
        [
          'a missing title',
          () => lineItem({ title: undefined }),
          /lineItem.title: required/,
        ],
        [
          'a title of 256 characters',
          () => lineItem({ title: 'x'.repeat(256) }),
          /longer than 255/,
        ],
        [
          'an unknown class',
          () => lineItem({ class: { sourcedId: 'nope' } }),
          /class nope does not exist/,
        ],
        [
          'another school’s class',
          () => lineItem({ class: { sourcedId: ids['classB'] } }),
          /does not exist/,
        ],
        [
          'an unknown category',
          () => lineItem({ category: { sourcedId: 'nope' } }),
          /category nope does not exist/,
        ],
        [
          'an unknown grading period',
          () => lineItem({ gradingPeriod: { sourcedId: 'nope' } }),
          /academic session nope does not exist/,
        ],
        [
          'a bad assignDate',
          () => lineItem({ assignDate: 'yesterday' }),
          /assignDate: must be an ISO 8601/,
        ],
        [
          'a bad dueDate',
          () => lineItem({ dueDate: '2026-13-45T99:00:00Z' }),
          /dueDate/,
        ],
        [
          'a string resultValueMin',
          () => lineItem({ resultValueMin: '0' }),
          /resultValueMin: must be a number/,
        ],
        [
          'max below min',
          () => lineItem({ resultValueMin: 10, resultValueMax: 5 }),
          /below/,
        ],
        [
          'a GUIDRef without sourcedId',
          () => lineItem({ class: { href: 'x' } }),
          /must be a GUIDRef/,
        ],
        [
          'metadata that is not an object',
          () => lineItem({ metadata: 'x' }),
          /metadata: must be an object/,
        ],
      ])(
        'refuses a line item with %s (422), writing nothing',
        async (_label, body, message) => {
          const before = await changes();
          const r = await call('PUT', '/lineItems/li-bad', body());
          expect(r.status).toBe(422);
          expect(minor(r.body)).toBe('invaliddata');
          expect(String(r.body['imsx_description'])).toMatch(message);
          expect(await changes()).toBe(before);
          expect((await call('GET', '/lineItems/li-bad')).status).toBe(404);
        },
      );

      it.each([
        [
          'an unknown scoreStatus',
          () => result({ scoreStatus: 'great' }),
          /scoreStatus: must be one of/,
        ],
        [
          'a string score',
          () => result({ score: '12' }),
          /score: must be a number/,
        ],
        [
          'a missing score when graded',
          () => result({ score: undefined }),
          /score is required/,
        ],
        [
          'a bad scoreDate',
          () => result({ scoreDate: '22/09/2026' }),
          /scoreDate: must be a date/,
        ],
        [
          'an unknown student',
          () => result({ student: { sourcedId: 'nope' } }),
          /user nope does not exist/,
        ],
        [
          'a teacher as student',
          () => result({ student: { sourcedId: ids['teacher'] } }),
          /is not a student/,
        ],
        [
          'another school’s student',
          () => result({ student: { sourcedId: ids['studentB'] } }),
          /does not exist/,
        ],
        [
          'another school’s line item',
          () => result({ lineItem: { sourcedId: ids['lineItemB'] } }),
          /does not exist/,
        ],
        [
          'a missing lineItem',
          () => result({ lineItem: undefined }),
          /lineItem: required/,
        ],
      ])(
        'refuses a result with %s (422), writing nothing',
        async (_label, body, message) => {
          const before = await changes();
          const r = await call('PUT', '/results/res-bad', body());
          expect(r.status).toBe(422);
          expect(String(r.body['imsx_description'])).toMatch(message);
          expect(await changes()).toBe(before);
        },
      );

      it('refuses a body naming another sourcedId, a non-object body and malformed JSON (400)', async () => {
        const mismatch = await call('PUT', '/lineItems/li-x', {
          lineItem: {
            sourcedId: 'li-y',
            title: 'X',
            class: { sourcedId: ids['class'] },
          },
        });
        expect(mismatch.status).toBe(400);
        expect(String(mismatch.body['imsx_description'])).toContain('li-y');
        expect((await call('PUT', '/lineItems/li-x', [1, 2])).status).toBe(400);
        const broken = await call(
          'PUT',
          '/lineItems/li-x',
          undefined,
          token,
          '{"lineItem": {',
        );
        expect(broken.status).toBe(400);
        expect(minor(broken.body)).toBe('invaliddata');
        expect(
          (
            await call('PUT', `/lineItems/${'x'.repeat(300)}`, {
              lineItem: { title: 'X', class: ids['class'] },
            })
          ).status,
        ).toBe(400);
      });

      it('needs the right scope for each method', async () => {
        const readOnly = await api.issuer.token({
          school_ids: [schoolA],
          scope: S.gradebookRead,
        });
        expect(
          (
            await call(
              'PUT',
              '/categories/c-1',
              { category: { title: 'X' } },
              readOnly,
            )
          ).status,
        ).toBe(403);
        expect(
          (await call('DELETE', '/results/res-1', undefined, readOnly)).status,
        ).toBe(403);
        expect(
          (await call('GET', '/categories', undefined, readOnly)).status,
        ).toBe(200);
        expect(
          (await call('GET', '/resources', undefined, readOnly)).status,
        ).toBe(403);
        const roster = await api.issuer.token({
          school_ids: [schoolA],
          scope: S.roster,
        });
        expect(
          (await call('GET', '/lineItems', undefined, roster)).status,
        ).toBe(403);
        expect((await call('GET', '/lineItems', undefined, null)).status).toBe(
          401,
        );
      });

      it('refuses to create a category with a token for several schools', async () => {
        const both = await api.issuer.token({
          school_ids: [schoolA, schoolB],
          scope: WRITE,
        });
        expect(
          (
            await call(
              'PUT',
              '/categories/c-multi',
              { category: { title: 'Quiz' } },
              both,
            )
          ).status,
        ).toBe(422);
        expect(
          (
            await call('PUT', '/categories/c-1', {
              category: { title: 'Quiz' },
            })
          ).status,
        ).toBe(201);
      });
    });

    describe('DELETE', () => {
      it('deletes a result: 204, then 404 and gone from collections, but visible to delta queries', async () => {
        const since = new Date(Date.now() - 1000).toISOString();
        expect((await call('DELETE', '/results/res-2')).status).toBe(204);
        expect((await call('GET', '/results/res-2')).status).toBe(404);
        expect((await call('DELETE', '/results/res-2')).status).toBe(404);
        const list = await call(
          'GET',
          `/classes/${ids['class']}/lineItems/li-google-1/results`,
        );
        expect(
          (list.body['results'] as Json[]).map((r) => r['sourcedId']),
        ).toEqual(['res-1']);
        const delta = await call(
          'GET',
          `/results?filter=${encodeURIComponent(`dateLastModified>'${since}'`)}`,
        );
        expect(
          (delta.body['results'] as Json[]).find(
            (r) => r['sourcedId'] === 'res-2',
          ),
        ).toMatchObject({ status: 'tobedeleted' });
      });

      it('deletes a line item with its results', async () => {
        expect((await call('DELETE', '/lineItems/li-google-1')).status).toBe(
          204,
        );
        expect((await call('GET', '/lineItems/li-google-1')).status).toBe(404);
        expect(
          (
            await call(
              'GET',
              `/classes/${ids['class']}/lineItems/li-google-1/results`,
            )
          ).status,
        ).toBe(404);
        expect((await call('GET', '/results/res-1')).status).toBe(404);
        const inClass = await call('GET', `/classes/${ids['class']}/lineItems`);
        expect(
          (inClass.body['lineItems'] as Json[]).map((x) => x['sourcedId']),
        ).not.toContain('li-google-1');
        // Creating it again is a create.
        expect(
          (
            await call('PUT', '/lineItems/li-google-1', {
              lineItem: { title: 'Again', class: ids['class'] },
            })
          ).status,
        ).toBe(201);
      });
    });

    describe('concurrency and the change feed', () => {
      it('applies concurrent PUTs of one object one after another: exactly one create, last writer wins', async () => {
        const before = await changes();
        const titles = Array.from({ length: 12 }, (_, i) => `Version ${i}`);
        const statuses = await Promise.all(
          titles.map((title) =>
            call('PUT', '/lineItems/li-race', {
              lineItem: { title, class: ids['class'] },
            }).then((r) => r.status),
          ),
        );
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s === 200)).toHaveLength(11);
        const final = (await call('GET', '/lineItems/li-race')).body[
          'lineItem'
        ] as Json;
        expect(titles).toContain(final['title']);
        expect(await changes()).toBe(before + 12);
        const last = await one(
          "SELECT after FROM gradebook_changes WHERE sourced_id = 'li-race' ORDER BY id DESC LIMIT 1",
        );
        expect((JSON.parse(last) as Json)['title']).toBe(final['title']);
      });

      it('records who changed what, and serves it in order after a cursor', async () => {
        const feed = await api.issuer.token({
          school_ids: [schoolA],
          scope: PLATFORM_SCOPES.gradebookChanges,
        });
        const r = await call(
          'GET',
          '/platform/v1/gradebook/changes?limit=1000',
          undefined,
          feed,
        );
        expect(r.status).toBe(200);
        const list = r.body['changes'] as Json[];
        expect(list.length).toBe(
          Number(
            await one(
              'SELECT COUNT(*) FROM gradebook_changes WHERE school_id = ?',
              [schoolA],
            ),
          ),
        );
        expect(list.map((c) => c['id'])).toEqual(
          [...list.map((c) => c['id'] as number)].sort((a, b) => a - b),
        );
        const created = list.find(
          (c) => c['sourcedId'] === 'res-1' && c['action'] === 'created',
        ) as Json;
        expect(created).toMatchObject({
          objectType: 'result',
          actor: {
            clientId: 'test-client',
            integratorId: 'int-1',
            userId: null,
          },
          before: null,
        });
        expect((created['after'] as Json)['score']).toBe(300);
        expect(
          list.some(
            (c) => c['sourcedId'] === 'res-2' && c['action'] === 'deleted',
          ),
        ).toBe(true);
        const again = await call(
          'GET',
          `/platform/v1/gradebook/changes?after=${r.body['next']}`,
          undefined,
          feed,
        );
        expect(again.body).toEqual({ changes: [], next: r.body['next'] });
        expect(
          (
            await call(
              'GET',
              '/platform/v1/gradebook/changes',
              undefined,
              token,
            )
          ).status,
        ).toBe(403);
        expect(
          (
            await call(
              'GET',
              `/platform/v1/gradebook/changes?schoolId=${schoolB}`,
              undefined,
              feed,
            )
          ).status,
        ).toBe(404);
        expect(
          (
            await call(
              'GET',
              '/platform/v1/gradebook/changes?after=-1',
              undefined,
              feed,
            )
          ).status,
        ).toBe(400);
      });

      it('never skips or repeats a change while writes happen during collection', async () => {
        const feed = await api.issuer.token({
          school_ids: [schoolA],
          scope: PLATFORM_SCOPES.gradebookChanges,
        });
        let cursor = Number(
          (
            await call(
              'GET',
              '/platform/v1/gradebook/changes?limit=1000',
              undefined,
              feed,
            )
          ).body['next'],
        );
        const seen: number[] = [];
        let writing = true;
        const writes = (async () => {
          for (let i = 0; i < 30; i++) {
            await Promise.all([
              call('PUT', `/categories/cc-${i}`, {
                category: { title: `C${i}` },
              }),
              call('PUT', `/lineItems/li-c-${i}`, {
                lineItem: { title: `L${i}`, class: ids['class'] },
              }),
            ]);
          }
          writing = false;
        })();
        while (writing || seen.length < 60) {
          const page = await call(
            'GET',
            `/platform/v1/gradebook/changes?after=${cursor}&limit=7`,
            undefined,
            feed,
          );
          for (const c of page.body['changes'] as Json[])
            seen.push(c['id'] as number);
          cursor = Number(page.body['next']);
          if (!writing && (page.body['changes'] as Json[]).length === 0) break;
        }
        await writes;
        const expected = (await db.query(
          'SELECT id FROM gradebook_changes WHERE school_id = ? AND id > ? ORDER BY id',
          [schoolA, seen[0] - 1],
        )) as { id: number }[];
        expect(seen).toEqual(expected.map((e) => Number(e.id)));
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(60);
      });
    });

    describe('resources', () => {
      it('answers the four resources endpoints', async () => {
        const all = await call('GET', '/resources');
        expect(all.status).toBe(200);
        const resources = all.body['resources'] as Json[];
        expect(resources.length).toBeGreaterThan(0);
        expect(
          (await call('GET', `/resources/${resources[0]['sourcedId']}`)).body[
            'resource'
          ],
        ).toEqual(resources[0]);
        const courseRes = await call(
          'GET',
          `/courses/${ids['course']}/resources`,
        );
        expect(courseRes.status).toBe(200);
        const linked = Number(
          await one(
            "SELECT COUNT(*) FROM course_resources WHERE school_id = ? AND course_sourced_id = ? AND status = 'active'",
            [schoolA, ids['course']],
          ),
        );
        expect((courseRes.body['resources'] as Json[]).length).toBe(linked);
        const classWithResource = await one(
          'SELECT class_sourced_id FROM class_resources WHERE school_id = ? LIMIT 1',
          [schoolA],
        );
        expect(
          (await call('GET', `/classes/${classWithResource}/resources`)).body[
            'resources'
          ],
        ).toHaveLength(1);
        expect((await call('GET', '/classes/nope/resources')).status).toBe(404);
        expect((await call('GET', '/resources/nope')).status).toBe(404);
      });
    });
  },
);
