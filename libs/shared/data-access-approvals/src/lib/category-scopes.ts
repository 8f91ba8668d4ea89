import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  counterpartScopes,
  DATA_CATEGORY_KEYS,
  dataCategoryOf,
  type DataCategoryKey,
} from '@oneroster/contracts';

const ALL_SCOPES: readonly string[] = [
  ...ALL_ONEROSTER_SCOPES,
  ...ALL_ONEROSTER_V1P2_SCOPES,
];

/**
 * What an approval grants, in both OneRoster versions. A school approves data categories
 * (`DATA_CATEGORIES`); an approval is stored, as before, as the scopes it approved (1.1 URIs,
 * 1.2 URIs for what 1.1 lacks or an application asked in 1.2 terms, platform scopes).
 * Rules enforced:
 * - a scope of either version is granted when the approval lists it or one of its
 *   counterparts in the other version (`counterpartScopes`: the same category and name, or,
 *   for a scope no scope of the other version is named like, every scope of its category
 *   there), the rule the API applies to every request (`schoolsForRoute`), so the token
 *   endpoint and the API agree;
 * - so an existing approval of 1.1 scopes grants exactly the same 1.1 scopes as before, and
 *   their 1.2 counterparts (1.1 roster-core: 1.2 roster-core, never roster.readonly of
 *   either version); 1.2 gradebook-core, resource-core and gradebook.createpost come with
 *   1.1 gradebook.readonly, resource.readonly and gradebook.createput;
 * - any other listed scope (the platform's) is granted as listed; nothing else is added;
 * - a revoked, declined or pending approval lists nothing, so grants nothing in either
 *   version.
 */
export function grantedScopes(stored: Iterable<string>): string[] {
  const listed = new Set(stored);
  const added = ALL_SCOPES.filter(
    (s) => !listed.has(s) && counterpartScopes(s).some((c) => listed.has(c)),
  );
  return [...listed, ...added];
}

/** The data categories an approval (as stored) grants any scope of, in their order. */
export function approvedCategories(
  stored: Iterable<string>,
): DataCategoryKey[] {
  const keys = new Set<DataCategoryKey>();
  for (const scope of stored) {
    const key = dataCategoryOf(scope);
    if (key) keys.add(key);
  }
  return DATA_CATEGORY_KEYS.filter((k) => keys.has(k));
}
