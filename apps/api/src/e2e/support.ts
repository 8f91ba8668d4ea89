import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { DatabaseConfig, loadConfig } from '@oneroster/config';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { openDatabase, migrate, TestEngine } from '@oneroster/database';
import { planTrust, seedDemoIfEmpty, TrustPlan } from '@oneroster/demo-data';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure';

/**
 * A stand-in token issuer for the API's tests until they run against the auth server: an
 * ES256 key, its JWKS served over real HTTP, and a signer of RFC 9068 access tokens. The
 * API's guard is configured exactly as in production (JWKS URL, issuer, audience).
 */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  token(
    claims?: Record<string, unknown>,
    options?: {
      typ?: string;
      expiresIn?: string;
      audience?: string;
      issuer?: string;
    },
  ): Promise<string>;
  /** A token signed by a key that is not in the JWKS. */
  foreignToken(claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const ALL_ROSTER_SCOPES = [
  ONEROSTER_SCOPES.roster,
  ONEROSTER_SCOPES.rosterCore,
  ONEROSTER_SCOPES.rosterDemographics,
].join(' ');

export async function startTestIssuer(audience: string): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const other = await generateKeyPair('ES256');
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: 'test-key',
    alg: 'ES256',
    use: 'sig',
  };
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/oidc`;
  const sign = (
    key: CryptoKey,
    kid: string,
    claims: Record<string, unknown>,
    o: Parameters<TestIssuer['token']>[1] = {},
  ) =>
    new SignJWT({
      scope: ALL_ROSTER_SCOPES,
      client_id: 'test-client',
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', typ: o.typ ?? 'at+jwt', kid })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? audience)
      .setSubject(String(claims['sub'] ?? 'test-client'))
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? '5m')
      .sign(key);
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience,
    token: (claims = {}, o = {}) => sign(privateKey, 'test-key', claims, o),
    foreignToken: (claims = {}) => sign(other.privateKey, 'test-key', claims),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

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
