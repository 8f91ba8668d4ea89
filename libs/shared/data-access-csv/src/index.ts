export * from './lib/import';
export * from './lib/export';
export * from './lib/records';
export * from './lib/school-lock';
export * from './lib/jobs';
export * from './lib/jobs/runner';
export * from './lib/jobs/in-process';
export * from './lib/jobs/bullmq';
