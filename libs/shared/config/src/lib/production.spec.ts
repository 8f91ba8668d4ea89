import { ConfigError } from './database-url';
import { loadConfig } from './env';
import {
  assertSafeToStart,
  platformMode,
  productionProblems,
  UnsafeProductionConfig,
} from './production';

/** A production configuration with nothing to refuse; each test breaks one thing. */
const SAFE = {
  ONEROSTER_MODE: 'production',
  DATABASE_URL: 'mysql://oneroster:s3cret@db.internal:3306/oneroster',
  AUTH_SIGNING_KEY: '{"kty":"EC","crv":"P-256","x":"…","y":"…","d":"…"}',
  PORTAL_CLIENT_SECRET: 'x'.repeat(32),
  API_PUBLIC_URL: 'https://api.example.org',
  AUTH_PUBLIC_URL: 'https://auth.example.org',
  ADMIN_PUBLIC_URL: 'https://portal.example.org',
  REDIS_URL: 'redis://redis.internal:6379',
  CSV_UPLOAD_DIR: '/srv/oneroster/csv-uploads',
};

const problemsOf = (env: Record<string, string | undefined>) =>
  productionProblems(loadConfig({ ...SAFE, ...env }));

describe('platformMode', () => {
  it('is demo unless told otherwise, production with NODE_ENV=production', () => {
    expect(platformMode({})).toBe('demo');
    expect(platformMode({ NODE_ENV: 'test' })).toBe('demo');
    expect(platformMode({ NODE_ENV: 'production' })).toBe('production');
    expect(loadConfig({}).mode).toBe('demo');
    expect(loadConfig({ NODE_ENV: 'production' }).mode).toBe('production');
  });

  it('lets an explicit ONEROSTER_MODE win over NODE_ENV', () => {
    expect(
      platformMode({ ONEROSTER_MODE: 'demo', NODE_ENV: 'production' }),
    ).toBe('demo');
    expect(platformMode({ ONEROSTER_MODE: 'production' })).toBe('production');
    expect(platformMode({ ONEROSTER_MODE: '', NODE_ENV: 'production' })).toBe(
      'production',
    );
  });

  it('refuses any other ONEROSTER_MODE', () => {
    expect(() => loadConfig({ ONEROSTER_MODE: 'prod' })).toThrow(ConfigError);
    expect(() => loadConfig({ ONEROSTER_MODE: 'Production' })).toThrow(
      /ONEROSTER_MODE must be demo or production, got "Production"/,
    );
  });

  it('gives the demo password and sandbox secret defaults only in the demo mode', () => {
    expect(loadConfig({}).demo).toEqual({
      password: 'demo-password',
      sandboxClientSecret: 'sandbox-secret',
    });
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toEqual({
      password: '',
      sandboxClientSecret: '',
    });
  });
});

describe('productionProblems', () => {
  it('finds nothing in a production configuration', () => {
    expect(problemsOf({})).toEqual([]);
    expect(
      problemsOf({
        API_PUBLIC_URL: 'http://localhost:3000',
        AUTH_PUBLIC_URL: 'http://127.0.0.1:3333',
        ADMIN_PUBLIC_URL: 'http://[::1]:4200',
        AUTH_ISSUER: 'http://localhost:3333/oidc',
      }),
    ).toEqual([]);
  });

  it('refuses demo seeding', () => {
    expect(problemsOf({ SEED_DEMO_DATA: 'true' })).toEqual([
      expect.stringMatching(/^SEED_DEMO_DATA is on.*SEED_DEMO_DATA=false$/),
    ]);
  });

  it.each(['DEMO_PASSWORD', 'SANDBOX_CLIENT_SECRET'])(
    'refuses a known demo value in %s',
    (name) => {
      for (const value of ['demo-password', 'sandbox-secret', 'Demo-Password'])
        expect(problemsOf({ [name]: value })).toEqual([
          `${name} is the known demo value "${value}": production never uses demo secrets; unset it`,
        ]);
      expect(problemsOf({ [name]: 'something-else' })).toEqual([]);
    },
  );

  it('refuses a known demo value as the portal client secret', () => {
    expect(problemsOf({ PORTAL_CLIENT_SECRET: 'sandbox-secret' })).toEqual([
      'PORTAL_CLIENT_SECRET is the known demo value "sandbox-secret": production never uses demo secrets; set a random secret',
    ]);
  });

  it('asks the signing key and the portal client secret of the auth server only', () => {
    const config = loadConfig({
      ...SAFE,
      AUTH_SIGNING_KEY: '',
      PORTAL_CLIENT_SECRET: 'sandbox-secret',
    });
    expect(productionProblems(config, 'api')).toEqual([]);
    expect(
      productionProblems(config, 'auth').map((p) => p.split(' ')[0]),
    ).toEqual(['PORTAL_CLIENT_SECRET', 'AUTH_SIGNING_KEY']);
    expect(productionProblems(config)).toEqual(
      productionProblems(config, 'auth'),
    );
  });

  it('asks the auth server for a shared upload folder when imports are queued in Redis', () => {
    expect(problemsOf({ CSV_UPLOAD_DIR: undefined })).toEqual([
      expect.stringMatching(/^CSV_UPLOAD_DIR is unset while REDIS_URL is set/),
    ]);
    expect(
      productionProblems(
        loadConfig({ ...SAFE, CSV_UPLOAD_DIR: undefined }),
        'api',
      ),
    ).toEqual([]);
    // Without Redis the imports run in the process that received them.
    expect(
      problemsOf({ CSV_UPLOAD_DIR: undefined, REDIS_URL: undefined }),
    ).toEqual([]);
  });

  it('refuses an unset signing key', () => {
    expect(problemsOf({ AUTH_SIGNING_KEY: '' })).toEqual([
      expect.stringMatching(/^AUTH_SIGNING_KEY is unset: /),
    ]);
  });

  it('refuses an unset or short portal client secret', () => {
    expect(problemsOf({ PORTAL_CLIENT_SECRET: undefined })).toEqual([
      expect.stringMatching(/^PORTAL_CLIENT_SECRET is unset: /),
    ]);
    expect(problemsOf({ PORTAL_CLIENT_SECRET: 'x'.repeat(31) })).toEqual([
      expect.stringMatching(/^PORTAL_CLIENT_SECRET is shorter than 32 /),
    ]);
  });

  it('refuses the embedded SQLite default, not another database', () => {
    expect(problemsOf({ DATABASE_URL: '', SEED_DEMO_DATA: 'false' })).toEqual([
      expect.stringMatching(
        /^DATABASE_URL is unset: the embedded SQLite file data\/oneroster.sqlite/,
      ),
    ]);
    expect(
      problemsOf({
        DATABASE_URL: 'sqlite:/srv/oneroster.sqlite',
        SEED_DEMO_DATA: 'false',
      }),
    ).toEqual([]);
  });

  it.each([
    ['API_PUBLIC_URL', 'http://api.example.org'],
    ['AUTH_PUBLIC_URL', 'http://10.0.0.5:3333'],
    ['ADMIN_PUBLIC_URL', 'http://portal.example.org'],
    ['AUTH_ISSUER', 'http://issuer.example.org/oidc'],
  ])('refuses plain http on a non-loopback address in %s', (name, value) => {
    // (loadConfig itself holds the JWKS URL, derived from these, to https outside loopback)
    const jwks = { AUTH_JWKS_URL: 'https://auth.example.org/oidc/jwks' };
    expect(problemsOf({ ...jwks, [name]: value })).toEqual([
      `${name} is ${value}: production needs https (plain http only on a loopback address)`,
    ]);
  });

  it('reports an insecure auth URL once, not again for the issuer derived from it', () => {
    expect(
      problemsOf({
        AUTH_PUBLIC_URL: 'http://auth.example.org',
        AUTH_JWKS_URL: 'https://auth.example.org/oidc/jwks',
      }),
    ).toEqual([
      'AUTH_PUBLIC_URL is http://auth.example.org: production needs https (plain http only on a loopback address)',
    ]);
  });

  it('lists every problem of the demo defaults, one line each', () => {
    const problems = productionProblems(loadConfig({ NODE_ENV: 'production' }));
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'SEED_DEMO_DATA',
      'AUTH_SIGNING_KEY',
      'PORTAL_CLIENT_SECRET',
      'DATABASE_URL',
    ]);
    for (const p of problems) expect(p).not.toContain('\n');
    // A copied demo .env: its demo password and secret are refused too.
    expect(
      productionProblems(
        loadConfig({
          NODE_ENV: 'production',
          DEMO_PASSWORD: 'demo-password',
          SANDBOX_CLIENT_SECRET: 'sandbox-secret',
        }),
      ).map((p) => p.split(' ')[0]),
    ).toEqual([
      'SEED_DEMO_DATA',
      'DEMO_PASSWORD',
      'SANDBOX_CLIENT_SECRET',
      'AUTH_SIGNING_KEY',
      'PORTAL_CLIENT_SECRET',
      'DATABASE_URL',
    ]);
  });
});

describe('assertSafeToStart', () => {
  it('throws in production with every problem on its own line', () => {
    const config = loadConfig({
      ...SAFE,
      SEED_DEMO_DATA: 'on',
      AUTH_SIGNING_KEY: '',
    });
    let thrown: unknown;
    try {
      assertSafeToStart(config, 'auth');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UnsafeProductionConfig);
    const err = thrown as UnsafeProductionConfig;
    expect(err.problems).toHaveLength(2);
    expect(err.message.split('\n')).toEqual([
      expect.stringMatching(/^auth: refusing to start in production mode/),
      `  - ${err.problems[0]}`,
      `  - ${err.problems[1]}`,
    ]);
  });

  it('passes a safe production configuration and anything in the demo mode', () => {
    expect(() => assertSafeToStart(loadConfig(SAFE), 'auth')).not.toThrow();
    expect(() => assertSafeToStart(loadConfig({}), 'auth')).not.toThrow();
    expect(() =>
      assertSafeToStart(
        loadConfig({ ONEROSTER_MODE: 'demo', NODE_ENV: 'production' }),
        'auth',
      ),
    ).not.toThrow();
  });
});
