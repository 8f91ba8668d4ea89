import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PLATFORM_API_PATH } from '@oneroster/contracts';
import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import {
  findActiveAccount,
  StoredClientCache,
  TypeOrmOidcAdapter,
} from '@oneroster/data-access-auth';
import type { InvalidationBus } from '@oneroster/util-invalidation';
import type { RateLimitStore } from '@oneroster/util-rate-limit';
import { hashSecret } from '@oneroster/util-secrets';
import type { OidcSettings } from './oidc-settings';
import { useClientAddress } from './provider/client-address';
import {
  clientAdapter,
  EXTRA_CLIENT_PROPERTIES,
} from './provider/client-metadata';
import { installClientSecretCheck } from './provider/client-secret';
import { onProviderEvents } from './provider/events';
import {
  loadExistingGrant,
  refreshTokens,
  signInPolicy,
} from './provider/grants';
import {
  errorPage,
  logoutPages,
  useResponseHeaders,
} from './provider/provider-pages';
import {
  ACCESS_TOKEN_TTL,
  resourceIndicators,
} from './provider/resource-server';
import { extraTokenClaims } from './provider/token-claims';
import {
  withIntegratorClaims,
  withIntegratorClients,
  withPlatformResource,
} from './provider/integrator-clients';
import { tokenRateLimit } from './provider/token-rate-limit';
import { userApprovals } from './provider/user-approvals';
import { cookieKeyFrom, loadSigningKey } from './signing-key';

export { applicationRedirectUris } from './provider/client-metadata';

/**
 * The OAuth 2.0 / OpenID Connect server (oidc-provider), configured for OneRoster: the
 * composition of the units in ./provider, each listing the rules it enforces (client-metadata,
 * client-secret, token-rate-limit, client-address, resource-server, user-approvals,
 * token-claims, grants, provider-pages, events). Rules enforced here:
 * - grants: client credentials, authorization code (`code id_token` hybrid or `code`) and
 *   refresh tokens; no response type returns an access token from the authorization
 *   endpoint; PKCE S256 and an explicit, exactly registered redirect URI always; no dynamic
 *   registration, no dev interactions, no introspection, no userinfo, no DPoP (the API takes
 *   bearer tokens); client_secret_basic or client_secret_post only;
 * - ID tokens are ES256 and carry `sub`, `email`, `name` of an active account only;
 * - codes, tokens, sessions and grants are stored through TypeOrmOidcAdapter; losing a race
 *   for the same code or refresh token is `invalid_grant`;
 * - lifetimes: access tokens 5 minutes, codes 1 minute, ID tokens 10 minutes, interactions
 *   15 minutes, sessions 8 hours, grants 30 days, refresh tokens 14 days;
 * - browsers may call the token endpoint only from the configured origins (Swagger UI).
 */
export interface OidcProviderDeps {
  settings: OidcSettings;
  dataSource: DataSource;
  /** Counts token requests (per client and IP address, in any sliding minute). */
  rateLimits: RateLimitStore;
  /** Tells the client cache of changes committed by any instance (default: none). */
  invalidation?: InvalidationBus | null;
  logger?: Logger;
}

export async function createOidcProvider({
  settings,
  dataSource,
  rateLimits,
  invalidation = null,
  logger = new Logger('oidc'),
}: OidcProviderDeps): Promise<Provider> {
  const {
    default: ProviderClass,
    errors,
    interactionPolicy,
  } = await import('oidc-provider');
  const signingKey = await loadSigningKey(settings);
  const corsOrigins = new Set(settings.corsOrigins);
  const secure = new URL(settings.issuer).protocol === 'https:';
  const approvals = userApprovals(dataSource);
  const schoolAndApplicationClients = clientAdapter({
    ProviderClass,
    storedClients: new StoredClientCache(
      dataSource,
      settings.clientCacheMs,
      undefined,
      invalidation,
    ),
    portal: settings.portalClient,
    portalSecretHash: await hashSecret(settings.portalClient.clientSecret),
  });
  const clients = withIntegratorClients(
    schoolAndApplicationClients,
    dataSource,
    () =>
      /^basic /i.test(ProviderClass.ctx?.get('authorization') ?? '')
        ? 'client_secret_basic'
        : 'client_secret_post',
  );

  const platformAudience =
    settings.platformAudience ??
    new URL(PLATFORM_API_PATH, settings.issuer).href;
  const configuration: Configuration = {
    adapter: ((name: string) =>
      name === 'Client'
        ? clients
        : new TypeOrmOidcAdapter(
            name,
            dataSource,
            // Lost a race with a concurrent use of the same code or refresh token.
            () => new errors.InvalidGrant('grant source already used'),
          )) as unknown as Configuration['adapter'],
    jwks: { keys: [signingKey] },
    cookies: {
      keys: [cookieKeyFrom(signingKey)],
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['client_credentials'],
      response_types: [],
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    extraClientMetadata: { properties: EXTRA_CLIENT_PROPERTIES },
    // No response type returns an access token from the authorization endpoint (RFC 9700 §2.1.2).
    responseTypes: ['code id_token', 'code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    findAccount: async (_ctx, sub) => {
      const account = await findActiveAccount(dataSource, sub);
      if (!account) return undefined;
      // No `school_ids` here: ID tokens say who signed in, access tokens what they may read.
      return {
        accountId: account.id,
        claims: () => ({
          sub: account.id,
          email: account.email,
          name: account.displayName,
        }),
      };
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: signInPolicy(interactionPolicy),
    },
    loadExistingGrant,
    ...refreshTokens,
    // Swagger UI of the API asks for tokens from the browser; no other origin may.
    clientBasedCORS: (_ctx, origin) => corsOrigins.has(origin),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      dPoP: { enabled: false },
      rpInitiatedLogout: logoutPages(secure),
      resourceIndicators: withPlatformResource(
        resourceIndicators({
          errors,
          audience: settings.audience,
          approvals,
        }),
        errors,
        platformAudience,
      ),
    },
    extraTokenClaims: withIntegratorClaims(
      extraTokenClaims({ errors, approvals }),
      platformAudience,
    ),
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 900,
      Session: 8 * 3600,
      Grant: 30 * 86400,
      RefreshToken: 14 * 86400,
    },
    renderError: errorPage(secure),
  };

  const provider = new ProviderClass(settings.issuer, configuration);
  useClientAddress(provider, settings.trustProxy);
  installClientSecretCheck(provider, {
    ProviderClass,
    rateLimit: tokenRateLimit({
      errors,
      rateLimits,
      limit: settings.tokenRateLimit,
    }),
  });
  useResponseHeaders(provider);
  onProviderEvents(provider, settings.issuer, logger);
  return provider;
}
