export * from './lib/api-usage-recorder';
