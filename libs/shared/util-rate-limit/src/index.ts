export * from './lib/rate-limit-store';
export * from './lib/sliding-window';
export * from './lib/store';
