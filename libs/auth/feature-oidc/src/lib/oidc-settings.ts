import type {
  PlatformConfig,
  SignInLimitsConfig,
  TrustProxySetting,
} from '@oneroster/config';
import { generateSecret } from '@oneroster/util-secrets';

export const OIDC_SETTINGS = Symbol('OIDC_SETTINGS');
export const OIDC_PROVIDER = Symbol('OIDC_PROVIDER');
/** The RateLimitStore counting token requests and failed sign-ins. */
export const OIDC_RATE_LIMITS = Symbol('OIDC_RATE_LIMITS');

export const PORTAL_CLIENT_ID = 'admin-portal';

/** The admin portal's first-party OpenID Connect client (code + PKCE, no API access). */
export interface PortalClientSettings {
  clientId: typeof PORTAL_CLIENT_ID;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface OidcSettings {
  /** The issuer URL; the provider is mounted at its path (default `<AUTH_PUBLIC_URL>/oidc`). */
  issuer: string;
  /** The OneRoster API's resource indicator, the `aud` of every access token. */
  audience: string;
  /**
   * The platform API's resource indicator, the `aud` of integrator platform tokens
   * (default: `/platform/v1` at the issuer's origin).
   */
  platformAudience?: string;
  signingKey: string | null;
  signingKeyFile: string;
  /** Which peers' X-Forwarded-* headers are believed (see @oneroster/util-web-hygiene). */
  trustProxy: TrustProxySetting;
  /** Redis shared by the instances for rate limits and sign-in throttling; null: per process. */
  redisUrl: string | null;
  /** The Redis channel of cache invalidation between instances (with `redisUrl` only). */
  invalidationChannel: string;
  /** Token requests per client and IP address per minute (0: no limit). */
  tokenRateLimit: number;
  /** How long a client read for a token request is reused, in ms (0: never). */
  clientCacheMs: number;
  /** How sign-in attempts are throttled and password checks bounded. */
  signIn: SignInLimitsConfig;
  /** Browser origins allowed to call the token endpoint (the API's Swagger UI). */
  corsOrigins: string[];
  portalClient: PortalClientSettings;
}

export function oidcSettingsFrom(config: PlatformConfig): OidcSettings {
  const { portalClientSecret, ...auth } = config.auth;
  return {
    issuer: config.tokens.issuer,
    audience: config.tokens.audience,
    platformAudience: config.platform.audience,
    redisUrl: config.redisUrl,
    invalidationChannel: config.invalidation.channel,
    ...auth,
    corsOrigins: [new URL(config.apiPublicUrl).origin],
    portalClient: {
      clientId: PORTAL_CLIENT_ID,
      // The portal's backend runs in this process and reads the secret from here.
      clientSecret: portalClientSecret ?? generateSecret(),
      redirectUris: [`${config.adminPublicUrl}/portal/auth/callback`],
      postLogoutRedirectUris: [`${config.adminPublicUrl}/`],
    },
  };
}
