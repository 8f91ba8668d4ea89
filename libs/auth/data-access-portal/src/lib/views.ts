import {
  DATA_CATEGORIES,
  dataCategoryOf,
  isOneRosterV1p2Scope,
  SCOPE_DESCRIPTIONS,
  type DataCategoryView,
  type AccountSummary,
  type GrantableScope,
  type IntegratorSummary,
  type SchoolSummary,
  type ScopeView,
} from '@oneroster/contracts';
import {
  approvedCategories,
  grantedScopes,
} from '@oneroster/data-access-approvals';
import { instantText } from '@oneroster/database';
import type {
  AccountEntity,
  IntegratorEntity,
  SchoolEntity,
} from '@oneroster/entities';

/** Response shapes built by whitelisting fields, never by handing out entities. */

export const schoolSummary = (s: SchoolEntity): SchoolSummary => ({
  id: s.id,
  name: s.name,
  identifier: s.identifier ?? null,
  sandbox: !!s.sandbox,
});

export const integratorSummary = (i: IntegratorEntity): IntegratorSummary => ({
  id: i.id,
  name: i.name,
  website: i.website ?? null,
  contactEmail: i.contactEmail ?? null,
});

export const accountSummary = (a: AccountEntity): AccountSummary => ({
  id: a.id,
  email: a.email,
  displayName: a.displayName,
});

const PLATFORM_SCOPE_DESCRIPTIONS: Record<string, string> = {
  'urn:oneroster-exchange:scope:gradebook-changes.readonly':
    'Collect the results integrators wrote back (gradebook change feed)',
};

/** A 1.2 scope in words: its data category's, with the version. */
const v1p2Words = (scope: string): string | undefined => {
  const key = isOneRosterV1p2Scope(scope) ? dataCategoryOf(scope) : undefined;
  return key ? `${DATA_CATEGORIES[key].label} (OneRoster 1.2)` : undefined;
};

export const scopeView = (scope: GrantableScope): ScopeView => ({
  scope,
  description:
    (SCOPE_DESCRIPTIONS as Record<string, string>)[scope] ??
    PLATFORM_SCOPE_DESCRIPTIONS[scope] ??
    v1p2Words(scope) ??
    scope,
});

export const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : instantText(d);

/**
 * The data categories `scopes` (requested or approved, as stored) belong to, each with what
 * it grants in both versions (`grantedScopes`).
 */
export function categoryViews(
  scopes: readonly GrantableScope[],
): DataCategoryView[] {
  const granted = new Set(grantedScopes(scopes));
  return approvedCategories(scopes).map((key) => {
    const { label, description, v1p1, v1p2 } = DATA_CATEGORIES[key];
    return {
      key,
      label,
      description,
      scopes: scopes.filter((s) => dataCategoryOf(s) === key),
      // In the category's order.
      v1p1Scopes: v1p1.filter((s) => granted.has(s)),
      v1p2Scopes: v1p2.filter((s) => granted.has(s)),
    };
  });
}
