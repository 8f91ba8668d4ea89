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
    });
    expect(
      loadConfig({ AUTH_TRUST_PROXY: 'true', AUTH_TOKEN_RATE_LIMIT: '0' }).auth,
    ).toMatchObject({ trustProxy: true, tokenRateLimit: 0 });
    expect(() => loadConfig({ AUTH_TOKEN_RATE_LIMIT: '-1' })).toThrow(
      /AUTH_TOKEN_RATE_LIMIT/,
    );
  });

  it('names the variable in errors', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
    expect(() => loadConfig({ SEED_DEMO_DATA: 'maybe' })).toThrow(
      /SEED_DEMO_DATA/,
    );
  });
});
