export * from './lib/database-url';
export * from './lib/env';
export * from './lib/production';
export * from './lib/replicas';
