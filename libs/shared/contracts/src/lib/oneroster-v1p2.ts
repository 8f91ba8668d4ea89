/**
 * OneRoster 1.2 vocabularies, as the 1EdTech 1.2 OpenAPI documents (rostering, gradebook,
 * resources services, v1p0) list them. Several are extensible: a value may also be any string
 * matching `(ext:)[a-zA-Z0-9.\-_]+` (the schemas' `anyOf` of the enum and that pattern).
 * Framework-free, like the 1.1 vocabularies in oneroster.ts.
 */

/** RoleDType.role (UserDType.roles[]); extensible. */
export const V1P2_ROLE_TYPES = [
  'aide',
  'counselor',
  'districtAdministrator',
  'guardian',
  'parent',
  'principal',
  'proctor',
  'relative',
  'siteAdministrator',
  'student',
  'systemAdministrator',
  'teacher',
] as const;
export type V1p2RoleType = (typeof V1P2_ROLE_TYPES)[number];

/** RoleDType.roleType: one primary role per org, any number of secondary ones. */
export const V1P2_ROLE_KINDS = ['primary', 'secondary'] as const;
export type V1p2RoleKind = (typeof V1P2_ROLE_KINDS)[number];

/** EnrollmentDType.role; extensible. */
export const V1P2_ENROLLMENT_ROLES = [
  'administrator',
  'proctor',
  'student',
  'teacher',
] as const;
export type V1p2EnrollmentRole = (typeof V1P2_ENROLLMENT_ROLES)[number];

/** ResourceDType.roles[]: the 1.1 RoleType list, now extensible. */
export const V1P2_RESOURCE_ROLES = [
  'administrator',
  'aide',
  'guardian',
  'parent',
  'proctor',
  'relative',
  'student',
  'teacher',
] as const;

/** DemographicsDType.sex; extensible. 1.1 had male and female only. */
export const V1P2_SEXES = ['male', 'female', 'unspecified', 'other'] as const;
export type V1p2Sex = (typeof V1P2_SEXES)[number];

/** LearningObjectiveSetDType.source: `case`, `unknown`, or a `/name` of lower-case letters and digits. */
export const V1P2_LEARNING_OBJECTIVE_SOURCES = ['case', 'unknown'] as const;

/** The 1.2 string booleans. */
export const V1P2_BOOLEANS = ['true', 'false'] as const;
export type V1p2Boolean = (typeof V1P2_BOOLEANS)[number];

/** GUIDRef types of 1.2: one per class (no student/teacher/term/gradingPeriod subtypes). */
export const V1P2_GUID_TYPES = [
  'academicSession',
  'assessmentLineItem',
  'category',
  'class',
  'course',
  'lineItem',
  'org',
  'resource',
  'scoreScale',
  'user',
] as const;
export type V1p2GuidType = (typeof V1P2_GUID_TYPES)[number];

/** Values an extensible 1.2 vocabulary accepts beyond its list. */
export const V1P2_EXTENSION_VALUE = /^(ext:)[a-zA-Z0-9.\-_]+$/;

export const isV1p2ExtensionValue = (v: string): boolean =>
  V1P2_EXTENSION_VALUE.test(v);
