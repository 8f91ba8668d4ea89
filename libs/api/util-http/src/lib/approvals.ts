/**
 * The live approvals the guard checks every access token against (implemented by
 * `ApprovalLookup` of @oneroster/data-access-approvals, passed to
 * `OneRosterHttpModule.register`): each school that approves the token's client now, with
 * the scopes that school approved. Rules the guard enforces with it (see `schoolsForRoute`):
 * - a token's `school_ids` are cut to the schools whose approval of its client is live now
 *   AND includes a scope of the route, so a revocation or a re-approval with fewer scopes
 *   stops access within the lookup's cache time (2 s; at once when the invalidation bus
 *   tells the lookup of the change), even for tokens already issued (JWT access tokens
 *   cannot be recalled);
 * - a client no school approves (revoked, declined, unknown, or no `client_id`) gets 403;
 * - a token naming only schools outside the approved set reads nothing (empty lists, 404s).
 */
export abstract class ApprovedSchools {
  /** School id → the scopes that school approved (approved schools only). */
  abstract approvedScopesOf(
    clientId: string,
  ): Promise<ReadonlyMap<string, ReadonlySet<string>>>;
}
