import { counterpartScopes } from '@oneroster/contracts';

/**
 * Which of a token's schools a request is served for: scopes are per school. Rules enforced:
 * - the token must carry one of the route's scopes (else 403, as before any school is read);
 * - no school approves the client now (revoked, declined, unknown client): 403;
 * - a school the token names is served only when its own live approval is `approved` AND
 *   includes one of the route's scopes that the token also carries; the union of several
 *   schools' approvals (what a multi-school user's token carries) never lends one school's
 *   scope to another;
 * - a school left out is treated like a school the token does not name: absent from
 *   collections, 404 on its ids, no writes;
 * - when schools the token names approve the client but none of them for this route, the
 *   token lacks the scope for every school it may read: 403, as a token without the scope;
 * - when none of the token's schools approves the client any more (another school still
 *   does), it reads nothing (empty lists, 404s), as before per-school scopes;
 * - an approval covers both versions of the standard: a school's approval of a scope also
 *   approves its counterpart in the other version (`counterpartScopes`: the same data
 *   category, the same name), so a revocation stops both.
 */
export type SchoolsForRoute =
  | { served: string[] }
  | { refused: 'token-scope' | 'no-approval' | 'school-scope' };

export function schoolsForRoute(
  token: { schoolIds: readonly string[]; scopes: readonly string[] },
  routeScopes: readonly string[],
  approvals: ReadonlyMap<string, ReadonlySet<string>>,
): SchoolsForRoute {
  const usable = routeScopes.filter((s) => token.scopes.includes(s));
  if (usable.length === 0) return { refused: 'token-scope' };
  if (approvals.size === 0) return { refused: 'no-approval' };
  const approved = token.schoolIds.filter((id) => approvals.has(id));
  const served = approved.filter((id) => {
    const granted = approvals.get(id);
    return usable.some(
      (s) =>
        granted?.has(s) || counterpartScopes(s).some((c) => granted?.has(c)),
    );
  });
  if (approved.length > 0 && served.length === 0)
    return { refused: 'school-scope' };
  return { served };
}
