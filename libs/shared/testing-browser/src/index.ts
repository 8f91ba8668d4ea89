export * from './lib/browser';
export * from './lib/free-port';
