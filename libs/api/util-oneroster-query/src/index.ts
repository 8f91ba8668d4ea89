export * from './lib/errors';
export * from './lib/filter';
export * from './lib/collection-query';
