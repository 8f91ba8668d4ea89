import type { Configuration } from 'oidc-provider';

/**
 * Grants: the school's approval is the user's consent. Rules enforced:
 * - no consent screen: the grant is built in loadExistingGrant from what was asked ∩ what may
 *   be given (the resource server's scopes, resource-server.ts), so no consent prompt ever
 *   appears; `prompt=consent` alone does not raise one;
 * - a grant is reused only for the same account and client;
 * - refresh tokens only with `offline_access` and for clients allowed the refresh_token
 *   grant, rotated on every use; reusing a used one (or a code) revokes the whole grant
 *   (oidc-provider's rule; events.ts logs it).
 */

/**
 * The interaction policy: the login prompt as oidc-provider defines it, and a consent prompt
 * that `prompt=consent` alone does not raise (the school's approval is the consent; clients
 * still send `prompt=consent` with `offline_access`, as OpenID Connect Core §11 requires for a
 * refresh token). Its other checks stay: they never fire, because loadExistingGrant grants
 * what was asked, and if they did the sign-in page would refuse to go on.
 */
export function signInPolicy(
  policies: typeof import('oidc-provider').interactionPolicy,
) {
  const policy = policies.base();
  policy.get('consent')?.checks.remove('consent_prompt');
  return policy;
}

// The school's approval is the consent (§2.5 of the auth notes): the grant is built here
// from what was asked ∩ what may be given, so no consent prompt ever appears.
export const loadExistingGrant: NonNullable<
  Configuration['loadExistingGrant']
> = async (ctx) => {
  const { client, account, session } = ctx.oidc;
  if (!client || !account || !session) return undefined;
  const { Grant } = ctx.oidc.provider;
  const grantId =
    ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  let grant = grantId ? await Grant.find(grantId) : undefined;
  if (
    grant &&
    (grant.accountId !== account.accountId ||
      grant.clientId !== client.clientId)
  )
    grant = undefined;
  grant ??= new Grant({
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
};

export const refreshTokens: Pick<
  Configuration,
  'issueRefreshToken' | 'rotateRefreshToken'
> = {
  issueRefreshToken: (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') &&
    code.scopes.has('offline_access'),
  rotateRefreshToken: true,
};
