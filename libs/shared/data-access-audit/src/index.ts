export * from './lib/record-audit';
