import { ConfigError } from './database-url';
import { loadConfig } from './env';
import { assertSafeToStart } from './production';

const primary = 'mariadb://app:secret@db-primary:3306/oneroster';

describe('read replicas (DATABASE_REPLICA_*)', () => {
  it('has none by default, with a 5 s lag bound checked every second', () => {
    expect(loadConfig({ DATABASE_URL: primary }).replicas).toEqual({
      servers: [],
      maxLagSeconds: 5,
      checkIntervalMs: 1000,
    });
  });

  it('reads a comma-separated list; a replica without a path reads the primary database', () => {
    const { replicas } = loadConfig({
      DATABASE_URL: primary,
      DATABASE_REPLICA_URLS:
        ' mysql://reader:p%40ss@replica-1:3307 , mysql://reader@replica-2/other ',
      DATABASE_REPLICA_MAX_LAG_S: '30',
      DATABASE_REPLICA_CHECK_INTERVAL_MS: '250',
    });
    expect(replicas).toEqual({
      servers: [
        {
          kind: 'mysql',
          flavor: 'mariadb',
          host: 'replica-1',
          port: 3307,
          user: 'reader',
          password: 'p@ss',
          database: 'oneroster',
        },
        {
          kind: 'mysql',
          flavor: 'mariadb',
          host: 'replica-2',
          port: 3306,
          user: 'reader',
          password: '',
          database: 'other',
        },
      ],
      maxLagSeconds: 30,
      checkIntervalMs: 250,
    });
  });

  it('refuses replicas beside the embedded SQLite database', () => {
    expect(() =>
      loadConfig({ DATABASE_REPLICA_URLS: 'mysql://r@replica/oneroster' }),
    ).toThrow(/needs a mysql: or mariadb: DATABASE_URL/);
  });

  it('refuses a replica URL of another scheme, or the primary itself, without echoing a password', () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: primary,
        DATABASE_REPLICA_URLS: 'sqlite:data/copy.sqlite',
      }),
    ).toThrow(/entry 1 must be a mysql:\/\/ or mariadb:\/\/ URL/);
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: primary,
        DATABASE_REPLICA_URLS:
          'mysql://r@replica/oneroster,mysql://app:secret@db-primary:3306/oneroster',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /entry 2 names the primary itself/,
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it.each([
    ['DATABASE_REPLICA_MAX_LAG_S', '0'],
    ['DATABASE_REPLICA_MAX_LAG_S', '2.5'],
    ['DATABASE_REPLICA_MAX_LAG_S', '3601'],
    ['DATABASE_REPLICA_CHECK_INTERVAL_MS', '99'],
    ['DATABASE_REPLICA_CHECK_INTERVAL_MS', 'often'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ DATABASE_URL: primary, [name]: value })).toThrow(
      new RegExp(`${name} must be a whole number from`),
    );
  });

  it('leaves the production rules as they are', () => {
    const config = loadConfig({
      ONEROSTER_MODE: 'production',
      DATABASE_URL: primary,
      DATABASE_REPLICA_URLS: 'mysql://reader@replica-1/oneroster',
      DEMO_PASSWORD: 'demo-password',
    });
    expect(config.replicas.servers).toHaveLength(1);
    expect(() => assertSafeToStart(config, 'api')).toThrow(/DEMO_PASSWORD/);
  });
});
