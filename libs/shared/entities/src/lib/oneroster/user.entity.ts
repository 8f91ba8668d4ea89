import { Entity, Index } from 'typeorm';
import type { RoleType, UserId } from '@oneroster/contracts';
import { Bool, Json, OneRosterRecord, Ref, RequiredStr, Str } from '../columns';

/** OneRoster User (§5.8). Its orgs and agents live in `user_orgs` and `user_agents`. */
@Entity({ name: 'users' })
@Index(['schoolId', 'role'])
@Index(['schoolId', 'email'])
@Index(['schoolId', 'username'])
@Index(['schoolId', 'familyName'])
export class UserEntity extends OneRosterRecord {
  @RequiredStr('username')
  username!: string;

  @Json('user_ids')
  userIds!: UserId[] | null;

  @Bool('enabled_user', false)
  enabledUser!: boolean;

  @RequiredStr('given_name')
  givenName!: string;

  @RequiredStr('family_name')
  familyName!: string;

  @Str('middle_name')
  middleName!: string | null;

  @RequiredStr('role', 16)
  role!: RoleType;

  @Str('identifier')
  identifier!: string | null;

  @Str('email')
  email!: string | null;

  @Str('sms', 64)
  sms!: string | null;

  @Str('phone', 64)
  phone!: string | null;

  @Json('grades')
  grades!: string[] | null;

  /*
   * OneRoster 1.2 UserDType fields (rostering OpenAPI): stored for the 1.2 REST binding
   * and 1.2 CSV (users.csv), never published by 1.1.
   */
  @Str('user_master_identifier')
  userMasterIdentifier!: string | null;

  @Str('preferred_first_name')
  preferredFirstName!: string | null;

  @Str('preferred_middle_name')
  preferredMiddleName!: string | null;

  @Str('preferred_last_name')
  preferredLastName!: string | null;

  @Str('pronouns')
  pronouns!: string | null;

  /** The sourcedId of the user's primary org (1.2 `primaryOrg`). */
  @Ref('primary_org_sourced_id')
  primaryOrgSourcedId!: string | null;

  /** OneRoster's optional `password` field, exactly as the source system supplied it. */
  @Str('password')
  password!: string | null;
}
