import { Test } from '@nestjs/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@oneroster/config';
import { AppModule } from './app.module';
import { V1P2_ROUTES } from '@oneroster/oneroster-catalogue';
import {
  buildOpenApi,
  buildRosteringV1p2OpenApi,
  buildServiceV1p2OpenApi,
} from './openapi';

/*
 * apps/api/openapi.json is the committed contract of the API. This test fails when the code
 * and the file drift apart; after an intended change regenerate the file with
 *   UPDATE_OPENAPI=1 npx nx test api --testPathPatterns=openapi --skip-nx-cache
 */
const FILE = join(__dirname, '../../openapi.json');
const FILE_V1P2 = join(__dirname, '../../openapi-rostering-v1p2.json');
const SERVICES = ['gradebook', 'resources'] as const;
const fileOf = (service: (typeof SERVICES)[number]) =>
  join(__dirname, `../../openapi-${service}-v1p2.json`);

describe('OpenAPI document', () => {
  it('matches the committed apps/api/openapi.json', async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register(config)],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const doc = `${JSON.stringify(buildOpenApi(app, config), null, 2)}\n`;
    const v1p2 = `${JSON.stringify(buildRosteringV1p2OpenApi(app, config), null, 2)}\n`;
    const services = SERVICES.map(
      (s) =>
        [
          s,
          `${JSON.stringify(buildServiceV1p2OpenApi(app, config, s), null, 2)}\n`,
        ] as const,
    );
    await app.close();
    if (process.env['UPDATE_OPENAPI'] === '1') {
      writeFileSync(FILE, doc);
      writeFileSync(FILE_V1P2, v1p2);
      for (const [s, text] of services) writeFileSync(fileOf(s), text);
    }
    expect(doc).toEqual(readFileSync(FILE, 'utf8'));
    // The 1.2 rostering service's document (apps/api/openapi-rostering-v1p2.json).
    expect(v1p2).toEqual(readFileSync(FILE_V1P2, 'utf8'));
    // The 1.2 gradebook and resources services' (apps/api/openapi-{service}-v1p2.json).
    for (const [s, text] of services)
      expect({ s, text }).toEqual({ s, text: readFileSync(fileOf(s), 'utf8') });
  });

  it('documents all 61 OneRoster 1.1 operations and the categories-of-a-class extension with the OAuth2 scheme and their errors', () => {
    const doc = JSON.parse(readFileSync(FILE, 'utf8')) as {
      paths: Record<
        string,
        Record<
          string,
          { security?: unknown[]; responses: Record<string, unknown> }
        >
      >;
    };
    const ops = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/ims/oneroster/v1p1/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ path, method, op })),
      );
    // 41 rostering GETs, 16 gradebook operations, 4 resources GETs, and the one extension
    // (OneRoster 1.2's getCategoriesForClass, which Google Classroom calls on 1.1 too).
    expect(ops.length).toBe(62);
    expect(
      ops.filter((o) =>
        o.path.endsWith('/classes/{classSourcedId}/categories'),
      ),
    ).toHaveLength(1);
    expect(ops.filter((o) => o.method === 'put')).toHaveLength(3);
    expect(ops.filter((o) => o.method === 'delete')).toHaveLength(3);
    for (const { path, method, op } of ops) {
      expect({ path, method, security: op.security?.length }).toEqual({
        path,
        method,
        security: 1,
      });
      for (const code of ['401', '403'])
        expect({ path, method, has: code in op.responses }).toEqual({
          path,
          method,
          has: true,
        });
    }
  });
});

describe('OneRoster 1.2 rostering OpenAPI document', () => {
  type Op = {
    operationId: string;
    security?: Record<string, string[]>[];
    responses: Record<string, unknown>;
  };
  type Doc = {
    paths: Record<string, Record<string, Op>>;
    components: {
      schemas: Record<string, unknown>;
      securitySchemes: Record<
        string,
        { flows: { clientCredentials: { scopes: Record<string, string> } } }
      >;
    };
  };
  const BASE = '/ims/oneroster/rostering/v1p2';
  // Read when the tests run (after the drift test, which may write it).
  let doc: Doc;
  let ops: { path: string; method: string; op: Op }[];
  beforeAll(() => {
    doc = JSON.parse(readFileSync(FILE_V1P2, 'utf8')) as Doc;
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
  });

  it('documents exactly the 41 rostering endpoints of the checklist, and nothing of 1.1', () => {
    const expected = V1P2_ROUTES.filter((r) => r.service === 'rostering').map(
      (r) => `get ${BASE}${r.path} ${r.operationId}`,
    );
    expect(expected).toHaveLength(41);
    expect(
      ops.map((o) => `${o.method} ${o.path} ${o.op.operationId}`).sort(),
    ).toEqual(expected.sort());
  });

  it('gives every operation the OAuth2 scheme with its 1.2 scopes and their 1.1 counterparts, and its errors', () => {
    const known = Object.keys(
      doc.components.securitySchemes['OAuth2'].flows.clientCredentials.scopes,
    );
    for (const { path, op } of ops) {
      const route = V1P2_ROUTES.find((r) => r.operationId === op.operationId);
      const scopes = op.security?.[0]?.['OAuth2'] ?? [];
      for (const s of route?.scopes ?? ['a route of the checklist'])
        expect({ path, s, listed: scopes.includes(s) }).toEqual({
          path,
          s,
          listed: true,
        });
      expect({
        path,
        v1p1: scopes.some((s) => s.includes('/v1p1/')),
        unknown: scopes.filter((s) => !known.includes(s)),
      }).toEqual({ path, v1p1: true, unknown: [] });
      for (const code of ['200', '400', '401', '403'])
        expect({ path, code, has: code in op.responses }).toEqual({
          path,
          code,
          has: true,
        });
    }
  });

  it('resolves every schema reference', () => {
    const refs = [
      ...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g),
    ].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(100);
    expect(
      [...new Set(refs)].filter((r) => !(r in doc.components.schemas)),
    ).toEqual([]);
  });
});

describe.each(SERVICES)('OneRoster 1.2 %s OpenAPI document', (service) => {
  type Op = {
    operationId: string;
    security?: Record<string, string[]>[];
    requestBody?: { content: Record<string, { schema: { $ref: string } }> };
    responses: Record<
      string,
      { content?: Record<string, { schema: { $ref: string } }> }
    >;
  };
  type Doc = {
    paths: Record<string, Record<string, Op>>;
    components: {
      schemas: Record<string, { properties?: Record<string, unknown> }>;
      securitySchemes: Record<
        string,
        {
          flows: {
            clientCredentials: {
              tokenUrl: string;
              scopes: Record<string, string>;
            };
          };
        }
      >;
    };
  };
  const BASE = `/ims/oneroster/${service}/v1p2`;
  const routes = V1P2_ROUTES.filter((r) => r.service === service);
  let doc: Doc;
  let ops: { path: string; method: string; op: Op }[];
  beforeAll(() => {
    doc = JSON.parse(readFileSync(fileOf(service), 'utf8')) as Doc;
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
  });
  const routeOf = (op: Op) => {
    const route = routes.find((r) => r.operationId === op.operationId);
    if (!route) throw new Error(`${op.operationId} is not in the checklist`);
    return route;
  };

  it('documents exactly the endpoints of the checklist for the service', () => {
    const expected = routes.map(
      (r) => `${r.method.toLowerCase()} ${BASE}${r.path} ${r.operationId}`,
    );
    expect(expected).toHaveLength(service === 'gradebook' ? 35 : 5);
    expect(
      ops.map((o) => `${o.method} ${o.path} ${o.op.operationId}`).sort(),
    ).toEqual(expected.sort());
  });

  it('uses the same authorization server as the other documents, with every scope its routes accept', () => {
    const rostering = JSON.parse(readFileSync(FILE_V1P2, 'utf8')) as Doc;
    const flow =
      doc.components.securitySchemes['OAuth2'].flows.clientCredentials;
    expect(flow.tokenUrl).toBe(
      rostering.components.securitySchemes['OAuth2'].flows.clientCredentials
        .tokenUrl,
    );
    const listed = Object.keys(flow.scopes);
    for (const { path, op } of ops) {
      const route = routeOf(op);
      const scopes = op.security?.[0]?.['OAuth2'] ?? [];
      // Every 1.2 scope of the checklist, and nothing the scheme does not list.
      expect({
        path,
        missing: route.scopes.filter((s) => !scopes.includes(s)),
        unknown: scopes.filter((s) => !listed.includes(s)),
      }).toEqual({ path, missing: [], unknown: [] });
    }
    expect(
      listed.filter(
        (s) => !ops.some((o) => o.op.security?.[0]?.['OAuth2']?.includes(s)),
      ),
    ).toEqual([]);
  });

  it('answers each kind of route as the checklist says, errors with the 1.2 status payload', () => {
    const ref = (name: string) => `#/components/schemas/${name}`;
    for (const { path, op } of ops) {
      const route = routeOf(op);
      const success = {
        collection: '200',
        single: '200',
        created: '201',
        noContent: '204',
        sourcedIdPairs: '201',
      }[route.response];
      expect({ path, success: success in op.responses }).toEqual({
        path,
        success: true,
      });
      if (route.response === 'sourcedIdPairs')
        expect(
          op.responses['201'].content?.['application/json'].schema.$ref,
        ).toBe(ref('GUIDPairSetDType'));
      if (route.body)
        expect({
          path,
          body: op.requestBody?.content['application/json'].schema.$ref,
        }).toEqual({
          path,
          body: expect.stringMatching(
            route.method === 'POST'
              ? /SetDType$/
              : /^#\/components\/schemas\/Single/,
          ),
        });
      else
        expect({ path, body: op.requestBody }).toEqual({
          path,
          body: undefined,
        });
      for (const [code, response] of Object.entries(op.responses))
        if (Number(code) >= 400)
          expect({
            path,
            code,
            schema: response.content?.['application/json'].schema.$ref,
          }).toEqual({ path, code, schema: ref('imsx_StatusInfoDType') });
      for (const code of ['400', '401', '403', '429', '503'])
        expect({ path, code, has: code in op.responses }).toEqual({
          path,
          code,
          has: true,
        });
    }
  });

  it('resolves every schema reference, and describes the classes stored as 1.2 whole', () => {
    const refs = [
      ...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g),
    ].map((m) => m[1]);
    expect(
      [...new Set(refs)].filter((r) => !(r in doc.components.schemas)),
    ).toEqual([]);
    if (service === 'gradebook') {
      expect(
        Object.keys(doc.components.schemas['ScoreScaleDType'].properties ?? {}),
      ).toContain('scoreScaleValue');
      expect(
        Object.keys(
          doc.components.schemas['LearningObjectiveScoreSetDType'].properties ??
            {},
        ),
      ).toEqual(['source', 'learningObjectiveResults']);
      // A line item's and a result's learning objectives are stored for 1.2 (JSON).
      expect(
        doc.components.schemas['LineItemDType'].properties?.[
          'learningObjectiveSet'
        ],
      ).toEqual({
        type: 'array',
        items: { $ref: '#/components/schemas/LearningObjectiveSetDType' },
      });
      expect(
        doc.components.schemas['ResultDType'].properties?.[
          'learningObjectiveSet'
        ],
      ).toEqual({
        type: 'array',
        items: { $ref: '#/components/schemas/LearningObjectiveScoreSetDType' },
      });
    }
  });
});

describe('OpenAPI error examples', () => {
  type Media = {
    examples?: Record<
      string,
      {
        $ref: string;
      }
    >;
  };
  type Example = {
    value: {
      imsx_codeMajor: string;
      imsx_CodeMinor: {
        imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
      };
    };
  };
  const doc = JSON.parse(readFileSync(FILE, 'utf8')) as {
    paths: Record<
      string,
      Record<
        string,
        { responses: Record<string, { content?: Record<string, Media> }> }
      >
    >;
    components: { examples?: Record<string, Example> };
  };
  const resolve = (ref: string): Example => {
    const name = ref.replace('#/components/examples/', '');
    const example = doc.components.examples?.[name];
    if (!example) throw new Error(`${ref} does not resolve`);
    return example;
  };
  // What the API answers with each status (errors.ts and the exception filter).
  const REAL: Record<string, string[]> = {
    '400': [
      'invaliddata',
      'invalid_filter_field',
      'invalid_blank_selection_field',
    ],
    '401': ['unauthorisedrequest'],
    '403': ['forbidden'],
    '404': ['unknownobject'],
    '413': ['invaliddata'],
    '422': ['invaliddata'],
    '429': ['server_busy'],
    '503': ['server_busy'],
  };

  it('shows in every error response the codeMinor the API really answers with that status', () => {
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods))
        for (const [status, response] of Object.entries(op.responses)) {
          const media = response.content?.['application/json'];
          if (!(status in REAL) || !media) continue;
          const minors = Object.values(media.examples ?? {}).map(
            (e) =>
              resolve(e.$ref).value.imsx_CodeMinor.imsx_codeMinorField[0]
                .imsx_codeMinorFieldValue,
          );
          expect({ path, method, status, ok: minors.length > 0 }).toEqual({
            path,
            method,
            status,
            ok: true,
          });
          for (const m of minors)
            expect({
              path,
              method,
              status,
              m,
              real: REAL[status].includes(m),
            }).toEqual({
              path,
              method,
              status,
              m,
              real: true,
            });
          checked++;
        }
    expect(checked).toBeGreaterThan(300);
  });

  it('shows the filter and fields codeMinors on the 400 of a collection', () => {
    const media =
      doc.paths['/ims/oneroster/v1p1/users']['get'].responses['400'].content?.[
        'application/json'
      ];
    expect(Object.keys(media?.examples ?? {}).sort()).toEqual([
      'invalid_blank_selection_field',
      'invalid_filter_field',
      'invaliddata',
    ]);
  });
});
