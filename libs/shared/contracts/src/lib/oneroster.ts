/**
 * OneRoster 1.1 vocabularies (1EdTech OneRoster 1.1, §4.13 enumerations) shared by
 * every app and library. Framework-free: the browser imports these too.
 */

export const ONEROSTER_BASE_PATH = '/ims/oneroster/v1p1';

export const STATUS_TYPES = ['active', 'tobedeleted'] as const;
export type StatusType = (typeof STATUS_TYPES)[number];

export const CLASS_TYPES = ['homeroom', 'scheduled'] as const;
export type ClassType = (typeof CLASS_TYPES)[number];

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

export const IMPORTANCES = ['primary', 'secondary'] as const;
export type Importance = (typeof IMPORTANCES)[number];

export const ORG_TYPES = [
  'department',
  'school',
  'district',
  'local',
  'state',
  'national',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const ROLE_TYPES = [
  'administrator',
  'aide',
  'guardian',
  'parent',
  'proctor',
  'relative',
  'student',
  'teacher',
] as const;
export type RoleType = (typeof ROLE_TYPES)[number];

export const SCORE_STATUSES = [
  'exempt',
  'fully graded',
  'not submitted',
  'partially graded',
  'submitted',
] as const;
export type ScoreStatus = (typeof SCORE_STATUSES)[number];

export const SESSION_TYPES = [
  'gradingPeriod',
  'semester',
  'schoolYear',
  'term',
] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

/** GUIDRef types of OneRoster 1.1 (§5.1). */
export const GUID_TYPES = [
  'academicSession',
  'category',
  'class',
  'course',
  'demographics',
  'enrollment',
  'gradingPeriod',
  'lineItem',
  'org',
  'resource',
  'result',
  'student',
  'teacher',
  'term',
  'user',
] as const;
export type GuidType = (typeof GUID_TYPES)[number];

export interface GuidRef {
  href: string;
  sourcedId: string;
  type: GuidType;
}

export interface UserId {
  type: string;
  identifier: string;
}

/** Free-form extension bag carried by every OneRoster object. */
export type Metadata = Record<string, string | number | boolean | null>;

export const isStatusType = (v: unknown): v is StatusType =>
  (STATUS_TYPES as readonly unknown[]).includes(v);
