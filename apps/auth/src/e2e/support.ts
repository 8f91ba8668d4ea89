import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseConfig, loadConfig } from '@oneroster/config';
import { freePort } from '@oneroster/testing-browser';
import { migrate, openDatabase } from '@oneroster/database';
import { TestEngine } from '@oneroster/database/testing';
import { DemoCredentials, seedDemoIfEmpty } from '@oneroster/demo-data';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure';

export const TEST_AUDIENCE = 'http://api.test';
export const TEST_SECRET = 'sandbox-test-secret';

export interface TestAuth {
  app: INestApplication;
  issuer: string;
  tokenUrl: string;
  database: DatabaseConfig;
  close(): Promise<void>;
}

/** A seeded demo database (the sandbox clients have secret TEST_SECRET). */
export async function seededDatabase(
  engine: TestEngine,
): Promise<{ database: DatabaseConfig; demo: DemoCredentials }> {
  const database = await engine.config();
  const ds = await openDatabase(database);
  try {
    await migrate(ds);
    const demo = await seedDemoIfEmpty(ds, {
      size: 'demo',
      password: 'pw',
      sandboxClientSecret: TEST_SECRET,
    });
    if (!demo) throw new Error('expected an empty database');
    return { database, demo };
  } finally {
    await ds.destroy();
  }
}

/** Boots the real auth app (AppModule, as main.ts configures it) on `database`. */
export async function startTestAuth(
  database: DatabaseConfig,
  env: Record<string, string> = {},
): Promise<TestAuth> {
  const port = await freePort();
  const config = loadConfig({
    AUTH_PORT: String(port),
    AUTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
    API_PUBLIC_URL: TEST_AUDIENCE,
    AUTH_SIGNING_KEY_FILE: join(
      mkdtempSync(join(tmpdir(), 'oneroster-auth-key-')),
      'key.json',
    ),
    AUTH_TOKEN_RATE_LIMIT: '1000',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ ...config, database })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureApp(app, config);
  await app.listen(port, '127.0.0.1');
  return {
    app,
    issuer: config.tokens.issuer,
    tokenUrl: `${config.tokens.issuer}/token`,
    database,
    close: () => app.close(),
  };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export interface TokenResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POSTs a client-credentials request with Basic (default) or body authentication. */
export async function requestToken(
  tokenUrl: string,
  clientId: string,
  secret: string,
  options: { scope?: string; resource?: string; auth?: 'basic' | 'post' } = {},
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scope !== undefined) form.set('scope', options.scope);
  if (options.resource !== undefined) form.set('resource', options.resource);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (options.auth === 'post') {
    form.set('client_id', clientId);
    form.set('client_secret', secret);
  } else headers['authorization'] = basic(clientId, secret);
  const res = await fetch(tokenUrl, { method: 'POST', headers, body: form });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}
