export * from './lib/web-hygiene';
export * from './lib/client-address';
