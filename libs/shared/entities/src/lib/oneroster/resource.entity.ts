import { Entity, Index } from 'typeorm';
import type { Importance, RoleType } from '@oneroster/contracts';
import { Json, OneRosterRecord, Ref, RequiredStr, Str } from '../columns';

/** OneRoster Resource (§5.11). */
@Entity({ name: 'resources' })
export class ResourceEntity extends OneRosterRecord {
  @Str('title')
  title!: string | null;

  @Json('roles')
  roles!: RoleType[] | null;

  @Str('importance', 16)
  importance!: Importance | null;

  @RequiredStr('vendor_resource_id')
  vendorResourceId!: string;

  @Str('vendor_id')
  vendorId!: string | null;

  @Str('application_id')
  applicationId!: string | null;
}

/** A resource attached to a class (classResources.csv). */
@Entity({ name: 'class_resources' })
@Index(['schoolId', 'classSourcedId'])
@Index(['schoolId', 'resourceSourcedId'])
export class ClassResourceEntity extends OneRosterRecord {
  @Str('title')
  title!: string | null;

  @Ref('class_sourced_id', false)
  classSourcedId!: string;

  @Ref('resource_sourced_id', false)
  resourceSourcedId!: string;
}

/** A resource attached to a course (courseResources.csv). */
@Entity({ name: 'course_resources' })
@Index(['schoolId', 'courseSourcedId'])
@Index(['schoolId', 'resourceSourcedId'])
export class CourseResourceEntity extends OneRosterRecord {
  @Str('title')
  title!: string | null;

  @Ref('course_sourced_id', false)
  courseSourcedId!: string;

  @Ref('resource_sourced_id', false)
  resourceSourcedId!: string;
}
