import { AcademicSessionEntity } from './oneroster/academic-session.entity';
import { ClassEntity } from './oneroster/class.entity';
import { CourseEntity } from './oneroster/course.entity';
import { DemographicsEntity } from './oneroster/demographics.entity';
import { EnrollmentEntity } from './oneroster/enrollment.entity';
import { GradebookChangeEntity } from './oneroster/gradebook-change.entity';
import {
  CategoryEntity,
  LineItemEntity,
  ResultEntity,
} from './oneroster/gradebook.entity';
import {
  AssessmentLineItemEntity,
  AssessmentResultEntity,
  ScoreScaleEntity,
} from './oneroster/gradebook-v1p2.entity';
import {
  ClassTermEntity,
  UserAgentEntity,
  UserOrgEntity,
} from './oneroster/links.entity';
import { OrgEntity } from './oneroster/org.entity';
import {
  ClassResourceEntity,
  CourseResourceEntity,
  ResourceEntity,
} from './oneroster/resource.entity';
import {
  UserProfileEntity,
  UserResourceEntity,
  UserRoleEntity,
} from './oneroster/resources-v1p2.entity';
import { UserEntity } from './oneroster/user.entity';
import {
  AccountEntity,
  AccountSchoolRoleEntity,
  AuditEventEntity,
} from './platform/account.entity';
import {
  ApplicationEntity,
  ApprovalEntity,
  IntegratorEntity,
  OAuthClientEntity,
} from './platform/integrator.entity';
import { OidcModelEntity } from './platform/oidc-model.entity';
import { ApiUsageDailyEntity } from './platform/api-usage.entity';
import {
  ApprovalReceiptEntity,
  PortalSessionEntity,
} from './platform/portal.entity';
import { SchoolEntity } from './platform/school.entity';
import {
  IntegratorClientEntity,
  PlatformEventEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from './platform/platform-api.entity';

/** Every OneRoster table, in dependency order (referenced before referencing). */
export const ONEROSTER_ENTITIES = [
  OrgEntity,
  AcademicSessionEntity,
  CourseEntity,
  ClassEntity,
  ClassTermEntity,
  UserEntity,
  UserOrgEntity,
  UserAgentEntity,
  EnrollmentEntity,
  DemographicsEntity,
  CategoryEntity,
  LineItemEntity,
  ResultEntity,
  ResourceEntity,
  ClassResourceEntity,
  CourseResourceEntity,
] as const;

/**
 * The OneRoster 1.2 data with no 1.1 counterpart (score scales, assessments, a user's
 * resources, a user's 1.2 roles and profiles).
 */
export const ONEROSTER_V1P2_ENTITIES = [
  ScoreScaleEntity,
  AssessmentLineItemEntity,
  AssessmentResultEntity,
  UserResourceEntity,
  UserRoleEntity,
  UserProfileEntity,
] as const;

/** Records the platform keeps about OneRoster data (not OneRoster objects themselves). */
export const ONEROSTER_LOG_ENTITIES = [GradebookChangeEntity] as const;

export const PLATFORM_ENTITIES = [
  SchoolEntity,
  IntegratorEntity,
  ApplicationEntity,
  ApprovalEntity,
  OAuthClientEntity,
  AccountEntity,
  AccountSchoolRoleEntity,
  AuditEventEntity,
  OidcModelEntity,
  ApprovalReceiptEntity,
  PortalSessionEntity,
  ApiUsageDailyEntity,
  IntegratorClientEntity,
  PlatformEventEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
] as const;

/** The explicit entity list handed to TypeORM (globs break once Nx bundles the apps). */
export const ALL_ENTITIES = [
  ...ONEROSTER_ENTITIES,
  ...ONEROSTER_V1P2_ENTITIES,
  ...ONEROSTER_LOG_ENTITIES,
  ...PLATFORM_ENTITIES,
];
