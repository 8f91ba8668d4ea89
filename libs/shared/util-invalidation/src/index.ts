export * from './lib/invalidation-bus';
export * from './lib/redis-invalidation-bus';
export * from './lib/client-cache';
