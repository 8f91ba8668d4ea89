export * from './lib/data-source';
export * from './lib/migration-source';
export * from './lib/database.module';
export * from './lib/prepare';
export * from './lib/codec';
export * from './lib/replicas';
