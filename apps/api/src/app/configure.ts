import type { INestApplication } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { setupSwagger } from '@oneroster/feature-health';
import { API_VERSION } from './version';

/** Everything main.ts does to the app besides listening, shared with the tests. */
export function configureApp(
  app: INestApplication,
  config: PlatformConfig,
): void {
  app.enableShutdownHooks();
  app.enableCors({ origin: config.adminPublicUrl });
  setupSwagger(app, {
    title: 'OneRoster 1.1 API',
    description:
      'OneRoster 1.1 rostering, gradebook and resources for the schools that approved your application.',
    version: API_VERSION,
  });
}
