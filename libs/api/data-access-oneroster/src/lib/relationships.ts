import { Condition, columnEquals, linkedThrough } from './reader';
import { T } from './sql';

/*
 * What the OneRoster routes read, by name: each intent is the list of conditions (ANDed) a
 * collection, single or parent check of that kind needs. Subtypes (schools, terms, grading
 * periods, students, teachers) are the base type with its discriminator; relationship
 * routes (digest §2.1, §2.3) follow the link tables. Values are always bound parameters.
 */
export type Intent = Condition[];
export type EnrolledRole = 'student' | 'teacher';

const isSchool = columnEquals('type', 'school');
const isTerm = columnEquals('type', 'term');
const isGradingPeriod = columnEquals('type', 'gradingPeriod');
const hasRole = (role: EnrolledRole) => columnEquals('role', role);
const active = columnEquals('status', 'active');

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

/** Every record of the resource the caller's schools hold. */
export const everything = (): Intent => [];

// Orgs and academic sessions.
export const visibleOrgs = (): Intent => [visibleOrg];
export const visibleSchools = (): Intent => [isSchool, visibleOrg];
export const terms = (): Intent => [isTerm];
export const gradingPeriods = (): Intent => [isGradingPeriod];
export const gradingPeriodsOfTerm = (termId: string): Intent => [
  isGradingPeriod,
  columnEquals('parent_sourced_id', termId),
];

/** Terms used by the active classes of a school (AcademicSession has no org link in 1.1). */
export const termsOfSchool = (schoolId: string): Intent => [
  isTerm,
  (q) => ({
    text: `EXISTS (SELECT 1 FROM ${q('class_terms')} ct JOIN ${q('classes')} c ON c.${q('school_id')} = ct.${q('school_id')} AND c.${q('sourced_id')} = ct.${q('class_sourced_id')} WHERE ct.${q('school_id')} = ${T}.${q('school_id')} AND ct.${q('term_sourced_id')} = ${T}.${q('sourced_id')} AND c.${q('school_sourced_id')} = ? AND c.${q('status')} = 'active')`,
    params: [schoolId],
  }),
];

// Courses.
export const COURSES_OF_SCHOOL_RULE =
  "The courses whose org is the school, plus the courses the school's active classes use (e.g. a district's catalogue courses).";

/**
 * Courses of a school: those whose org is the school, plus those its active classes use. A
 * district or trust often keeps one course catalogue on the district org; its schools'
 * classes still point at those courses, and a consumer reading /schools/{id}/courses expects
 * to find them.
 */
export const coursesOfSchool = (schoolId: string): Intent => [
  (q) => {
    const usedByItsClasses = linkedThrough('classes', 'course_sourced_id', {
      school_sourced_id: schoolId,
    })(q);
    return {
      text: `(${T}.${q('org_sourced_id')} = ? OR ${usedByItsClasses.text})`,
      params: [schoolId, ...usedByItsClasses.params],
    };
  },
];

// Classes.
export const classesOfTerm = (termId: string): Intent => [
  linkedThrough(
    'class_terms',
    'class_sourced_id',
    { term_sourced_id: termId },
    { activeOnly: false },
  ),
];
export const classesOfCourse = (courseId: string): Intent => [
  columnEquals('course_sourced_id', courseId),
];
export const classesOfSchool = (schoolId: string): Intent => [
  columnEquals('school_sourced_id', schoolId),
];
/** Classes the user is enrolled in (with that role, if given). */
export const classesOfUser = (userId: string, role?: EnrolledRole): Intent => [
  linkedThrough('enrollments', 'class_sourced_id', {
    user_sourced_id: userId,
    ...(role ? { role } : {}),
  }),
];

// Users.
export const usersWithRole = (role: EnrolledRole): Intent => [hasRole(role)];
/** Users enrolled in a class with a role (optionally only through enrolments at one school). */
export const usersOfClass = (
  classId: string,
  role: EnrolledRole,
  schoolId?: string,
): Intent => [
  linkedThrough('enrollments', 'user_sourced_id', {
    class_sourced_id: classId,
    role,
    ...(schoolId ? { school_sourced_id: schoolId } : {}),
  }),
];
export const studentsOfClass = (classId: string, schoolId?: string): Intent =>
  usersOfClass(classId, 'student', schoolId);
export const teachersOfClass = (classId: string, schoolId?: string): Intent =>
  usersOfClass(classId, 'teacher', schoolId);
/** Users with the role belonging to the org (user.orgs). */
export const usersOfSchool = (schoolId: string, role: EnrolledRole): Intent => [
  hasRole(role),
  linkedThrough(
    'user_orgs',
    'user_sourced_id',
    { org_sourced_id: schoolId },
    { activeOnly: false },
  ),
];

// Enrollments.
export const enrollmentsOfSchool = (schoolId: string): Intent => [
  columnEquals('school_sourced_id', schoolId),
];
export const enrollmentsOfClassInSchool = (
  classId: string,
  schoolId: string,
): Intent => [
  columnEquals('class_sourced_id', classId),
  columnEquals('school_sourced_id', schoolId),
];

// Gradebook: a deleted object answers 404 (collections hide it unless a delta query asks).
export const activeObjects = (): Intent => [active];
export const lineItemsOfClass = (classId: string): Intent => [
  columnEquals('class_sourced_id', classId),
];
export const activeLineItemOfClass = (classId: string): Intent => [
  active,
  columnEquals('class_sourced_id', classId),
];
/** Results whose line item belongs to the class. */
const resultOfClass = (classId: string): Condition =>
  linkedThrough(
    'line_items',
    'sourced_id',
    { class_sourced_id: classId },
    { outerColumn: 'line_item_sourced_id', activeOnly: false },
  );
export const resultsOfClass = (classId: string): Intent => [
  resultOfClass(classId),
];
export const resultsOfLineItem = (lineItemId: string): Intent => [
  columnEquals('line_item_sourced_id', lineItemId),
];
export const resultsOfStudentInClass = (
  studentId: string,
  classId: string,
): Intent => [
  columnEquals('student_sourced_id', studentId),
  resultOfClass(classId),
];

export const CATEGORIES_OF_CLASS_RULE =
  "Extension (OneRoster 1.2's getCategoriesForClass, served on 1.1). A 1.1 category belongs to no class, so this answers the categories used by the class's active line items, plus the categories of the class's school that no active line item of any class uses. 404 for an unknown class.";

/**
 * The categories of a class (OneRoster 1.2's `getCategoriesForClass`, which 1.1 lacks:
 * Google Classroom calls it against 1.1 providers too). A 1.1 category has no class, so:
 * the categories the class's active line items use, plus the categories of the class's
 * school that no active line item of any class uses (available to every class, e.g. one
 * just created). A category another class's line items use is that class's, not this one's.
 */
export const categoriesOfClass = (classId: string): Intent => [
  (q) => {
    const usedHere = linkedThrough('line_items', 'category_sourced_id', {
      class_sourced_id: classId,
    })(q);
    const usedAnywhere = linkedThrough(
      'line_items',
      'category_sourced_id',
      {},
    )(q);
    const sameSchool = `EXISTS (SELECT 1 FROM ${q('classes')} c WHERE c.${q('school_id')} = ${T}.${q('school_id')} AND c.${q('sourced_id')} = ?)`;
    return {
      text: `(${usedHere.text} OR (${sameSchool} AND NOT ${usedAnywhere.text}))`,
      params: [...usedHere.params, classId, ...usedAnywhere.params],
    };
  },
];

// Resources.
export const resourcesOfClass = (classId: string): Intent => [
  linkedThrough('class_resources', 'resource_sourced_id', {
    class_sourced_id: classId,
  }),
];
export const resourcesOfCourse = (courseId: string): Intent => [
  linkedThrough('course_resources', 'resource_sourced_id', {
    course_sourced_id: courseId,
  }),
];
/**
 * The resources assigned to a user (OneRoster 1.2 resources service, getResourcesForUser):
 * the active links of user_resources (1.2 CSV binding, userResources.csv) naming the user.
 */
export const resourcesOfUser = (userId: string): Intent => [
  linkedThrough('user_resources', 'resource_sourced_id', {
    user_sourced_id: userId,
  }),
];

// OneRoster 1.2 score scales (gradebook service: getScoreScalesForClass, …ForSchool).
export const scoreScalesOfClass = (classId: string): Intent => [
  columnEquals('class_sourced_id', classId),
];
/** A 1.2 ScoreScale names a class (required) and no school: a school's are its classes'. */
export const scoreScalesOfSchool = (schoolId: string): Intent => [
  linkedThrough(
    'classes',
    'sourced_id',
    { school_sourced_id: schoolId },
    { outerColumn: 'class_sourced_id', activeOnly: false },
  ),
];
