export * from './lib/approval-lookup';
export * from './lib/category-scopes';
