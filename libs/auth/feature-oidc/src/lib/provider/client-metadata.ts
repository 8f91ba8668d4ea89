import type Provider from 'oidc-provider';
import type {
  StoredClient,
  StoredClientCache,
} from '@oneroster/data-access-auth';
import type { PortalClientSettings } from '../oidc-settings';

/**
 * The client adapter: which clients exist and what oidc-provider is told about them. Rules
 * enforced:
 * - clients are read from the database, reused for at most `clientCacheMs` (changes made
 *   through this process, i.e. the portal's, apply at once; others within that time): the
 *   platform's `oauth_clients` rows, i.e. client-credentials clients of one school and
 *   (school NULL, client id = application id) each application's OpenID Connect client, plus
 *   the static first-party `admin-portal` client;
 * - client_secret_basic or client_secret_post: the registration follows how the request
 *   authenticates; the previous secret's hash is registered only until it expires;
 * - grants: client credentials (school clients only), authorization code (`code id_token`
 *   hybrid or `code`, application and portal clients) and refresh tokens; an application's
 *   redirect URIs are its https ones (`applications.redirect_uris`); an application client
 *   whose id is not the application id, or without a usable redirect URI, does not exist;
 * - RP-initiated logout to a registered post-logout URI (for applications: the origins of
 *   their redirect URIs followed by `/`);
 * - a school client carries its school's approval as read with the client (status and
 *   scopes) and the platform scopes the school granted it (`oauth_clients.platform_scopes`,
 *   none unless approved), an application its string-boolean choice
 *   (`applications.boolean_format`).
 */

export type ClientKind = 'school' | 'application' | 'portal';

/** Our registration properties beyond the standard ones (`extraClientMetadata.properties`). */
export const EXTRA_CLIENT_PROPERTIES = [
  'client_kind',
  'school_id',
  'integrator_id',
  'application_id',
  'boolean_format',
  'approval_status',
  'approved_scopes',
  'platform_scopes',
  'previous_secret_hash',
  'previous_secret_expires_at',
];

/**
 * A client's registration property by its metadata name. oidc-provider keeps metadata on the
 * client object under camelCase names (reading them is cheaper than `metadata()`).
 */
export function prop(client: unknown, name: string): string | undefined {
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

export const kindOf = (client: unknown): ClientKind | undefined =>
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

/** Where an application may send users after logout: the origins of its redirect URIs + `/`. */
const postLogoutUrisOf = (redirectUris: string[]) => [
  ...new Set(redirectUris.map((uri) => `${new URL(uri).origin}/`)),
];

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

export interface ClientAdapterDeps {
  /** The provider class: its static `ctx` is the request being served. */
  ProviderClass: typeof Provider;
  storedClients: StoredClientCache;
  portal: PortalClientSettings;
  portalSecretHash: string;
}

/** oidc-provider's `Client` adapter: read only (no dynamic registration). */
export function clientAdapter({
  ProviderClass,
  storedClients,
  portal,
  portalSecretHash,
}: ClientAdapterDeps) {
  // oidc-provider accepts only the client's registered method; these clients may use either,
  // so the registration follows how this request authenticates.
  const authMethod = () =>
    /^basic /i.test(ProviderClass.ctx?.get('authorization') ?? '')
      ? 'client_secret_basic'
      : 'client_secret_post';

  return {
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
        platform_scopes: client.platformScopes.join(' '),
      };
    },
    upsert: async () => undefined,
    destroy: async () => undefined,
  };
}
