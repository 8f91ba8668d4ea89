export * from './lib/resources';
export * from './lib/sql';
export * from './lib/reader';
export * from './lib/cursor-cache';
export * from './lib/read-ahead';
