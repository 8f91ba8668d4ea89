export * from './lib/approval-lookup';
