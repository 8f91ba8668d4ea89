import type { INestApplication } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { setupSwagger } from '@oneroster/feature-health';
import { mountOidc } from '@oneroster/feature-oidc';
import { AUTH_VERSION } from './version';

/** Everything main.ts does to the app besides listening, shared with the tests. */
export function configureApp(
  app: INestApplication,
  config: PlatformConfig,
): void {
  app.enableShutdownHooks();
  mountOidc(app);
  app.enableCors({ origin: config.adminPublicUrl });
  setupSwagger(app, {
    title: 'OneRoster Exchange authorization server',
    description: 'OAuth 2.0 / OpenID Connect server and the admin portal API.',
    version: AUTH_VERSION,
  });
}
