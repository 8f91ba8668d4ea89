import {
  ConfigError,
  DEMO_SEEDING_REFUSED,
  type PlatformConfig,
} from '@oneroster/config';
import { DemoCredentials, seedDemoIfEmpty } from '@oneroster/demo-data';
import { migrate, openDatabase } from './data-source';

export interface PreparedDatabase {
  migrationsApplied: string[];
  /** Set when this call seeded the demo trust. */
  demo: DemoCredentials | null;
}

/**
 * What an app does to its database before it serves: apply pending migrations and seed
 * the demo trust into an empty database, each only when the configuration asks for it
 * (by default: for the embedded SQLite database only). In production mode seeding is
 * refused (a ConfigError), whatever the apps' own boot checks say.
 */
export async function prepareDatabase(
  config: PlatformConfig,
): Promise<PreparedDatabase> {
  if (config.mode === 'production' && config.seedDemoData)
    throw new ConfigError(DEMO_SEEDING_REFUSED);
  if (!config.migrateOnStart && !config.seedDemoData)
    return { migrationsApplied: [], demo: null };
  const ds = await openDatabase(config.database);
  try {
    const migrationsApplied = config.migrateOnStart ? await migrate(ds) : [];
    const demo = config.seedDemoData
      ? await seedDemoIfEmpty(ds, { size: 'demo', ...config.demo })
      : null;
    return { migrationsApplied, demo };
  } finally {
    await ds.destroy();
  }
}
