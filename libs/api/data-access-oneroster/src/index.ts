export * from './lib/resources';
export * from './lib/sql';
export * from './lib/reader';
export * from './lib/serialiser';
export * from './lib/cursor-cache';
export * from './lib/keyed-mutex';
export * from './lib/gradebook-writer';
export * from './lib/gradebook-changes';
