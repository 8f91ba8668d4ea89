/** Vocabularies of the platform itself: approvals, staff roles, audit events. */

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'declined',
  'revoked',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Roles an account can hold for one school. */
export const SCHOOL_ROLES = ['school_admin', 'teacher', 'staff'] as const;
export type SchoolRole = (typeof SCHOOL_ROLES)[number];

/** Roles an account can hold for the whole platform. */
export const PLATFORM_ROLES = ['operator', 'integrator_developer'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export interface HealthStatus {
  status: 'ok' | 'degraded';
  service: string;
  version: string;
  database: 'up' | 'down';
}

/** Route metadata key: a handler or controller carrying it needs no access token (health, docs). */
export const PUBLIC_ROUTE_METADATA = 'platform:public-route';
