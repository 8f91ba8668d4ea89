export * from './lib/oneroster';
export * from './lib/scopes';
export * from './lib/platform';
export * from './lib/portal';
