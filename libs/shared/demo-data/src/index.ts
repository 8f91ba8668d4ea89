export * from './lib/random';
export * from './lib/plan';
export * from './lib/dataset';
export * from './lib/generate';
export * from './lib/write-database';
export * from './lib/write-csv';
export * from './lib/seed-platform';
export * from './lib/seed-demo';
