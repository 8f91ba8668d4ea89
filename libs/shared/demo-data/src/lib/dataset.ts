import type {
  AcademicSessionEntity,
  CategoryEntity,
  ClassEntity,
  ClassResourceEntity,
  ClassTermEntity,
  CourseEntity,
  CourseResourceEntity,
  DemographicsEntity,
  EnrollmentEntity,
  LineItemEntity,
  OrgEntity,
  ResourceEntity,
  ResultEntity,
  UserAgentEntity,
  UserEntity,
  UserOrgEntity,
  UserResourceEntity,
} from '@oneroster/entities';

/**
 * All OneRoster rows of one school, keyed like the tables, in dependency order. The
 * generator produces one of these at a time so that memory stays bounded by the largest
 * school, not by the trust.
 */
export interface SchoolDataset {
  orgs: OrgEntity[];
  academicSessions: AcademicSessionEntity[];
  courses: CourseEntity[];
  classes: ClassEntity[];
  classTerms: ClassTermEntity[];
  users: UserEntity[];
  userOrgs: UserOrgEntity[];
  userAgents: UserAgentEntity[];
  enrollments: EnrollmentEntity[];
  demographics: DemographicsEntity[];
  categories: CategoryEntity[];
  lineItems: LineItemEntity[];
  results: ResultEntity[];
  resources: ResourceEntity[];
  classResources: ClassResourceEntity[];
  courseResources: CourseResourceEntity[];
  /** OneRoster 1.2 only (userResources.csv): written to the database, not to 1.1 CSV. */
  userResources: UserResourceEntity[];
}

export const DATASET_KEYS = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'classTerms',
  'users',
  'userOrgs',
  'userAgents',
  'enrollments',
  'demographics',
  'categories',
  'lineItems',
  'results',
  'resources',
  'classResources',
  'courseResources',
  'userResources',
] as const satisfies readonly (keyof SchoolDataset)[];

export type DatasetKey = (typeof DATASET_KEYS)[number];

export const rowCount = (d: SchoolDataset): number =>
  DATASET_KEYS.reduce((n, k) => n + d[k].length, 0);
