import type { UsageCategoryKey } from '@oneroster/contracts';
import { V1P2_BASE_PATHS } from './model';

/*
 * A route belongs to the kind of data (USAGE_CATEGORY_KEYS of the contracts) of the objects
 * it returns, the last collection of its path (`/classes/{id}/students` reads pupils,
 * `/schools/{id}/classes` reads classes), the same way in OneRoster 1.1
 * (`/ims/oneroster/v1p1`) and 1.2 (the three service base paths): the 1.1 REST binding
 * (§4) and the 1.2 Rostering, Gradebook and Resources service bindings name each endpoint
 * after the collection it answers with.
 */

/**
 * The one table: each collection a OneRoster 1.1 or 1.2 route ends in → its kind of data.
 * `users` lists everyone (pupils, staff, guardians); `students` and `teachers` are the
 * role-filtered collections. The platform's gradebook change feed (`changes`) reports
 * changes to line items and results.
 */
export const USAGE_COLLECTION_CATEGORIES: Readonly<
  Record<string, UsageCategoryKey>
> = {
  students: 'pupils',
  teachers: 'staff',
  users: 'people',
  agents: 'people',
  classes: 'classes',
  courses: 'classes',
  enrollments: 'enrolments',
  demographics: 'demographics',
  results: 'results',
  lineItems: 'results',
  categories: 'results',
  scoreScales: 'results',
  assessmentLineItems: 'results',
  assessmentResults: 'results',
  changes: 'results',
  orgs: 'schools',
  schools: 'schools',
  academicSessions: 'schools',
  terms: 'schools',
  gradingPeriods: 'schools',
  resources: 'resources',
};

const BASE_PATHS = [
  '/ims/oneroster/v1p1',
  ...Object.values(V1P2_BASE_PATHS),
  '/platform/v1/gradebook',
];

/**
 * The kind of data a route template (as the API records it, `/ims/oneroster/v1p1/classes/{id}`)
 * reads; `other` for a path under no OneRoster base path or ending in no known collection.
 */
export function usageCategoryOf(route: string): UsageCategoryKey {
  const base = BASE_PATHS.find((b) => route === b || route.startsWith(`${b}/`));
  if (base === undefined) return 'other';
  const collections = route
    .slice(base.length)
    .split('/')
    .filter((segment) => segment !== '' && !segment.startsWith('{'));
  const last = collections[collections.length - 1];
  return (last !== undefined && USAGE_COLLECTION_CATEGORIES[last]) || 'other';
}
