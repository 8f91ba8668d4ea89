import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  counterpartScopes,
  DATA_CATEGORIES,
  DATA_CATEGORY_KEYS,
  ONEROSTER_SCOPES,
  SCOPE_DESCRIPTIONS,
  type ApplicationView,
  type DataCategoryView,
  type ApprovalView,
  type OneRosterScope,
  type PortalMe,
  type SchoolApplicationView,
  type SchoolRole,
} from '@oneroster/contracts';

/** jsdom has no `structuredClone`; these values are plain JSON anyway. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Builders of portal API answers with sensible defaults, for the portal's component tests:
 * `aPortalMe().asSchoolAdmin('s1', 'Oak Academy').build()`.
 */
export function aPortalMe() {
  const me: PortalMe = {
    account: {
      id: 'account-1',
      email: 'admin@oak.example.org',
      displayName: 'Ada Admin',
    },
    operator: false,
    integrator: null,
    schools: [],
    csrfToken: 'csrf-token-1',
  };
  const builder = {
    asSchoolAdmin(
      id: string,
      name: string,
      roles: SchoolRole[] = ['school_admin'],
    ) {
      me.schools.push({ id, name, identifier: null, sandbox: true, roles });
      return builder;
    },
    asDeveloper(id = 'integrator-1', name = 'Sandbox Learning Ltd') {
      me.integrator = { id, name, website: null, contactEmail: null };
      return builder;
    },
    asOperator() {
      me.operator = true;
      return builder;
    },
    build: (): PortalMe => copy(me),
  };
  return builder;
}

const scopeView = (scope: OneRosterScope) => ({
  scope,
  description: SCOPE_DESCRIPTIONS[scope],
});

/** What a stored approval grants in both versions (as the portal API computes it). */
const grantedOf = (scopes: readonly string[]): string[] => [
  ...scopes,
  ...[...ALL_ONEROSTER_SCOPES, ...ALL_ONEROSTER_V1P2_SCOPES].filter(
    (s) =>
      !scopes.includes(s) &&
      counterpartScopes(s).some((c) => scopes.includes(c)),
  ),
];

/** The categories of 1.1 scopes as the portal API describes them. */
export const categoryViewsOf = (
  scopes: readonly OneRosterScope[],
): DataCategoryView[] => {
  const granted = grantedOf(scopes);
  return DATA_CATEGORY_KEYS.map((key) => DATA_CATEGORIES[key])
    .filter((c) => c.v1p1.some((s) => scopes.includes(s)))
    .map((c) => {
      const listed = c.v1p1.filter((s) => scopes.includes(s));
      return {
        key: c.key,
        label: c.label,
        description: c.description,
        scopes: listed,
        v1p1Scopes: listed,
        v1p2Scopes: c.v1p2.filter((s) => granted.includes(s)),
      };
    });
};

export function anApplication(id = 'app-1', name = 'Sandbox Explorer') {
  const app: ApplicationView = {
    id,
    name,
    description: 'Explores rosters',
    integrator: {
      id: 'integrator-1',
      name: 'Sandbox Learning Ltd',
      website: null,
      contactEmail: null,
    },
    requestedScopes: [
      scopeView(ONEROSTER_SCOPES.rosterCore),
      scopeView(ONEROSTER_SCOPES.rosterDemographics),
      scopeView(ONEROSTER_SCOPES.gradebookRead),
    ],
    requestedCategories: categoryViewsOf([
      ONEROSTER_SCOPES.rosterCore,
      ONEROSTER_SCOPES.rosterDemographics,
      ONEROSTER_SCOPES.gradebookRead,
    ]),
    redirectUris: ['https://explorer.example.com/callback'],
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    approvals: [],
    oidcClientId: null,
    booleanFormat: 'json',
  };
  const builder = {
    requesting(...scopes: OneRosterScope[]) {
      app.requestedScopes = scopes.map(scopeView);
      app.requestedCategories = categoryViewsOf(scopes);
      return builder;
    },
    withApproval(
      schoolId: string,
      schoolName: string,
      status: ApprovalView['status'],
    ) {
      app.approvals.push({
        ...anApproval(app.id, schoolId, status),
        schoolName,
      });
      return builder;
    },
    build: (): ApplicationView => copy(app),
    /** The same application as a school sees it, with that school's decision. */
    forSchool(
      schoolId: string,
      status: ApprovalView['status'] | null,
    ): SchoolApplicationView {
      const {
        id,
        name,
        description,
        integrator,
        requestedScopes,
        requestedCategories,
        redirectUris,
      } = copy(app);
      const summary = {
        id,
        name,
        description,
        integrator,
        requestedScopes,
        requestedCategories,
        redirectUris,
      };
      return {
        application: summary,
        approval: status ? anApproval(app.id, schoolId, status) : null,
      };
    },
  };
  return builder;
}

export function anApproval(
  applicationId: string,
  schoolId: string,
  status: ApprovalView['status'],
): ApprovalView {
  const decided = status !== 'pending';
  const approved: OneRosterScope[] =
    status === 'approved' ? [ONEROSTER_SCOPES.rosterCore] : [];
  return {
    id: `approval-${applicationId}-${schoolId}`,
    schoolId,
    applicationId,
    status,
    scopes: approved,
    categories: categoryViewsOf(approved),
    grantedScopes: grantedOf(approved),
    requestedAt: '2026-01-02T10:00:00.000Z',
    decidedAt: decided ? '2026-01-03T10:00:00.000Z' : null,
    decidedBy: decided
      ? {
          id: 'account-1',
          email: 'admin@oak.example.org',
          displayName: 'Ada Admin',
        }
      : null,
    receiptId: decided ? `receipt-${applicationId}-${schoolId}` : null,
  };
}
