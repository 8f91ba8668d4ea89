import type {
  Configuration,
  KoaContextWithOIDC,
  ResourceServer,
} from 'oidc-provider';
import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  PLATFORM_SCOPES,
} from '@oneroster/contracts';
import { grantedScopes } from '@oneroster/data-access-approvals';
import { kindOf, prop } from './client-metadata';
import { noApprovedSchool, UserApprovals } from './user-approvals';

/**
 * The API as resource server (RFC 8707 resource indicators): who may get an API access
 * token, with which scopes. Rules enforced:
 * - every API access token is an RFC 9068 JWT (`typ at+jwt`, ES256, 5 minutes, `aud` = the
 *   API); no other resource exists (`invalid_target`);
 * - the portal client gets ID tokens only (no resource, no API token, no approval needed);
 * - a school client's scope = requested ∩ what the school's approval grants, as read with the
 *   client in this request: its stored scopes and their counterparts in the other OneRoster
 *   version (`grantedScopes`, so a 1.1 or a 1.2 scope, or both, may be requested); a
 *   client-credentials request without `scope` gets the approved scopes as stored; one whose
 *   requested scopes include none that is granted (unknown, unapproved, or of a category
 *   the school did not approve) is `invalid_scope` (RFC 6749 §5.2) rather than a token
 *   without a scope; otherwise the ungranted ones are dropped (§3.3);
 *   not approved (or nothing approved): `access_denied`;
 * - for a user of an application scope = requested ∩ the union of the approvals of the
 *   user's schools that approve the application now (user-approvals.ts), evaluated again on
 *   every refresh; no approved school: `access_denied` (at the redirect URI during sign-in,
 *   at the token endpoint on refresh); before sign-in every grantable scope, which the
 *   grant narrows once the user is known.
 */

export const ACCESS_TOKEN_TTL = 300;

/** Every scope a school can approve: what a user token may carry before the user is known. */
const GRANTABLE_SCOPES = [
  ...ALL_ONEROSTER_SCOPES,
  ...ALL_ONEROSTER_V1P2_SCOPES,
  ...Object.values(PLATFORM_SCOPES),
].join(' ');

const accountIdOf = (ctx: KoaContextWithOIDC): string | undefined =>
  ctx.oidc.account?.accountId ?? ctx.oidc.session?.accountId ?? undefined;

export interface ResourceServerDeps {
  errors: typeof import('oidc-provider').errors;
  /** The API's audience: the one resource. */
  audience: string;
  approvals: UserApprovals;
}

type ResourceIndicators = NonNullable<
  NonNullable<Configuration['features']>['resourceIndicators']
>;

export function resourceIndicators({
  errors,
  audience,
  approvals,
}: ResourceServerDeps): ResourceIndicators {
  return {
    enabled: true,
    // The portal's tokens are not for the API: no resource, no API access token.
    defaultResource: (_ctx, client) =>
      kindOf(client) === 'portal' ? (undefined as unknown as string) : audience,
    useGrantedResource: () => true,
    getResourceServerInfo: async (
      ctx: KoaContextWithOIDC,
      resource: string,
      client,
    ): Promise<ResourceServer> => {
      if (resource !== audience || kindOf(client) === 'portal')
        throw new errors.InvalidTarget();
      const server = (scope: string): ResourceServer => ({
        audience,
        scope,
        accessTokenFormat: 'jwt',
        accessTokenTTL: ACCESS_TOKEN_TTL,
        jwt: { sign: { alg: 'ES256' } },
      });
      if (kindOf(client) === 'application') {
        const accountId = accountIdOf(ctx);
        // Before sign-in nothing is known yet; the grant narrows it once it is.
        if (!accountId) return server(GRANTABLE_SCOPES);
        const approval = await approvals(ctx, accountId, client);
        if (!approval.schoolIds.length || !approval.scopes)
          throw noApprovedSchool(errors);
        return server(approval.scopes);
      }
      // Read with the client, in this request: the approval as it is now.
      const scopes = prop(client, 'approved_scopes') ?? '';
      if (prop(client, 'approval_status') !== 'approved' || !scopes)
        throw new errors.AccessDenied(
          'the school has not approved this application',
        );
      const granted = grantedScopes(scopes.split(' '));
      const params = ctx.oidc.params as Record<string, unknown>;
      if (params['grant_type'] === 'client_credentials') {
        const requested = String(params['scope'] ?? '')
          .split(' ')
          .filter(Boolean);
        // Nothing requested: the approved scopes as stored (as before 1.2 existed).
        if (!requested.length) params['scope'] = scopes;
        // Something requested, none of it grantable: no token without a scope.
        else if (!requested.some((s) => granted.includes(s)))
          throw new errors.InvalidScope(
            'none of the requested scopes is approved for this application',
            requested.join(' '),
          );
      }
      return server(granted.join(' '));
    },
  };
}
