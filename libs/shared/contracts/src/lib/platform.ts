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
  /** Read replicas, when the service has any (a replica out of rotation: `degraded`, still 200). */
  replicas?: ReplicaHealth[];
}

export interface ReplicaHealth {
  /** `host:port`. */
  address: string;
  reachable: boolean;
  /** Both replication threads run. */
  replicating: boolean;
  /** Seconds_Behind_Master at the last check; null when unknown. */
  lagSeconds: number | null;
  /** Reads may go to it; when false, its share of reads goes elsewhere (the primary at worst). */
  inRotation: boolean;
  /** Why it is out of the rotation; null when in. */
  reason: string | null;
  /** When it was last checked (ISO 8601); null before the first check. */
  checkedAt: string | null;
}

/** Route metadata key: a handler or controller carrying it needs no access token (health, docs). */
export const PUBLIC_ROUTE_METADATA = 'platform:public-route';
