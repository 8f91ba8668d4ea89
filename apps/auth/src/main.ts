import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describeDatabase, loadConfig, LOG_LEVELS } from '@oneroster/config';
import { prepareDatabase } from '@oneroster/database';
import { AppLogger } from '@oneroster/feature-health';
import { AppModule } from './app/app.module';
import { configureApp } from './app/configure';

async function bootstrap() {
  const config = loadConfig();
  const logger = new Logger('auth');
  for (const warning of config.warnings) logger.warn(warning);
  const prepared = await prepareDatabase(config);
  if (prepared.migrationsApplied.length)
    logger.log(`Migrations applied: ${prepared.migrationsApplied.join(', ')}`);
  if (prepared.demo)
    logger.log(`Demo trust seeded (${prepared.demo.clients.length} schools)`);
  const app = await NestFactory.create(AppModule.register(config), {
    logger: new AppLogger(LOG_LEVELS[config.logLevel]),
  });
  configureApp(app, config);
  await app.listen(config.authPort);
  logger.log(
    `Auth server on ${config.authPublicUrl} (issuer ${config.tokens.issuer}, Swagger UI: ${config.authPublicUrl}/docs) using ${describeDatabase(config.database)}`,
  );
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
