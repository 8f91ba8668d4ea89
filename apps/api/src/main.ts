import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  assertSafeToStart,
  describeDatabase,
  loadConfig,
  LOG_LEVELS,
} from '@oneroster/config';
import { prepareDatabase } from '@oneroster/database';
import { AppLogger } from '@oneroster/feature-health';
import { AppModule } from './app/app.module';
import { configureApp } from './app/configure';

async function bootstrap() {
  const config = loadConfig();
  // Production refuses demo defaults before touching the database (every reason, one a line).
  assertSafeToStart(config, 'api');
  const logger = new Logger('api');
  const prepared = await prepareDatabase(config);
  if (prepared.migrationsApplied.length)
    logger.log(`Migrations applied: ${prepared.migrationsApplied.join(', ')}`);
  if (prepared.demo)
    logger.log(`Demo trust seeded (${prepared.demo.clients.length} schools)`);
  const app = await NestFactory.create(AppModule.register(config), {
    logger: new AppLogger(LOG_LEVELS[config.logLevel]),
  });
  configureApp(app, config);
  // SIGTERM/SIGINT: stop accepting, let requests in flight finish (at most 10 s), flush the
  // usage counters, close the database, exit 0 (HttpDrain and the providers' shutdown hooks).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      // Backstop: a shutdown that hangs (a database that never answers) still ends.
      setTimeout(() => {
        logger.error('Shutdown took longer than 20 s; exiting');
        process.exit(1);
      }, 20_000).unref();
    });
  await app.listen(config.apiPort);
  logger.log(
    `API on ${config.apiPublicUrl} (Swagger UI: ${config.apiPublicUrl}/docs) using ${describeDatabase(config.database)}`,
  );
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
