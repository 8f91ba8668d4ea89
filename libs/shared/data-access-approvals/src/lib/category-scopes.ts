import {
  DATA_CATEGORIES,
  DATA_CATEGORY_KEYS,
  dataCategoryOf,
  type DataCategoryKey,
} from '@oneroster/contracts';

/**
 * What an approval grants, in both OneRoster versions. Approvals are stored as the scopes the
 * school approved (1.1 URIs, platform scopes, and 1.2 URIs for what 1.1 lacks); a school
 * approves data categories (`DATA_CATEGORIES`), so a stored scope stands for its category.
 * Rules enforced:
 * - a category is approved when the approval lists any scope of it (of either version);
 * - an approved category grants every 1.2 scope of it;
 * - 1.1 scopes are granted exactly as listed (so every existing approval grants the same
 *   1.1 scopes as before); a category approved in 1.2 terms only (no 1.1 scope of it
 *   listed) grants its 1.1 scopes too;
 * - any other listed scope (the platform's) is granted as listed; nothing else is added.
 * A revoked or declined approval lists nothing, so it grants nothing in either version.
 */
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

/** Every scope (both versions, in the categories' order after the stored ones) an approval grants. */
export function grantedScopes(stored: Iterable<string>): string[] {
  const listed = [...stored];
  const granted = new Set<string>(listed);
  for (const key of approvedCategories(listed)) {
    const { v1p1, v1p2 } = DATA_CATEGORIES[key];
    const listsV1p1 = v1p1.some((s) => granted.has(s));
    if (!listsV1p1) for (const s of v1p1) granted.add(s);
    for (const s of v1p2) granted.add(s);
  }
  return [...granted];
}
