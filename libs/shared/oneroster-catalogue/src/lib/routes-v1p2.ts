import {
  ONEROSTER_V1P2_SCOPES as S,
  type OneRosterV1p2Scope,
} from '@oneroster/contracts';
import type { V1p2ClassKey, V1p2Service } from './model';

/*
 * Every endpoint of the three OneRoster 1.2 services, as the 1EdTech 1.2 OpenAPI 3 documents
 * (onerosterv1p2{rosters,gradebook,resources}service_openapi3_v1p0.json, `paths`) list them:
 * 41 rostering, 35 gradebook (of which 8 for assessments), 5 resources. A checklist for the
 * 1.2 routes (none of which is served yet): method, path under the service's base path,
 * operationId, the scopes any one of which grants it (the documents list them inside one
 * security requirement; 1.2 providers read them as alternatives), the response, the class
 * returned or written, and the query options allowed.
 */

export const V1P2_QUERY_OPTIONS = [
  'limit',
  'offset',
  'sort',
  'orderBy',
  'filter',
  'fields',
] as const;
export type V1p2QueryOption = (typeof V1P2_QUERY_OPTIONS)[number];

/**
 * - `collection`: 200, `{<collection>: [...]}`, X-Total-Count and Link headers;
 * - `single`: 200, `{<single>: {...}}`;
 * - `created`: PUT, 201 without a body;
 * - `noContent`: DELETE, 204;
 * - `sourcedIdPairs`: POST, 201 `{sourcedIdPairs: [{suppliedSourcedId, allocatedSourcedId}]}`
 *   (GUIDPairSetDType): the server allocates the sourcedIds.
 */
export type V1p2Response =
  'collection' | 'single' | 'created' | 'noContent' | 'sourcedIdPairs';

export type V1p2Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface V1p2Route {
  readonly service: V1p2Service;
  readonly method: V1p2Method;
  /** Path under the service's base path (V1P2_BASE_PATHS), with `{name}` parameters. */
  readonly path: string;
  readonly operationId: string;
  /** Any one of these grants the route. */
  readonly scopes: readonly OneRosterV1p2Scope[];
  readonly response: V1p2Response;
  /** The class of the objects returned (`null` for writes without a body of objects). */
  readonly returns: V1p2ClassKey | null;
  /** The class of the request body's objects (PUT: one; POST: a set). */
  readonly body?: V1p2ClassKey;
  readonly query: readonly V1p2QueryOption[];
}

const COLLECTION_QUERY = V1P2_QUERY_OPTIONS;
/** 1.2 allows `fields` on single GETs too. */
const SINGLE_QUERY = ['fields'] as const;
const NO_QUERY = [] as const;

const r = (
  service: V1p2Service,
  method: V1p2Method,
  path: string,
  operationId: string,
  scopes: readonly OneRosterV1p2Scope[],
  response: V1p2Response,
  returns: V1p2ClassKey | null,
  query: readonly V1p2QueryOption[],
  body?: V1p2ClassKey,
): V1p2Route =>
  body
    ? {
        service,
        method,
        path,
        operationId,
        scopes,
        response,
        returns,
        body,
        query,
      }
    : { service, method, path, operationId, scopes, response, returns, query };

// One line per endpoint, in the documents' order.
// prettier-ignore
export const V1P2_ROUTES: readonly V1p2Route[] = [
  // Rostering service (41).
  r('rostering', 'GET', '/academicSessions', 'getAllAcademicSessions', [S.roster, S.rosterCore], 'collection', 'academicSession', COLLECTION_QUERY),
  r('rostering', 'GET', '/academicSessions/{sourcedId}', 'getAcademicSession', [S.roster, S.rosterCore], 'single', 'academicSession', SINGLE_QUERY),
  r('rostering', 'GET', '/classes', 'getAllClasses', [S.roster, S.rosterCore], 'collection', 'class', COLLECTION_QUERY),
  r('rostering', 'GET', '/classes/{classSourcedId}/students', 'getStudentsForClass', [S.roster], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/classes/{classSourcedId}/teachers', 'getTeachersForClass', [S.roster], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/classes/{sourcedId}', 'getClass', [S.roster, S.rosterCore], 'single', 'class', SINGLE_QUERY),
  r('rostering', 'GET', '/courses', 'getAllCourses', [S.roster, S.rosterCore], 'collection', 'course', COLLECTION_QUERY),
  r('rostering', 'GET', '/courses/{courseSourcedId}/classes', 'getClassesForCourse', [S.roster], 'collection', 'class', COLLECTION_QUERY),
  r('rostering', 'GET', '/courses/{sourcedId}', 'getCourse', [S.roster, S.rosterCore], 'single', 'course', SINGLE_QUERY),
  r('rostering', 'GET', '/demographics', 'getAllDemographics', [S.rosterDemographics], 'collection', 'demographics', COLLECTION_QUERY),
  r('rostering', 'GET', '/demographics/{sourcedId}', 'getDemographics', [S.rosterDemographics], 'single', 'demographics', SINGLE_QUERY),
  r('rostering', 'GET', '/enrollments', 'getAllEnrollments', [S.roster, S.rosterCore], 'collection', 'enrollment', COLLECTION_QUERY),
  r('rostering', 'GET', '/enrollments/{sourcedId}', 'getEnrollment', [S.roster, S.rosterCore], 'single', 'enrollment', SINGLE_QUERY),
  r('rostering', 'GET', '/gradingPeriods', 'getAllGradingPeriods', [S.roster, S.rosterCore], 'collection', 'academicSession', COLLECTION_QUERY),
  r('rostering', 'GET', '/gradingPeriods/{sourcedId}', 'getGradingPeriod', [S.roster, S.rosterCore], 'single', 'academicSession', SINGLE_QUERY),
  r('rostering', 'GET', '/orgs', 'getAllOrgs', [S.roster, S.rosterCore], 'collection', 'org', COLLECTION_QUERY),
  r('rostering', 'GET', '/orgs/{sourcedId}', 'getOrg', [S.roster, S.rosterCore], 'single', 'org', SINGLE_QUERY),
  r('rostering', 'GET', '/schools', 'getAllSchools', [S.roster, S.rosterCore], 'collection', 'org', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/classes', 'getClassesForSchool', [S.roster], 'collection', 'class', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments', 'getEnrollmentsForClassInSchool', [S.roster], 'collection', 'enrollment', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/classes/{classSourcedId}/students', 'getStudentsForClassInSchool', [S.roster], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers', 'getTeachersForClassInSchool', [S.roster], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/courses', 'getCoursesForSchool', [S.roster], 'collection', 'course', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/enrollments', 'getEnrollmentsForSchool', [S.roster], 'collection', 'enrollment', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/students', 'getStudentsForSchool', [S.roster], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/teachers', 'getTeachersForSchool', [S.roster], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{schoolSourcedId}/terms', 'getTermsForSchool', [S.roster], 'collection', 'academicSession', COLLECTION_QUERY),
  r('rostering', 'GET', '/schools/{sourcedId}', 'getSchool', [S.roster, S.rosterCore], 'single', 'org', SINGLE_QUERY),
  r('rostering', 'GET', '/students', 'getAllStudents', [S.roster, S.rosterCore], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/students/{sourcedId}', 'getStudent', [S.roster, S.rosterCore], 'single', 'user', SINGLE_QUERY),
  r('rostering', 'GET', '/students/{studentSourcedId}/classes', 'getClassesForStudent', [S.roster], 'collection', 'class', COLLECTION_QUERY),
  r('rostering', 'GET', '/teachers', 'getAllTeachers', [S.roster, S.rosterCore], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/teachers/{sourcedId}', 'getTeacher', [S.roster, S.rosterCore], 'single', 'user', SINGLE_QUERY),
  r('rostering', 'GET', '/teachers/{teacherSourcedId}/classes', 'getClassesForTeacher', [S.roster], 'collection', 'class', COLLECTION_QUERY),
  r('rostering', 'GET', '/terms', 'getAllTerms', [S.roster, S.rosterCore], 'collection', 'academicSession', COLLECTION_QUERY),
  r('rostering', 'GET', '/terms/{sourcedId}', 'getTerm', [S.roster, S.rosterCore], 'single', 'academicSession', SINGLE_QUERY),
  r('rostering', 'GET', '/terms/{termSourcedId}/classes', 'getClassesForTerm', [S.roster], 'collection', 'class', COLLECTION_QUERY),
  r('rostering', 'GET', '/terms/{termSourcedId}/gradingPeriods', 'getGradingPeriodsForTerm', [S.roster], 'collection', 'academicSession', COLLECTION_QUERY),
  r('rostering', 'GET', '/users', 'getAllUsers', [S.roster, S.rosterCore], 'collection', 'user', COLLECTION_QUERY),
  r('rostering', 'GET', '/users/{sourcedId}', 'getUser', [S.roster, S.rosterCore], 'single', 'user', SINGLE_QUERY),
  r('rostering', 'GET', '/users/{userSourcedId}/classes', 'getClassesForUser', [S.roster], 'collection', 'class', COLLECTION_QUERY),
  // Gradebook service (35).
  r('gradebook', 'GET', '/assessmentLineItems', 'getAllAssessmentLineItems', [S.assessmentRead], 'collection', 'assessmentLineItem', COLLECTION_QUERY),
  r('gradebook', 'GET', '/assessmentLineItems/{sourcedId}', 'getAssessmentLineItem', [S.assessmentRead], 'single', 'assessmentLineItem', SINGLE_QUERY),
  r('gradebook', 'DELETE', '/assessmentLineItems/{sourcedId}', 'deleteAssessmentLineItem', [S.assessmentDelete], 'noContent', null, NO_QUERY),
  r('gradebook', 'PUT', '/assessmentLineItems/{sourcedId}', 'putAssessmentLineItem', [S.assessmentCreatePut], 'created', null, NO_QUERY, 'assessmentLineItem'),
  r('gradebook', 'GET', '/assessmentResults', 'getAllAssessmentResults', [S.assessmentRead], 'collection', 'assessmentResult', COLLECTION_QUERY),
  r('gradebook', 'GET', '/assessmentResults/{sourcedId}', 'getAssessmentResult', [S.assessmentRead], 'single', 'assessmentResult', SINGLE_QUERY),
  r('gradebook', 'DELETE', '/assessmentResults/{sourcedId}', 'deleteAssessmentResult', [S.assessmentDelete], 'noContent', null, NO_QUERY),
  r('gradebook', 'PUT', '/assessmentResults/{sourcedId}', 'putAssessmentResult', [S.assessmentCreatePut], 'created', null, NO_QUERY, 'assessmentResult'),
  r('gradebook', 'GET', '/categories', 'getAllCategories', [S.gradebookRead, S.gradebookCore], 'collection', 'category', COLLECTION_QUERY),
  r('gradebook', 'GET', '/categories/{sourcedId}', 'getCategory', [S.gradebookRead, S.gradebookCore], 'single', 'category', SINGLE_QUERY),
  r('gradebook', 'DELETE', '/categories/{sourcedId}', 'deleteCategory', [S.gradebookDelete], 'noContent', null, NO_QUERY),
  r('gradebook', 'PUT', '/categories/{sourcedId}', 'putCategory', [S.gradebookCreatePut], 'created', null, NO_QUERY, 'category'),
  r('gradebook', 'POST', '/classes/{classSourcedId}/academicSessions/{academicSessionSourcedId}/results', 'postResultsForAcademicSessionForClass', [S.gradebookCreatePost], 'sourcedIdPairs', null, NO_QUERY, 'result'),
  r('gradebook', 'GET', '/classes/{classSourcedId}/categories', 'getCategoriesForClass', [S.gradebookRead], 'collection', 'category', COLLECTION_QUERY),
  r('gradebook', 'GET', '/classes/{classSourcedId}/lineItems', 'getLineItemsForClass', [S.gradebookRead], 'collection', 'lineItem', COLLECTION_QUERY),
  r('gradebook', 'POST', '/classes/{classSourcedId}/lineItems', 'postLineItemsForClass', [S.gradebookCreatePost], 'sourcedIdPairs', null, NO_QUERY, 'lineItem'),
  r('gradebook', 'GET', '/classes/{classSourcedId}/lineItems/{lineItemSourcedId}/results', 'getResultsForLineItemForClass', [S.gradebookRead], 'collection', 'result', COLLECTION_QUERY),
  r('gradebook', 'GET', '/classes/{classSourcedId}/results', 'getResultsForClass', [S.gradebookRead], 'collection', 'result', COLLECTION_QUERY),
  r('gradebook', 'GET', '/classes/{classSourcedId}/scoreScales', 'getScoreScalesForClass', [S.gradebookRead], 'collection', 'scoreScale', COLLECTION_QUERY),
  r('gradebook', 'GET', '/classes/{classSourcedId}/students/{studentSourcedId}/results', 'getResultsForStudentForClass', [S.gradebookRead], 'collection', 'result', COLLECTION_QUERY),
  r('gradebook', 'GET', '/lineItems', 'getAllLineItems', [S.gradebookRead, S.gradebookCore], 'collection', 'lineItem', COLLECTION_QUERY),
  r('gradebook', 'POST', '/lineItems/{lineItemSourcedId}/results', 'postResultsForLineItem', [S.gradebookCreatePost], 'sourcedIdPairs', null, NO_QUERY, 'result'),
  r('gradebook', 'GET', '/lineItems/{sourcedId}', 'getLineItem', [S.gradebookRead, S.gradebookCore], 'single', 'lineItem', SINGLE_QUERY),
  r('gradebook', 'DELETE', '/lineItems/{sourcedId}', 'deleteLineItem', [S.gradebookDelete], 'noContent', null, NO_QUERY),
  r('gradebook', 'PUT', '/lineItems/{sourcedId}', 'putLineItem', [S.gradebookCreatePut], 'created', null, NO_QUERY, 'lineItem'),
  r('gradebook', 'GET', '/results', 'getAllResults', [S.gradebookRead, S.gradebookCore], 'collection', 'result', COLLECTION_QUERY),
  r('gradebook', 'GET', '/results/{sourcedId}', 'getResult', [S.gradebookRead, S.gradebookCore], 'single', 'result', SINGLE_QUERY),
  r('gradebook', 'DELETE', '/results/{sourcedId}', 'deleteResult', [S.gradebookDelete], 'noContent', null, NO_QUERY),
  r('gradebook', 'PUT', '/results/{sourcedId}', 'putResult', [S.gradebookCreatePut], 'created', null, NO_QUERY, 'result'),
  r('gradebook', 'POST', '/schools/{schoolSourcedId}/lineItems', 'postLineItemsForSchool', [S.gradebookCreatePost], 'sourcedIdPairs', null, NO_QUERY, 'lineItem'),
  r('gradebook', 'GET', '/schools/{schoolSourcedId}/scoreScales', 'getScoreScalesForSchool', [S.gradebookRead], 'collection', 'scoreScale', COLLECTION_QUERY),
  r('gradebook', 'GET', '/scoreScales', 'getAllScoreScales', [S.gradebookRead, S.gradebookCore], 'collection', 'scoreScale', COLLECTION_QUERY),
  r('gradebook', 'GET', '/scoreScales/{sourcedId}', 'getScoreScale', [S.gradebookRead, S.gradebookCore], 'single', 'scoreScale', SINGLE_QUERY),
  r('gradebook', 'DELETE', '/scoreScales/{sourcedId}', 'deleteScoreScale', [S.gradebookDelete], 'noContent', null, NO_QUERY),
  r('gradebook', 'PUT', '/scoreScales/{sourcedId}', 'putScoreScale', [S.gradebookCreatePut], 'created', null, NO_QUERY, 'scoreScale'),
  // Resources service (5).
  r('resources', 'GET', '/classes/{classSourcedId}/resources', 'getResourcesForClass', [S.resource], 'collection', 'resource', COLLECTION_QUERY),
  r('resources', 'GET', '/courses/{courseSourcedId}/resources', 'getResourcesForCourse', [S.resource], 'collection', 'resource', COLLECTION_QUERY),
  r('resources', 'GET', '/resources', 'getAllResources', [S.resource, S.resourceCore], 'collection', 'resource', COLLECTION_QUERY),
  r('resources', 'GET', '/resources/{sourcedId}', 'getResource', [S.resource, S.resourceCore], 'single', 'resource', SINGLE_QUERY),
  r('resources', 'GET', '/users/{userSourcedId}/resources', 'getResourcesForUser', [S.resource], 'collection', 'resource', COLLECTION_QUERY),
];

/**
 * The collections that list a subset of a class (the 1.2 rostering binding's "students",
 * "teachers", "schools", "terms", "gradingPeriods"): which objects they hold. Users count as
 * students or teachers when any of their roles has that role.
 */
export const V1P2_SUBSET_COLLECTIONS = {
  students: { of: 'user', field: 'roles.role', value: 'student' },
  teachers: { of: 'user', field: 'roles.role', value: 'teacher' },
  schools: { of: 'org', field: 'type', value: 'school' },
  terms: { of: 'academicSession', field: 'type', value: 'term' },
  gradingPeriods: {
    of: 'academicSession',
    field: 'type',
    value: 'gradingPeriod',
  },
} as const satisfies Record<
  string,
  { of: V1p2ClassKey; field: string; value: string }
>;
