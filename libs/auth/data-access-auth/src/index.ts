export * from './lib/typeorm-oidc-adapter';
export * from './lib/oauth-client-store';
export * from './lib/client-secrets';
export * from './lib/accounts';
export * from './lib/account-grants';
export * from './lib/integrator-clients';
