import type { Type } from '@nestjs/common';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  ACADEMIC_SESSION_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  COURSES_OF_SCHOOL_RULE,
  DEMOGRAPHICS_RESOURCE,
  ENROLLMENT_RESOURCE,
  Intent,
  ORG_RESOURCE,
  PARENTS,
  ParentCheck,
  ResourceDef,
  RosteringService,
  USER_RESOURCE,
  classesOfCourse,
  classesOfSchool,
  classesOfTerm,
  classesOfUser,
  coursesOfSchool,
  enrollmentsOfClassInSchool,
  enrollmentsOfSchool,
  fieldCatalogue,
  gradingPeriods,
  gradingPeriodsOfTerm,
  studentsOfClass,
  teachersOfClass,
  terms,
  termsOfSchool,
  usersOfSchool,
  usersWithRole,
  visibleOrgs,
  visibleSchools,
} from '@oneroster/data-access-oneroster';
import {
  AcademicSessionEnvelopeDto,
  AcademicSessionsEnvelopeDto,
  ClassEnvelopeDto,
  ClassesEnvelopeDto,
  CourseEnvelopeDto,
  CoursesEnvelopeDto,
  DemographicsCollectionEnvelopeDto,
  DemographicsEnvelopeDto,
  EnrollmentEnvelopeDto,
  EnrollmentsEnvelopeDto,
  OrgEnvelopeDto,
  OrgsEnvelopeDto,
  TableController,
  TableRoute,
  UserEnvelopeDto,
  UsersEnvelopeDto,
  controllerFromTable,
} from '@oneroster/util-oneroster-openapi';

/*
 * The 41 OneRoster 1.1 rostering endpoints (digest §2.1, §2.2), one line each in
 * ROSTERING_ROUTES: handler name, path, operationId, scopes, response envelope, the objects
 * read (resource and envelope key), the data-access intent that selects them and the parents
 * checked first. Scopes (§6.3): the base collection and single GETs accept roster-core.readonly
 * or roster.readonly, the relationship routes roster.readonly, demographics
 * roster-demographics.readonly only. Subtype endpoints (schools, terms, gradingPeriods,
 * students, teachers) answer 404 for an object of another kind; relationship routes answer
 * 404 for an unknown parent.
 */
const CORE = [ONEROSTER_SCOPES.rosterCore, ONEROSTER_SCOPES.roster];
const ROSTER = [ONEROSTER_SCOPES.roster];
const DEMOGRAPHICS = [ONEROSTER_SCOPES.rosterDemographics];

type Deps = readonly [RosteringService];
type Envelope = abstract new (...args: never[]) => unknown;
/** What a route reads: the resource and the envelope's key. */
type Of = readonly [resource: ResourceDef, envelope: string];
/** Of the path parameters, in the path's order. */
type ByIds<T> = (...ids: string[]) => T;

const SESSIONS: Of = [ACADEMIC_SESSION_RESOURCE, 'academicSessions'];
const SESSION: Of = [ACADEMIC_SESSION_RESOURCE, 'academicSession'];
const CLASSES: Of = [CLASS_RESOURCE, 'classes'];
const COURSES: Of = [COURSE_RESOURCE, 'courses'];
const ENROLLMENTS: Of = [ENROLLMENT_RESOURCE, 'enrollments'];
const ORGS: Of = [ORG_RESOURCE, 'orgs'];
const ORG: Of = [ORG_RESOURCE, 'org'];
const USERS: Of = [USER_RESOURCE, 'users'];
const USER: Of = [USER_RESOURCE, 'user'];
const DEMOGRAPHICS_OF: Of = [DEMOGRAPHICS_RESOURCE, 'demographics'];

/** A collection GET: the objects `where` selects, once each of `parents` is visible. */
function list(
  name: string,
  path: string,
  summary: string,
  scopes: string[],
  envelope: Envelope,
  [resource, key]: Of,
  where?: ByIds<Intent>,
  parents?: ByIds<ParentCheck[]>,
  description?: string,
): TableRoute<Deps> {
  return {
    kind: 'collection',
    name,
    path,
    summary,
    scopes,
    envelope,
    description,
    catalogue: fieldCatalogue(resource),
    handle: ([svc], { principal, query, client, ids }) =>
      svc.collection({
        principal,
        query,
        client,
        resource,
        envelope: key,
        where: where?.(...ids),
        parents: parents?.(...ids),
      }),
  };
}

/** A single GET by sourcedId, 404 unless `where` holds for it. */
function one(
  summary: string,
  scopes: string[],
  envelope: Envelope,
  [resource, key]: Of,
  where?: () => Intent,
): TableRoute<Deps> {
  return {
    kind: 'single',
    name: 'get',
    path: ':sourcedId',
    summary,
    scopes,
    envelope,
    catalogue: fieldCatalogue(resource),
    handle: ([svc], { principal, query, sourcedId }) =>
      svc.single({
        principal,
        query,
        sourcedId,
        resource,
        envelope: key,
        where: where?.(),
      }),
  };
}

const controller = (
  name: string,
  tag: string,
  path: string,
  routes: TableRoute<Deps>[],
): TableController<Deps> => ({
  name,
  tag: `rostering: ${tag}`,
  path: `${ONEROSTER_BASE_PATH}/${path}`,
  inject: [RosteringService],
  routes,
});

// Parents of the relationship routes (404 when the caller cannot see them).
const { term, school, classOfSchool, anyOf, withRole } = PARENTS;

/** `/students` and `/teachers`: users of one role. */
function ofRole(role: 'student' | 'teacher'): TableController<Deps> {
  const Title = role === 'student' ? 'Student' : 'Teacher';
  const plural = `${role}s`;
  const where = () => usersWithRole(role);
  // prettier-ignore
  return controller(`${Title}sController`, plural, plural, [
    list('list', '', `getAll${Title}s`, CORE, UsersEnvelopeDto, USERS, where),
    one(`get${Title}`, CORE, UserEnvelopeDto, USER, where),
    list('classes', `:${role}SourcedId/classes`, `getClassesFor${Title}`, ROSTER, ClassesEnvelopeDto, CLASSES, (id) => classesOfUser(id, role), (id) => [withRole(role, id)]),
  ]);
}

/** The rostering controllers, in the OpenAPI document's order; their routes in theirs. */
// prettier-ignore
export const ROSTERING_ROUTES: readonly TableController<Deps>[] = [
  controller('AcademicSessionsController', 'academic sessions', 'academicSessions', [
    list('list', '', 'getAllAcademicSessions', CORE, AcademicSessionsEnvelopeDto, SESSIONS),
    one('getAcademicSession', CORE, AcademicSessionEnvelopeDto, SESSION),
  ]),
  controller('ClassesController', 'classes', 'classes', [
    list('list', '', 'getAllClasses', CORE, ClassesEnvelopeDto, CLASSES),
    one('getClass', CORE, ClassEnvelopeDto, [CLASS_RESOURCE, 'class']),
    list('students', ':classSourcedId/students', 'getStudentsForClass', ROSTER, UsersEnvelopeDto, USERS, (c) => studentsOfClass(c), (c) => [anyOf(CLASS_RESOURCE, c)]),
    list('teachers', ':classSourcedId/teachers', 'getTeachersForClass', ROSTER, UsersEnvelopeDto, USERS, (c) => teachersOfClass(c), (c) => [anyOf(CLASS_RESOURCE, c)]),
  ]),
  controller('CoursesController', 'courses', 'courses', [
    list('list', '', 'getAllCourses', CORE, CoursesEnvelopeDto, COURSES),
    one('getCourse', CORE, CourseEnvelopeDto, [COURSE_RESOURCE, 'course']),
    list('classes', ':courseSourcedId/classes', 'getClassesForCourse', ROSTER, ClassesEnvelopeDto, CLASSES, classesOfCourse, (c) => [anyOf(COURSE_RESOURCE, c)]),
  ]),
  controller('DemographicsController', 'demographics', 'demographics', [
    list('list', '', 'getAllDemographics', DEMOGRAPHICS, DemographicsCollectionEnvelopeDto, DEMOGRAPHICS_OF),
    one('getDemographics', DEMOGRAPHICS, DemographicsEnvelopeDto, DEMOGRAPHICS_OF),
  ]),
  controller('EnrollmentsController', 'enrollments', 'enrollments', [
    list('list', '', 'getAllEnrollments', CORE, EnrollmentsEnvelopeDto, ENROLLMENTS),
    one('getEnrollment', CORE, EnrollmentEnvelopeDto, [ENROLLMENT_RESOURCE, 'enrollment']),
  ]),
  controller('GradingPeriodsController', 'grading periods', 'gradingPeriods', [
    list('list', '', 'getAllGradingPeriods', CORE, AcademicSessionsEnvelopeDto, SESSIONS, gradingPeriods),
    one('getGradingPeriod', CORE, AcademicSessionEnvelopeDto, SESSION, gradingPeriods),
  ]),
  controller('OrgsController', 'orgs', 'orgs', [
    list('list', '', 'getAllOrgs', CORE, OrgsEnvelopeDto, ORGS, visibleOrgs),
    one('getOrg', CORE, OrgEnvelopeDto, ORG, visibleOrgs),
  ]),
  controller('SchoolsController', 'schools', 'schools', [
    list('list', '', 'getAllSchools', CORE, OrgsEnvelopeDto, ORGS, visibleSchools),
    one('getSchool', CORE, OrgEnvelopeDto, ORG, visibleSchools),
    list('courses', ':schoolSourcedId/courses', 'getCoursesForSchool', ROSTER, CoursesEnvelopeDto, COURSES, coursesOfSchool, (s) => [school(s)], COURSES_OF_SCHOOL_RULE),
    list('classes', ':schoolSourcedId/classes', 'getClassesForSchool', ROSTER, ClassesEnvelopeDto, CLASSES, classesOfSchool, (s) => [school(s)]),
    list('classEnrollments', ':schoolSourcedId/classes/:classSourcedId/enrollments', 'getEnrollmentsForClassInSchool', ROSTER, EnrollmentsEnvelopeDto, ENROLLMENTS, (s, c) => enrollmentsOfClassInSchool(c, s), classOfSchool),
    list('classStudents', ':schoolSourcedId/classes/:classSourcedId/students', 'getStudentsForClassInSchool', ROSTER, UsersEnvelopeDto, USERS, (s, c) => studentsOfClass(c, s), classOfSchool),
    list('classTeachers', ':schoolSourcedId/classes/:classSourcedId/teachers', 'getTeachersForClassInSchool', ROSTER, UsersEnvelopeDto, USERS, (s, c) => teachersOfClass(c, s), classOfSchool),
    list('enrollments', ':schoolSourcedId/enrollments', 'getEnrollmentsForSchool', ROSTER, EnrollmentsEnvelopeDto, ENROLLMENTS, enrollmentsOfSchool, (s) => [school(s)]),
    list('students', ':schoolSourcedId/students', 'getStudentsForSchool', ROSTER, UsersEnvelopeDto, USERS, (s) => usersOfSchool(s, 'student'), (s) => [school(s)]),
    list('teachers', ':schoolSourcedId/teachers', 'getTeachersForSchool', ROSTER, UsersEnvelopeDto, USERS, (s) => usersOfSchool(s, 'teacher'), (s) => [school(s)]),
    list('terms', ':schoolSourcedId/terms', 'getTermsForSchool', ROSTER, AcademicSessionsEnvelopeDto, SESSIONS, termsOfSchool, (s) => [school(s)]),
  ]),
  ofRole('student'),
  ofRole('teacher'),
  controller('TermsController', 'terms', 'terms', [
    list('list', '', 'getAllTerms', CORE, AcademicSessionsEnvelopeDto, SESSIONS, terms),
    one('getTerm', CORE, AcademicSessionEnvelopeDto, SESSION, terms),
    list('classes', ':termSourcedId/classes', 'getClassesForTerm', ROSTER, ClassesEnvelopeDto, CLASSES, classesOfTerm, (t) => [term(t)]),
    list('gradingPeriods', ':termSourcedId/gradingPeriods', 'getGradingPeriodsForTerm', ROSTER, AcademicSessionsEnvelopeDto, SESSIONS, gradingPeriodsOfTerm, (t) => [term(t)]),
  ]),
  controller('UsersController', 'users', 'users', [
    list('list', '', 'getAllUsers', CORE, UsersEnvelopeDto, USERS),
    one('getUser', CORE, UserEnvelopeDto, USER),
    list('classes', ':userSourcedId/classes', 'getClassesForUser', ROSTER, ClassesEnvelopeDto, CLASSES, (u) => classesOfUser(u), (u) => [anyOf(USER_RESOURCE, u)]),
  ]),
];

export const ROSTERING_CONTROLLERS: Type[] =
  ROSTERING_ROUTES.map(controllerFromTable);
