import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@oneroster/config';
import { AppModule } from './app.module';
import { configureApp } from './configure';

describe('auth app', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: 'sqlite::memory:',
      AUTH_SIGNING_KEY_FILE: join(
        mkdtempSync(join(tmpdir(), 'oneroster-auth-key-')),
        'key.json',
      ),
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register(config)],
    }).compile();
    app = moduleRef.createNestApplication();
    configureApp(app, config);
    await app.listen(0);
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers GET /health with its name, version and database state', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({
      status: 'ok',
      service: 'auth',
      version: '0.1.0',
      database: 'up',
    });
  });

  it('serves Swagger UI at /docs and its OpenAPI document', async () => {
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const doc = (await (await fetch(`${base}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain('/health');
  });
});
