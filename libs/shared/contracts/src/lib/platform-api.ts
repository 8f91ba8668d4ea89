/**
 * The integrator platform API (`/platform/v1` on the auth server): machine-to-machine calls of
 * an integrator, authorised by an integrator-level client-credentials token whose audience is
 * the platform API (never the OneRoster API).
 */

/** Scopes of an integrator's platform credential (never OneRoster data). */
export const INTEGRATOR_API_SCOPES = {
  approvalsRead: 'approvals.read',
  credentialsManage: 'credentials.manage',
  webhooksManage: 'webhooks.manage',
} as const;

export type IntegratorApiScope =
  (typeof INTEGRATOR_API_SCOPES)[keyof typeof INTEGRATOR_API_SCOPES];

export const ALL_INTEGRATOR_API_SCOPES: readonly IntegratorApiScope[] =
  Object.values(INTEGRATOR_API_SCOPES);

export const isIntegratorApiScope = (s: unknown): s is IntegratorApiScope =>
  typeof s === 'string' &&
  (ALL_INTEGRATOR_API_SCOPES as readonly string[]).includes(s);

/**
 * Platform scopes a school grants one of its own school clients (its MIS), chosen by the
 * school's administrator or an operator and stored with that client: never held by an
 * integrator's platform credential. `imports.write`: import OneRoster CSV sets into the
 * client's school (`/platform/v1/imports`).
 */
export const SCHOOL_PLATFORM_SCOPES = {
  importsWrite: 'imports.write',
} as const;

export type SchoolPlatformScope =
  (typeof SCHOOL_PLATFORM_SCOPES)[keyof typeof SCHOOL_PLATFORM_SCOPES];

export const ALL_SCHOOL_PLATFORM_SCOPES: readonly SchoolPlatformScope[] =
  Object.values(SCHOOL_PLATFORM_SCOPES);

export const isSchoolPlatformScope = (s: unknown): s is SchoolPlatformScope =>
  typeof s === 'string' &&
  (ALL_SCHOOL_PLATFORM_SCOPES as readonly string[]).includes(s);

/** The path under the auth server's public URL; also the resource (`aud`) of its tokens. */
export const PLATFORM_API_PATH = '/platform/v1';

/** Events delivered to webhooks. */
export const PLATFORM_EVENT_TYPES = [
  'approval.granted',
  'approval.changed',
  'approval.declined',
  'approval.revoked',
  'credential.issued',
  'credential.rotated',
  'credential.revoked',
] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

/** Headers of a webhook delivery (the signature covers `timestamp + "." + body`). */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  event: 'webhook-event',
} as const;

/** A platform credential of an integrator, as the portal lists it (never a secret). */
export interface IntegratorCredentialView {
  clientId: string;
  integratorId: string;
  scopes: IntegratorApiScope[];
  createdAt: string;
  previousSecretExpiresAt: string | null;
  revokedAt: string | null;
}

export interface IssuedIntegratorCredential extends IntegratorCredentialView {
  /** Shown once. */
  clientSecret: string;
  tokenEndpoint: string;
  /** The `resource` to ask the token endpoint for (the platform API's audience). */
  resource: string;
}

/** One school's decision about one of the integrator's applications. */
export interface PlatformApprovalView {
  applicationId: string;
  applicationName: string;
  schoolId: string;
  schoolName: string | null;
  status: 'pending' | 'approved' | 'declined' | 'revoked';
  scopes: string[];
  requestedAt: string;
  decidedAt: string | null;
  /** The later of requestedAt and decidedAt: what `updatedSince` compares. */
  updatedAt: string;
  receiptId: string | null;
}

export interface PlatformPage<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
  /**
   * Where a cursor-paged list goes on (`GET /platform/v1/approvals`): pass it as `cursor`
   * for the next page; null when this page is the last.
   */
  next?: string | null;
}

export interface PlatformSchoolCredential {
  clientId: string;
  applicationId: string;
  schoolId: string;
  createdAt: string;
  previousSecretExpiresAt: string | null;
  revokedAt: string | null;
}

export interface IssuedPlatformSchoolCredential extends PlatformSchoolCredential {
  clientSecret: string;
  tokenEndpoint: string;
}

export interface WebhookView {
  id: string;
  url: string;
  events: PlatformEventType[];
  createdAt: string;
}

/** The body that registers a webhook (`events` absent: every event type). */
export interface WebhookInput {
  url: string;
  events?: PlatformEventType[];
}

export interface CreatedWebhook extends WebhookView {
  /** Shown once: the HMAC-SHA256 key of the signatures. */
  secret: string;
}

export interface WebhookAttemptView {
  attempt: number;
  at: string;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: PlatformEventType;
  status: 'pending' | 'delivering' | 'succeeded' | 'failed';
  attempts: number;
  responseCode: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: WebhookAttemptView[];
}

/** The body of a delivery. */
export interface PlatformEvent<T = Record<string, unknown>> {
  id: string;
  type: PlatformEventType;
  createdAt: string;
  integratorId: string;
  data: T;
}

/** Every error of `/platform/v1`. */
export interface PlatformError {
  statusCode: number;
  error:
    | 'invalid_token'
    | 'insufficient_scope'
    | 'not_found'
    | 'invalid_request'
    | 'conflict'
    | 'payload_too_large'
    | 'unsupported_media_type'
    | 'too_many_imports'
    | 'server_error';
  message: string;
  fields?: Record<string, string>;
}
