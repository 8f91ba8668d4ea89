import type {
  DataSource,
  EntityManager,
  EntityTarget,
  ObjectLiteral,
} from 'typeorm';
import {
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
  SchoolEntity,
  UserAgentEntity,
  UserEntity,
  UserOrgEntity,
  UserResourceEntity,
} from '@oneroster/entities';
import { DATASET_KEYS, DatasetKey, SchoolDataset, rowCount } from './dataset';
import { generateTrust } from './generate';
import type { SchoolPlan, TrustPlan } from './plan';

export const TABLE_OF: Record<DatasetKey, EntityTarget<ObjectLiteral>> = {
  orgs: OrgEntity,
  academicSessions: AcademicSessionEntity,
  courses: CourseEntity,
  classes: ClassEntity,
  classTerms: ClassTermEntity,
  users: UserEntity,
  userOrgs: UserOrgEntity,
  userAgents: UserAgentEntity,
  enrollments: EnrollmentEntity,
  demographics: DemographicsEntity,
  categories: CategoryEntity,
  lineItems: LineItemEntity,
  results: ResultEntity,
  resources: ResourceEntity,
  classResources: ClassResourceEntity,
  courseResources: CourseResourceEntity,
  userResources: UserResourceEntity,
};

export interface WriteProgress {
  school: SchoolPlan;
  schoolsDone: number;
  schoolsTotal: number;
  rowsDone: number;
}

export interface WriteOptions {
  /** Rows per INSERT statement. */
  batchSize?: number;
  onProgress?: (p: WriteProgress) => void;
}

async function insertRows(
  em: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  rows: ObjectLiteral[],
  batchSize: number,
) {
  for (let i = 0; i < rows.length; i += batchSize) {
    await em
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows.slice(i, i + batchSize))
      .updateEntity(false)
      .execute();
  }
}

export function schoolRow(plan: TrustPlan, school: SchoolPlan): SchoolEntity {
  return {
    id: school.schoolId,
    name: school.name,
    orgSourcedId: school.orgSourcedId,
    identifier: school.urn,
    sandbox: true,
    createdAt: plan.asOf,
  };
}

/** Inserts one school's rows (and its tenant row) in one transaction. */
export async function writeSchool(
  ds: DataSource,
  plan: TrustPlan,
  school: SchoolPlan,
  data: SchoolDataset,
  batchSize = 500,
): Promise<number> {
  await ds.transaction(async (em) => {
    await em.insert(SchoolEntity, schoolRow(plan, school));
    for (const key of DATASET_KEYS)
      await insertRows(em, TABLE_OF[key], data[key], batchSize);
  });
  return rowCount(data) + 1;
}

/**
 * Generates the trust and writes it, one school (one transaction) at a time: memory holds
 * at most one school's rows.
 */
export async function writeTrust(
  ds: DataSource,
  plan: TrustPlan,
  options: WriteOptions = {},
): Promise<number> {
  let rowsDone = 0;
  let schoolsDone = 0;
  for (const { school, data } of generateTrust(plan)) {
    rowsDone += await writeSchool(
      ds,
      plan,
      school,
      data,
      options.batchSize ?? 500,
    );
    schoolsDone++;
    options.onProgress?.({
      school,
      schoolsDone,
      schoolsTotal: plan.schools.length,
      rowsDone,
    });
  }
  return rowsDone;
}
