import type { ApprovedSchool } from '@oneroster/data-access-auth';
import type { Configuration } from 'oidc-provider';
import { kindOf, prop } from './client-metadata';
import { noApprovedSchool, UserApprovals } from './user-approvals';

/**
 * The claims an API access token carries beyond the standard ones. Rules enforced:
 * - a school client's token: `school_ids` = its school, and its `integrator_id`;
 * - a user's token for an application: `school_ids` = those of the approving schools
 *   (user-approvals.ts) whose own approval includes one of the token's scopes (a school that
 *   approved none of what the token carries is not named; a token without API scopes names
 *   every approving school), evaluated again on every refresh; none: `access_denied`;
 * - an application that chose string booleans (`applications.boolean_format`) gets the
 *   claim `oneroster_booleans: "string"` in its access tokens, and the API writes its
 *   booleans as "true"/"false"; no claim: JSON booleans;
 * - ID tokens and the portal's tokens carry none of these (ID tokens say who signed in,
 *   access tokens what they may read).
 */

/** The claim that tells the API to write this client's OneRoster booleans as strings. */
function wireFormatClaims(client: unknown): Record<string, string> {
  return prop(client, 'boolean_format') === 'string'
    ? { oneroster_booleans: 'string' }
    : {};
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

export interface TokenClaimsDeps {
  errors: typeof import('oidc-provider').errors;
  approvals: UserApprovals;
}

export function extraTokenClaims({
  errors,
  approvals,
}: TokenClaimsDeps): NonNullable<Configuration['extraTokenClaims']> {
  return async (ctx, token) => {
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
    const approval = await approvals(ctx, token.accountId, token.client);
    const schoolIds = schoolsGranting(approval.schools, token.scope);
    if (!schoolIds.length) throw noApprovedSchool(errors);
    return {
      school_ids: schoolIds,
      integrator_id: prop(token.client, 'integrator_id'),
      ...wireFormatClaims(token.client),
    };
  };
}
