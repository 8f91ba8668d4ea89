import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { PlatformConfig } from '@oneroster/config';
import { setupSwagger } from '@oneroster/feature-health';
import { mountOidc } from '@oneroster/feature-oidc';
import { mountPortal } from '@oneroster/feature-portal';
import { mountPlatform } from '@oneroster/feature-platform';
import {
  applyClientAddress,
  applyKeepAlive,
  applySecurityHeaders,
  compileTrust,
  securityHeaders,
} from '@oneroster/util-web-hygiene';
import { AUTH_VERSION } from './version';

/** Everything main.ts does to the app besides listening, shared with the tests. */
export function configureApp(
  app: INestApplication,
  config: PlatformConfig,
): void {
  app.enableShutdownHooks();
  applyKeepAlive(app.getHttpServer(), config.httpKeepAliveTimeoutMs);
  // The client's address (sign-in throttling, audit trail, logs) and req.protocol come from
  // X-Forwarded-* only as far as AUTH_TRUST_PROXY trusts the hops; the provider, mounted
  // ahead of Express, derives it the same way.
  applyClientAddress(
    app as NestExpressApplication,
    compileTrust(config.auth.trustProxy),
  );
  // Security headers for every response. OIDC form_post answers with a page that posts to
  // the client's redirect URI (another origin), so form-action is left to the pages
  // themselves: the sign-in pages and oidc-provider set their own Content-Security-Policy.
  const headers = {
    directives: { 'form-action': null },
    upgradeInsecureRequests: config.authPublicUrl.startsWith('https:'),
  };
  applySecurityHeaders(app as NestExpressApplication, headers);
  // The provider answers ahead of Express (the token endpoint's fast path), with the same
  // headers; its own middleware then sets its Content-Security-Policy.
  mountOidc(app, { headers: securityHeaders(headers) });
  mountPortal(app);
  // The integrator platform API has a Swagger document of its own (/platform/v1/docs).
  mountPlatform(app, { version: AUTH_VERSION });
  app.enableCors({ origin: config.adminPublicUrl });
  setupSwagger(app, {
    title: 'OneRoster Exchange authorization server',
    description: 'OAuth 2.0 / OpenID Connect server and the admin portal API.',
    version: AUTH_VERSION,
  });
}
