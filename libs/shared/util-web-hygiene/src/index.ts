export * from './lib/web-hygiene';
