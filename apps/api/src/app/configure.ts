import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { PlatformConfig } from '@oneroster/config';
import { serveSwagger } from '@oneroster/feature-health';
import { answerClientErrorsAsOneRoster } from '@oneroster/util-http';
import {
  applyClientAddress,
  applyKeepAlive,
  applyWebHygiene,
  compileTrust,
} from '@oneroster/util-web-hygiene';
import {
  buildOpenApi,
  buildRosteringV1p2OpenApi,
  buildServiceV1p2OpenApi,
} from './openapi';

/** Everything main.ts does to the app besides listening, shared with the tests. */
export function configureApp(
  nestApp: INestApplication,
  config: PlatformConfig,
): void {
  // The API runs on Express (Nest's default platform).
  const app = nestApp as NestExpressApplication;
  // Collections change between requests; hashing multi-megabyte pages for an ETag is waste.
  app.set('etag', false);
  // The client's address (the audit trail's, and req.ip) comes from X-Forwarded-* only as far
  // as API_TRUST_PROXY trusts the hops.
  applyClientAddress(app, compileTrust(config.api.trustProxy));
  applyWebHygiene(app, {
    corsOrigins: config.api.corsOrigins,
    exposedHeaders: [
      'X-Total-Count',
      'Link',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
    ],
    jsonLimit: '1mb',
    // Swagger UI's "Authorize" fetches tokens from the auth server.
    connectSources: [new URL(config.tokens.issuer).origin],
    upgradeInsecureRequests: config.apiPublicUrl.startsWith('https:'),
  });
  serveSwagger(app, 'OneRoster 1.1 API', buildOpenApi(app, config));
  serveSwagger(
    app,
    'OneRoster 1.2 rostering API',
    buildRosteringV1p2OpenApi(app, config),
    'docs-v1p2',
  );
  // The other two 1.2 services, each with its own document, beside the rostering one.
  for (const service of ['gradebook', 'resources'] as const)
    serveSwagger(
      app,
      `OneRoster 1.2 ${service} API`,
      buildServiceV1p2OpenApi(app, config, service),
      `docs-v1p2-${service}`,
    );
  // Requests Node's parser refuses (431, 414, 400) answer with a status payload too.
  answerClientErrorsAsOneRoster(app.getHttpServer());
  applyKeepAlive(app.getHttpServer(), config.httpKeepAliveTimeoutMs);
}
