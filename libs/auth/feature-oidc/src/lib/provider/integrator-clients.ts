import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import {
  findIntegratorClient,
  isIntegratorClientId,
} from '@oneroster/data-access-auth';
import { kindOf, prop } from './client-metadata';
import { ACCESS_TOKEN_TTL } from './resource-server';

/**
 * Integrator-level platform credentials (`integrator_clients`, ids `pl-…`) beside the other
 * clients. Rules enforced:
 * - such a client is read from the database on every request (a revocation applies at once)
 *   and registered as kind `integrator`: client credentials only, no redirect URIs, its
 *   secret hashes as for school clients (client-secret.ts checks them), the previous one
 *   only until it expires;
 * - its only resource is the platform API (`platformAudience`, the default when the request
 *   names none); asking for the OneRoster API, or anything else, is `invalid_target`; its
 *   token's scope = requested ∩ the credential's platform scopes (all of them when `scope`
 *   is absent); no scope left: `invalid_scope`;
 * - its access token names the integrator (`integrator_id`) and no school: it can never
 *   read OneRoster data (the OneRoster API refuses its audience, and it names no school);
 * - a school client (a school's MIS) gets a platform API token only when it names the
 *   platform API as `resource` (its default stays the OneRoster API), only while its
 *   school approves its application, and with scope = requested ∩ the platform scopes the
 *   school granted the client (`imports.write`; all of them when `scope` is absent); none
 *   granted, or none left: `invalid_target` / `invalid_scope`. That token names its school
 *   as `school_id` (not `school_ids`), no integrator and no OneRoster scope: the OneRoster
 *   API refuses its audience;
 * - no other client (application, portal) gets a token for the platform API.
 */

export const INTEGRATOR_CLIENT_KIND = 'integrator';

type Errors = typeof import('oidc-provider').errors;
type ClientAdapter = {
  find(id: string): Promise<Record<string, unknown> | undefined>;
  upsert(): Promise<undefined>;
  destroy(): Promise<undefined>;
};
type ResourceIndicators = NonNullable<
  NonNullable<Configuration['features']>['resourceIndicators']
>;

const isIntegratorClient = (client: unknown) =>
  kindOf(client) === (INTEGRATOR_CLIENT_KIND as never);

/** Requested ∩ held (all held when the request names no scope); none: `invalid_scope`. */
function platformScopesFor(
  ctx: KoaContextWithOIDC,
  held: string[],
  errors: Errors,
): string {
  const params = ctx.oidc.params as Record<string, unknown>;
  const asked =
    typeof params['scope'] === 'string' && params['scope']
      ? params['scope'].split(' ')
      : held;
  const granted = asked.filter((s) => held.includes(s));
  if (!granted.length)
    throw new errors.InvalidScope(
      'the credential holds none of the requested scopes',
      asked.join(' '),
    );
  params['scope'] = granted.join(' ');
  return granted.join(' ');
}

const heldScopes = (client: unknown, name: string) =>
  (prop(client, name) ?? '').split(' ').filter(Boolean);

/** The client adapter, with integrator clients beside the others. */
export function withIntegratorClients(
  clients: ClientAdapter,
  dataSource: DataSource,
  authMethod: () => string,
): ClientAdapter {
  return {
    ...clients,
    async find(id: string) {
      if (!isIntegratorClientId(id)) return clients.find(id);
      const client = await findIntegratorClient(dataSource, id);
      if (!client) return undefined;
      const previous =
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
      return {
        client_id: client.clientId,
        client_secret: client.secretHash,
        client_name: `${client.integratorName} (platform API)`,
        client_kind: INTEGRATOR_CLIENT_KIND,
        token_endpoint_auth_method: authMethod(),
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        integrator_id: client.integratorId,
        approval_status: 'approved',
        approved_scopes: client.scopes.join(' '),
        ...previous,
      };
    },
  };
}

/** Resource indicators: the platform API for integrator clients, `inner` for the rest. */
export function withPlatformResource(
  inner: ResourceIndicators,
  errors: Errors,
  platformAudience: string,
): ResourceIndicators {
  const { defaultResource, getResourceServerInfo } = inner;
  if (!defaultResource || !getResourceServerInfo)
    throw new Error('the resource indicators to extend are incomplete');
  return {
    ...inner,
    defaultResource: (ctx, client, oneOf) =>
      isIntegratorClient(client)
        ? platformAudience
        : defaultResource(ctx, client, oneOf),
    getResourceServerInfo: async (
      ctx: KoaContextWithOIDC,
      resource: string,
      client,
    ) => {
      const platform = (scope: string) => ({
        audience: platformAudience,
        scope,
        accessTokenFormat: 'jwt' as const,
        accessTokenTTL: ACCESS_TOKEN_TTL,
        jwt: { sign: { alg: 'ES256' as const } },
      });
      if (isIntegratorClient(client)) {
        if (resource !== platformAudience) throw new errors.InvalidTarget();
        return platform(
          platformScopesFor(ctx, heldScopes(client, 'approved_scopes'), errors),
        );
      }
      if (resource !== platformAudience)
        return getResourceServerInfo(ctx, resource, client);
      // A school's MIS: the platform scopes its school granted it, while it approves.
      const held = heldScopes(client, 'platform_scopes');
      if (
        kindOf(client) !== 'school' ||
        prop(client, 'approval_status') !== 'approved' ||
        !held.length
      )
        throw new errors.InvalidTarget();
      return platform(platformScopesFor(ctx, held, errors));
    },
  };
}

/**
 * Token claims: the integrator only for integrator clients, the school only for a school
 * client's platform token, `inner` for the rest.
 */
export function withIntegratorClaims(
  inner: NonNullable<Configuration['extraTokenClaims']>,
  platformAudience: string,
): NonNullable<Configuration['extraTokenClaims']> {
  return (ctx, token) => {
    if (isIntegratorClient(token.client))
      return { integrator_id: prop(token.client, 'integrator_id') };
    const audience = (token as { resourceServer?: { audience?: string } })
      .resourceServer?.audience;
    if (audience === platformAudience)
      return { school_id: prop(token.client, 'school_id') };
    return inner(ctx, token);
  };
}
