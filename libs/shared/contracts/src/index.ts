export * from './lib/oneroster';
export * from './lib/oneroster-v1p2';
export * from './lib/scopes';
export * from './lib/scopes-v1p2';
export * from './lib/platform';
export * from './lib/portal';
export * from './lib/platform-api';
export * from './lib/usage-categories';
