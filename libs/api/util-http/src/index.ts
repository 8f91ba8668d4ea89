export * from './lib/status-payload';
export * from './lib/exception.filter';
export * from './lib/paging';
export * from './lib/principal';
export * from './lib/token.strategy';
export * from './lib/approvals';
export * from './lib/auth.guard';
export * from './lib/http.module';
