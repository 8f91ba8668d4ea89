/**
 * The admin portal's JSON API, served by the auth server under `/portal` and reached by the
 * browser through the portal's own origin (its server forwards `/portal/*`). The browser holds
 * no token: signing in goes through the authorization server (code + PKCE) and leaves an
 * HttpOnly session cookie; every state-changing call carries the `X-CSRF-Token` header with
 * the value `GET /portal/api/me` returned.
 *
 * Routes (all JSON; errors are `PortalError`):
 *
 * Session
 * - `GET  /portal/auth/login?returnTo=/path`       302 to the authorization server
 * - `GET  /portal/auth/callback`                    302 to returnTo, session cookie set
 * - `POST /portal/auth/logout`                      `{ endSessionUrl }`, session gone
 * - `GET  /portal/api/me`                           `PortalMe` (401 when not signed in)
 * - `POST /portal/api/me/password`                  `PasswordChangeRequest` → 204 (other sessions ended)
 *
 * School administrators (for a school where they hold `school_admin`)
 * - `GET  /portal/api/schools/:schoolId/applications`                      `SchoolApplicationView[]`
 * - `POST /portal/api/schools/:schoolId/applications/:appId/approve`       `ApproveRequest` → `ApprovalView`
 * - `POST /portal/api/schools/:schoolId/applications/:appId/decline`       `DeclineRequest` → `ApprovalView`
 * - `POST /portal/api/schools/:schoolId/applications/:appId/revoke`        → `ApprovalView`
 * - `GET  /portal/api/schools/:schoolId/audit?limit=&before=`              `AuditEventView[]`
 * - `GET  /portal/api/schools/:schoolId/home`                              `SchoolHomeView`
 * - `GET  /portal/api/schools/:schoolId/usage?days=30`                     `IntegratorUsageView[]`
 * - `GET  /portal/api/schools/:schoolId/usage.csv?days=30`                 the same figures as text/csv
 * - `POST /portal/api/schools/:schoolId/imports?mode=apply|validate`       zip body → 202 `ImportJobView`
 * - `GET  /portal/api/schools/:schoolId/imports`                           `ImportJobView[]`
 * - `GET  /portal/api/schools/:schoolId/imports/:jobId`                    `ImportJobView`
 * - `GET  /portal/api/schools/:schoolId/mis-credentials`                   `CredentialView[]` (the school's live client-credentials clients)
 * - `POST /portal/api/schools/:schoolId/mis-credentials`                   `MisCredentialRequest` → `IssuedCredential` (operators too)
 * - `PUT  /portal/api/schools/:schoolId/mis-credentials/:clientId`         `MisScopesRequest` → `CredentialView` (operators too)
 *
 * Integrator developers (for their own integrator)
 * - `GET   /portal/api/schools/directory`                                  `SchoolSummary[]`
 * - `GET   /portal/api/integrators/:integratorId/applications`             `ApplicationView[]`
 * - `POST  /portal/api/integrators/:integratorId/applications`             `ApplicationInput` → `ApplicationView`
 * - `PATCH /portal/api/applications/:appId`                                `Partial<ApplicationInput>` → `ApplicationView`
 * - `POST  /portal/api/applications/:appId/schools/:schoolId/request`      → `ApprovalView` (pending)
 * - `GET   /portal/api/applications/:appId/credentials`                    `CredentialView[]`
 * - `POST  /portal/api/applications/:appId/credentials`                    `CreateCredentialRequest` → `IssuedCredential`
 * - `POST  /portal/api/credentials/:clientId/rotate`                       → `IssuedCredential`
 * - `POST  /portal/api/credentials/:clientId/revoke`                       → `CredentialView`
 * - `GET   /portal/api/sandbox`                                            `SandboxInfo`
 *
 * Both sides
 * - `GET  /portal/api/receipts/:receiptId`                                 `ApprovalReceipt`
 *
 * Platform operators
 * - `GET|POST /portal/api/integrators`                                     `IntegratorSummary[]` / `IntegratorInput`
 * - `GET|POST /portal/api/schools`                                         `SchoolSummary[]` / `SchoolInput`
 * - `GET|POST /portal/api/accounts`                                        `AccountView[]` / `AccountInput` → `CreatedAccount`
 * - `POST     /portal/api/accounts/:accountId/disable`                     → `AccountView` (sessions and grants ended)
 * - `POST     /portal/api/accounts/:accountId/enable`                      → `AccountView`
 * - `POST     /portal/api/accounts/:accountId/roles/remove`                `RoleRemoval` → `AccountView` (sessions and grants ended)
 * - `POST     /portal/api/accounts/:accountId/reset-password`              → `PasswordReset` (sessions and grants ended)
 * - `GET      /portal/api/audit?limit=&before=`                            `AuditEventView[]`
 */
import type { ApprovalStatus, PlatformRole, SchoolRole } from './platform';
import type { GrantableScope, OneRosterScope } from './scopes';
import type { DataCategoryKey, OneRosterV1p2Scope } from './scopes-v1p2';
import type { UsageCategoryKey } from './usage-categories';

export const PORTAL_CSRF_HEADER = 'X-CSRF-Token';
export const PORTAL_SESSION_COOKIE = 'portal_session';

/** Every error the portal API answers: a stable code for programs, a sentence for people. */
export interface PortalError {
  statusCode: number;
  /** e.g. `not_signed_in`, `forbidden`, `not_found`, `invalid_request`, `conflict`, `csrf`. */
  error: string;
  message: string;
  /** Field-level problems of a rejected body: field name → what is wrong. */
  fields?: Record<string, string>;
}

export interface AccountSummary {
  id: string;
  email: string;
  displayName: string;
}

export interface SchoolSummary {
  id: string;
  name: string;
  identifier: string | null;
  sandbox: boolean;
}

export interface IntegratorSummary {
  id: string;
  name: string;
  website: string | null;
  contactEmail: string | null;
}

/** Who is signed in and what they may do. */
export interface PortalMe {
  account: AccountSummary;
  /** Platform operator: onboards integrators, schools and accounts. */
  operator: boolean;
  /** Set for integrator developers. */
  integrator: IntegratorSummary | null;
  /** Schools where the account holds a role. */
  schools: (SchoolSummary & { roles: SchoolRole[] })[];
  csrfToken: string;
}

/** A scope with the words a school administrator reads. */
export interface ScopeView {
  scope: GrantableScope;
  description: string;
}

/**
 * A data category (`DATA_CATEGORIES`) in the words a school reads, with the scopes it stands
 * for in each OneRoster version: the listed scopes of that category (what the application
 * requested, or the approval lists), and the 1.1 and 1.2 scopes of the category they grant
 * (the listed ones and their counterparts in the other version, `counterpartScopes`).
 */
export interface DataCategoryView {
  key: DataCategoryKey;
  label: string;
  description: string;
  /** The listed scopes of this category, as stored. */
  scopes: GrantableScope[];
  v1p1Scopes: OneRosterScope[];
  v1p2Scopes: OneRosterV1p2Scope[];
}

export interface ApplicationSummary {
  id: string;
  name: string;
  description: string | null;
  integrator: IntegratorSummary;
  requestedScopes: ScopeView[];
  /** The data categories of the requested scopes, with the scopes of both versions. */
  requestedCategories: DataCategoryView[];
  redirectUris: string[];
}

export interface ApprovalView {
  id: string;
  schoolId: string;
  applicationId: string;
  status: ApprovalStatus;
  /** The approved subset of the requested scopes (empty unless approved). */
  scopes: GrantableScope[];
  /** The approved data categories, each with its scopes of both versions (empty unless approved). */
  categories: DataCategoryView[];
  /** Every scope, of either version, a token may carry under this approval (empty unless approved). */
  grantedScopes: string[];
  requestedAt: string;
  decidedAt: string | null;
  decidedBy: AccountSummary | null;
  /** The receipt of the latest decision. */
  receiptId: string | null;
}

/** One application as a school sees it: what it asks for and the school's decision so far. */
export interface SchoolApplicationView {
  application: ApplicationSummary;
  approval: ApprovalView | null;
}

export interface ApproveRequest {
  /** A non-empty subset of the application's requested scopes. */
  scopes: GrantableScope[];
}

export interface DeclineRequest {
  reason?: string;
}

/** A time-stamped record of a decision, visible to the school and to the integrator. */
export interface ApprovalReceipt {
  id: string;
  approvalId: string;
  decision: Exclude<ApprovalStatus, 'pending'>;
  school: SchoolSummary;
  application: { id: string; name: string };
  integrator: IntegratorSummary;
  /** The approved scopes as stored (empty for a decline or revocation). */
  scopes: GrantableScope[];
  /** The approved data categories with their 1.1 and 1.2 scopes (absent from older receipts). */
  categories?: DataCategoryView[];
  /** Every scope of either version the approval grants (absent from older receipts). */
  grantedScopes?: string[];
  decidedAt: string;
  decidedBy: AccountSummary;
  reason: string | null;
  /** SHA-256 (hex) of the receipt's canonical JSON without this field. */
  digest: string;
}

export interface ApplicationInput {
  name: string;
  description?: string | null;
  requestedScopes: GrantableScope[];
  /** https URIs (exact match) for the OIDC hybrid sign-in. */
  redirectUris: string[];
  /**
   * How the OneRoster API writes booleans (`enabledUser`, `primary`, the demographics flags) to
   * this application: `json` (true/false, as the 1.1 OpenAPI types them; the default) or
   * `string` ("true"/"false", the OneRoster 1.2 convention some 1.1 clients follow).
   * Applies to access tokens issued after the change.
   */
  booleanFormat?: BooleanFormat;
}

/** The wire forms of OneRoster booleans an application may choose. */
export const BOOLEAN_FORMATS = ['json', 'string'] as const;
export type BooleanFormat = (typeof BOOLEAN_FORMATS)[number];

export interface ApplicationView extends ApplicationSummary {
  createdAt: string;
  updatedAt: string;
  /** Every school that has a decision (or a pending request) about this application. */
  approvals: (ApprovalView & { schoolName: string })[];
  /** Client id of the application's OIDC (hybrid sign-in) client, when it has one. */
  oidcClientId: string | null;
  /** How the OneRoster API writes booleans to this application (see `ApplicationInput`). */
  booleanFormat: BooleanFormat;
}

/** A client-credentials client of one application for one school. The secret is never shown again. */
export interface CredentialView {
  clientId: string;
  applicationId: string;
  /** `null` for the application's OIDC sign-in client. */
  schoolId: string | null;
  schoolName: string | null;
  kind: 'client_credentials' | 'oidc';
  createdAt: string;
  /** While set, the previous secret still works (rotation overlap). */
  previousSecretExpiresAt: string | null;
  revokedAt: string | null;
  /**
   * Platform API scopes the school granted this school client (`imports.write`: a MIS
   * importing CSV sets); empty for the others and for OIDC clients.
   */
  platformScopes: string[];
}

/**
 * A school's MIS credential, issued by the school's administrator or an operator:
 * `POST /portal/api/schools/:schoolId/mis-credentials`. The client of `applicationId` (which
 * the school approves) for the school, holding the chosen platform scopes.
 */
export interface MisCredentialRequest {
  applicationId: string;
  /** School platform scopes (`imports.write`); default all of them. */
  platformScopes?: string[];
}

/** `PUT /portal/api/schools/:schoolId/mis-credentials/:clientId`: the client's platform scopes now. */
export interface MisScopesRequest {
  /** School platform scopes; `[]` takes them all away. */
  platformScopes: string[];
}

export interface CreateCredentialRequest {
  /** The school for a client-credentials client; omit for the application's OIDC client. */
  schoolId?: string;
}

export interface IssuedCredential extends CredentialView {
  /** Shown once: at least 256 random bits. */
  clientSecret: string;
  tokenEndpoint: string;
}

/** Where an integrator's developers try the API against dummy data. */
export interface SandboxInfo {
  swaggerUrl: string;
  tokenEndpoint: string;
  issuer: string;
  schools: SchoolSummary[];
  clients: { clientId: string; schoolId: string }[];
  /** Demo mode only: the shared sandbox secret; otherwise null (create credentials instead). */
  clientSecret: string | null;
}

export interface AuditEventView {
  id: number;
  occurredAt: string;
  actor: AccountSummary | null;
  /** Set when an OAuth client acted (actor type `client`), e.g. a school's MIS importing. */
  actorClient: { clientId: string; name: string | null } | null;
  actorType: string;
  actorIp: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  schoolId: string | null;
  details: Record<string, unknown> | null;
}

/** Requests and the records they answered with, for one kind of data. */
export interface UsageCategoryFigures {
  key: UsageCategoryKey;
  /** `USAGE_CATEGORY_LABELS[key]`. */
  label: string;
  requests: number;
  records: number;
}

/** One UTC day of an integrator's use of a school's data. */
export interface UsageDayView {
  day: string;
  requests: number;
  /** Records the successful reads answered with (a page's objects, one per single object). */
  recordsRead: number;
  /** Gradebook records (line items, results, categories, score scales…) it wrote. */
  recordsWritten: number;
  /** The kinds of data read that day, in `USAGE_CATEGORY_KEYS` order; only kinds with requests. */
  categories: UsageCategoryFigures[];
}

/** What one integrator did with a school's data, per day. */
export interface IntegratorUsageView {
  integrator: IntegratorSummary;
  /** Only days with activity, oldest first. */
  days: UsageDayView[];
  /** The period's totals per kind of data read, in `USAGE_CATEGORY_KEYS` order. */
  categories: UsageCategoryFigures[];
  totals: { requests: number; recordsRead: number; recordsWritten: number };
  /** Up to 3 days with the most records read (then requests), busiest first. */
  busiestDays: UsageDayView[];
  /** Most used endpoints over the period (route template → requests). */
  endpoints: { route: string; requests: number }[];
}

/** An application that may read a school's data now, and what, in plain words. */
export interface SchoolHomeAccess {
  application: { id: string; name: string };
  integrator: IntegratorSummary;
  /** The approved data categories. */
  categories: DataCategoryView[];
  approvedAt: string | null;
  approvedBy: AccountSummary | null;
  receiptId: string | null;
}

/** A revoked approval, newest first. */
export interface SchoolHomeRevocation {
  application: { id: string; name: string };
  integrator: IntegratorSummary;
  revokedAt: string | null;
  revokedBy: AccountSummary | null;
  receiptId: string | null;
}

/** The school's latest CSV import (or check), from the audit trail and the job's report. */
export interface SchoolHomeImport {
  jobId: string;
  mode: 'apply' | 'validate';
  startedAt: string;
  startedBy: AccountSummary | null;
  /** `unknown` when the job is no longer held (the auth server restarted since). */
  status: ImportJobStatus | 'unknown';
  finishedAt: string | null;
  errors: number | null;
  warnings: number | null;
}

/** A school administrator's home page, at a glance. */
export interface SchoolHomeView {
  school: SchoolSummary;
  /** Applications waiting for the school's decision (as the applications page groups them). */
  waitingDecisions: number;
  withAccess: SchoolHomeAccess[];
  lastImport: SchoolHomeImport | null;
  /** The 5 latest revocations. */
  recentRevocations: SchoolHomeRevocation[];
}

export interface IntegratorInput {
  name: string;
  website?: string | null;
  contactEmail?: string | null;
}

export interface SchoolInput {
  name: string;
  identifier?: string | null;
  /** The sourcedId of the school's Org in its OneRoster data. */
  orgSourcedId: string;
  sandbox?: boolean;
}

export interface AccountInput {
  email: string;
  displayName: string;
  platformRole?: PlatformRole | null;
  integratorId?: string | null;
  schoolRoles?: { schoolId: string; role: SchoolRole }[];
}

export interface AccountView extends AccountSummary {
  platformRole: PlatformRole | null;
  integratorId: string | null;
  schoolRoles: { schoolId: string; role: SchoolRole }[];
  disabled: boolean;
  /** The account holds a one-time password: the next sign-in asks for a new one. */
  mustChangePassword: boolean;
}

export interface CreatedAccount extends AccountView {
  /** Shown once; a one-time password the person must change at the first sign-in. */
  initialPassword: string;
}

/** One role to take away: a role at a school, or the platform role. */
export type RoleRemoval =
  { schoolId: string; role: SchoolRole } | { platformRole: PlatformRole };

/** The answer to a password reset: the one-time password, shown once. */
export interface PasswordReset {
  account: AccountView;
  oneTimePassword: string;
}

export interface PasswordChangeRequest {
  currentPassword: string;
  newPassword: string;
}

/** The minimum password policy, the same on the sign-in pages, the portal API and its screen. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * What is wrong with a new password, or null: at least PASSWORD_MIN_LENGTH characters (NIST
 * SP 800-63B §3.1.1.2: length, no composition rules), at most PASSWORD_MAX_LENGTH, not the
 * account's email address, not the current password.
 */
export function passwordProblem(
  password: string,
  context: { email?: string; current?: string } = {},
): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  if (
    context.email &&
    password.trim().toLowerCase() === context.email.trim().toLowerCase()
  )
    return 'must not be your email address';
  if (context.current !== undefined && password === context.current)
    return 'must differ from the current password';
  return null;
}

export type ImportJobStatus =
  'queued' | 'validating' | 'applying' | 'succeeded' | 'failed';

export interface ImportIssueView {
  severity: 'error' | 'warning';
  file: string;
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

export interface ImportJobView {
  id: string;
  schoolId: string;
  mode: 'apply' | 'validate';
  status: ImportJobStatus;
  /** 0–100, rising monotonically while the job runs. */
  percent: number;
  /** What the job is doing now, e.g. `reading enrollments.csv`. */
  phase: string;
  rowsRead: number;
  createdAt: string;
  finishedAt: string | null;
  /** Present once validation finished. */
  report: {
    errors: number;
    warnings: number;
    issues: ImportIssueView[];
    /** Rows per file applied (or that would be, for `validate`). */
    counts: Record<string, number>;
  } | null;
}
