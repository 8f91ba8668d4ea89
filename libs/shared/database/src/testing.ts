// Test support only: databases for the data-layer and end-to-end tests. Production code
// imports `@oneroster/database`, never this entry point.
export * from './lib/test-database';
