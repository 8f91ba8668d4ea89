import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { DataSource } from 'typeorm';
import { ALL_ONEROSTER_SCOPES, PLATFORM_SCOPES } from '@oneroster/contracts';
import { DatabaseConfig, loadConfig } from '@oneroster/config';
import { TestIssuer, startTestIssuer } from '@oneroster/api-testing';
import { openDatabase, migrate } from '@oneroster/database';
import { TestEngine } from '@oneroster/database/testing';
import {
  DemoCredentials,
  planTrust,
  seedDemoIfEmpty,
  TrustPlan,
} from '@oneroster/demo-data';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  ApplicationEntity,
  ApprovalEntity,
  IntegratorEntity,
  OAuthClientEntity,
  SchoolEntity,
} from '@oneroster/entities';
import { hashSecret } from '@oneroster/util-secrets';
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

/** A database of the engine, migrated and seeded with the demo trust, and its credentials. */
export interface DemoDatabase {
  database: DatabaseConfig;
  ds: DataSource;
  demo: DemoCredentials;
}

/**
 * Opens a fresh database of the engine, migrates it and seeds the demo trust, every sandbox
 * client with `sandboxClientSecret`, every account with `password`. Fails when the database
 * was not empty (the seed would not run, so the credentials would be unknown).
 */
export async function seedDemoDatabase(
  engine: TestEngine,
  sandboxClientSecret: string,
  password = 'pw',
): Promise<DemoDatabase> {
  const database = await engine.config();
  const ds = await openDatabase(database);
  await migrate(ds);
  const demo = await seedDemoIfEmpty(ds, {
    size: 'demo',
    password,
    sandboxClientSecret,
  });
  if (!demo) throw new Error('expected an empty database');
  return { database, ds, demo };
}

/** A fresh ES256 private key as a JWK with that `kid` (`AUTH_SIGNING_KEY` takes its JSON). */
export async function newSigningJwk(
  kid: string,
): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

/** The sandbox client of a school in the seeded demo trust ('' when it has none). */
export const sandboxClientOf = (demo: DemoCredentials, schoolId: string) =>
  demo.clients.find((c) => c.schoolId === schoolId)?.clientId ?? '';

/** A client-credentials token request to `tokenUrl`, the client authenticating by HTTP Basic. */
export function requestClientToken(
  tokenUrl: string,
  clientId: string,
  secret: string,
): Promise<Response> {
  return fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

/** The `access_token` of a token response. */
export async function accessTokenOf(res: Response): Promise<string> {
  return String(
    ((await res.json()) as Record<string, unknown>)['access_token'],
  );
}

/** A client-credentials access token; the token endpoint must answer 200. */
export async function clientToken(
  tokenUrl: string,
  clientId: string,
  secret: string,
): Promise<string> {
  const res = await requestClientToken(tokenUrl, clientId, secret);
  expect(res.status).toBe(200);
  return accessTokenOf(res);
}

/** A signing key file in a fresh temporary folder (the auth server writes its key there). */
export const tempSigningKeyFile = (prefix: string) =>
  join(mkdtempSync(join(tmpdir(), prefix)), 'key.json');

/** The application a client belongs to. */
export async function applicationOfClient(
  ds: DataSource,
  clientId: string,
): Promise<string> {
  return (
    await ds.getRepository(OAuthClientEntity).findOneByOrFail({ clientId })
  ).applicationId;
}

/** The application's OpenID Connect client (client id = application id), as the portal creates it. */
export async function addOidcClient(
  ds: DataSource,
  applicationId: string,
  secret: string,
): Promise<void> {
  await ds.getRepository(OAuthClientEntity).insert({
    clientId: applicationId,
    applicationId,
    schoolId: null,
    secretHash: await hashSecret(secret),
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    createdAt: new Date(),
    revokedAt: null,
  });
}

/** A teacher account in each of `schoolIds` (no roster user linked); returns its id. */
export async function addTeacher(
  ds: DataSource,
  email: string,
  password: string,
  schoolIds: string[],
): Promise<string> {
  const id = randomUUID();
  await ds.getRepository(AccountEntity).insert({
    id,
    email,
    displayName: 'Teacher of two schools',
    passwordHash: await hashSecret(password),
    platformRole: null,
    integratorId: null,
    disabled: false,
    createdAt: new Date(),
  });
  await ds.getRepository(AccountSchoolRoleEntity).insert(
    schoolIds.map((schoolId) => ({
      accountId: id,
      schoolId,
      role: 'teacher' as const,
      userSourcedId: null,
    })),
  );
  return id;
}
