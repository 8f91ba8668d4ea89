import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  ACADEMIC_SESSION_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  Condition,
  DEMOGRAPHICS_RESOURCE,
  ENROLLMENT_RESOURCE,
  ORG_RESOURCE,
  T,
  RosteringService,
  USER_RESOURCE,
  columnEquals,
  linkedThrough,
} from '@oneroster/data-access-oneroster';
import { CurrentPrincipal, Principal } from '@oneroster/util-http';
import {
  AcademicSessionEnvelopeDto,
  CollectionEndpoint,
  SingleEndpoint,
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

const isSchool = columnEquals('type', 'school');
const isTerm = columnEquals('type', 'term');
const isGradingPeriod = columnEquals('type', 'gradingPeriod');
const isStudent = columnEquals('role', 'student');
const isTeacher = columnEquals('role', 'teacher');

/** Users enrolled in a class with a role (optionally only through enrolments at one school). */
const enrolledIn = (
  classId: string,
  role: 'student' | 'teacher',
  schoolId?: string,
): Condition =>
  linkedThrough('enrollments', 'user_sourced_id', {
    class_sourced_id: classId,
    role,
    ...(schoolId ? { school_sourced_id: schoolId } : {}),
  });

/** Classes the user is enrolled in (with that role, if given). */
const classesOf = (userId: string, role?: 'student' | 'teacher'): Condition =>
  linkedThrough('enrollments', 'class_sourced_id', {
    user_sourced_id: userId,
    ...(role ? { role } : {}),
  });

/** Users belonging to an org (user.orgs). */
const memberOf = (orgId: string): Condition =>
  linkedThrough(
    'user_orgs',
    'user_sourced_id',
    { org_sourced_id: orgId },
    { activeOnly: false },
  );

/** Terms used by the active classes of a school (AcademicSession has no org link in 1.1). */
const termsOfSchool =
  (schoolId: string): Condition =>
  (q) => ({
    text: `EXISTS (SELECT 1 FROM ${q('class_terms')} ct JOIN ${q('classes')} c ON c.${q('school_id')} = ct.${q('school_id')} AND c.${q('sourced_id')} = ct.${q('class_sourced_id')} WHERE ct.${q('school_id')} = ${T}.${q('school_id')} AND ct.${q('term_sourced_id')} = ${T}.${q('sourced_id')} AND c.${q('school_sourced_id')} = ? AND c.${q('status')} = 'active')`,
    params: [schoolId],
  });

/**
 * The orgs a school's client may list or read: the school's own org, its ancestors (local,
 * district, state, national: at most four levels above a school in 1.1), and the departments
 * of the school (orgs of another type whose parent is the school). An import copies into the
 * tenant every org its records reference (a teacher who also works at another school names
 * that school in `orgs`); those copies stay behind the GUIDRefs that name them and are never
 * listed: another school, or another school's district, is not this school's to publish.
 */
const ORG_ANCESTOR_LEVELS = 4;
const visibleOrg: Condition = (q) => {
  const sid = q('school_id');
  const src = q('sourced_id');
  const parent = q('parent_sourced_id');
  const joins = Array.from(
    { length: ORG_ANCESTOR_LEVELS },
    (_, i) =>
      `LEFT JOIN ${q('orgs')} o${i} ON o${i}.${sid} = s.${q('id')} AND o${i}.${src} = ${i === 0 ? `s.${q('org_sourced_id')}` : `o${i - 1}.${parent}`}`,
  ).join(' ');
  const chain = [
    `s.${q('org_sourced_id')}`,
    ...Array.from({ length: ORG_ANCESTOR_LEVELS }, (_, i) => `o${i}.${parent}`),
  ].join(', ');
  return {
    text: `EXISTS (SELECT 1 FROM ${q('schools')} s ${joins} WHERE s.${q('id')} = ${T}.${sid} AND (${T}.${src} IN (${chain}) OR (${T}.${parent} = s.${q('org_sourced_id')} AND ${T}.${q('type')} <> 'school')))`,
    params: [],
  };
};

/**
 * Courses of a school: those whose org is the school, plus those its active classes use. A
 * district or trust often keeps one course catalogue on the district org; its schools'
 * classes still point at those courses, and a consumer reading /schools/{id}/courses expects
 * to find them.
 */
const coursesOfSchool =
  (schoolId: string): Condition =>
  (q) => {
    const usedByItsClasses = linkedThrough('classes', 'course_sourced_id', {
      school_sourced_id: schoolId,
    })(q);
    return {
      text: `(${T}.${q('org_sourced_id')} = ? OR ${usedByItsClasses.text})`,
      params: [schoolId, ...usedByItsClasses.params],
    };
  };

const COURSES_OF_SCHOOL_RULE =
  "The courses whose org is the school, plus the courses the school's active classes use (e.g. a district's catalogue courses).";

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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(
      req,
      res,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSessions',
    );
  }

  @Get(':sourcedId')
  @SingleEndpoint('getAcademicSession', CORE, AcademicSessionEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(
      req,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSession',
      id,
    );
  }
}

@ApiTags('rostering: grading periods')
@Controller(`${ONEROSTER_BASE_PATH}/gradingPeriods`)
export class GradingPeriodsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllGradingPeriods', CORE, AcademicSessionsEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(
      req,
      res,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSessions',
      [isGradingPeriod],
    );
  }

  @Get(':sourcedId')
  @SingleEndpoint('getGradingPeriod', CORE, AcademicSessionEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(
      req,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSession',
      id,
      [isGradingPeriod],
    );
  }
}

@ApiTags('rostering: terms')
@Controller(`${ONEROSTER_BASE_PATH}/terms`)
export class TermsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllTerms', CORE, AcademicSessionsEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(
      req,
      res,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSessions',
      [isTerm],
    );
  }

  @Get(':sourcedId')
  @SingleEndpoint('getTerm', CORE, AcademicSessionEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(
      req,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSession',
      id,
      [isTerm],
    );
  }

  @Get(':termSourcedId/classes')
  @CollectionEndpoint('getClassesForTerm', ROSTER, ClassesEnvelopeDto, [
    'termSourcedId',
  ])
  async classes(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('termSourcedId') id: string,
  ) {
    await this.svc.requireParent(
      p,
      ACADEMIC_SESSION_RESOURCE,
      id,
      [isTerm],
      'term',
    );
    return this.svc.collection(req, res, p, CLASS_RESOURCE, 'classes', [
      linkedThrough(
        'class_terms',
        'class_sourced_id',
        { term_sourced_id: id },
        { activeOnly: false },
      ),
    ]);
  }

  @Get(':termSourcedId/gradingPeriods')
  @CollectionEndpoint(
    'getGradingPeriodsForTerm',
    ROSTER,
    AcademicSessionsEnvelopeDto,
    ['termSourcedId'],
  )
  async gradingPeriods(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('termSourcedId') id: string,
  ) {
    await this.svc.requireParent(
      p,
      ACADEMIC_SESSION_RESOURCE,
      id,
      [isTerm],
      'term',
    );
    return this.svc.collection(
      req,
      res,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSessions',
      [isGradingPeriod, columnEquals('parent_sourced_id', id)],
    );
  }
}

@ApiTags('rostering: classes')
@Controller(`${ONEROSTER_BASE_PATH}/classes`)
export class ClassesController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllClasses', CORE, ClassesEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, CLASS_RESOURCE, 'classes');
  }

  @Get(':sourcedId')
  @SingleEndpoint('getClass', CORE, ClassEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, CLASS_RESOURCE, 'class', id);
  }

  @Get(':classSourcedId/students')
  @CollectionEndpoint('getStudentsForClass', ROSTER, UsersEnvelopeDto, [
    'classSourcedId',
  ])
  async students(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') id: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, id);
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [
      enrolledIn(id, 'student'),
    ]);
  }

  @Get(':classSourcedId/teachers')
  @CollectionEndpoint('getTeachersForClass', ROSTER, UsersEnvelopeDto, [
    'classSourcedId',
  ])
  async teachers(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') id: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, id);
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [
      enrolledIn(id, 'teacher'),
    ]);
  }
}

@ApiTags('rostering: courses')
@Controller(`${ONEROSTER_BASE_PATH}/courses`)
export class CoursesController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllCourses', CORE, CoursesEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, COURSE_RESOURCE, 'courses');
  }

  @Get(':sourcedId')
  @SingleEndpoint('getCourse', CORE, CourseEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, COURSE_RESOURCE, 'course', id);
  }

  @Get(':courseSourcedId/classes')
  @CollectionEndpoint('getClassesForCourse', ROSTER, ClassesEnvelopeDto, [
    'courseSourcedId',
  ])
  async classes(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('courseSourcedId') id: string,
  ) {
    await this.svc.requireParent(p, COURSE_RESOURCE, id);
    return this.svc.collection(req, res, p, CLASS_RESOURCE, 'classes', [
      columnEquals('course_sourced_id', id),
    ]);
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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(
      req,
      res,
      p,
      DEMOGRAPHICS_RESOURCE,
      'demographics',
    );
  }

  @Get(':sourcedId')
  @SingleEndpoint('getDemographics', DEMOGRAPHICS, DemographicsEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, DEMOGRAPHICS_RESOURCE, 'demographics', id);
  }
}

@ApiTags('rostering: enrollments')
@Controller(`${ONEROSTER_BASE_PATH}/enrollments`)
export class EnrollmentsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllEnrollments', CORE, EnrollmentsEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, ENROLLMENT_RESOURCE, 'enrollments');
  }

  @Get(':sourcedId')
  @SingleEndpoint('getEnrollment', CORE, EnrollmentEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, ENROLLMENT_RESOURCE, 'enrollment', id);
  }
}

@ApiTags('rostering: orgs')
@Controller(`${ONEROSTER_BASE_PATH}/orgs`)
export class OrgsController {
  constructor(private readonly svc: RosteringService) {}

  @Get()
  @CollectionEndpoint('getAllOrgs', CORE, OrgsEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, ORG_RESOURCE, 'orgs', [visibleOrg]);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getOrg', CORE, OrgEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, ORG_RESOURCE, 'org', id, [visibleOrg]);
  }
}

@ApiTags('rostering: schools')
@Controller(`${ONEROSTER_BASE_PATH}/schools`)
export class SchoolsController {
  constructor(private readonly svc: RosteringService) {}

  private school(p: Principal, id: string) {
    return this.svc.requireParent(
      p,
      ORG_RESOURCE,
      id,
      [isSchool, visibleOrg],
      'school',
    );
  }

  private async schoolClass(p: Principal, schoolId: string, classId: string) {
    await this.school(p, schoolId);
    await this.svc.requireParent(
      p,
      CLASS_RESOURCE,
      classId,
      [columnEquals('school_sourced_id', schoolId)],
      'class',
    );
  }

  @Get()
  @CollectionEndpoint('getAllSchools', CORE, OrgsEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, ORG_RESOURCE, 'orgs', [
      isSchool,
      visibleOrg,
    ]);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getSchool', CORE, OrgEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, ORG_RESOURCE, 'org', id, [
      isSchool,
      visibleOrg,
    ]);
  }

  @Get(':schoolSourcedId/courses')
  @CollectionEndpoint(
    'getCoursesForSchool',
    ROSTER,
    CoursesEnvelopeDto,
    ['schoolSourcedId'],
    COURSES_OF_SCHOOL_RULE,
  )
  async courses(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') id: string,
  ) {
    await this.school(p, id);
    return this.svc.collection(req, res, p, COURSE_RESOURCE, 'courses', [
      coursesOfSchool(id),
    ]);
  }

  @Get(':schoolSourcedId/classes')
  @CollectionEndpoint('getClassesForSchool', ROSTER, ClassesEnvelopeDto, [
    'schoolSourcedId',
  ])
  async classes(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') id: string,
  ) {
    await this.school(p, id);
    return this.svc.collection(req, res, p, CLASS_RESOURCE, 'classes', [
      columnEquals('school_sourced_id', id),
    ]);
  }

  @Get(':schoolSourcedId/classes/:classSourcedId/enrollments')
  @CollectionEndpoint(
    'getEnrollmentsForClassInSchool',
    ROSTER,
    EnrollmentsEnvelopeDto,
    ['schoolSourcedId', 'classSourcedId'],
  )
  async classEnrollments(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') schoolId: string,
    @Param('classSourcedId') classId: string,
  ) {
    await this.schoolClass(p, schoolId, classId);
    return this.svc.collection(
      req,
      res,
      p,
      ENROLLMENT_RESOURCE,
      'enrollments',
      [
        columnEquals('class_sourced_id', classId),
        columnEquals('school_sourced_id', schoolId),
      ],
    );
  }

  @Get(':schoolSourcedId/classes/:classSourcedId/students')
  @CollectionEndpoint('getStudentsForClassInSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
    'classSourcedId',
  ])
  async classStudents(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') schoolId: string,
    @Param('classSourcedId') classId: string,
  ) {
    await this.schoolClass(p, schoolId, classId);
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [
      enrolledIn(classId, 'student', schoolId),
    ]);
  }

  @Get(':schoolSourcedId/classes/:classSourcedId/teachers')
  @CollectionEndpoint('getTeachersForClassInSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
    'classSourcedId',
  ])
  async classTeachers(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') schoolId: string,
    @Param('classSourcedId') classId: string,
  ) {
    await this.schoolClass(p, schoolId, classId);
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [
      enrolledIn(classId, 'teacher', schoolId),
    ]);
  }

  @Get(':schoolSourcedId/enrollments')
  @CollectionEndpoint(
    'getEnrollmentsForSchool',
    ROSTER,
    EnrollmentsEnvelopeDto,
    ['schoolSourcedId'],
  )
  async enrollments(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') id: string,
  ) {
    await this.school(p, id);
    return this.svc.collection(
      req,
      res,
      p,
      ENROLLMENT_RESOURCE,
      'enrollments',
      [columnEquals('school_sourced_id', id)],
    );
  }

  @Get(':schoolSourcedId/students')
  @CollectionEndpoint('getStudentsForSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
  ])
  async students(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') id: string,
  ) {
    await this.school(p, id);
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [
      isStudent,
      memberOf(id),
    ]);
  }

  @Get(':schoolSourcedId/teachers')
  @CollectionEndpoint('getTeachersForSchool', ROSTER, UsersEnvelopeDto, [
    'schoolSourcedId',
  ])
  async teachers(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') id: string,
  ) {
    await this.school(p, id);
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [
      isTeacher,
      memberOf(id),
    ]);
  }

  @Get(':schoolSourcedId/terms')
  @CollectionEndpoint(
    'getTermsForSchool',
    ROSTER,
    AcademicSessionsEnvelopeDto,
    ['schoolSourcedId'],
  )
  async terms(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('schoolSourcedId') id: string,
  ) {
    await this.school(p, id);
    return this.svc.collection(
      req,
      res,
      p,
      ACADEMIC_SESSION_RESOURCE,
      'academicSessions',
      [isTerm, termsOfSchool(id)],
    );
  }
}

function usersController(role: 'student' | 'teacher') {
  const isRole = role === 'student' ? isStudent : isTeacher;
  const plural = `${role}s`;
  const Title = role === 'student' ? 'Student' : 'Teacher';

  @ApiTags(`rostering: ${plural}`)
  @Controller(`${ONEROSTER_BASE_PATH}/${plural}`)
  class RoleUsersController {
    constructor(readonly svc: RosteringService) {}

    @Get()
    @CollectionEndpoint(`getAll${Title}s`, CORE, UsersEnvelopeDto)
    list(
      @Req() req: Request,
      @Res({ passthrough: true }) res: Response,
      @CurrentPrincipal() p: Principal,
    ) {
      return this.svc.collection(req, res, p, USER_RESOURCE, 'users', [isRole]);
    }

    @Get(':sourcedId')
    @SingleEndpoint(`get${Title}`, CORE, UserEnvelopeDto)
    get(
      @Req() req: Request,
      @CurrentPrincipal() p: Principal,
      @Param('sourcedId') id: string,
    ) {
      return this.svc.single(req, p, USER_RESOURCE, 'user', id, [isRole]);
    }

    @Get(`:${role}SourcedId/classes`)
    @CollectionEndpoint(`getClassesFor${Title}`, ROSTER, ClassesEnvelopeDto, [
      `${role}SourcedId`,
    ])
    async classes(
      @Req() req: Request,
      @Res({ passthrough: true }) res: Response,
      @CurrentPrincipal() p: Principal,
      @Param(`${role}SourcedId`) id: string,
    ) {
      await this.svc.requireParent(p, USER_RESOURCE, id, [isRole], role);
      return this.svc.collection(req, res, p, CLASS_RESOURCE, 'classes', [
        classesOf(id, role),
      ]);
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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, USER_RESOURCE, 'users');
  }

  @Get(':sourcedId')
  @SingleEndpoint('getUser', CORE, UserEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, USER_RESOURCE, 'user', id);
  }

  @Get(':userSourcedId/classes')
  @CollectionEndpoint('getClassesForUser', ROSTER, ClassesEnvelopeDto, [
    'userSourcedId',
  ])
  async classes(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('userSourcedId') id: string,
  ) {
    await this.svc.requireParent(p, USER_RESOURCE, id);
    return this.svc.collection(req, res, p, CLASS_RESOURCE, 'classes', [
      classesOf(id),
    ]);
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
