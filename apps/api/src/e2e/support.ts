import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DatabaseConfig, loadConfig } from '@oneroster/config';
import { TestIssuer, startTestIssuer } from '@oneroster/api-testing';
import { openDatabase, migrate, TestEngine } from '@oneroster/database';
import { planTrust, seedDemoIfEmpty, TrustPlan } from '@oneroster/demo-data';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure';

export interface TestApi {
  app: INestApplication;
  url: string;
  issuer: TestIssuer;
  plan: TrustPlan;
  database: DatabaseConfig;
  close(): Promise<void>;
}

/** Boots the real API (AppModule, as main.ts configures it) on a seeded demo database. */
export async function startTestApi(engine: TestEngine): Promise<TestApi> {
  const database = await engine.config();
  const seedDs = await openDatabase(database);
  await migrate(seedDs);
  await seedDemoIfEmpty(seedDs, {
    size: 'demo',
    password: 'pw',
    sandboxClientSecret: 'secret',
  });
  await seedDs.destroy();
  const audience = 'http://api.test';
  const issuer = await startTestIssuer(audience);
  const config = loadConfig({
    API_PUBLIC_URL: audience,
    AUTH_ISSUER: issuer.issuer,
    AUTH_JWKS_URL: issuer.jwksUrl,
    API_AUDIENCE: audience,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ ...config, database })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    issuer,
    plan: planTrust({ size: 'demo' }),
    database,
    async close() {
      await app.close();
      await issuer.close();
    },
  };
}
