import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type Provider from 'oidc-provider';
import type {
  Configuration,
  KoaContextWithOIDC,
  ResourceServer,
} from 'oidc-provider';
import { ALL_ONEROSTER_SCOPES, PLATFORM_SCOPES } from '@oneroster/contracts';
import {
  ApprovedSchool,
  approvedSchoolsOfAccount,
  findActiveAccount,
  StoredClient,
  StoredClientCache,
  TypeOrmOidcAdapter,
} from '@oneroster/data-access-auth';
import { hitOrAdmit, RateLimitStore } from '@oneroster/util-rate-limit';
import { hashSecret, verifySecret } from '@oneroster/util-secrets';
import {
  compileTrust,
  resolveClientAddress,
  trustsPeer,
} from '@oneroster/util-web-hygiene';
import type { OidcSettings } from './oidc-settings';
import { cookieKeyFrom, loadSigningKey } from './signing-key';
import {
  messagePage,
  originOf,
  setPageHeaders,
  signOutPage,
} from './sign-in/pages';
import { VerifiedSecrets } from './verified-secrets';

/**
 * The OAuth 2.0 / OpenID Connect server (oidc-provider), configured for OneRoster. Rules enforced:
 * - clients are read from the database, reused for at most `clientCacheMs` (changes made
 *   through this process, i.e. the portal's, apply at once; others within that time): the platform's
 *   `oauth_clients` rows, i.e. client-credentials clients of one school and (school NULL,
 *   client id = application id) each application's OpenID Connect client, plus the static
 *   first-party `admin-portal` client; client_secret_basic or client_secret_post; the secret
 *   is checked against the scrypt hash and, until it expires, the previous hash (both always
 *   computed, each comparison constant-time); a verified secret is remembered for a minute;
 * - grants: client credentials (school clients only), authorization code (`code id_token`
 *   hybrid or `code`, application and portal clients) and refresh tokens; PKCE S256 and an
 *   explicit, exactly registered redirect URI always; an application's redirect URIs are its
 *   https ones (`applications.redirect_uris`); no dynamic registration, no dev interactions,
 *   no DPoP (the API takes bearer tokens);
 * - every API access token is an RFC 9068 JWT (`typ at+jwt`, ES256, 5 minutes, `aud` = the
 *   API): for a school client `school_ids` = its school and scope = requested ∩ the school's
 *   approval; for a user of an application scope = requested ∩ the union of the approvals of
 *   the user's schools that approve the application now, and `school_ids` = those of these
 *   schools whose own approval includes one of the token's scopes (a school that approved
 *   none of what the token carries is not named), both evaluated again on every refresh; no
 *   approved school: `access_denied` (at the redirect URI during sign-in, at the token
 *   endpoint on refresh);
 * - scopes are per school: a multi-school user's token carries the union, and the API serves
 *   each request only for the schools whose live approval includes the route's scope
 *   (`schoolsForRoute` of @oneroster/util-http), so one school's approval never extends to
 *   another's data;
 * - an application that chose string booleans (`applications.boolean_format`) gets the
 *   claim `oneroster_booleans: "string"` in its access tokens, and the API writes its
 *   booleans as "true"/"false"; no claim: JSON booleans;
 * - the school's approval is the user's consent (loadExistingGrant): no consent screen;
 * - the portal client gets ID tokens only (no API token, no approval needed);
 * - refresh tokens with `offline_access`, rotated on every use; reusing a used one (or a
 *   code) revokes the whole grant;
 * - RP-initiated logout with `id_token_hint` to a registered post-logout URI (for
 *   applications: the origins of their redirect URIs followed by `/`);
 * - token requests are rate limited per client and IP address (429 + Retry-After), checked
 *   before the secret is hashed; the address is the one `trustProxy` derives (an untrusted
 *   X-Forwarded-For is ignored, a trusted one read only as far as the trusted hops go); browsers may call the token endpoint only from the
 *   configured origins (Swagger UI);
 * - every issued token and every refused grant is logged, without secrets or tokens.
 */
export interface OidcProviderDeps {
  settings: OidcSettings;
  dataSource: DataSource;
  /** Counts token requests (per client and IP address, in any sliding minute). */
  rateLimits: RateLimitStore;
  logger?: Logger;
}

const ACCESS_TOKEN_TTL = 300;

/** Every scope a school can approve: what a user token may carry before the user is known. */
const GRANTABLE_SCOPES = [
  ...ALL_ONEROSTER_SCOPES,
  ...Object.values(PLATFORM_SCOPES),
].join(' ');

type ClientKind = 'school' | 'application' | 'portal';

/**
 * A client's registration property by its metadata name. oidc-provider keeps metadata on the
 * client object under camelCase names (reading them is cheaper than `metadata()`).
 */
/** The claim that tells the API to write this client's OneRoster booleans as strings. */
function wireFormatClaims(client: unknown): Record<string, string> {
  return prop(client, 'boolean_format') === 'string'
    ? { oneroster_booleans: 'string' }
    : {};
}

function prop(client: unknown, name: string): string | undefined {
  const c = client as Record<string, unknown> | undefined;
  let camel = camelNames.get(name);
  if (camel === undefined) {
    camel = name.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
    camelNames.set(name, camel);
  }
  const v = c?.[camel] ?? c?.[name];
  return typeof v === 'string' ? v : undefined;
}
const camelNames = new Map<string, string>();

const kindOf = (client: unknown): ClientKind | undefined =>
  prop(client, 'client_kind') as ClientKind | undefined;

/**
 * The redirect URIs an application's OpenID Connect client may use: absolute https URLs, not
 * localhost, without fragment (RFC 9700 §4.1; oidc-provider refuses others for hybrid clients).
 */
export function applicationRedirectUris(uris: readonly string[]): string[] {
  return uris.filter((uri) => {
    try {
      const u = new URL(uri);
      return (
        u.protocol === 'https:' &&
        u.hostname !== 'localhost' &&
        !u.hash &&
        !uri.includes('#') &&
        u.href === uri
      );
    } catch {
      return false;
    }
  });
}

/**
 * The interaction policy: the login prompt as oidc-provider defines it, and a consent prompt
 * that `prompt=consent` alone does not raise (the school's approval is the consent; clients
 * still send `prompt=consent` with `offline_access`, as OpenID Connect Core §11 requires for a
 * refresh token). Its other checks stay: they never fire, because loadExistingGrant grants
 * what was asked, and if they did the sign-in page would refuse to go on.
 */
function signInPolicy(
  policies: typeof import('oidc-provider').interactionPolicy,
) {
  const policy = policies.base();
  policy.get('consent')?.checks.remove('consent_prompt');
  return policy;
}

/**
 * The schools a user's access token names: those whose own approval includes one of the
 * token's scopes. A token without API scopes (sign-in for identity only) reads nothing, and
 * names every approving school as before.
 */
function schoolsGranting(
  schools: readonly ApprovedSchool[],
  tokenScope: string | undefined,
): string[] {
  const granted = new Set((tokenScope ?? '').split(' ').filter(Boolean));
  return schools
    .filter(
      (s) => granted.size === 0 || s.scopes.some((scope) => granted.has(scope)),
    )
    .map((s) => s.schoolId);
}

/** Where an application may send users after logout: the origins of its redirect URIs + `/`. */
const postLogoutUrisOf = (redirectUris: string[]) => [
  ...new Set(redirectUris.map((uri) => `${new URL(uri).origin}/`)),
];

export async function createOidcProvider({
  settings,
  dataSource,
  rateLimits,
  logger = new Logger('oidc'),
}: OidcProviderDeps): Promise<Provider> {
  const {
    default: ProviderClass,
    errors,
    interactionPolicy,
  } = await import('oidc-provider');
  const signingKey = await loadSigningKey(settings);
  const corsOrigins = new Set(settings.corsOrigins);
  const verified = new VerifiedSecrets();
  const storedClients = new StoredClientCache(
    dataSource,
    settings.clientCacheMs,
  );
  const portal = settings.portalClient;
  const portalSecretHash = await hashSecret(portal.clientSecret);
  const secure = new URL(settings.issuer).protocol === 'https:';

  class TooManyRequests extends errors.OIDCProviderError {
    constructor() {
      super(429, 'too_many_requests');
      Object.assign(this, {
        error_description: 'too many token requests; retry later',
      });
    }
  }

  // oidc-provider accepts only the client's registered method; these clients may use either,
  // so the registration follows how this request authenticates.
  const authMethod = () =>
    /^basic /i.test(ProviderClass.ctx?.get('authorization') ?? '')
      ? 'client_secret_basic'
      : 'client_secret_post';

  const previousSecret = (client: StoredClient) =>
    client.previousSecretHash &&
    client.previousSecretExpiresAt &&
    client.previousSecretExpiresAt.getTime() > Date.now()
      ? {
          previous_secret_hash: client.previousSecretHash,
          previous_secret_expires_at: Math.floor(
            client.previousSecretExpiresAt.getTime() / 1000,
          ),
        }
      : {};

  const clientAdapter = {
    async find(id: string) {
      if (id === portal.clientId)
        return {
          client_id: portal.clientId,
          client_secret: portalSecretHash,
          client_name: 'OneRoster Exchange admin portal',
          client_kind: 'portal',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: portal.redirectUris,
          post_logout_redirect_uris: portal.postLogoutRedirectUris,
          token_endpoint_auth_method: authMethod(),
        };
      const client = await storedClients.find(id);
      if (!client) return undefined;
      const common = {
        client_id: client.clientId,
        client_secret: client.secretHash,
        client_name: client.applicationName,
        token_endpoint_auth_method: authMethod(),
        integrator_id: client.integratorId,
        application_id: client.applicationId,
        boolean_format: client.booleanFormat,
        ...previousSecret(client),
      };
      if (client.schoolId === null) {
        // The application's OpenID Connect client: its id must be the application id (that
        // is how the API's approval check reads user tokens).
        const redirectUris = applicationRedirectUris(client.redirectUris);
        if (client.clientId !== client.applicationId || !redirectUris.length)
          return undefined;
        return {
          ...common,
          client_kind: 'application',
          grant_types: ['authorization_code', 'implicit', 'refresh_token'],
          response_types: ['code id_token', 'code'],
          redirect_uris: redirectUris,
          post_logout_redirect_uris: postLogoutUrisOf(redirectUris),
        };
      }
      return {
        ...common,
        client_kind: 'school',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        school_id: client.schoolId,
        approval_status: client.approvalStatus ?? 'none',
        approved_scopes: client.approvedScopes.join(' '),
      };
    },
    upsert: async () => undefined,
    destroy: async () => undefined,
  };

  /**
   * The schools a signed-in user's token may reach for an application client, read once per
   * request: the user's schools ∩ the schools approving the application now.
   */
  const userSchools = new WeakMap<object, Promise<UserApproval>>();
  interface UserApproval {
    schools: ApprovedSchool[];
    schoolIds: string[];
    /** The union of the schools' approved scopes: all a token of this user may carry. */
    scopes: string;
  }
  const userApproval = (
    ctx: KoaContextWithOIDC,
    accountId: string,
    client: unknown,
  ): Promise<UserApproval> => {
    const cached = userSchools.get(ctx);
    if (cached) return cached;
    const read = approvedSchoolsOfAccount(
      dataSource,
      accountId,
      prop(client, 'application_id') ?? '',
    ).then((schools) => ({
      schools,
      schoolIds: schools.map((s) => s.schoolId),
      scopes: [...new Set(schools.flatMap((s) => s.scopes))].join(' '),
    }));
    userSchools.set(ctx, read);
    return read;
  };
  const accountIdOf = (ctx: KoaContextWithOIDC): string | undefined =>
    ctx.oidc.account?.accountId ?? ctx.oidc.session?.accountId ?? undefined;
  const noApprovedSchool = () =>
    new errors.AccessDenied(
      'no school you belong to has approved this application',
    );

  const configuration: Configuration = {
    adapter: ((name: string) =>
      name === 'Client'
        ? clientAdapter
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
    extraClientMetadata: {
      properties: [
        'client_kind',
        'school_id',
        'integrator_id',
        'application_id',
        'boolean_format',
        'approval_status',
        'approved_scopes',
        'previous_secret_hash',
        'previous_secret_expires_at',
      ],
    },
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
    // The school's approval is the consent (§2.5 of the auth notes): the grant is built here
    // from what was asked ∩ what may be given, so no consent prompt ever appears.
    loadExistingGrant: async (ctx) => {
      const { client, account, session } = ctx.oidc;
      if (!client || !account || !session) return undefined;
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        session.grantIdFor(client.clientId);
      let grant = grantId ? await provider.Grant.find(grantId) : undefined;
      if (
        grant &&
        (grant.accountId !== account.accountId ||
          grant.clientId !== client.clientId)
      )
        grant = undefined;
      grant ??= new provider.Grant({
        accountId: account.accountId,
        clientId: client.clientId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      const claims = ctx.oidc.requestParamClaims;
      if (claims.size) grant.addOIDCClaims([...claims]);
      for (const [resource, server] of Object.entries(
        ctx.oidc.resourceServers ?? {},
      )) {
        const scopes = [...ctx.oidc.requestParamScopes].filter((s) =>
          server.scopes.has(s),
        );
        if (scopes.length) grant.addResourceScope(resource, scopes.join(' '));
      }
      await grant.save();
      return grant;
    },
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      code.scopes.has('offline_access'),
    rotateRefreshToken: true,
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
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          const nonce = setPageHeaders(ctx, {
            secure,
            formTargets: [
              originOf(
                (ctx.oidc.params as Record<string, unknown> | undefined)?.[
                  'post_logout_redirect_uri'
                ],
              ),
            ],
          });
          ctx.type = 'html';
          ctx.body = signOutPage(
            nonce,
            form,
            ctx.oidc.client?.clientName ?? null,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          const nonce = setPageHeaders(ctx, { secure });
          ctx.type = 'html';
          ctx.body = messagePage(
            nonce,
            'Signed out',
            'You have signed out. You can close this window.',
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        // The portal's tokens are not for the API: no resource, no API access token.
        defaultResource: (_ctx, client) =>
          kindOf(client) === 'portal'
            ? (undefined as unknown as string)
            : settings.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: async (
          ctx: KoaContextWithOIDC,
          resource: string,
          client,
        ): Promise<ResourceServer> => {
          if (resource !== settings.audience || kindOf(client) === 'portal')
            throw new errors.InvalidTarget();
          const server = (scope: string): ResourceServer => ({
            audience: settings.audience,
            scope,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'ES256' } },
          });
          if (kindOf(client) === 'application') {
            const accountId = accountIdOf(ctx);
            // Before sign-in nothing is known yet; the grant narrows it once it is.
            if (!accountId) return server(GRANTABLE_SCOPES);
            const approval = await userApproval(ctx, accountId, client);
            if (!approval.schoolIds.length || !approval.scopes)
              throw noApprovedSchool();
            return server(approval.scopes);
          }
          // Read with the client, in this request: the approval as it is now.
          const scopes = prop(client, 'approved_scopes') ?? '';
          if (prop(client, 'approval_status') !== 'approved' || !scopes)
            throw new errors.AccessDenied(
              'the school has not approved this application',
            );
          const params = ctx.oidc.params as Record<string, unknown>;
          if (params['grant_type'] === 'client_credentials' && !params['scope'])
            params['scope'] = scopes;
          return server(scopes);
        },
      },
    },
    extraTokenClaims: async (ctx, token) => {
      if (token.kind === 'ClientCredentials')
        return {
          school_ids: [prop(token.client, 'school_id')],
          integrator_id: prop(token.client, 'integrator_id'),
          ...wireFormatClaims(token.client),
        };
      if (
        token.kind !== 'AccessToken' ||
        kindOf(token.client) !== 'application' ||
        !token.accountId
      )
        return undefined;
      const approval = await userApproval(ctx, token.accountId, token.client);
      const schoolIds = schoolsGranting(approval.schools, token.scope);
      if (!schoolIds.length) throw noApprovedSchool();
      return {
        school_ids: schoolIds,
        integrator_id: prop(token.client, 'integrator_id'),
        ...wireFormatClaims(token.client),
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
      // Browser-facing errors that cannot go back to a client (unknown client, unregistered
      // redirect URI, expired interaction): a page, never a redirect, no internals.
      const nonce = setPageHeaders(ctx, { secure });
      ctx.type = 'html';
      ctx.body = messagePage(
        nonce,
        'Sign-in error',
        `${out.error}: ${out.error_description ?? 'the request was refused'}`,
      );
    },
  };

  const provider = new ProviderClass(settings.issuer, configuration);
  // The client's address (token rate limit, logs) is derived as for the Express routes
  // (@oneroster/util-web-hygiene); Koa's own reading would believe the first X-Forwarded-For
  // entry, which the client writes. X-Forwarded-Proto/-Host count only from a trusted peer.
  const trust = compileTrust(settings.trustProxy);
  provider.proxy = settings.trustProxy !== false;
  provider.use(async (ctx, next) => {
    ctx.request.ip = resolveClientAddress(ctx.req, trust);
    if (provider.proxy && !trustsPeer(ctx.req, trust)) {
      delete ctx.req.headers['x-forwarded-proto'];
      delete ctx.req.headers['x-forwarded-host'];
    }
    await next();
  });

  const clientPrototype = provider.Client.prototype as unknown as {
    compareClientSecret(this: unknown, actual: string): Promise<boolean>;
  };
  clientPrototype.compareClientSecret = async function (actual: string) {
    const ctx = ProviderClass.ctx;
    const clientId = prop(this, 'client_id') ?? '';
    // Fails open when Redis is unreachable, as the API does (the secret is still checked).
    const verdict = await hitOrAdmit(
      rateLimits,
      `token:${clientId}|${ctx?.ip ?? ''}`,
      settings.tokenRateLimit,
      60_000,
    );
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

  // oidc-provider's own HTML (the form_post response page): no framing, scripts only by hash
  // (it adds the hash of its auto-submit script), and no form-action, which would stop the
  // post to the client's redirect URI.
  provider.use(async (ctx, next) => {
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    await next();
  });

  // RFC 9207 lets a server leave `iss` out when the response carries an ID token (hybrid);
  // it is always sent, so a client that checks only the parameter is protected from mix-ups
  // too. The event gets the response parameters before they are sent.
  // (This event is missing from oidc-provider's type definitions.)
  (provider as unknown as NodeJS.EventEmitter).on(
    'authorization.success',
    (_ctx: unknown, out: Record<string, unknown>) => {
      if (out['iss'] === undefined) out['iss'] = settings.issuer;
    },
  );
  provider.on('client_credentials.issued', (token) => {
    logger.log(
      `access token issued: client=${token.clientId} school=${prop(token.client, 'school_id') ?? '-'} ` +
        `jti=${token.jti} scope="${token.scope ?? ''}"`,
    );
  });
  provider.on('access_token.issued', (token) => {
    logger.log(
      `user access token issued: client=${token.clientId} account=${token.accountId ?? '-'} ` +
        `jti=${token.jti} scope="${token.scope ?? ''}"`,
    );
  });
  provider.on('grant.revoked', (_ctx, grantId) => {
    logger.warn(`grant revoked (code or refresh token reused): ${grantId}`);
  });
  provider.on('end_session.success', (ctx) => {
    logger.log(`signed out: client=${ctx.oidc.client?.clientId ?? '-'}`);
  });
  provider.on('grant.error', (ctx, err) => {
    logger.warn(
      `token refused: client=${ctx.oidc?.client?.clientId ?? '-'} ip=${ctx.ip} ` +
        `error=${err.message} ${(err as { error_description?: string }).error_description ?? ''}`.trim(),
    );
  });
  provider.on('authorization.error', (ctx, err) => {
    logger.warn(
      `authorization refused: client=${ctx.oidc?.client?.clientId ?? '-'} ip=${ctx.ip} ` +
        `error=${err.message} ${(err as { error_description?: string }).error_description ?? ''}`.trim(),
    );
  });
  provider.on('server_error', (_ctx, err) => {
    logger.error(`authorization server error: ${err.message}`);
  });
  return provider;
}
