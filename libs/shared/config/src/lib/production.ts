import { ConfigError, DEFAULT_SQLITE_FILE } from './database-url';
import type { PlatformConfig } from './env';

/**
 * Demo or production, and what production refuses at boot. Rules enforced:
 * - the mode is `ONEROSTER_MODE` (`demo` or `production`; anything else is a ConfigError);
 *   unset, it is `production` when `NODE_ENV=production` and `demo` otherwise;
 * - in production `DEMO_PASSWORD` and `SANDBOX_CLIENT_SECRET` have no default (the demo
 *   values never reach a deployment);
 * - an app in production refuses to start (`assertSafeToStart`), naming every problem on a
 *   line of its own, when: demo seeding is on; a known demo value is set as
 *   `DEMO_PASSWORD`, `SANDBOX_CLIENT_SECRET` or (auth) `PORTAL_CLIENT_SECRET`; (auth)
 *   `AUTH_SIGNING_KEY` is unset (a key generated at start is the demo's); (auth)
 *   `PORTAL_CLIENT_SECRET` is unset or shorter than 32 characters; (auth) `REDIS_URL` is set
 *   without `CSV_UPLOAD_DIR` (queued uploads must be in a folder every instance reads);
 *   `DATABASE_URL` is unset
 *   (the embedded SQLite file); a public
 *   URL (`API_PUBLIC_URL`, `AUTH_PUBLIC_URL`, `ADMIN_PUBLIC_URL`, and `AUTH_ISSUER` where it
 *   leaves the auth server's origin) is plain http on anything but a loopback address
 *   (`AUTH_JWKS_URL` is held to https outside loopback in every mode, by `loadConfig`);
 * - the demo mode refuses nothing: `npm start` stays a one-command demo.
 */
export type PlatformMode = 'demo' | 'production';

/**
 * The app a check is for: the signing key and the portal client secret are the auth
 * server's alone (the API never holds the private key).
 */
export type PlatformApp = 'api' | 'auth';

type Env = Record<string, string | undefined>;

/** The values the demo ships with (README, `.env.example`): never secrets in production. */
export const KNOWN_DEMO_SECRETS: readonly string[] = [
  'demo-password',
  'sandbox-secret',
];

/** The upload folder with REDIS_URL and no CSV_UPLOAD_DIR (one machine's: not production's). */
export const DEFAULT_CSV_UPLOAD_DIR = 'data/csv-uploads';

/** Shortest PORTAL_CLIENT_SECRET production accepts (a random 32 characters or more). */
export const MIN_PORTAL_CLIENT_SECRET_LENGTH = 32;

/** Why production refuses to seed (the apps, `db prepare`, `prepareDatabase`). */
export const DEMO_SEEDING_REFUSED =
  'SEED_DEMO_DATA is on (the default for SQLite): production never seeds the demo trust; set SEED_DEMO_DATA=false';

export function platformMode(env: Env): PlatformMode {
  const v = env['ONEROSTER_MODE']?.trim();
  if (!v) return env['NODE_ENV'] === 'production' ? 'production' : 'demo';
  if (v === 'demo' || v === 'production') return v;
  throw new ConfigError(
    `ONEROSTER_MODE must be demo or production, got "${v}"`,
  );
}

/** The demo accounts' password and sandbox secret: the demo values only in the demo mode. */
export function demoSettings(
  env: Env,
  mode: PlatformMode,
): PlatformConfig['demo'] {
  const demo = mode === 'demo';
  return {
    password: env['DEMO_PASSWORD'] || (demo ? 'demo-password' : ''),
    sandboxClientSecret:
      env['SANDBOX_CLIENT_SECRET'] || (demo ? 'sandbox-secret' : ''),
  };
}

const isKnownDemoSecret = (v: string | null) =>
  !!v && KNOWN_DEMO_SECRETS.includes(v.trim().toLowerCase());

/** localhost, *.localhost, 127.0.0.0/8 and ::1. */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    h === '[::1]'
  );
}

/**
 * What would make `config` unsafe to serve in production for `app` (both apps when
 * omitted), one line per problem, each naming the setting and what to do (empty: nothing
 * found). Independent of `config.mode`.
 */
export function productionProblems(
  config: PlatformConfig,
  app?: PlatformApp,
): string[] {
  const problems: string[] = [];
  if (config.seedDemoData) problems.push(DEMO_SEEDING_REFUSED);
  for (const [name, value] of [
    ['DEMO_PASSWORD', config.demo.password],
    ['SANDBOX_CLIENT_SECRET', config.demo.sandboxClientSecret],
  ] as const)
    if (isKnownDemoSecret(value))
      problems.push(
        `${name} is the known demo value "${value}": production never uses demo secrets; unset it`,
      );
  // The API neither signs tokens nor serves the portal: these are the auth server's.
  if (app !== 'api') problems.push(...authServerProblems(config.auth));
  // Queued imports may run on any instance: their uploads must be where all can read them.
  if (
    app !== 'api' &&
    config.redisUrl &&
    config.csv.uploadDir === DEFAULT_CSV_UPLOAD_DIR
  )
    problems.push(
      `CSV_UPLOAD_DIR is unset while REDIS_URL is set: imports run on any instance, so set CSV_UPLOAD_DIR to a folder every auth server instance shares (e.g. a mounted volume)`,
    );
  if (
    config.database.kind === 'sqlite' &&
    config.database.file === DEFAULT_SQLITE_FILE
  )
    problems.push(
      `DATABASE_URL is unset: the embedded SQLite file ${DEFAULT_SQLITE_FILE} is for the demo; set DATABASE_URL=mysql://user:password@host:3306/oneroster`,
    );
  problems.push(...insecureUrls(config));
  return problems;
}

function authServerProblems(auth: PlatformConfig['auth']): string[] {
  const problems: string[] = [];
  const portal = auth.portalClientSecret;
  if (isKnownDemoSecret(portal))
    problems.push(
      `PORTAL_CLIENT_SECRET is the known demo value "${portal}": production never uses demo secrets; set a random secret`,
    );
  if (!auth.signingKey)
    problems.push(
      'AUTH_SIGNING_KEY is unset: a key generated at start is for the demo; set an ES256 private key (JWK or PKCS#8 PEM)',
    );
  if (!portal)
    problems.push(
      `PORTAL_CLIENT_SECRET is unset: set a random secret of at least ${MIN_PORTAL_CLIENT_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`,
    );
  else if (
    !isKnownDemoSecret(portal) &&
    portal.length < MIN_PORTAL_CLIENT_SECRET_LENGTH
  )
    problems.push(
      `PORTAL_CLIENT_SECRET is shorter than ${MIN_PORTAL_CLIENT_SECRET_LENGTH} characters: set a random secret (e.g. openssl rand -base64 32)`,
    );
  return problems;
}

function insecureUrls(config: PlatformConfig): string[] {
  const origin = (u: string) => new URL(u).origin;
  const urls: [string, string, boolean][] = [
    ['API_PUBLIC_URL', config.apiPublicUrl, true],
    ['AUTH_PUBLIC_URL', config.authPublicUrl, true],
    ['ADMIN_PUBLIC_URL', config.adminPublicUrl, true],
    // Derived from AUTH_PUBLIC_URL unless set: reported only where it leaves that origin.
    [
      'AUTH_ISSUER',
      config.tokens.issuer,
      origin(config.tokens.issuer) !== origin(config.authPublicUrl),
    ],
  ];
  return urls
    .filter(([, value, own]) => {
      const u = new URL(value);
      return own && u.protocol === 'http:' && !isLoopback(u.hostname);
    })
    .map(
      ([name, value]) =>
        `${name} is ${value}: production needs https (plain http only on a loopback address)`,
    );
}

/** Thrown by `assertSafeToStart`: every problem, one line each, in `problems`. */
export class UnsafeProductionConfig extends ConfigError {
  override name = 'UnsafeProductionConfig';
  constructor(
    readonly app: PlatformApp,
    readonly problems: string[],
  ) {
    super(
      [
        `${app}: refusing to start in production mode (ONEROSTER_MODE=production, or NODE_ENV=production without ONEROSTER_MODE):`,
        ...problems.map((p) => `  - ${p}`),
      ].join('\n'),
    );
  }
}

/**
 * Called first at an app's boot: in production, throws `UnsafeProductionConfig` listing every
 * problem `productionProblems` finds; in the demo mode, does nothing.
 */
export function assertSafeToStart(
  config: PlatformConfig,
  app: PlatformApp,
): void {
  if (config.mode !== 'production') return;
  const problems = productionProblems(config, app);
  if (problems.length) throw new UnsafeProductionConfig(app, problems);
}
