export * from './lib/data-source';
export * from './lib/migration-source';
export * from './lib/database.module';
export * from './lib/prepare';
export * from './lib/codec';
/**
 * @deprecated Test support: import it from `@oneroster/database/testing`. Kept here only
 * while specs under libs/api (data-access-oneroster, data-access-usage) still import it
 * from the main entry point.
 */
export { openMigratedDatabase, testEngines } from './lib/test-database';
