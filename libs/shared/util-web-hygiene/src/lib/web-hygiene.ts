import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Server } from 'node:http';

/**
 * Browser-facing hardening of a Nest (Express) app, shared by the API and the auth server.
 * Rules enforced:
 * - no `X-Powered-By`;
 * - helmet's security headers: a Content-Security-Policy that lets the app's own Swagger UI
 *   (/docs) run (scripts and styles from the app itself; Swagger UI's inline styles; images
 *   as data: URIs) and call only the app and `connectSources` (the token endpoint), HSTS,
 *   `nosniff`, `frame-ancestors 'none'` and `X-Frame-Options: DENY` (no page of these apps
 *   is meant to be framed: clickjacking, RFC 9700 §4.16), `Referrer-Policy: no-referrer`,
 *   COOP/CORP;
 * - CORS only for the listed origins (no wildcard, no credentials): any other origin gets
 *   no `Access-Control-Allow-Origin` header, so browsers refuse to hand it the response;
 * - JSON bodies above `jsonLimit` (and form bodies above `formLimit`) are refused with 413
 *   before any handler runs.
 * The auth server must widen `form-action` (OIDC `form_post` posts a form to the client's
 * redirect URI, another origin) through `directives`.
 */
export interface WebHygieneOptions {
  /** Origins allowed to call the app from a browser (CORS). */
  corsOrigins: readonly string[];
  /** Response headers a cross-origin script may read. */
  exposedHeaders?: readonly string[];
  /** Largest JSON body accepted, e.g. `1mb`. */
  jsonLimit?: string;
  /** Largest `application/x-www-form-urlencoded` body accepted. */
  formLimit?: string;
  /** Other origins the app's own pages may call (CSP connect-src), e.g. the token endpoint. */
  connectSources?: readonly string[];
  /** Upgrade http: subresources to https: (on for https deployments only). */
  upgradeInsecureRequests?: boolean;
  /** Directives to add or replace (`null` removes a default one). */
  directives?: Record<string, readonly string[] | null>;
}

export const DEFAULT_JSON_LIMIT = '1mb';

export function contentSecurityPolicy(
  options: Pick<
    WebHygieneOptions,
    'connectSources' | 'upgradeInsecureRequests' | 'directives'
  >,
): Record<string, string[] | null> {
  const base: Record<string, string[] | null> = {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'", ...(options.connectSources ?? [])],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // Swagger UI sets styles inline.
    'style-src': ["'self'", "'unsafe-inline'"],
    'upgrade-insecure-requests': options.upgradeInsecureRequests ? [] : null,
  };
  for (const [name, value] of Object.entries(options.directives ?? {}))
    base[name] = value === null ? null : [...value];
  return base;
}

/** All of it, in order: headers, CORS, body limits (before any route is mounted). */
export function applyWebHygiene(
  app: NestExpressApplication,
  options: WebHygieneOptions,
): void {
  applySecurityHeaders(app, options);
  applyCors(app, options);
  applyBodyLimits(app, options);
}

type SecurityHeaderOptions = Pick<
  WebHygieneOptions,
  'connectSources' | 'upgradeInsecureRequests' | 'directives'
>;

const helmetFor = (options: SecurityHeaderOptions) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicy(options),
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });

/**
 * The headers `applySecurityHeaders` sets on every response, as a list: for a handler that
 * answers ahead of Express (the auth server's OpenID Connect endpoints) and must send the same.
 */
export function securityHeaders(
  options: SecurityHeaderOptions,
): ReadonlyArray<readonly [string, string]> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) =>
      headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  };
  let failure: unknown;
  helmetFor(options)(
    { headers: {}, method: 'GET', url: '/' } as never,
    recorder as never,
    (err?: unknown) => {
      failure = err;
    },
  );
  if (failure) throw failure;
  return [...headers];
}

/** No `X-Powered-By`; helmet's headers with the Content-Security-Policy above. */
export function applySecurityHeaders(
  app: NestExpressApplication,
  options: SecurityHeaderOptions,
): void {
  app.disable('x-powered-by');
  app.use(helmetFor(options));
}

export function applyCors(
  app: NestExpressApplication,
  options: Pick<WebHygieneOptions, 'corsOrigins' | 'exposedHeaders'>,
): void {
  app.enableCors({
    origin: [...options.corsOrigins],
    methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: [...(options.exposedHeaders ?? [])],
    credentials: false,
    maxAge: 600,
  });
}

/**
 * JSON and form body parsers with size limits (413 beyond). An app that mounts a component
 * parsing its own bodies (oidc-provider) mounts it first, then calls this.
 */
export function applyBodyLimits(
  app: NestExpressApplication,
  options: Pick<WebHygieneOptions, 'jsonLimit' | 'formLimit'>,
): void {
  app.useBodyParser('json', { limit: options.jsonLimit ?? DEFAULT_JSON_LIMIT });
  app.useBodyParser('urlencoded', {
    limit: options.formLimit ?? '100kb',
    extended: false,
  });
}

/**
 * Idle kept-alive connections stay open for `keepAliveTimeoutMs` (Node's default is 5 s,
 * shorter than most proxies' and about the same as Node clients' own idle timeout, so a
 * client could send a request on a socket the server is just closing: ECONNRESET, or a 502
 * from a proxy). The time allowed for a request's headers stays above it, as Node requires
 * for kept-alive connections to be reused safely.
 */
export function applyKeepAlive(
  server: Server,
  keepAliveTimeoutMs: number,
): void {
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = Math.max(
    server.headersTimeout,
    keepAliveTimeoutMs + 1000,
  );
  if (
    server.requestTimeout > 0 &&
    server.requestTimeout < server.headersTimeout
  )
    server.requestTimeout = server.headersTimeout;
}
