/**
 * The live approvals the guard checks every access token against (implemented by
 * `ApprovalLookup` of @oneroster/data-access-approvals, passed to
 * `OneRosterHttpModule.register`). Rules the guard enforces with it:
 * - a token's `school_ids` are intersected with the schools that approve the token's client
 *   now, so a revocation stops access within the lookup's cache time (at most 5 s), even for
 *   tokens already issued (JWT access tokens cannot be recalled);
 * - a client no school approves (revoked, declined, unknown, or no `client_id`) gets 403;
 * - a token naming only schools outside the approved set reads nothing (empty lists, 404s).
 */
export abstract class ApprovedSchools {
  abstract approvedSchoolsOf(clientId: string): Promise<ReadonlySet<string>>;
}
