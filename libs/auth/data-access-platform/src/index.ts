export * from './lib/errors';
export * from './lib/signature';
export * from './lib/events';
export * from './lib/paging';
export * from './lib/webhooks';
export * from './lib/approvals-feed';
export * from './lib/dispatcher';
export * from './lib/webhook-targets';
