export * from './lib/dto';
export * from './lib/endpoints';
export * from './lib/error-examples';
export * from './lib/route-table';
