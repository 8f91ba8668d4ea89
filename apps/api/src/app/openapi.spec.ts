import { Test } from '@nestjs/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@oneroster/config';
import { AppModule } from './app.module';
import { buildOpenApi } from './openapi';

/*
 * apps/api/openapi.json is the committed contract of the API. This test fails when the code
 * and the file drift apart; after an intended change regenerate the file with
 *   UPDATE_OPENAPI=1 npx nx test api --testPathPatterns=openapi --skip-nx-cache
 */
const FILE = join(__dirname, '../../openapi.json');

describe('OpenAPI document', () => {
  it('matches the committed apps/api/openapi.json', async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register(config)],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const doc = `${JSON.stringify(buildOpenApi(app, config), null, 2)}\n`;
    await app.close();
    if (process.env['UPDATE_OPENAPI'] === '1') writeFileSync(FILE, doc);
    expect(doc).toEqual(readFileSync(FILE, 'utf8'));
  });

  it('documents all 61 OneRoster 1.1 operations with the OAuth2 scheme and their errors', () => {
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
    // 41 rostering GETs, 16 gradebook operations, 4 resources GETs.
    expect(ops.length).toBe(61);
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
