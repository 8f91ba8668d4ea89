import { Entity, Index } from 'typeorm';
import { Json, OneRosterRecord, Ref, RequiredStr, Str } from '../columns';

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

/**
 * A user's role at an org as OneRoster 1.2 gives it (1.2 CSV binding, roles.csv; RoleDType
 * of UserDType.roles[]): primary or secondary, with its dates and user profile. The
 * sourcedId is the roles.csv row's own. Kept beside the user's 1.1 `role` and orgs (the
 * primary role, as the mapping reads it); the 1.2 routes serve these rows when a user has
 * any, and a 1.1 import of the user marks them tobedeleted.
 */
@Entity({ name: 'user_roles' })
@Index(['schoolId', 'userSourcedId'])
@Index(['schoolId', 'orgSourcedId'])
export class UserRoleEntity extends OneRosterRecord {
  @Ref('user_sourced_id', false)
  userSourcedId!: string;

  /** `primary` or `secondary`. */
  @RequiredStr('role_type', 16)
  roleType!: string;

  /** The 1.2 role (an `ext:` value included). */
  @RequiredStr('role', 255)
  role!: string;

  @Ref('org_sourced_id', false)
  orgSourcedId!: string;

  @Ref('user_profile_sourced_id')
  userProfileSourcedId!: string | null;

  /** `YYYY-MM-DD`, as given. */
  @Str('begin_date', 10)
  beginDate!: string | null;

  @Str('end_date', 10)
  endDate!: string | null;
}

/** One credential of a user profile (CredentialDType); the password is never served. */
export interface StoredCredential {
  type: string;
  username: string;
  password?: string;
}

/**
 * A user's profile for an application or system (1.2 CSV binding, userProfiles.csv;
 * UserProfileDType of UserDType.userProfiles[]). The sourcedId is the profile's own (its
 * `profileId` on the wire); the CSV binding gives one credential per profile, kept as the
 * JSON list the 1.2 JSON carries.
 */
@Entity({ name: 'user_profiles' })
@Index(['schoolId', 'userSourcedId'])
export class UserProfileEntity extends OneRosterRecord {
  @Ref('user_sourced_id', false)
  userSourcedId!: string;

  @RequiredStr('profile_type', 255)
  profileType!: string;

  @RequiredStr('vendor_id', 255)
  vendorId!: string;

  @Str('application_id', 255)
  applicationId!: string | null;

  @Str('description', 1024)
  description!: string | null;

  @Json('credentials')
  credentials!: StoredCredential[] | null;
}
