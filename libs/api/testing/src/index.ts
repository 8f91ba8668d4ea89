export * from './lib/test-issuer';
export * from './lib/isolation';
export * from './lib/query-arbitraries';
