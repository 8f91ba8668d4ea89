import {
  SCOPE_DESCRIPTIONS,
  type AccountSummary,
  type GrantableScope,
  type IntegratorSummary,
  type SchoolSummary,
  type ScopeView,
} from '@oneroster/contracts';
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

export const scopeView = (scope: GrantableScope): ScopeView => ({
  scope,
  description:
    (SCOPE_DESCRIPTIONS as Record<string, string>)[scope] ??
    PLATFORM_SCOPE_DESCRIPTIONS[scope] ??
    scope,
});

export const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : instantText(d);
