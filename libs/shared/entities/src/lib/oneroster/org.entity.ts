import { Entity, Index } from 'typeorm';
import type { OrgType } from '@oneroster/contracts';
import { OneRosterRecord, Ref, RequiredStr, Str } from '../columns';

/** OneRoster Org (§5.7). `children` is derived from the parent links of other orgs. */
@Entity({ name: 'orgs' })
@Index(['schoolId', 'type'])
@Index(['schoolId', 'parentSourcedId'])
export class OrgEntity extends OneRosterRecord {
  @RequiredStr('name')
  name!: string;

  @RequiredStr('type', 32)
  type!: OrgType;

  @Str('identifier')
  identifier!: string | null;

  @Ref('parent_sourced_id')
  parentSourcedId!: string | null;
}
