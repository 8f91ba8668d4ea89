/** Who is calling, as the verified access token says. */
export interface Principal {
  /** Schools the token may read (already intersected with live approvals when that applies). */
  schoolIds: string[];
  scopes: string[];
  clientId: string | null;
  integratorId: string | null;
  /** Set for tokens issued to a signed-in user (OIDC hybrid flow). */
  userId: string | null;
  /**
   * How OneRoster booleans are written to this client: `json` (the default) or `string`
   * (the token's `oneroster_booleans` claim, set by the application's wire option).
   */
  booleans?: 'json' | 'string';
}
