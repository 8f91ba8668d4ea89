import type { Type } from '@nestjs/common';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  ACADEMIC_SESSION_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  COURSES_OF_SCHOOL_RULE,
  DEMOGRAPHICS_RESOURCE,
  ENROLLMENT_RESOURCE,
  ORG_RESOURCE,
  PARENTS,
  RosteringService,
  RouteReads,
  USER_RESOURCE,
  classesOfCourse,
  classesOfSchool,
  classesOfTerm,
  classesOfUser,
  collectionRoute,
  coursesOfSchool,
  enrollmentsOfClassInSchool,
  enrollmentsOfSchool,
  gradingPeriods,
  gradingPeriodsOfTerm,
  singleRoute,
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

const SESSIONS: RouteReads = {
  resource: ACADEMIC_SESSION_RESOURCE,
  key: 'academicSessions',
};
const SESSION: RouteReads = {
  resource: ACADEMIC_SESSION_RESOURCE,
  key: 'academicSession',
};
const CLASSES: RouteReads = { resource: CLASS_RESOURCE, key: 'classes' };
const COURSES: RouteReads = { resource: COURSE_RESOURCE, key: 'courses' };
const ENROLLMENTS: RouteReads = {
  resource: ENROLLMENT_RESOURCE,
  key: 'enrollments',
};
const ORGS: RouteReads = { resource: ORG_RESOURCE, key: 'orgs' };
const ORG: RouteReads = { resource: ORG_RESOURCE, key: 'org' };
const USERS: RouteReads = { resource: USER_RESOURCE, key: 'users' };
const USER: RouteReads = { resource: USER_RESOURCE, key: 'user' };
const DEMOGRAPHICS_OF: RouteReads = {
  resource: DEMOGRAPHICS_RESOURCE,
  key: 'demographics',
};

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
    collectionRoute({ name: 'list', path: '', summary: `getAll${Title}s`, scopes: CORE, envelope: UsersEnvelopeDto, ...USERS, where }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: `get${Title}`, scopes: CORE, envelope: UserEnvelopeDto, ...USER, where }),
    collectionRoute({ name: 'classes', path: `:${role}SourcedId/classes`, summary: `getClassesFor${Title}`, scopes: ROSTER, envelope: ClassesEnvelopeDto, ...CLASSES, where: (id) => classesOfUser(id, role), parents: (id) => [withRole(role, id)] }),
  ]);
}

/** The rostering controllers, in the OpenAPI document's order; their routes in theirs. */
// prettier-ignore
export const ROSTERING_ROUTES: readonly TableController<Deps>[] = [
  controller('AcademicSessionsController', 'academic sessions', 'academicSessions', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllAcademicSessions', scopes: CORE, envelope: AcademicSessionsEnvelopeDto, ...SESSIONS }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getAcademicSession', scopes: CORE, envelope: AcademicSessionEnvelopeDto, ...SESSION }),
  ]),
  controller('ClassesController', 'classes', 'classes', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllClasses', scopes: CORE, envelope: ClassesEnvelopeDto, ...CLASSES }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getClass', scopes: CORE, envelope: ClassEnvelopeDto, resource: CLASS_RESOURCE, key: 'class' }),
    collectionRoute({ name: 'students', path: ':classSourcedId/students', summary: 'getStudentsForClass', scopes: ROSTER, envelope: UsersEnvelopeDto, ...USERS, where: (c) => studentsOfClass(c), parents: (c) => [anyOf(CLASS_RESOURCE, c)] }),
    collectionRoute({ name: 'teachers', path: ':classSourcedId/teachers', summary: 'getTeachersForClass', scopes: ROSTER, envelope: UsersEnvelopeDto, ...USERS, where: (c) => teachersOfClass(c), parents: (c) => [anyOf(CLASS_RESOURCE, c)] }),
  ]),
  controller('CoursesController', 'courses', 'courses', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllCourses', scopes: CORE, envelope: CoursesEnvelopeDto, ...COURSES }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getCourse', scopes: CORE, envelope: CourseEnvelopeDto, resource: COURSE_RESOURCE, key: 'course' }),
    collectionRoute({ name: 'classes', path: ':courseSourcedId/classes', summary: 'getClassesForCourse', scopes: ROSTER, envelope: ClassesEnvelopeDto, ...CLASSES, where: classesOfCourse, parents: (c) => [anyOf(COURSE_RESOURCE, c)] }),
  ]),
  controller('DemographicsController', 'demographics', 'demographics', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllDemographics', scopes: DEMOGRAPHICS, envelope: DemographicsCollectionEnvelopeDto, ...DEMOGRAPHICS_OF }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getDemographics', scopes: DEMOGRAPHICS, envelope: DemographicsEnvelopeDto, ...DEMOGRAPHICS_OF }),
  ]),
  controller('EnrollmentsController', 'enrollments', 'enrollments', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllEnrollments', scopes: CORE, envelope: EnrollmentsEnvelopeDto, ...ENROLLMENTS }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getEnrollment', scopes: CORE, envelope: EnrollmentEnvelopeDto, resource: ENROLLMENT_RESOURCE, key: 'enrollment' }),
  ]),
  controller('GradingPeriodsController', 'grading periods', 'gradingPeriods', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllGradingPeriods', scopes: CORE, envelope: AcademicSessionsEnvelopeDto, ...SESSIONS, where: gradingPeriods }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getGradingPeriod', scopes: CORE, envelope: AcademicSessionEnvelopeDto, ...SESSION, where: gradingPeriods }),
  ]),
  controller('OrgsController', 'orgs', 'orgs', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllOrgs', scopes: CORE, envelope: OrgsEnvelopeDto, ...ORGS, where: visibleOrgs }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getOrg', scopes: CORE, envelope: OrgEnvelopeDto, ...ORG, where: visibleOrgs }),
  ]),
  controller('SchoolsController', 'schools', 'schools', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllSchools', scopes: CORE, envelope: OrgsEnvelopeDto, ...ORGS, where: visibleSchools }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getSchool', scopes: CORE, envelope: OrgEnvelopeDto, ...ORG, where: visibleSchools }),
    collectionRoute({ name: 'courses', path: ':schoolSourcedId/courses', summary: 'getCoursesForSchool', scopes: ROSTER, envelope: CoursesEnvelopeDto, ...COURSES, where: coursesOfSchool, parents: (s) => [school(s)], description: COURSES_OF_SCHOOL_RULE }),
    collectionRoute({ name: 'classes', path: ':schoolSourcedId/classes', summary: 'getClassesForSchool', scopes: ROSTER, envelope: ClassesEnvelopeDto, ...CLASSES, where: classesOfSchool, parents: (s) => [school(s)] }),
    collectionRoute({ name: 'classEnrollments', path: ':schoolSourcedId/classes/:classSourcedId/enrollments', summary: 'getEnrollmentsForClassInSchool', scopes: ROSTER, envelope: EnrollmentsEnvelopeDto, ...ENROLLMENTS, where: (s, c) => enrollmentsOfClassInSchool(c, s), parents: classOfSchool }),
    collectionRoute({ name: 'classStudents', path: ':schoolSourcedId/classes/:classSourcedId/students', summary: 'getStudentsForClassInSchool', scopes: ROSTER, envelope: UsersEnvelopeDto, ...USERS, where: (s, c) => studentsOfClass(c, s), parents: classOfSchool }),
    collectionRoute({ name: 'classTeachers', path: ':schoolSourcedId/classes/:classSourcedId/teachers', summary: 'getTeachersForClassInSchool', scopes: ROSTER, envelope: UsersEnvelopeDto, ...USERS, where: (s, c) => teachersOfClass(c, s), parents: classOfSchool }),
    collectionRoute({ name: 'enrollments', path: ':schoolSourcedId/enrollments', summary: 'getEnrollmentsForSchool', scopes: ROSTER, envelope: EnrollmentsEnvelopeDto, ...ENROLLMENTS, where: enrollmentsOfSchool, parents: (s) => [school(s)] }),
    collectionRoute({ name: 'students', path: ':schoolSourcedId/students', summary: 'getStudentsForSchool', scopes: ROSTER, envelope: UsersEnvelopeDto, ...USERS, where: (s) => usersOfSchool(s, 'student'), parents: (s) => [school(s)] }),
    collectionRoute({ name: 'teachers', path: ':schoolSourcedId/teachers', summary: 'getTeachersForSchool', scopes: ROSTER, envelope: UsersEnvelopeDto, ...USERS, where: (s) => usersOfSchool(s, 'teacher'), parents: (s) => [school(s)] }),
    collectionRoute({ name: 'terms', path: ':schoolSourcedId/terms', summary: 'getTermsForSchool', scopes: ROSTER, envelope: AcademicSessionsEnvelopeDto, ...SESSIONS, where: termsOfSchool, parents: (s) => [school(s)] }),
  ]),
  ofRole('student'),
  ofRole('teacher'),
  controller('TermsController', 'terms', 'terms', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllTerms', scopes: CORE, envelope: AcademicSessionsEnvelopeDto, ...SESSIONS, where: terms }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getTerm', scopes: CORE, envelope: AcademicSessionEnvelopeDto, ...SESSION, where: terms }),
    collectionRoute({ name: 'classes', path: ':termSourcedId/classes', summary: 'getClassesForTerm', scopes: ROSTER, envelope: ClassesEnvelopeDto, ...CLASSES, where: classesOfTerm, parents: (t) => [term(t)] }),
    collectionRoute({ name: 'gradingPeriods', path: ':termSourcedId/gradingPeriods', summary: 'getGradingPeriodsForTerm', scopes: ROSTER, envelope: AcademicSessionsEnvelopeDto, ...SESSIONS, where: gradingPeriodsOfTerm, parents: (t) => [term(t)] }),
  ]),
  controller('UsersController', 'users', 'users', [
    collectionRoute({ name: 'list', path: '', summary: 'getAllUsers', scopes: CORE, envelope: UsersEnvelopeDto, ...USERS }),
    singleRoute({ name: 'get', path: ':sourcedId', summary: 'getUser', scopes: CORE, envelope: UserEnvelopeDto, ...USER }),
    collectionRoute({ name: 'classes', path: ':userSourcedId/classes', summary: 'getClassesForUser', scopes: ROSTER, envelope: ClassesEnvelopeDto, ...CLASSES, where: (u) => classesOfUser(u), parents: (u) => [anyOf(USER_RESOURCE, u)] }),
  ]),
];

export const ROSTERING_CONTROLLERS: Type[] =
  ROSTERING_ROUTES.map(controllerFromTable);
