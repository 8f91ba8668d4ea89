export * from './lib/secrets';
