import { Entity, Index } from 'typeorm';
import { OneRosterRecord, Ref } from '../columns';

/*
 * The links of OneRoster 1.2 data with no 1.1 counterpart on the resources side, stored as
 * the 1.2 CSV binding gives them, one row per link and school like every OneRoster table.
 */

/**
 * A resource assigned to a user (1.2 CSV binding, userResources.csv; read by the resources
 * service's getResourcesForUser). The sourcedId is the link's own; the class and org, when
 * given, say where the assignment was made.
 */
@Entity({ name: 'user_resources' })
@Index(['schoolId', 'userSourcedId'])
@Index(['schoolId', 'resourceSourcedId'])
export class UserResourceEntity extends OneRosterRecord {
  @Ref('user_sourced_id', false)
  userSourcedId!: string;

  @Ref('resource_sourced_id', false)
  resourceSourcedId!: string;

  @Ref('class_sourced_id')
  classSourcedId!: string | null;

  @Ref('org_sourced_id')
  orgSourcedId!: string | null;
}
