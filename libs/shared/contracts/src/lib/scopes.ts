import type { OneRosterV1p2Scope } from './scopes-v1p2';

/**
 * OAuth 2.0 scopes of the OneRoster 1.1 API (digest §6.3) and how a school sees them
 * described in the admin portal.
 */
export const SCOPE_PREFIX = 'https://purl.imsglobal.org/spec/or/v1p1/scope/';

export const ONEROSTER_SCOPES = {
  rosterCore: `${SCOPE_PREFIX}roster-core.readonly`,
  roster: `${SCOPE_PREFIX}roster.readonly`,
  rosterDemographics: `${SCOPE_PREFIX}roster-demographics.readonly`,
  resource: `${SCOPE_PREFIX}resource.readonly`,
  gradebookRead: `${SCOPE_PREFIX}gradebook.readonly`,
  gradebookCreatePut: `${SCOPE_PREFIX}gradebook.createput`,
  gradebookDelete: `${SCOPE_PREFIX}gradebook.delete`,
} as const;

export type OneRosterScope =
  (typeof ONEROSTER_SCOPES)[keyof typeof ONEROSTER_SCOPES];

export const ALL_ONEROSTER_SCOPES: readonly OneRosterScope[] =
  Object.values(ONEROSTER_SCOPES);

/** Plain-language description of each scope, as a school administrator reads it. */
export const SCOPE_DESCRIPTIONS: Record<OneRosterScope, string> = {
  [ONEROSTER_SCOPES.rosterCore]:
    'Names, email addresses, classes, courses, terms and enrolments',
  [ONEROSTER_SCOPES.roster]:
    'Names, email addresses and class lists, including who teaches and attends each class',
  [ONEROSTER_SCOPES.rosterDemographics]:
    'Demographics: date of birth, sex, ethnicity and place of birth',
  [ONEROSTER_SCOPES.resource]:
    'Learning resources attached to classes and courses',
  [ONEROSTER_SCOPES.gradebookRead]: 'Read gradebook: assignments and results',
  [ONEROSTER_SCOPES.gradebookCreatePut]:
    'Write gradebook: create and update assignments and results',
  [ONEROSTER_SCOPES.gradebookDelete]:
    'Delete gradebook assignments and results',
};

export const isOneRosterScope = (s: string): s is OneRosterScope =>
  (ALL_ONEROSTER_SCOPES as readonly string[]).includes(s);

/**
 * Scopes of the platform itself, outside OneRoster. The gradebook change feed is read by a
 * school's own MIS connector to collect what integrators wrote back.
 */
export const PLATFORM_SCOPES = {
  gradebookChanges: 'urn:oneroster-exchange:scope:gradebook-changes.readonly',
} as const;

export type PlatformScope =
  (typeof PLATFORM_SCOPES)[keyof typeof PLATFORM_SCOPES];

/**
 * Any scope an application may request and a school may approve: a OneRoster scope of either
 * version (a school approves its data category, `DATA_CATEGORIES`) or a platform scope.
 */
export type GrantableScope =
  OneRosterScope | OneRosterV1p2Scope | PlatformScope;
