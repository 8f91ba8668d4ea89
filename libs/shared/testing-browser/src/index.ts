export * from './lib/browser';
