import { compile as compileProxyAddresses } from 'proxy-addr';
import { ConfigError, DatabaseConfig, parseDatabaseUrl } from './database-url';
import {
  DEFAULT_CSV_UPLOAD_DIR,
  demoSettings,
  platformMode,
  type PlatformMode,
} from './production';
import { replicaConfig, type ReplicaConfig } from './replicas';

/** Typed view of the environment. The only place in the code base that reads process.env. */
export interface PlatformConfig {
  /** `demo` (refuses nothing) or `production` (refuses demo defaults at boot: production.ts). */
  mode: PlatformMode;
  database: DatabaseConfig;
  /** Seed the demo trust when the database is empty (default: on for the embedded database). */
  seedDemoData: boolean;
  /** Run migrations when an app starts (default: on for the embedded database). */
  migrateOnStart: boolean;
  apiPort: number;
  authPort: number;
  adminPort: number;
  /** Public base URL of the API (used in GUIDRef hrefs and Swagger). */
  apiPublicUrl: string;
  authPublicUrl: string;
  adminPublicUrl: string;
  redisUrl: string | null;
  /**
   * How long the API and the auth server keep an idle kept-alive connection open, in ms:
   * longer than the idle timeout of the proxies and clients in front of them, so that they,
   * not the server, close idle connections (no request sent on a socket the server is closing).
   */
  httpKeepAliveTimeoutMs: number;
  /** How the API checks access tokens (issued by the auth server). */
  tokens: { issuer: string; jwksUrl: string; audience: string };
  /** The auth server's own settings. */
  auth: AuthServerConfig;
  /**
   * Password of every demo account and secret of the sandbox clients (demo data only;
   * no default in production).
   */
  demo: { password: string; sandboxClientSecret: string };
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** The API's HTTP hardening. */
  api: ApiHttpConfig;
  /** CSV imports (uploads through the portal, the command line). */
  csv: CsvImportConfig;
  /** The admin portal's web server. */
  admin: AdminServerConfig;
  /** Settings accepted but worth a warning at start (each a sentence). */
  warnings: string[];
  /** Cache invalidation across instances (through Redis when `redisUrl` is set). */
  invalidation: InvalidationConfig;
  /** Read replicas of a MySQL/MariaDB primary (none by default): replicas.ts. */
  replicas: ReplicaConfig;
  /** The integrator platform API and its webhooks (auth server). */
  platform: PlatformApiConfig;
}

export interface PlatformApiConfig {
  /** The platform API's resource indicator: `<AUTH_PUBLIC_URL>/platform/v1`. */
  audience: string;
  /** How often a dispatcher looks for due webhook deliveries (WEBHOOK_POLL_MS). */
  webhookPollMs: number;
  /** Attempts per delivery before it is marked failed (WEBHOOK_MAX_ATTEMPTS). */
  webhookMaxAttempts: number;
  /** Wait before the 2nd attempt; doubled for each one after (WEBHOOK_RETRY_BASE_MS). */
  webhookRetryBaseMs: number;
  /** Longest wait between attempts (WEBHOOK_RETRY_MAX_MS). */
  webhookRetryMaxMs: number;
  /** How long a receiver may take to answer (WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs: number;
  /** Whether http webhook URLs on a loopback host are accepted (WEBHOOK_ALLOW_LOOPBACK_HTTP). */
  webhookAllowLoopbackHttp: boolean;
  /**
   * Whether webhooks may go to private, loopback, link-local and unique-local addresses
   * (WEBHOOK_ALLOW_PRIVATE_TARGETS; default false, in every mode).
   */
  webhookAllowPrivateTargets: boolean;
}

export interface InvalidationConfig {
  /** The Redis pub/sub channel every instance shares (INVALIDATION_CHANNEL). */
  channel: string;
}

export interface CsvImportConfig {
  /** Largest total of bytes an imported zip may inflate to (CSV_MAX_INFLATED_MB). */
  maxInflatedBytes: number;
  /** Imports one school may have queued or running at once (CSV_MAX_QUEUED_IMPORTS). */
  maxQueuedImportsPerSchool: number;
  /**
   * Where portal uploads wait for their import job (CSV_UPLOAD_DIR); null: the system's
   * temporary folder. With REDIS_URL set a job may run on another instance, so this must
   * be a folder every instance of the auth server reads (default data/csv-uploads).
   */
  uploadDir: string | null;
  /** Prefix of the import queue's Redis keys (CSV_IMPORT_QUEUE_PREFIX; with REDIS_URL only). */
  queuePrefix: string;
}

export interface ApiHttpConfig {
  /** Requests per minute per client (token client_id); 0: no limit. */
  rateLimit: number;
  /** Origins a browser may call the API from (CORS); default: the admin portal only. */
  corsOrigins: string[];
  /** Longest a collection request waits for capacity before 503 server_busy, in ms. */
  queueTimeoutMs: number;
  /**
   * Large pages (`limit` above 500) one client may have in flight at once, 1 to 9: below
   * the database connection pool (10), which each large page may hold while it is written.
   */
  largePagesPerClient: number;
  /** Longest a response's written bytes may wait for a slow client before it is cut, in ms. */
  writeIdleTimeoutMs: number;
  /** Which peers' X-Forwarded-* headers the API believes (API_TRUST_PROXY): audit addresses. */
  trustProxy: TrustProxySetting;
}

export interface AuthServerConfig {
  /** ES256 private key as a JWK (JSON) or PKCS#8 PEM; unset: a key kept in `signingKeyFile`. */
  signingKey: string | null;
  /** Where the generated key is kept when `signingKey` is unset (created on first start). */
  signingKeyFile: string;
  /** Which peers' X-Forwarded-* headers are believed (AUTH_TRUST_PROXY). */
  trustProxy: TrustProxySetting;
  /** Token requests allowed per client and IP address per minute (0: no limit). */
  tokenRateLimit: number;
  /**
   * How long a client's row (secret hashes, approval) read for a token request is reused, in
   * milliseconds (0: read on every request). Changes made through this process apply at once.
   */
  clientCacheMs: number;
  /** Secret of the admin portal's OIDC client (`admin-portal`); null: random per start. */
  portalClientSecret: string | null;
  /** Sign-in throttling and password-hashing bounds. */
  signIn: SignInLimitsConfig;
  /**
   * Absolute lifetime of a portal session in hours, however much it is used (besides the
   * 8-hour idle timeout); 1 to 720.
   */
  portalSessionMaxHours: number;
}

/** How the sign-in form is throttled (each limit 0: off). */
export interface SignInLimitsConfig {
  /** Attempts per email and IP address per `windowSeconds`. */
  perEmailAndIp: number;
  /** Attempts per email, from any address, per `windowSeconds`. */
  perEmail: number;
  windowSeconds: number;
  /** Attempts per minute on the whole service (every instance). */
  globalPerMinute: number;
  /** Password checks (scrypt) running at once in one instance. */
  hashConcurrency: number;
  /** Attempts that may wait for a password check; beyond, "busy, try again". */
  hashQueue: number;
}

type Env = Record<string, string | undefined>;

function count(env: Env, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name} must be a whole number, got "${v}"`);
  return n;
}

/** A whole number of at least 1 (a cap of 0 would refuse everything). */
function positive(env: Env, name: string, fallback: number): number {
  const n = count(env, name, fallback);
  if (n < 1) throw new ConfigError(`${name} must be at least 1, got "${n}"`);
  return n;
}

function between(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const n = count(env, name, fallback);
  if (n < min || n > max)
    throw new ConfigError(
      `${name} must be a whole number from ${min} to ${max}, got "${env[name]}"`,
    );
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
}

function port(env: Env, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a TCP port, got "${v}"`);
  return n;
}

function url(env: Env, name: string, fallback: string): string {
  const v = env[name] || fallback;
  try {
    return new URL(v).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${v}"`);
  }
}

function tokenConfig(
  env: Env,
  apiPort: number,
  authPort: number,
): PlatformConfig['tokens'] {
  const issuer = url(
    env,
    'AUTH_ISSUER',
    `${url(env, 'AUTH_PUBLIC_URL', `http://localhost:${authPort}`)}/oidc`,
  );
  return {
    issuer,
    jwksUrl: secureJwksUrl(url(env, 'AUTH_JWKS_URL', `${issuer}/jwks`)),
    audience:
      env['API_AUDIENCE'] ||
      url(env, 'API_PUBLIC_URL', `http://localhost:${apiPort}`),
  };
}

export function loadConfig(env: Env = process.env): PlatformConfig {
  const mode = platformMode(env);
  const database = parseDatabaseUrl(env['DATABASE_URL']);
  const embedded = database.kind === 'sqlite';
  const apiPort = port(env, 'API_PORT', 3000);
  const authPort = port(env, 'AUTH_PORT', 3333);
  const adminPort = port(env, 'ADMIN_PORT', 4200);
  const logLevel = (env['LOG_LEVEL'] || 'log') as PlatformConfig['logLevel'];
  if (!Object.keys(LOG_LEVELS).includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be error, warn, log or debug, got "${logLevel}"`,
    );
  }
  const warnings: string[] = [];
  return {
    mode,
    database,
    seedDemoData: bool(env, 'SEED_DEMO_DATA', embedded),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', embedded),
    apiPort,
    authPort,
    adminPort,
    apiPublicUrl: url(env, 'API_PUBLIC_URL', `http://localhost:${apiPort}`),
    authPublicUrl: url(env, 'AUTH_PUBLIC_URL', `http://localhost:${authPort}`),
    adminPublicUrl: url(
      env,
      'ADMIN_PUBLIC_URL',
      `http://localhost:${adminPort}`,
    ),
    redisUrl: env['REDIS_URL'] || null,
    httpKeepAliveTimeoutMs: positive(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000),
    tokens: tokenConfig(env, apiPort, authPort),
    auth: {
      signingKey: env['AUTH_SIGNING_KEY'] || null,
      signingKeyFile:
        env['AUTH_SIGNING_KEY_FILE'] || 'data/auth-signing-key.json',
      trustProxy: trustProxy(env, 'AUTH_TRUST_PROXY', warnings),
      tokenRateLimit: count(env, 'AUTH_TOKEN_RATE_LIMIT', 60),
      clientCacheMs: count(env, 'AUTH_CLIENT_CACHE_MS', 1000),
      portalClientSecret: env['PORTAL_CLIENT_SECRET'] || null,
      signIn: signInLimits(env),
      portalSessionMaxHours: between(
        env,
        'PORTAL_SESSION_MAX_HOURS',
        12,
        1,
        720,
      ),
    },
    demo: demoSettings(env, mode),
    logLevel,
    api: {
      rateLimit: count(env, 'API_RATE_LIMIT', 1200),
      corsOrigins: origins(
        env,
        'CORS_ORIGINS',
        url(env, 'ADMIN_PUBLIC_URL', `http://localhost:${adminPort}`),
      ),
      queueTimeoutMs: positive(env, 'API_QUEUE_TIMEOUT_MS', 10_000),
      largePagesPerClient: between(env, 'API_LARGE_PAGES_PER_CLIENT', 4, 1, 9),
      writeIdleTimeoutMs: positive(env, 'API_WRITE_IDLE_TIMEOUT_MS', 30_000),
      trustProxy: trustProxy(env, 'API_TRUST_PROXY', warnings),
    },
    csv: {
      maxInflatedBytes:
        positive(env, 'CSV_MAX_INFLATED_MB', 2048) * 1024 * 1024,
      maxQueuedImportsPerSchool: positive(env, 'CSV_MAX_QUEUED_IMPORTS', 3),
      ...csvQueueConfig(env),
    },
    admin: { trustProxy: trustProxy(env, 'ADMIN_TRUST_PROXY', warnings) },
    warnings,
    invalidation: invalidationConfig(env),
    replicas: replicaConfig(env, database),
    platform: platformApiConfig(env, mode, authPort),
  };
}

function platformApiConfig(
  env: Env,
  mode: PlatformMode,
  authPort: number,
): PlatformApiConfig {
  const retryBase = between(
    env,
    'WEBHOOK_RETRY_BASE_MS',
    30_000,
    10,
    3_600_000,
  );
  const retryMax = between(
    env,
    'WEBHOOK_RETRY_MAX_MS',
    6 * 3_600_000,
    10,
    86_400_000,
  );
  if (retryMax < retryBase)
    throw new ConfigError(
      `WEBHOOK_RETRY_MAX_MS (${retryMax}) must not be below WEBHOOK_RETRY_BASE_MS (${retryBase})`,
    );
  const allowLoopbackHttp = bool(
    env,
    'WEBHOOK_ALLOW_LOOPBACK_HTTP',
    mode !== 'production',
  );
  if (allowLoopbackHttp && mode === 'production')
    throw new ConfigError(
      'WEBHOOK_ALLOW_LOOPBACK_HTTP is for development; production delivers webhooks over https only',
    );
  return {
    audience: `${url(env, 'AUTH_PUBLIC_URL', `http://localhost:${authPort}`)}/platform/v1`,
    webhookPollMs: between(env, 'WEBHOOK_POLL_MS', 1000, 50, 60_000),
    webhookMaxAttempts: between(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 50),
    webhookRetryBaseMs: retryBase,
    webhookRetryMaxMs: retryMax,
    webhookTimeoutMs: between(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    webhookAllowLoopbackHttp: allowLoopbackHttp,
    // Off unless asked for, in production too: an on-premise receiver on a private network
    // is a deliberate choice (it lets integrators reach that network).
    webhookAllowPrivateTargets: bool(
      env,
      'WEBHOOK_ALLOW_PRIVATE_TARGETS',
      false,
    ),
  };
}

// ---- Client addresses and token keys: which proxies are believed, where keys come from ----

/**
 * Which peers' `X-Forwarded-For` (and `-Proto`, `-Host`) an app believes:
 * - `false`: none; the connection's peer is the client, whatever the headers say;
 * - a hop count `n`: the `n` nearest hops are proxies (each appends the address it saw);
 * - a list of addresses and CIDR ranges (or proxy-addr's `loopback`, `linklocal`,
 *   `uniquelocal`): only those are proxies; the first address from the right that is not
 *   one of them is the client.
 * Never "every hop": that lets a client name its own address.
 */
export type TrustProxySetting = false | number | readonly string[];

export interface AdminServerConfig {
  /** Which peers' X-Forwarded-* headers the portal's server keeps (ADMIN_TRUST_PROXY). */
  trustProxy: TrustProxySetting;
}

/**
 * Reads a trust-proxy variable: `false` (default, also 0/no/off), a hop count, or a
 * comma-separated list of addresses/CIDRs, each checked as proxy-addr (which Express uses)
 * will read it. `true` is read as 1 with a warning: trusting every hop lets a client pick
 * its own address, and one proxy is what `true` nearly always meant.
 */
export function trustProxy(
  env: Env,
  name: string,
  warnings: string[],
): TrustProxySetting {
  const v = (env[name] ?? '').trim();
  if (v === '' || /^(0|false|no|off)$/i.test(v)) return false;
  if (/^(true|yes|on)$/i.test(v)) {
    warnings.push(
      `${name}=${v} is read as 1 (one proxy in front): set the number of proxies or their addresses`,
    );
    return 1;
  }
  if (/^\d+$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const entry of list) {
    try {
      compileProxyAddresses(entry);
    } catch {
      throw new ConfigError(
        `${name} must be false, a number of proxies, or a comma-separated list of proxy addresses or CIDR ranges, got "${entry}"`,
      );
    }
  }
  return list;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The API fetches the keys that make a token valid from the JWKS URL: over plain http anyone
 * on the path could hand it their own keys, so http is accepted only on this machine.
 */
function secureJwksUrl(jwksUrl: string): string {
  const { protocol, hostname } = new URL(jwksUrl);
  if (protocol === 'https:') return jwksUrl;
  if (protocol === 'http:' && LOOPBACK_HOSTS.has(hostname)) return jwksUrl;
  throw new ConfigError(
    `AUTH_JWKS_URL must be an https URL (http only for localhost, 127.0.0.1 or ::1), got "${jwksUrl}"`,
  );
}

/**
 * INVALIDATION_CHANNEL: a Redis channel name of printable ASCII without spaces (at most
 * 200 characters), so that one typed with a stray space or quote is caught at boot rather
 * than silently splitting the instances into two groups that never hear each other.
 */
function invalidationConfig(env: Env): InvalidationConfig {
  const v = env['INVALIDATION_CHANNEL'];
  const channel = v === undefined || v === '' ? 'oneroster:invalidate' : v;
  if (!/^[\x21-\x7e]{1,200}$/.test(channel) || /["'`]/.test(channel))
    throw new ConfigError(
      `INVALIDATION_CHANNEL must be 1 to 200 printable characters without spaces or quotes, got "${v}"`,
    );
  return { channel };
}

/**
 * CSV_UPLOAD_DIR and CSV_IMPORT_QUEUE_PREFIX. With REDIS_URL set, imports go to a queue
 * any instance's worker may take, so the upload folder defaults to one under data/ rather
 * than the machine's temporary folder (production requires it set: production.ts). The
 * prefix is a BullMQ key prefix: printable, no spaces, quotes or colons at its ends, at
 * most 100 characters.
 */
function csvQueueConfig(
  env: Env,
): Pick<CsvImportConfig, 'uploadDir' | 'queuePrefix'> {
  const dir = (env['CSV_UPLOAD_DIR'] ?? '').trim();
  const v = env['CSV_IMPORT_QUEUE_PREFIX'];
  const queuePrefix = v === undefined || v === '' ? 'oneroster' : v;
  if (
    !/^[\x21-\x7e]{1,100}$/.test(queuePrefix) ||
    /["'`]/.test(queuePrefix) ||
    /^:|:$/.test(queuePrefix)
  )
    throw new ConfigError(
      `CSV_IMPORT_QUEUE_PREFIX must be 1 to 100 printable characters without spaces or quotes, not starting or ending with ":", got "${v}"`,
    );
  return {
    uploadDir: dir || (env['REDIS_URL'] ? DEFAULT_CSV_UPLOAD_DIR : null),
    queuePrefix,
  };
}

function signInLimits(env: Env): SignInLimitsConfig {
  const limits = {
    perEmailAndIp: count(env, 'AUTH_SIGNIN_LIMIT_PER_EMAIL_IP', 5),
    perEmail: count(env, 'AUTH_SIGNIN_LIMIT_PER_EMAIL', 20),
    windowSeconds: count(env, 'AUTH_SIGNIN_WINDOW_SECONDS', 900),
    globalPerMinute: count(env, 'AUTH_SIGNIN_LIMIT_GLOBAL', 600),
    hashConcurrency: count(env, 'AUTH_SIGNIN_HASH_CONCURRENCY', 4),
    hashQueue: count(env, 'AUTH_SIGNIN_HASH_QUEUE', 32),
  };
  if (limits.windowSeconds < 1)
    throw new ConfigError('AUTH_SIGNIN_WINDOW_SECONDS must be at least 1');
  if (limits.hashConcurrency < 1)
    throw new ConfigError('AUTH_SIGNIN_HASH_CONCURRENCY must be at least 1');
  return limits;
}

/** A comma-separated list of web origins (`scheme://host[:port]`), each checked. */
function origins(env: Env, name: string, fallback: string): string[] {
  const v = env[name];
  if (v === undefined || v.trim() === '') return [new URL(fallback).origin];
  return v
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      let parsed: URL;
      try {
        parsed = new URL(o);
      } catch {
        throw new ConfigError(`${name} must list web origins, got "${o}"`);
      }
      if (
        !/^https?:$/.test(parsed.protocol) ||
        parsed.origin !== o.replace(/\/$/, '')
      )
        throw new ConfigError(
          `${name} must list origins like https://portal.example.org, got "${o}"`,
        );
      return parsed.origin;
    });
}

/** The log levels an app prints for a LOG_LEVEL (names as Nest's logger takes them). */
export const LOG_LEVELS = {
  error: ['error'],
  warn: ['error', 'warn'],
  log: ['error', 'warn', 'log'],
  debug: ['error', 'warn', 'log', 'debug', 'verbose'],
} as const satisfies Record<
  PlatformConfig['logLevel'],
  readonly ('error' | 'warn' | 'log' | 'debug' | 'verbose')[]
>;
