import { ConfigError, parseDatabaseUrl } from './database-url';
import { loadConfig } from './env';

describe('parseDatabaseUrl', () => {
  it('defaults to the embedded SQLite file', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({
      kind: 'sqlite',
      file: 'data/oneroster.sqlite',
    });
  });

  it('reads a MySQL URL with encoded credentials', () => {
    expect(
      parseDatabaseUrl('mysql://or%40app:p%3Ass@db.internal:3307/roster'),
    ).toEqual({
      kind: 'mysql',
      host: 'db.internal',
      port: 3307,
      user: 'or@app',
      password: 'p:ss',
      database: 'roster',
    });
  });

  it('refuses unknown schemes and URLs without a database', () => {
    expect(() => parseDatabaseUrl('postgres://x/y')).toThrow(ConfigError);
    expect(() => parseDatabaseUrl('mysql://root@localhost')).toThrow(
      /must name a database/,
    );
  });
});

describe('loadConfig', () => {
  it('migrates and seeds by default only for the embedded database', () => {
    expect(loadConfig({})).toMatchObject({
      migrateOnStart: true,
      seedDemoData: true,
      apiPort: 3000,
    });
    expect(
      loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1/x' }),
    ).toMatchObject({
      migrateOnStart: false,
      seedDemoData: false,
    });
  });

  it('reads the auth server settings', () => {
    expect(loadConfig({}).auth).toEqual({
      signingKey: null,
      signingKeyFile: 'data/auth-signing-key.json',
      trustProxy: false,
      tokenRateLimit: 60,
      clientCacheMs: 1000,
      portalClientSecret: null,
      signIn: {
        perEmailAndIp: 5,
        perEmail: 20,
        windowSeconds: 900,
        globalPerMinute: 600,
        hashConcurrency: 4,
        hashQueue: 32,
      },
      portalSessionMaxHours: 12,
    });
    expect(
      loadConfig({
        AUTH_SIGNIN_LIMIT_PER_EMAIL_IP: '3',
        AUTH_SIGNIN_LIMIT_PER_EMAIL: '0',
        AUTH_SIGNIN_WINDOW_SECONDS: '60',
        AUTH_SIGNIN_LIMIT_GLOBAL: '100',
        AUTH_SIGNIN_HASH_CONCURRENCY: '1',
        AUTH_SIGNIN_HASH_QUEUE: '0',
      }).auth.signIn,
    ).toEqual({
      perEmailAndIp: 3,
      perEmail: 0,
      windowSeconds: 60,
      globalPerMinute: 100,
      hashConcurrency: 1,
      hashQueue: 0,
    });
    for (const name of [
      'AUTH_SIGNIN_WINDOW_SECONDS',
      'AUTH_SIGNIN_HASH_CONCURRENCY',
    ])
      expect(() => loadConfig({ [name]: '0' })).toThrow(name);
    expect(() => loadConfig({ AUTH_SIGNIN_LIMIT_PER_EMAIL: 'many' })).toThrow(
      /AUTH_SIGNIN_LIMIT_PER_EMAIL/,
    );
    expect(
      loadConfig({ PORTAL_CLIENT_SECRET: 'portal-secret' }).auth
        .portalClientSecret,
    ).toBe('portal-secret');
    expect(
      loadConfig({ AUTH_TRUST_PROXY: 'true', AUTH_TOKEN_RATE_LIMIT: '0' }).auth,
    ).toMatchObject({ trustProxy: true, tokenRateLimit: 0 });
    expect(loadConfig({ AUTH_CLIENT_CACHE_MS: '0' }).auth.clientCacheMs).toBe(
      0,
    );
    expect(() => loadConfig({ AUTH_TOKEN_RATE_LIMIT: '-1' })).toThrow(
      /AUTH_TOKEN_RATE_LIMIT/,
    );
  });

  it('reads the absolute portal session lifetime and refuses one out of range', () => {
    expect(
      loadConfig({ PORTAL_SESSION_MAX_HOURS: '2' }).auth.portalSessionMaxHours,
    ).toBe(2);
    for (const bad of ['0', '721', '1.5', 'twelve'])
      expect(() => loadConfig({ PORTAL_SESSION_MAX_HOURS: bad })).toThrow(
        /PORTAL_SESSION_MAX_HOURS/,
      );
  });

  it('reads the API rate limit and CORS origins', () => {
    expect(loadConfig({}).api).toMatchObject({
      rateLimit: 1200,
      corsOrigins: ['http://localhost:4200'],
    });
    expect(
      loadConfig({ ADMIN_PUBLIC_URL: 'https://portal.example.org/app' }).api
        .corsOrigins,
    ).toEqual(['https://portal.example.org']);
    expect(
      loadConfig({
        API_RATE_LIMIT: '0',
        CORS_ORIGINS: 'https://a.example.org, http://localhost:8080',
      }).api,
    ).toMatchObject({
      rateLimit: 0,
      corsOrigins: ['https://a.example.org', 'http://localhost:8080'],
    });
    expect(() => loadConfig({ API_RATE_LIMIT: 'lots' })).toThrow(
      /API_RATE_LIMIT/,
    );
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() =>
      loadConfig({ CORS_ORIGINS: 'https://a.example.org/path' }),
    ).toThrow(/CORS_ORIGINS/);
  });

  it('reads the API capacity bounds and refuses values out of range', () => {
    expect(loadConfig({}).api).toMatchObject({
      queueTimeoutMs: 10_000,
      largePagesPerClient: 4,
      writeIdleTimeoutMs: 30_000,
    });
    expect(
      loadConfig({
        API_QUEUE_TIMEOUT_MS: '500',
        API_LARGE_PAGES_PER_CLIENT: '9',
        API_WRITE_IDLE_TIMEOUT_MS: '2000',
      }).api,
    ).toMatchObject({
      queueTimeoutMs: 500,
      largePagesPerClient: 9,
      writeIdleTimeoutMs: 2000,
    });
    expect(
      loadConfig({ API_LARGE_PAGES_PER_CLIENT: '1' }).api.largePagesPerClient,
    ).toBe(1);
    expect(() => loadConfig({ API_LARGE_PAGES_PER_CLIENT: '10' })).toThrow(
      'API_LARGE_PAGES_PER_CLIENT must be a whole number from 1 to 9, got "10"',
    );
    // At or above the connection pool (10), large pages of one client could take it all.
    for (const bad of ['0', '10', '1.5', 'four'])
      expect(() => loadConfig({ API_LARGE_PAGES_PER_CLIENT: bad })).toThrow(
        /API_LARGE_PAGES_PER_CLIENT must be a whole number/,
      );
    for (const name of ['API_QUEUE_TIMEOUT_MS', 'API_WRITE_IDLE_TIMEOUT_MS'])
      for (const bad of ['0', '-1', '2.5', 'soon'])
        expect(() => loadConfig({ [name]: bad })).toThrow(new RegExp(name));
  });

  it('reads the CSV import caps, refusing anything but a whole number of at least 1', () => {
    expect(loadConfig({}).csv).toEqual({
      maxInflatedBytes: 2048 * 1024 * 1024,
      maxQueuedImportsPerSchool: 3,
    });
    expect(
      loadConfig({ CSV_MAX_INFLATED_MB: '64', CSV_MAX_QUEUED_IMPORTS: '1' })
        .csv,
    ).toEqual({
      maxInflatedBytes: 64 * 1024 * 1024,
      maxQueuedImportsPerSchool: 1,
    });
    for (const v of ['0', '-5', '1.5', 'lots'])
      expect(() => loadConfig({ CSV_MAX_INFLATED_MB: v })).toThrow(
        /CSV_MAX_INFLATED_MB/,
      );
    expect(() => loadConfig({ CSV_MAX_QUEUED_IMPORTS: '0' })).toThrow(
      /CSV_MAX_QUEUED_IMPORTS must be at least 1/,
    );
  });

  it('names the variable in errors', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
    expect(() => loadConfig({ SEED_DEMO_DATA: 'maybe' })).toThrow(
      /SEED_DEMO_DATA/,
    );
  });
});
