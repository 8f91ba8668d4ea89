import {
  ASSESSMENT_LINE_ITEM_RESOURCE,
  ASSESSMENT_RESULT_RESOURCE,
  SCORE_SCALE_RESOURCE,
  scoreScalesOfClass,
  scoreScalesOfSchool,
  ACADEMIC_SESSION_RESOURCE,
  CATEGORY_V1P2_RESOURCE,
  CLASS_RESOURCE,
  LINE_ITEM_RESOURCE,
  LINE_ITEM_V1P2_RESOURCE,
  RESOURCE_RESOURCE,
  RESULT_V1P2_RESOURCE,
  activeLineItemOfClass,
  activeObjects,
  categoriesOfClass,
  lineItemsOfClass,
  resourcesOfClass,
  resourcesOfCourse,
  resourcesOfUser,
  resultsOfClass,
  resultsOfLineItem,
  resultsOfStudentInClass,
  COURSE_RESOURCE,
  DEMOGRAPHICS_RESOURCE,
  ENROLLMENT_RESOURCE,
  ORG_RESOURCE,
  USER_RESOURCE,
  USER_V1P2_RESOURCE,
  classesOfCourse,
  classesOfSchool,
  classesOfTerm,
  classesOfUser,
  coursesOfSchool,
  enrollmentsOfClassInSchool,
  enrollmentsOfSchool,
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
  type Intent,
  type ParentCheck,
  type ResourceDef,
  PARENTS,
} from '@oneroster/data-access-oneroster';
import type { V1p2ClassKey } from '@oneroster/oneroster-catalogue';

/*
 * What each 1.2 rostering operation reads, by operationId: the same 1.1 tables and the same
 * named intents as the 1.1 routes of the same name (libs/api/feature-rostering), so the two
 * versions answer from one set of rules. Subtypes (schools, terms, gradingPeriods, students,
 * teachers) answer 404 for an object of another kind; relationship routes 404 for a parent
 * the caller cannot see. The route list itself is the catalogue's checklist (V1P2_ROUTES).
 */

export type PathParams = Readonly<Record<string, string>>;

export interface Binding {
  where?: (p: PathParams) => Intent;
  parents?: (p: PathParams) => ParentCheck[];
  /** Gradebook objects: deleted ones are left out of collections except delta queries. */
  hideDeleted?: boolean;
}

/** The 1.1 rows each 1.2 class is read from. */
export const RESOURCE_OF: Partial<Record<V1p2ClassKey, ResourceDef>> = {
  academicSession: ACADEMIC_SESSION_RESOURCE,
  class: CLASS_RESOURCE,
  course: COURSE_RESOURCE,
  demographics: DEMOGRAPHICS_RESOURCE,
  enrollment: ENROLLMENT_RESOURCE,
  org: ORG_RESOURCE,
  user: USER_V1P2_RESOURCE,
  category: CATEGORY_V1P2_RESOURCE,
  lineItem: LINE_ITEM_V1P2_RESOURCE,
  result: RESULT_V1P2_RESOURCE,
  resource: RESOURCE_RESOURCE,
  // New in 1.2, stored as 1.2 (their fields carry the 1.2 names).
  scoreScale: SCORE_SCALE_RESOURCE,
  assessmentLineItem: ASSESSMENT_LINE_ITEM_RESOURCE,
  assessmentResult: ASSESSMENT_RESULT_RESOURCE,
};

// Parents of the relationship routes.
const { term, school, classOfSchool, anyOf, withRole } = PARENTS;

const all: Binding = {};
const only = (where: () => Intent): Binding => ({ where: () => where() });

export const ROSTERING_BINDINGS: Readonly<Record<string, Binding>> = {
  getAllAcademicSessions: all,
  getAcademicSession: all,
  getAllClasses: all,
  getClass: all,
  getStudentsForClass: {
    where: (p) => studentsOfClass(p['classSourcedId']),
    parents: (p) => [anyOf(CLASS_RESOURCE, p['classSourcedId'])],
  },
  getTeachersForClass: {
    where: (p) => teachersOfClass(p['classSourcedId']),
    parents: (p) => [anyOf(CLASS_RESOURCE, p['classSourcedId'])],
  },
  getAllCourses: all,
  getCourse: all,
  getClassesForCourse: {
    where: (p) => classesOfCourse(p['courseSourcedId']),
    parents: (p) => [anyOf(COURSE_RESOURCE, p['courseSourcedId'])],
  },
  getAllDemographics: all,
  getDemographics: all,
  getAllEnrollments: all,
  getEnrollment: all,
  getAllGradingPeriods: only(gradingPeriods),
  getGradingPeriod: only(gradingPeriods),
  getAllOrgs: only(visibleOrgs),
  getOrg: only(visibleOrgs),
  getAllSchools: only(visibleSchools),
  getSchool: only(visibleSchools),
  getClassesForSchool: {
    where: (p) => classesOfSchool(p['schoolSourcedId']),
    parents: (p) => [school(p['schoolSourcedId'])],
  },
  getEnrollmentsForClassInSchool: {
    where: (p) =>
      enrollmentsOfClassInSchool(p['classSourcedId'], p['schoolSourcedId']),
    parents: (p) => classOfSchool(p['schoolSourcedId'], p['classSourcedId']),
  },
  getStudentsForClassInSchool: {
    where: (p) => studentsOfClass(p['classSourcedId'], p['schoolSourcedId']),
    parents: (p) => classOfSchool(p['schoolSourcedId'], p['classSourcedId']),
  },
  getTeachersForClassInSchool: {
    where: (p) => teachersOfClass(p['classSourcedId'], p['schoolSourcedId']),
    parents: (p) => classOfSchool(p['schoolSourcedId'], p['classSourcedId']),
  },
  getCoursesForSchool: {
    where: (p) => coursesOfSchool(p['schoolSourcedId']),
    parents: (p) => [school(p['schoolSourcedId'])],
  },
  getEnrollmentsForSchool: {
    where: (p) => enrollmentsOfSchool(p['schoolSourcedId']),
    parents: (p) => [school(p['schoolSourcedId'])],
  },
  getStudentsForSchool: {
    where: (p) => usersOfSchool(p['schoolSourcedId'], 'student'),
    parents: (p) => [school(p['schoolSourcedId'])],
  },
  getTeachersForSchool: {
    where: (p) => usersOfSchool(p['schoolSourcedId'], 'teacher'),
    parents: (p) => [school(p['schoolSourcedId'])],
  },
  getTermsForSchool: {
    where: (p) => termsOfSchool(p['schoolSourcedId']),
    parents: (p) => [school(p['schoolSourcedId'])],
  },
  getAllStudents: { where: () => usersWithRole('student') },
  getStudent: { where: () => usersWithRole('student') },
  getClassesForStudent: {
    where: (p) => classesOfUser(p['studentSourcedId'], 'student'),
    parents: (p) => [withRole('student', p['studentSourcedId'])],
  },
  getAllTeachers: { where: () => usersWithRole('teacher') },
  getTeacher: { where: () => usersWithRole('teacher') },
  getClassesForTeacher: {
    where: (p) => classesOfUser(p['teacherSourcedId'], 'teacher'),
    parents: (p) => [withRole('teacher', p['teacherSourcedId'])],
  },
  getAllTerms: only(terms),
  getTerm: only(terms),
  getClassesForTerm: {
    where: (p) => classesOfTerm(p['termSourcedId']),
    parents: (p) => [term(p['termSourcedId'])],
  },
  getGradingPeriodsForTerm: {
    where: (p) => gradingPeriodsOfTerm(p['termSourcedId']),
    parents: (p) => [term(p['termSourcedId'])],
  },
  getAllUsers: all,
  getUser: all,
  getClassesForUser: {
    where: (p) => classesOfUser(p['userSourcedId']),
    parents: (p) => [anyOf(USER_RESOURCE, p['userSourcedId'])],
  },
};

/*
 * The 1.2 gradebook and resources reads, as the 1.1 gradebook routes of the same name
 * (libs/api/feature-gradebook): a deleted category, line item or result answers 404 and is
 * left out of collections (delta queries see it as tobedeleted); relationship routes 404 for
 * an unknown class, a line item of another class, or a student unknown as a student.
 */
const gradebookAll: Binding = { hideDeleted: true };
const gradebookOne: Binding = { where: () => activeObjects() };
const inClass = (
  where: (p: PathParams) => Intent,
  more: (p: PathParams) => ParentCheck[] = () => [],
): Binding => ({
  where,
  parents: (p) => [anyOf(CLASS_RESOURCE, p['classSourcedId']), ...more(p)],
  hideDeleted: true,
});

export const GRADEBOOK_BINDINGS: Readonly<Record<string, Binding>> = {
  getAllCategories: gradebookAll,
  getCategory: gradebookOne,
  getCategoriesForClass: inClass((p) => categoriesOfClass(p['classSourcedId'])),
  getAllLineItems: gradebookAll,
  getLineItem: gradebookOne,
  getLineItemsForClass: inClass((p) => lineItemsOfClass(p['classSourcedId'])),
  getAllResults: gradebookAll,
  getResult: gradebookOne,
  getResultsForClass: inClass((p) => resultsOfClass(p['classSourcedId'])),
  getResultsForLineItemForClass: inClass(
    (p) => resultsOfLineItem(p['lineItemSourcedId']),
    (p) => [
      {
        resource: LINE_ITEM_RESOURCE,
        sourcedId: p['lineItemSourcedId'],
        where: activeLineItemOfClass(p['classSourcedId']),
        label: 'lineItem',
      },
    ],
  ),
  getResultsForStudentForClass: inClass(
    (p) => resultsOfStudentInClass(p['studentSourcedId'], p['classSourcedId']),
    (p) => [withRole('student', p['studentSourcedId'])],
  ),
  // Score scales and assessments (new in 1.2): the same deleted-object rule.
  getAllScoreScales: gradebookAll,
  getScoreScale: gradebookOne,
  getScoreScalesForClass: inClass((p) =>
    scoreScalesOfClass(p['classSourcedId']),
  ),
  getScoreScalesForSchool: {
    where: (p) => scoreScalesOfSchool(p['schoolSourcedId']),
    parents: (p) => [school(p['schoolSourcedId'])],
    hideDeleted: true,
  },
  getAllAssessmentLineItems: gradebookAll,
  getAssessmentLineItem: gradebookOne,
  getAllAssessmentResults: gradebookAll,
  getAssessmentResult: gradebookOne,
};

export const RESOURCES_BINDINGS: Readonly<Record<string, Binding>> = {
  getAllResources: all,
  getResource: all,
  getResourcesForClass: {
    where: (p) => resourcesOfClass(p['classSourcedId']),
    parents: (p) => [anyOf(CLASS_RESOURCE, p['classSourcedId'])],
  },
  getResourcesForCourse: {
    where: (p) => resourcesOfCourse(p['courseSourcedId']),
    parents: (p) => [anyOf(COURSE_RESOURCE, p['courseSourcedId'])],
  },
  // 404 for a user the caller cannot see (another school's included), as getClassesForUser.
  getResourcesForUser: {
    where: (p) => resourcesOfUser(p['userSourcedId']),
    parents: (p) => [anyOf(USER_RESOURCE, p['userSourcedId'])],
  },
};

/** Every 1.2 read the platform serves, by operationId. */
export const V1P2_BINDINGS: Readonly<Record<string, Binding>> = {
  ...ROSTERING_BINDINGS,
  ...GRADEBOOK_BINDINGS,
  ...RESOURCES_BINDINGS,
};
