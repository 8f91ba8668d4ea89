import type { INestApplication } from '@nestjs/common';
import type { PlatformConfig } from '@oneroster/config';
import { serveSwagger } from '@oneroster/feature-health';
import { buildOpenApi } from './openapi';

/** Everything main.ts does to the app besides listening, shared with the tests. */
export function configureApp(
  app: INestApplication,
  config: PlatformConfig,
): void {
  app.enableShutdownHooks();
  // Collections change between requests; hashing multi-megabyte pages for an ETag is waste.
  app.getHttpAdapter().getInstance().set('etag', false);
  app.enableCors({
    origin: config.adminPublicUrl,
    exposedHeaders: ['X-Total-Count', 'Link'],
  });
  serveSwagger(app, 'OneRoster 1.1 API', buildOpenApi(app, config));
}
