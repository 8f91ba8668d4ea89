import {
  ACADEMIC_SESSION_RESOURCE,
  CLASS_RESOURCE,
  ORG_RESOURCE,
  ResourceDef,
  USER_RESOURCE,
} from './resources';
import {
  EnrolledRole,
  classesOfSchool,
  terms,
  usersWithRole,
  visibleSchools,
} from './relationships';
import type { ParentCheck } from './rostering.service';

/**
 * The parents of the relationship routes, shared by every OneRoster version's route table:
 * each answers 404 when the caller cannot see it (with its kind in the message).
 */
export const PARENTS = {
  term: (id: string): ParentCheck => ({
    resource: ACADEMIC_SESSION_RESOURCE,
    sourcedId: id,
    where: terms(),
    label: 'term',
  }),
  school: (id: string): ParentCheck => ({
    resource: ORG_RESOURCE,
    sourcedId: id,
    where: visibleSchools(),
    label: 'school',
  }),
  classOfSchool: (schoolId: string, classId: string): ParentCheck[] => [
    PARENTS.school(schoolId),
    {
      resource: CLASS_RESOURCE,
      sourcedId: classId,
      where: classesOfSchool(schoolId),
      label: 'class',
    },
  ],
  anyOf: (resource: ResourceDef, id: string): ParentCheck => ({
    resource,
    sourcedId: id,
  }),
  withRole: (role: EnrolledRole, id: string): ParentCheck => ({
    resource: USER_RESOURCE,
    sourcedId: id,
    where: usersWithRole(role),
    label: role,
  }),
};
