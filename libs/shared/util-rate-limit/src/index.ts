export * from './lib/rate-limit-store';
export * from './lib/memory-store';
export * from './lib/redis-store';
export * from './lib/create-store';
