import type { PlatformConfig } from '@oneroster/config';

export const OIDC_SETTINGS = Symbol('OIDC_SETTINGS');
export const OIDC_PROVIDER = Symbol('OIDC_PROVIDER');

export interface OidcSettings {
  /** The issuer URL; the provider is mounted at its path (default `<AUTH_PUBLIC_URL>/oidc`). */
  issuer: string;
  /** The OneRoster API's resource indicator, the `aud` of every access token. */
  audience: string;
  signingKey: string | null;
  signingKeyFile: string;
  trustProxy: boolean;
  /** Token requests per client and IP address per minute (0: no limit). */
  tokenRateLimit: number;
  /** Browser origins allowed to call the token endpoint (the API's Swagger UI). */
  corsOrigins: string[];
}

export function oidcSettingsFrom(config: PlatformConfig): OidcSettings {
  return {
    issuer: config.tokens.issuer,
    audience: config.tokens.audience,
    ...config.auth,
    corsOrigins: [new URL(config.apiPublicUrl).origin],
  };
}
