import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ALL_ONEROSTER_SCOPES, PLATFORM_SCOPES } from '@oneroster/contracts';
import { DatabaseConfig, loadConfig } from '@oneroster/config';
import { TestIssuer, startTestIssuer } from '@oneroster/api-testing';
import { openDatabase, migrate } from '@oneroster/database';
import { TestEngine } from '@oneroster/database/testing';
import { planTrust, seedDemoIfEmpty, TrustPlan } from '@oneroster/demo-data';
import {
  ApplicationEntity,
  ApprovalEntity,
  IntegratorEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { AppModule, AppOptions } from '../app/app.module';
import { configureApp } from '../app/configure';

export interface TestApi {
  app: INestApplication;
  url: string;
  issuer: TestIssuer;
  plan: TrustPlan;
  database: DatabaseConfig;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Extra environment for loadConfig (e.g. API_RATE_LIMIT, REDIS_URL). */
  env?: Record<string, string>;
  app?: AppOptions;
  /**
   * Share a token issuer with another instance in this process (passport keeps one
   * strategy per name per process, so two instances must trust the same keys).
   */
  issuer?: TestIssuer;
}

/** Boots the real API (AppModule, as main.ts configures it) on a seeded demo database. */
export async function startTestApi(
  engine: TestEngine,
  options: TestApiOptions = {},
): Promise<TestApi> {
  const database = await engine.config();
  const seedDs = await openDatabase(database);
  await migrate(seedDs);
  await seedDemoIfEmpty(seedDs, {
    size: 'demo',
    password: 'pw',
    sandboxClientSecret: 'secret',
  });
  await approveTestClient(seedDs);
  await seedDs.destroy();
  const audience = 'http://api.test';
  const issuer = options.issuer ?? (await startTestIssuer(audience));
  const config = loadConfig({
    API_PUBLIC_URL: audience,
    AUTH_ISSUER: issuer.issuer,
    AUTH_JWKS_URL: issuer.jwksUrl,
    API_AUDIENCE: audience,
    // The functional suites send far more than a client's minute of requests; the rate
    // limit has its own suite.
    API_RATE_LIMIT: '0',
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ ...config, database }, options.app)],
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
      if (!options.issuer) await issuer.close();
    },
  };
}

export const TEST_CLIENT_ID = 'test-client';

/**
 * The API serves a token only the schools that approve its client now. The test issuer signs
 * for client `test-client` (or another id given): register it as an application of the sandbox integrator that
 * every seeded school approves with every scope (the API checks each school's own scopes).
 */
export async function approveTestClient(
  ds: DataSource,
  clientId = TEST_CLIENT_ID,
): Promise<void> {
  if (await ds.getRepository(ApplicationEntity).existsBy({ id: clientId }))
    return;
  const [integrator] = await ds
    .getRepository(IntegratorEntity)
    .find({ take: 1 });
  const schools = await ds.getRepository(SchoolEntity).find();
  const now = new Date();
  const scopes = [...ALL_ONEROSTER_SCOPES, ...Object.values(PLATFORM_SCOPES)];
  await ds.transaction(async (em) => {
    await em.insert(ApplicationEntity, {
      id: clientId,
      integratorId: integrator.id,
      name:
        clientId === TEST_CLIENT_ID ? 'API tests' : `API tests (${clientId})`,
      description: null,
      requestedScopes: scopes,
      redirectUris: [],
      createdAt: now,
      updatedAt: now,
    });
    for (const school of schools)
      await em.insert(ApprovalEntity, {
        id: randomUUID(),
        schoolId: school.id,
        applicationId: clientId,
        status: 'approved',
        scopes,
        requestedAt: now,
        decidedAt: now,
        decidedByAccountId: null,
      });
  });
}
