export * from './lib/typeorm-oidc-adapter';
export * from './lib/oauth-client-store';
