export * from './lib/database-url';
export * from './lib/env';
