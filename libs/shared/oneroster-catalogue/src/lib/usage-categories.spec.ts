import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { V1P2_BASE_PATHS } from './model';
import { V1P2_ROUTES } from './routes-v1p2';
import {
  USAGE_CATEGORY_KEYS,
  USAGE_CATEGORY_LABELS,
  type UsageCategoryKey,
} from '@oneroster/contracts';
import { usageCategoryOf } from './usage-categories';

/** The 1.1 routes the API serves: its committed, drift-tested OpenAPI document. */
const v1p1Paths = (): string[] =>
  Object.keys(
    (
      JSON.parse(
        readFileSync(
          join(__dirname, '../../../../../apps/api/openapi.json'),
          'utf8',
        ),
      ) as { paths: Record<string, unknown> }
    ).paths,
  ).filter((p) => p.startsWith('/ims/oneroster/v1p1/'));

/** What a route's returned class allows (1.2 `returns`). */
const BY_CLASS: Record<string, readonly UsageCategoryKey[]> = {
  user: ['pupils', 'staff', 'people'],
  class: ['classes'],
  course: ['classes'],
  enrollment: ['enrolments'],
  demographics: ['demographics'],
  org: ['schools'],
  academicSession: ['schools'],
  lineItem: ['results'],
  result: ['results'],
  category: ['results'],
  scoreScale: ['results'],
  assessmentLineItem: ['results'],
  assessmentResult: ['results'],
  resource: ['resources'],
};

describe('usage categories of the route templates', () => {
  it('maps every OneRoster 1.1 route to a kind of data', () => {
    const paths = v1p1Paths();
    expect(paths.length).toBeGreaterThanOrEqual(56);
    const unmapped = paths.filter((p) => usageCategoryOf(p) === 'other');
    expect(unmapped).toEqual([]);
  });

  it('maps every OneRoster 1.2 route to the kind of the class it returns or writes', () => {
    expect(V1P2_ROUTES).toHaveLength(81);
    const wrong = V1P2_ROUTES.map((r) => {
      const route = `${V1P2_BASE_PATHS[r.service]}${r.path}`;
      const kind = r.returns ?? r.body ?? null;
      return { route, kind, category: usageCategoryOf(route) };
    }).filter(
      ({ kind, category }) =>
        category === 'other' ||
        (kind !== null && !BY_CLASS[kind]?.includes(category)),
    );
    expect(wrong).toEqual([]);
  });

  it('reads the last collection of a path, whatever its parameters are called', () => {
    expect(
      usageCategoryOf('/ims/oneroster/v1p1/classes/{classSourcedId}/students'),
    ).toBe('pupils');
    expect(usageCategoryOf('/ims/oneroster/v1p1/classes/{id}/teachers')).toBe(
      'staff',
    );
    expect(usageCategoryOf('/ims/oneroster/v1p1/users/{id}')).toBe('people');
    expect(
      usageCategoryOf(
        '/ims/oneroster/v1p1/schools/{a}/classes/{b}/enrollments',
      ),
    ).toBe('enrolments');
    expect(
      usageCategoryOf('/ims/oneroster/v1p1/classes/{a}/students/{b}/results'),
    ).toBe('results');
    expect(usageCategoryOf('/ims/oneroster/rostering/v1p2/demographics')).toBe(
      'demographics',
    );
    expect(usageCategoryOf('/platform/v1/gradebook/changes')).toBe('results');
  });

  it('answers other for paths outside OneRoster and unknown collections', () => {
    for (const route of [
      '/health',
      '/ims/oneroster/v1p1',
      '/ims/oneroster/v1p1/unknown',
      '/ims/oneroster/v1p10/classes',
      '/docs/classes',
      '',
    ])
      expect([route, usageCategoryOf(route)]).toEqual([route, 'other']);
  });

  it('has words for every kind', () => {
    for (const key of USAGE_CATEGORY_KEYS)
      expect(USAGE_CATEGORY_LABELS[key].length).toBeGreaterThan(3);
  });
});
