import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  ACADEMIC_SESSION_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  COURSES_OF_SCHOOL_RULE,
  DEMOGRAPHICS_RESOURCE,
  ENROLLMENT_RESOURCE,
  ORG_RESOURCE,
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
  PARENTS,
} from '@oneroster/data-access-oneroster';
import {
  Client,
  ClientLink,
  CurrentPrincipal,
  OneRosterQuery,
  OneRosterSingleQuery,
  Principal,
  RequestedQuery,
} from '@oneroster/util-http';
import type { CheckedSingleQuery } from '@oneroster/util-oneroster-query';
import {
  AcademicSessionEnvelopeDto,
  AcademicSessionsEnvelopeDto,
  ClassEnvelopeDto,
  ClassesEnvelopeDto,
  CollectionEndpoint,
  CourseEnvelopeDto,
  CoursesEnvelopeDto,
  DemographicsCollectionEnvelopeDto,
  DemographicsEnvelopeDto,
  EnrollmentEnvelopeDto,
  EnrollmentsEnvelopeDto,
  OrgEnvelopeDto,
  OrgsEnvelopeDto,
  SingleEndpoint,
  UserEnvelopeDto,
  UsersEnvelopeDto,
} from '@oneroster/util-oneroster-openapi';

/*
 * The 41 OneRoster 1.1 rostering endpoints (digest §2.1, §2.2). Scopes (§6.3): the base
 * collection and single GETs accept roster-core.readonly or roster.readonly, the
 * relationship routes roster.readonly, demographics roster-demographics.readonly only.
 * Subtype endpoints (schools, terms, gradingPeriods, students, teachers) answer 404 for an
 * object of another kind; relationship routes answer 404 for an unknown parent.
 */
const CORE = [ONEROSTER_SCOPES.rosterCore, ONEROSTER_SCOPES.roster];
const ROSTER = [ONEROSTER_SCOPES.roster];
const DEMOGRAPHICS = [ONEROSTER_SCOPES.rosterDemographics];

/** The checked collection query for a resource; the single read's fields. */
const Query = (r: ResourceDef) => OneRosterQuery(fieldCatalogue(r));
const Fields = (r: ResourceDef) => OneRosterSingleQuery(fieldCatalogue(r));

// Parents of the relationship routes (404 when the caller cannot see them).
const { term, school, classOfSchool, anyOf } = PARENTS;

const ACADEMIC_SESSIONS = {
  resource: ACADEMIC_SESSION_RESOURCE,
  envelope: 'academicSessions',
};
const ACADEMIC_SESSION = {
  resource: ACADEMIC_SESSION_RESOURCE,
  envelope: 'academicSession',
};
const CLASSES = { resource: CLASS_RESOURCE, envelope: 'classes' };
const COURSES = { resource: COURSE_RESOURCE, envelope: 'courses' };
const ENROLLMENTS = { resource: ENROLLMENT_RESOURCE, envelope: 'enrollments' };
const ORGS = { resource: ORG_RESOURCE, envelope: 'orgs' };
const USERS = { resource: USER_RESOURCE, envelope: 'users' };
const DEMOGRAPHICS_OF = {
  resource: DEMOGRAPHICS_RESOURCE,
  envelope: 'demographics',
};

@ApiTags('rostering: academic sessions')
@Controller(`${ONEROSTER_BASE_PATH}/academicSessions`)
export class AcademicSessionsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint(
    'getAllAcademicSessions',
    CORE,
    AcademicSessionsEnvelopeDto,
  )
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(ACADEMIC_SESSION_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ACADEMIC_SESSIONS,
    });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getAcademicSession', CORE, AcademicSessionEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(ACADEMIC_SESSION_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      ...ACADEMIC_SESSION,
    });
  }
}

@ApiTags('rostering: grading periods')
@Controller(`${ONEROSTER_BASE_PATH}/gradingPeriods`)
export class GradingPeriodsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllGradingPeriods', CORE, AcademicSessionsEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(ACADEMIC_SESSION_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ACADEMIC_SESSIONS,
      where: gradingPeriods(),
    });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getGradingPeriod', CORE, AcademicSessionEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(ACADEMIC_SESSION_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      ...ACADEMIC_SESSION,
      where: gradingPeriods(),
    });
  }
}

@ApiTags('rostering: terms')
@Controller(`${ONEROSTER_BASE_PATH}/terms`)
export class TermsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllTerms', CORE, AcademicSessionsEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(ACADEMIC_SESSION_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ACADEMIC_SESSIONS,
      where: terms(),
    });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getTerm', CORE, AcademicSessionEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(ACADEMIC_SESSION_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      ...ACADEMIC_SESSION,
      where: terms(),
    });
  }

  @Get(':termSourcedId/classes')
  @CollectionEndpoint('getClassesForTerm', ROSTER, ClassesEnvelopeDto, [
    'termSourcedId',
  ])
  classes(
    @CurrentPrincipal() principal: Principal,
    @Query(CLASS_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('termSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...CLASSES,
      where: classesOfTerm(id),
      parents: [term(id)],
    });
  }

  @Get(':termSourcedId/gradingPeriods')
  @CollectionEndpoint(
    'getGradingPeriodsForTerm',
    ROSTER,
    AcademicSessionsEnvelopeDto,
    ['termSourcedId'],
  )
  gradingPeriods(
    @CurrentPrincipal() principal: Principal,
    @Query(ACADEMIC_SESSION_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('termSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ACADEMIC_SESSIONS,
      where: gradingPeriodsOfTerm(id),
      parents: [term(id)],
    });
  }
}

@ApiTags('rostering: classes')
@Controller(`${ONEROSTER_BASE_PATH}/classes`)
export class ClassesController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllClasses', CORE, ClassesEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(CLASS_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({ principal, query, client, ...CLASSES });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getClass', CORE, ClassEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(CLASS_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: CLASS_RESOURCE,
      envelope: 'class',
    });
  }

  @Get(':classSourcedId/students')
  @CollectionEndpoint('getStudentsForClass', ROSTER, UsersEnvelopeDto, [
    'classSourcedId',
  ])
  students(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...USERS,
      where: studentsOfClass(id),
      parents: [anyOf(CLASS_RESOURCE, id)],
    });
  }

  @Get(':classSourcedId/teachers')
  @CollectionEndpoint('getTeachersForClass', ROSTER, UsersEnvelopeDto, [
    'classSourcedId',
  ])
  teachers(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...USERS,
      where: teachersOfClass(id),
      parents: [anyOf(CLASS_RESOURCE, id)],
    });
  }
}

@ApiTags('rostering: courses')
@Controller(`${ONEROSTER_BASE_PATH}/courses`)
export class CoursesController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllCourses', CORE, CoursesEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(COURSE_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({ principal, query, client, ...COURSES });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getCourse', CORE, CourseEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(COURSE_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: COURSE_RESOURCE,
      envelope: 'course',
    });
  }

  @Get(':courseSourcedId/classes')
  @CollectionEndpoint('getClassesForCourse', ROSTER, ClassesEnvelopeDto, [
    'courseSourcedId',
  ])
  classes(
    @CurrentPrincipal() principal: Principal,
    @Query(CLASS_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('courseSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...CLASSES,
      where: classesOfCourse(id),
      parents: [anyOf(COURSE_RESOURCE, id)],
    });
  }
}

@ApiTags('rostering: demographics')
@Controller(`${ONEROSTER_BASE_PATH}/demographics`)
export class DemographicsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint(
    'getAllDemographics',
    DEMOGRAPHICS,
    DemographicsCollectionEnvelopeDto,
  )
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(DEMOGRAPHICS_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...DEMOGRAPHICS_OF,
    });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getDemographics', DEMOGRAPHICS, DemographicsEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(DEMOGRAPHICS_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      ...DEMOGRAPHICS_OF,
    });
  }
}

@ApiTags('rostering: enrollments')
@Controller(`${ONEROSTER_BASE_PATH}/enrollments`)
export class EnrollmentsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllEnrollments', CORE, EnrollmentsEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(ENROLLMENT_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({ principal, query, client, ...ENROLLMENTS });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getEnrollment', CORE, EnrollmentEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(ENROLLMENT_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: ENROLLMENT_RESOURCE,
      envelope: 'enrollment',
    });
  }
}

@ApiTags('rostering: orgs')
@Controller(`${ONEROSTER_BASE_PATH}/orgs`)
export class OrgsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllOrgs', CORE, OrgsEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(ORG_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ORGS,
      where: visibleOrgs(),
    });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getOrg', CORE, OrgEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(ORG_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: ORG_RESOURCE,
      envelope: 'org',
      where: visibleOrgs(),
    });
  }
}

@ApiTags('rostering: schools')
@Controller(`${ONEROSTER_BASE_PATH}/schools`)
export class SchoolsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllSchools', CORE, OrgsEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(ORG_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ORGS,
      where: visibleSchools(),
    });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getSchool', CORE, OrgEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(ORG_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: ORG_RESOURCE,
      envelope: 'org',
      where: visibleSchools(),
    });
  }

  @Get(':schoolSourcedId/courses')
  @CollectionEndpoint(
    'getCoursesForSchool',
    ROSTER,
    CoursesEnvelopeDto,
    ['schoolSourcedId'],
    COURSES_OF_SCHOOL_RULE,
  )
  courses(
    @CurrentPrincipal() principal: Principal,
    @Query(COURSE_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...COURSES,
      where: coursesOfSchool(id),
      parents: [school(id)],
    });
  }

  @Get(':schoolSourcedId/classes')
  @CollectionEndpoint('getClassesForSchool', ROSTER, ClassesEnvelopeDto, [
    'schoolSourcedId',
  ])
  classes(
    @CurrentPrincipal() principal: Principal,
    @Query(CLASS_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...CLASSES,
      where: classesOfSchool(id),
      parents: [school(id)],
    });
  }

  @Get(':schoolSourcedId/classes/:classSourcedId/enrollments')
  @CollectionEndpoint(
    'getEnrollmentsForClassInSchool',
    ROSTER,
    EnrollmentsEnvelopeDto,
    ['schoolSourcedId', 'classSourcedId'],
  )
  classEnrollments(
    @CurrentPrincipal() principal: Principal,
    @Query(ENROLLMENT_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') schoolId: string,
    @Param('classSourcedId') classId: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ENROLLMENTS,
      where: enrollmentsOfClassInSchool(classId, schoolId),
      parents: classOfSchool(schoolId, classId),
    });
  }

  @Get(':schoolSourcedId/classes/:classSourcedId/students')
  @CollectionEndpoint('getStudentsForClassInSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
    'classSourcedId',
  ])
  classStudents(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') schoolId: string,
    @Param('classSourcedId') classId: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...USERS,
      where: studentsOfClass(classId, schoolId),
      parents: classOfSchool(schoolId, classId),
    });
  }

  @Get(':schoolSourcedId/classes/:classSourcedId/teachers')
  @CollectionEndpoint('getTeachersForClassInSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
    'classSourcedId',
  ])
  classTeachers(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') schoolId: string,
    @Param('classSourcedId') classId: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...USERS,
      where: teachersOfClass(classId, schoolId),
      parents: classOfSchool(schoolId, classId),
    });
  }

  @Get(':schoolSourcedId/enrollments')
  @CollectionEndpoint(
    'getEnrollmentsForSchool',
    ROSTER,
    EnrollmentsEnvelopeDto,
    ['schoolSourcedId'],
  )
  enrollments(
    @CurrentPrincipal() principal: Principal,
    @Query(ENROLLMENT_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ENROLLMENTS,
      where: enrollmentsOfSchool(id),
      parents: [school(id)],
    });
  }

  @Get(':schoolSourcedId/students')
  @CollectionEndpoint('getStudentsForSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
  ])
  students(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...USERS,
      where: usersOfSchool(id, 'student'),
      parents: [school(id)],
    });
  }

  @Get(':schoolSourcedId/teachers')
  @CollectionEndpoint('getTeachersForSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
  ])
  teachers(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...USERS,
      where: usersOfSchool(id, 'teacher'),
      parents: [school(id)],
    });
  }

  @Get(':schoolSourcedId/terms')
  @CollectionEndpoint(
    'getTermsForSchool',
    ROSTER,
    AcademicSessionsEnvelopeDto,
    ['schoolSourcedId'],
  )
  terms(
    @CurrentPrincipal() principal: Principal,
    @Query(ACADEMIC_SESSION_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('schoolSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...ACADEMIC_SESSIONS,
      where: termsOfSchool(id),
      parents: [school(id)],
    });
  }
}

function usersController(role: 'student' | 'teacher') {
  const plural = `${role}s`;
  const Title = role === 'student' ? 'Student' : 'Teacher';
  const ofRole = (id: string): ParentCheck => ({
    resource: USER_RESOURCE,
    sourcedId: id,
    where: usersWithRole(role),
    label: role,
  });

  @ApiTags(`rostering: ${plural}`)
  @Controller(`${ONEROSTER_BASE_PATH}/${plural}`)
  class RoleUsersController {
    constructor(readonly svc: RosteringService) {}

    @Get()
    @CollectionEndpoint(`getAll${Title}s`, CORE, UsersEnvelopeDto)
    list(
      @CurrentPrincipal() principal: Principal,
      @Query(USER_RESOURCE) query: RequestedQuery,
      @Client() client: ClientLink,
    ) {
      return this.svc.collection({
        principal,
        query,
        client,
        ...USERS,
        where: usersWithRole(role),
      });
    }

    @Get(':sourcedId')
    @SingleEndpoint(`get${Title}`, CORE, UserEnvelopeDto)
    get(
      @CurrentPrincipal() principal: Principal,
      @Fields(USER_RESOURCE) query: CheckedSingleQuery,
      @Param('sourcedId') sourcedId: string,
    ) {
      return this.svc.single({
        principal,
        query,
        sourcedId,
        resource: USER_RESOURCE,
        envelope: 'user',
        where: usersWithRole(role),
      });
    }

    @Get(`:${role}SourcedId/classes`)
    @CollectionEndpoint(`getClassesFor${Title}`, ROSTER, ClassesEnvelopeDto, [
      `${role}SourcedId`,
    ])
    classes(
      @CurrentPrincipal() principal: Principal,
      @Query(CLASS_RESOURCE) query: RequestedQuery,
      @Client() client: ClientLink,
      @Param(`${role}SourcedId`) id: string,
    ) {
      return this.svc.collection({
        principal,
        query,
        client,
        ...CLASSES,
        where: classesOfUser(id, role),
        parents: [ofRole(id)],
      });
    }
  }
  Object.defineProperty(RoleUsersController, 'name', {
    value: `${Title}sController`,
  });
  return RoleUsersController;
}

export const StudentsController = usersController('student');
export const TeachersController = usersController('teacher');

@ApiTags('rostering: users')
@Controller(`${ONEROSTER_BASE_PATH}/users`)
export class UsersController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllUsers', CORE, UsersEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(USER_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({ principal, query, client, ...USERS });
  }

  @Get(':sourcedId')
  @SingleEndpoint('getUser', CORE, UserEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(USER_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: USER_RESOURCE,
      envelope: 'user',
    });
  }

  @Get(':userSourcedId/classes')
  @CollectionEndpoint('getClassesForUser', ROSTER, ClassesEnvelopeDto, [
    'userSourcedId',
  ])
  classes(
    @CurrentPrincipal() principal: Principal,
    @Query(CLASS_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('userSourcedId') id: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      ...CLASSES,
      where: classesOfUser(id),
      parents: [anyOf(USER_RESOURCE, id)],
    });
  }
}

export const ROSTERING_CONTROLLERS = [
  AcademicSessionsController,
  ClassesController,
  CoursesController,
  DemographicsController,
  EnrollmentsController,
  GradingPeriodsController,
  OrgsController,
  SchoolsController,
  StudentsController,
  TeachersController,
  TermsController,
  UsersController,
];
