export * from './lib/oidc-settings';
export * from './lib/oidc.module';
export * from './lib/oidc-provider.factory';
export * from './lib/signing-key';
export * from './lib/account-sessions';
