import type { DataSource } from 'typeorm';
import { GradebookChangeEntity } from '@oneroster/entities';
import { UnknownObjectError } from '@oneroster/util-oneroster-query';
import type { TenantScope } from './reader';

/**
 * The read side of the gradebook change log, for one school of the caller's at a time:
 * changes after a cursor, in id order (see GradebookChangeEntity for why that order never
 * lets a later commit appear behind a cursor already handed out).
 */
export async function gradebookChangesAfter(
  ds: DataSource,
  scope: TenantScope,
  schoolId: string,
  after: number,
  limit: number,
): Promise<GradebookChangeEntity[]> {
  if (!scope.schoolIds.includes(schoolId))
    throw new UnknownObjectError(`Unknown object: school ${schoolId}`);
  return ds
    .getRepository(GradebookChangeEntity)
    .createQueryBuilder('c')
    .where('c.schoolId = :schoolId', { schoolId })
    .andWhere('c.id > :after', { after })
    .orderBy('c.id', 'ASC')
    .limit(limit)
    .getMany();
}
