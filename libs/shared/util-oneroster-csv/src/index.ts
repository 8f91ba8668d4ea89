export * from './lib/binding';
export * from './lib/binding-v1p2';
export * from './lib/writer';
export * from './lib/parser';
export * from './lib/report';
export * from './lib/manifest';
export * from './lib/rows';
export * from './lib/zip';
