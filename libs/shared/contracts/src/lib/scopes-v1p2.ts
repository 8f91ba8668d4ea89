import { ONEROSTER_SCOPES, type OneRosterScope } from './scopes';

/**
 * OAuth 2.0 scopes of the OneRoster 1.2 services, exactly as the security schemes
 * (`OAuth2CC`, client credentials) of the three 1EdTech 1.2 OpenAPI documents list them:
 * rostering 3, gradebook 8 (of which 3 for assessments), resources 2.
 */
export const V1P2_SCOPE_PREFIX =
  'https://purl.imsglobal.org/spec/or/v1p2/scope/';

export const ONEROSTER_V1P2_SCOPES = {
  // Rostering service.
  rosterCore: `${V1P2_SCOPE_PREFIX}roster-core.readonly`,
  roster: `${V1P2_SCOPE_PREFIX}roster.readonly`,
  rosterDemographics: `${V1P2_SCOPE_PREFIX}roster-demographics.readonly`,
  // Gradebook service.
  gradebookCore: `${V1P2_SCOPE_PREFIX}gradebook-core.readonly`,
  gradebookRead: `${V1P2_SCOPE_PREFIX}gradebook.readonly`,
  gradebookCreatePut: `${V1P2_SCOPE_PREFIX}gradebook.createput`,
  gradebookCreatePost: `${V1P2_SCOPE_PREFIX}gradebook.createpost`,
  gradebookDelete: `${V1P2_SCOPE_PREFIX}gradebook.delete`,
  assessmentRead: `${V1P2_SCOPE_PREFIX}assessment.readonly`,
  assessmentCreatePut: `${V1P2_SCOPE_PREFIX}assessment.createput`,
  assessmentDelete: `${V1P2_SCOPE_PREFIX}assessment.delete`,
  // Resources service.
  resourceCore: `${V1P2_SCOPE_PREFIX}resource-core.readonly`,
  resource: `${V1P2_SCOPE_PREFIX}resource.readonly`,
} as const;

export type OneRosterV1p2Scope =
  (typeof ONEROSTER_V1P2_SCOPES)[keyof typeof ONEROSTER_V1P2_SCOPES];

export const ALL_ONEROSTER_V1P2_SCOPES: readonly OneRosterV1p2Scope[] =
  Object.values(ONEROSTER_V1P2_SCOPES);

export const isOneRosterV1p2Scope = (s: string): s is OneRosterV1p2Scope =>
  (ALL_ONEROSTER_V1P2_SCOPES as readonly string[]).includes(s);

/** Any OneRoster scope of either version. */
export type AnyOneRosterScope = OneRosterScope | OneRosterV1p2Scope;

/**
 * What a school approves: a category of data in plain words. Each category maps to the
 * scopes of both versions that read or write that data, so that one approval covers an
 * application whichever version it speaks. Every 1.1 and every 1.2 scope belongs to exactly
 * one category (a category may have no 1.1 scope: assessments are new in 1.2).
 *
 * The 1.2 "core" scopes (roster-core, gradebook-core, resource-core) are the same data as
 * their full counterparts read through fewer routes, hence in the same category. 1.2's
 * gradebook.createpost (the server allocates sourcedIds) writes the same line items and
 * results as createput.
 */
export interface DataCategory {
  readonly key: DataCategoryKey;
  /** The words a school administrator reads. */
  readonly label: string;
  readonly description: string;
  readonly v1p1: readonly OneRosterScope[];
  readonly v1p2: readonly OneRosterV1p2Scope[];
}

export const DATA_CATEGORY_KEYS = [
  'rosters',
  'demographics',
  'gradebookRead',
  'gradebookWrite',
  'gradebookDelete',
  'assessmentsRead',
  'assessmentsWrite',
  'assessmentsDelete',
  'resources',
] as const;
export type DataCategoryKey = (typeof DATA_CATEGORY_KEYS)[number];

const V11 = ONEROSTER_SCOPES;
const V12 = ONEROSTER_V1P2_SCOPES;

export const DATA_CATEGORIES: Readonly<Record<DataCategoryKey, DataCategory>> =
  {
    rosters: {
      key: 'rosters',
      label:
        'Rosters: schools, terms, courses, classes, pupils, staff and enrolments',
      description:
        'Names, usernames, email addresses and roles of pupils, staff and guardians, the classes and courses, and who teaches and attends each class',
      v1p1: [V11.rosterCore, V11.roster],
      v1p2: [V12.rosterCore, V12.roster],
    },
    demographics: {
      key: 'demographics',
      label: 'Demographics',
      description:
        'Date of birth, sex, ethnicity and place of birth of each person',
      v1p1: [V11.rosterDemographics],
      v1p2: [V12.rosterDemographics],
    },
    gradebookRead: {
      key: 'gradebookRead',
      label: 'Gradebook: read',
      description:
        'Assignments, their categories and score scales, and pupils\u2019 results',
      v1p1: [V11.gradebookRead],
      v1p2: [V12.gradebookCore, V12.gradebookRead],
    },
    gradebookWrite: {
      key: 'gradebookWrite',
      label: 'Gradebook: write assignments and results',
      description:
        'Create and update assignments, categories, score scales and results',
      v1p1: [V11.gradebookCreatePut],
      v1p2: [V12.gradebookCreatePut, V12.gradebookCreatePost],
    },
    gradebookDelete: {
      key: 'gradebookDelete',
      label: 'Gradebook: delete',
      description: 'Delete assignments, categories, score scales and results',
      v1p1: [V11.gradebookDelete],
      v1p2: [V12.gradebookDelete],
    },
    assessmentsRead: {
      key: 'assessmentsRead',
      label: 'Assessments: read',
      description: 'Assessments and pupils\u2019 assessment results',
      v1p1: [],
      v1p2: [V12.assessmentRead],
    },
    assessmentsWrite: {
      key: 'assessmentsWrite',
      label: 'Assessments: write results',
      description:
        'Create and update assessments and pupils\u2019 assessment results',
      v1p1: [],
      v1p2: [V12.assessmentCreatePut],
    },
    assessmentsDelete: {
      key: 'assessmentsDelete',
      label: 'Assessments: delete',
      description: 'Delete assessments and assessment results',
      v1p1: [],
      v1p2: [V12.assessmentDelete],
    },
    resources: {
      key: 'resources',
      label: 'Resources',
      description: 'Learning resources attached to classes, courses and people',
      v1p1: [V11.resource],
      v1p2: [V12.resourceCore, V12.resource],
    },
  };

/** The category of a OneRoster scope of either version (undefined for any other string). */
export function dataCategoryOf(scope: string): DataCategoryKey | undefined {
  return DATA_CATEGORY_KEYS.find((k) =>
    (
      [
        ...DATA_CATEGORIES[k].v1p1,
        ...DATA_CATEGORIES[k].v1p2,
      ] as readonly string[]
    ).includes(scope),
  );
}

/** Every scope of both versions an approval of these categories covers. */
export function scopesOfCategories(
  keys: readonly DataCategoryKey[],
): AnyOneRosterScope[] {
  return keys.flatMap((k) => [
    ...DATA_CATEGORIES[k].v1p1,
    ...DATA_CATEGORIES[k].v1p2,
  ]);
}

const scopeName = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/**
 * The scopes of the other version that stand for a scope: in the same category, the one of
 * the same name (roster.readonly of 1.1 for roster.readonly of 1.2, roster-core for
 * roster-core), or every scope of that category in the other version when none has its name
 * (1.2 gradebook-core.readonly: 1.1 gradebook.readonly). So a route keeps its core/full
 * distinction across versions: a 1.1 roster-core token reads what a 1.2 roster-core token
 * reads, never the relationship routes. Empty for a string that is no OneRoster scope.
 */
export function counterpartScopes(scope: string): AnyOneRosterScope[] {
  const key = dataCategoryOf(scope);
  if (!key) return [];
  const c = DATA_CATEGORIES[key];
  const other: readonly AnyOneRosterScope[] = (
    c.v1p1 as readonly string[]
  ).includes(scope)
    ? c.v1p2
    : c.v1p1;
  const named = other.filter((s) => scopeName(s) === scopeName(scope));
  return named.length ? named : [...other];
}
