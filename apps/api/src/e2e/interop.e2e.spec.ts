import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase, testEngines } from '@oneroster/database';
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
