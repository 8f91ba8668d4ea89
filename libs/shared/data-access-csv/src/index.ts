export * from './lib/import';
export * from './lib/export';
export * from './lib/records';
export * from './lib/school-lock';
export * from './lib/jobs';
