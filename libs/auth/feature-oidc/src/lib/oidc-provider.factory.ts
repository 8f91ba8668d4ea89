import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type Provider from 'oidc-provider';
import type {
  Configuration,
  KoaContextWithOIDC,
  ResourceServer,
} from 'oidc-provider';
import {
  findStoredClient,
  TypeOrmOidcAdapter,
} from '@oneroster/data-access-auth';
import { verifySecret } from '@oneroster/util-secrets';
import type { OidcSettings } from './oidc-settings';
import { FixedWindowRateLimiter } from './rate-limiter';
import { cookieKeyFrom, loadSigningKey } from './signing-key';
import { VerifiedSecrets } from './verified-secrets';

/**
 * The OAuth 2.0 authorization server (oidc-provider), configured for OneRoster. Rules enforced:
 * - clients are the platform's `oauth_clients` rows, read on every request (a revoked client
 *   fails at once); client_secret_basic or client_secret_post; the secret is checked against
 *   the scrypt hash and, until it expires, the previous hash (both always computed, each
 *   comparison constant-time); a verified secret is remembered for a minute (VerifiedSecrets);
 * - the client-credentials grant only; no dynamic registration, no dev interactions;
 * - every access token is for the OneRoster API (RFC 8707 resource indicator, defaulting to
 *   it), so it is an RFC 9068 JWT (`typ at+jwt`, ES256, 5 minutes) carrying `school_ids`
 *   (the client's school), `integrator_id`, `client_id` and `scope`;
 * - scope = requested ∩ the school's approved scopes (all approved scopes when none is
 *   requested); without an `approved` approval no token is issued (`access_denied`);
 * - tokens are not stored, so issuing one never invalidates another;
 * - token requests are rate limited per client and IP address (429 + Retry-After), checked
 *   before the secret is hashed;
 * - browsers may call the token endpoint only from the configured origins (Swagger UI);
 * - every issued token and every refused grant is logged, without secrets or tokens.
 */
export interface OidcProviderDeps {
  settings: OidcSettings;
  dataSource: DataSource;
  logger?: Logger;
}

const ACCESS_TOKEN_TTL = 300;

/**
 * A client's registration property by its metadata name. oidc-provider keeps metadata on the
 * client object under camelCase names (reading them is cheaper than `metadata()`).
 */
function prop(client: unknown, name: string): string | undefined {
  const c = client as Record<string, unknown> | undefined;
  const camel = name.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
  const v = c?.[camel] ?? c?.[name];
  return typeof v === 'string' ? v : undefined;
}

export async function createOidcProvider({
  settings,
  dataSource,
  logger = new Logger('oidc'),
}: OidcProviderDeps): Promise<Provider> {
  const { default: ProviderClass, errors } = await import('oidc-provider');
  const signingKey = await loadSigningKey(settings);
  const limiter = new FixedWindowRateLimiter(settings.tokenRateLimit);
  const corsOrigins = new Set(settings.corsOrigins);
  const verified = new VerifiedSecrets();

  class TooManyRequests extends errors.OIDCProviderError {
    constructor() {
      super(429, 'too_many_requests');
      Object.assign(this, {
        error_description: 'too many token requests; retry later',
      });
    }
  }

  const clientAdapter = {
    async find(id: string) {
      const client = await findStoredClient(dataSource, id);
      if (!client) return undefined;
      // oidc-provider accepts only the client's registered method; these clients may use
      // either, so the registration follows how this request authenticates.
      const basic = /^basic /i.test(
        ProviderClass.ctx?.get('authorization') ?? '',
      );
      return {
        client_id: client.clientId,
        client_secret: client.secretHash,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: basic
          ? 'client_secret_basic'
          : 'client_secret_post',
        school_id: client.schoolId,
        integrator_id: client.integratorId,
        application_id: client.applicationId,
        approval_status: client.approvalStatus ?? 'none',
        approved_scopes: client.approvedScopes.join(' '),
        ...(client.previousSecretHash &&
        client.previousSecretExpiresAt &&
        client.previousSecretExpiresAt.getTime() > Date.now()
          ? {
              previous_secret_hash: client.previousSecretHash,
              previous_secret_expires_at: Math.floor(
                client.previousSecretExpiresAt.getTime() / 1000,
              ),
            }
          : {}),
      };
    },
    upsert: async () => undefined,
    destroy: async () => undefined,
  };

  const configuration: Configuration = {
    adapter: ((name: string) =>
      name === 'Client'
        ? clientAdapter
        : new TypeOrmOidcAdapter(
            name,
            dataSource,
          )) as unknown as Configuration['adapter'],
    jwks: { keys: [signingKey] },
    cookies: { keys: [cookieKeyFrom(signingKey)] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['client_credentials'],
      response_types: [],
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    extraClientMetadata: {
      properties: [
        'school_id',
        'integrator_id',
        'application_id',
        'approval_status',
        'approved_scopes',
        'previous_secret_hash',
        'previous_secret_expires_at',
      ],
    },
    // No response type returns an access token from the authorization endpoint (RFC 9700 §2.1.2).
    responseTypes: ['code id_token', 'code'],
    pkce: { required: () => true },
    // Swagger UI of the API asks for tokens from the browser; no other origin may.
    clientBasedCORS: (_ctx, origin) => corsOrigins.has(origin),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => settings.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: async (
          ctx: KoaContextWithOIDC,
          resource: string,
          client,
        ): Promise<ResourceServer> => {
          if (resource !== settings.audience) throw new errors.InvalidTarget();
          // Read with the client, in this request: the approval as it is now.
          const scopes = prop(client, 'approved_scopes') ?? '';
          if (prop(client, 'approval_status') !== 'approved' || !scopes)
            throw new errors.AccessDenied(
              'the school has not approved this application',
            );
          const params = ctx.oidc.params as Record<string, unknown>;
          if (params['grant_type'] === 'client_credentials' && !params['scope'])
            params['scope'] = scopes;
          return {
            audience: settings.audience,
            scope: scopes,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'ClientCredentials') return undefined;
      return {
        school_ids: [prop(token.client, 'school_id')],
        integrator_id: prop(token.client, 'integrator_id'),
      };
    },
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
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };

  const provider = new ProviderClass(settings.issuer, configuration);
  provider.proxy = settings.trustProxy;

  const clientPrototype = provider.Client.prototype as unknown as {
    compareClientSecret(this: unknown, actual: string): Promise<boolean>;
  };
  clientPrototype.compareClientSecret = async function (actual: string) {
    const ctx = ProviderClass.ctx;
    const clientId = prop(this, 'client_id') ?? '';
    const verdict = limiter.hit(`${clientId}|${ctx?.ip ?? ''}`);
    if (!verdict.allowed) {
      ctx?.set('Retry-After', String(verdict.retryAfterSeconds));
      throw new TooManyRequests();
    }
    const previous = prop(this, 'previous_secret_hash') ?? null;
    const stored = prop(this, 'client_secret') ?? '';
    const storedKey = previous ? `${stored} ${previous}` : stored;
    if (verified.has(clientId, actual, storedKey)) return true;
    const [current, old] = await Promise.all([
      verifySecret(actual, stored),
      previous ? verifySecret(actual, previous) : Promise.resolve(false),
    ]);
    if (current || old) verified.remember(clientId, actual, storedKey);
    return current || old;
  };

  provider.on('client_credentials.issued', (token) => {
    logger.log(
      `access token issued: client=${token.clientId} school=${prop(token.client, 'school_id') ?? '-'} ` +
        `jti=${token.jti} scope="${token.scope ?? ''}"`,
    );
  });
  provider.on('grant.error', (ctx, err) => {
    logger.warn(
      `token refused: client=${ctx.oidc?.client?.clientId ?? '-'} ip=${ctx.ip} ` +
        `error=${err.message} ${(err as { error_description?: string }).error_description ?? ''}`.trim(),
    );
  });
  provider.on('server_error', (_ctx, err) => {
    logger.error(`authorization server error: ${err.message}`);
  });
  return provider;
}
