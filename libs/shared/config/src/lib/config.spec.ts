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
      loadConfig({ AUTH_TRUST_PROXY: '2', AUTH_TOKEN_RATE_LIMIT: '0' }).auth,
    ).toMatchObject({ trustProxy: 2, tokenRateLimit: 0 });
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
      uploadDir: null,
      queuePrefix: 'oneroster',
    });
    expect(
      loadConfig({ CSV_MAX_INFLATED_MB: '64', CSV_MAX_QUEUED_IMPORTS: '1' })
        .csv,
    ).toMatchObject({
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

  it('reads the import queue: a shared upload folder with Redis, a checked key prefix', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig(redis).csv).toMatchObject({
      uploadDir: 'data/csv-uploads',
      queuePrefix: 'oneroster',
    });
    expect(
      loadConfig({
        ...redis,
        CSV_UPLOAD_DIR: ' /srv/shared/uploads ',
        CSV_IMPORT_QUEUE_PREFIX: 'trust-a',
      }).csv,
    ).toMatchObject({
      uploadDir: '/srv/shared/uploads',
      queuePrefix: 'trust-a',
    });
    expect(loadConfig({ CSV_UPLOAD_DIR: '/tmp/u' }).csv.uploadDir).toBe(
      '/tmp/u',
    );
    for (const bad of ['a b', 'trust"a', ':a', 'a:', 'x'.repeat(101)])
      expect(() => loadConfig({ CSV_IMPORT_QUEUE_PREFIX: bad })).toThrow(
        /CSV_IMPORT_QUEUE_PREFIX must be/,
      );
  });

  describe('AUTH_TRUST_PROXY, ADMIN_TRUST_PROXY and API_TRUST_PROXY (whose X-Forwarded-For is believed)', () => {
    const read = (v: string) => {
      const api = loadConfig({ API_TRUST_PROXY: v }).api.trustProxy;
      const auth = loadConfig({ AUTH_TRUST_PROXY: v }).auth.trustProxy;
      // The three are read by the same rule.
      expect(api).toEqual(auth);
      return {
        auth,
        admin: loadConfig({ ADMIN_TRUST_PROXY: v }).admin.trustProxy,
      };
    };

    it('trusts no proxy by default, nor for false, 0, no or off', () => {
      expect(loadConfig({}).auth.trustProxy).toBe(false);
      expect(loadConfig({}).admin.trustProxy).toBe(false);
      expect(loadConfig({}).api.trustProxy).toBe(false);
      for (const v of ['', 'false', 'FALSE', '0', 'no', 'off'])
        expect(read(v)).toEqual({ auth: false, admin: false });
      expect(loadConfig({}).warnings).toEqual([]);
    });

    it('reads a hop count', () => {
      expect(read('1')).toEqual({ auth: 1, admin: 1 });
      expect(read(' 3 ')).toEqual({ auth: 3, admin: 3 });
    });

    it('reads a list of proxy addresses and CIDR ranges', () => {
      expect(read('10.0.0.0/8, 192.168.1.7,::1 ,fd00::/8,loopback')).toEqual({
        auth: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback'],
        admin: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback'],
      });
    });

    it('reads true as one proxy, with a warning naming the variable', () => {
      const config = loadConfig({
        AUTH_TRUST_PROXY: 'true',
        ADMIN_TRUST_PROXY: 'yes',
      });
      expect(config.auth.trustProxy).toBe(1);
      expect(config.admin.trustProxy).toBe(1);
      expect(config.warnings).toEqual([
        expect.stringMatching(/^AUTH_TRUST_PROXY=true is read as 1/),
        expect.stringMatching(/^ADMIN_TRUST_PROXY=yes is read as 1/),
      ]);
    });

    it('refuses what is neither, naming the variable and the entry', () => {
      for (const name of ['AUTH_TRUST_PROXY', 'ADMIN_TRUST_PROXY'])
        for (const bad of [
          'everything',
          '10.0.0.0/33',
          '10.0.0.1, proxy.internal',
          '-1',
          '1.5',
          '300.1.1.1',
        ])
          expect(() => loadConfig({ [name]: bad })).toThrow(
            new RegExp(
              `^${name} must be false, a number of proxies, or a comma-separated list`,
            ),
          );
    });
  });

  describe('AUTH_JWKS_URL', () => {
    it('accepts https anywhere and http only on loopback', () => {
      for (const ok of [
        'https://auth.example.org/oidc/jwks',
        'http://localhost:3333/oidc/jwks',
        'http://127.0.0.1:3333/oidc/jwks',
        'http://[::1]:3333/oidc/jwks',
      ])
        expect(loadConfig({ AUTH_JWKS_URL: ok }).tokens.jwksUrl).toBe(ok);
      expect(loadConfig({}).tokens.jwksUrl).toBe(
        'http://localhost:3333/oidc/jwks',
      );
    });

    it('refuses http elsewhere (set or derived from the issuer), and other schemes, in one line', () => {
      for (const env of [
        { AUTH_JWKS_URL: 'http://auth.example.org/oidc/jwks' },
        { AUTH_JWKS_URL: 'http://10.0.0.5:3333/oidc/jwks' },
        { AUTH_JWKS_URL: 'http://localhost.example.org/jwks' },
        { AUTH_JWKS_URL: 'ftp://127.0.0.1/jwks' },
        { AUTH_PUBLIC_URL: 'http://auth.internal:3333' },
        { AUTH_ISSUER: 'http://auth.example.org/oidc' },
      ])
        expect(() => loadConfig(env)).toThrow(
          /^AUTH_JWKS_URL must be an https URL \(http only for localhost, 127\.0\.0\.1 or ::1\), got "[^"\n]+"$/,
        );
      expect(
        loadConfig({ AUTH_ISSUER: 'https://auth.example.org/oidc' }).tokens
          .jwksUrl,
      ).toBe('https://auth.example.org/oidc/jwks');
    });
  });

  it('names the variable in errors', () => {
    expect(() => loadConfig({ API_PORT: 'eighty' })).toThrow(/API_PORT/);
    expect(() => loadConfig({ SEED_DEMO_DATA: 'maybe' })).toThrow(
      /SEED_DEMO_DATA/,
    );
  });
});

describe('INVALIDATION_CHANNEL', () => {
  it('defaults to oneroster:invalidate and takes another channel name', () => {
    expect(loadConfig({}).invalidation).toEqual({
      channel: 'oneroster:invalidate',
    });
    expect(
      loadConfig({ INVALIDATION_CHANNEL: 'trust-a:invalidate' }).invalidation
        .channel,
    ).toBe('trust-a:invalidate');
  });

  it('refuses a channel name with spaces, quotes or control characters, or too long', () => {
    for (const bad of [
      'oneroster invalidate',
      ' oneroster:invalidate',
      '"oneroster:invalidate"',
      'one\nroster',
      'x'.repeat(201),
    ])
      expect(() => loadConfig({ INVALIDATION_CHANNEL: bad })).toThrow(
        /INVALIDATION_CHANNEL/,
      );
  });
});

describe('platform API settings', () => {
  it('derives the platform audience from AUTH_PUBLIC_URL and has webhook defaults', () => {
    const { platform } = loadConfig({
      AUTH_PUBLIC_URL: 'https://auth.example.com/',
    });
    expect(platform).toEqual({
      audience: 'https://auth.example.com/platform/v1',
      webhookPollMs: 1000,
      webhookMaxAttempts: 10,
      webhookRetryBaseMs: 30_000,
      webhookRetryMaxMs: 6 * 3_600_000,
      webhookTimeoutMs: 10_000,
      webhookAllowLoopbackHttp: true,
      webhookAllowPrivateTargets: false,
    });
  });

  it('refuses webhook timings out of range, and a maximum wait below the base', () => {
    expect(() => loadConfig({ WEBHOOK_POLL_MS: '0' })).toThrow(
      /WEBHOOK_POLL_MS/,
    );
    expect(() => loadConfig({ WEBHOOK_MAX_ATTEMPTS: '51' })).toThrow(
      /WEBHOOK_MAX_ATTEMPTS/,
    );
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(
      /WEBHOOK_TIMEOUT_MS/,
    );
    expect(() =>
      loadConfig({
        WEBHOOK_RETRY_BASE_MS: '5000',
        WEBHOOK_RETRY_MAX_MS: '1000',
      }),
    ).toThrow(/WEBHOOK_RETRY_MAX_MS \(1000\) must not be below/);
  });

  it('delivers over https only in production: loopback http is off there, and refused when asked for', () => {
    expect(
      loadConfig({
        ONEROSTER_MODE: 'production',
        DEMO_PASSWORD: 'x'.repeat(20),
      }).platform.webhookAllowLoopbackHttp,
    ).toBe(false);
    expect(() =>
      loadConfig({
        ONEROSTER_MODE: 'production',
        WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
      }),
    ).toThrow(/WEBHOOK_ALLOW_LOOPBACK_HTTP is for development/);
  });

  it('keeps private webhook targets off unless set, in production too, and checks the value', () => {
    const production = {
      ONEROSTER_MODE: 'production',
      DEMO_PASSWORD: 'x'.repeat(20),
    };
    expect(loadConfig({}).platform.webhookAllowPrivateTargets).toBe(false);
    expect(loadConfig(production).platform.webhookAllowPrivateTargets).toBe(
      false,
    );
    expect(
      loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })
        .platform.webhookAllowPrivateTargets,
    ).toBe(true);
    expect(() =>
      loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'sometimes' }),
    ).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });
});
