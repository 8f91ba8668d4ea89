import { ONEROSTER_BASE_PATH, counterpartScopes } from '@oneroster/contracts';
import { V1P2_ROUTES } from '@oneroster/oneroster-catalogue';
import { GRADEBOOK_ROUTES } from './gradebook.controllers';

// The 1.1 gradebook and resources table against the 1.2 checklist: each 1.1 operation is
// the 1.2 operation of that name, on the same path and method, its read scopes among the
// counterparts of the 1.2 route's.
const template = (controller: string, route: string) =>
  `${controller}/${route}`
    .slice(ONEROSTER_BASE_PATH.length)
    .replace(/\/$/, '')
    .replace(/:(\w+)/g, '{$1}');

const METHODS = {
  collection: 'GET',
  single: 'GET',
  put: 'PUT',
  delete: 'DELETE',
} as const;

const v1p1 = GRADEBOOK_ROUTES.flatMap((c) =>
  c.routes.map((r) => ({
    operationId: r.summary,
    method: METHODS[r.kind],
    path: template(c.path, 'path' in r ? r.path : ':sourcedId'),
    scopes: 'scopes' in r ? r.scopes : [],
  })),
);

describe('GRADEBOOK_ROUTES', () => {
  it('has the 16 gradebook, 4 resources operations and getCategoriesForClass, once each', () => {
    expect(new Set(v1p1.map((r) => r.operationId)).size).toBe(21);
  });

  it('puts each on the path, method and scopes of the 1.2 operation of its name', () => {
    for (const route of v1p1) {
      const standard = V1P2_ROUTES.find(
        (r) => r.operationId === route.operationId && r.service !== 'rostering',
      );
      expect(
        standard && { method: standard.method, path: standard.path },
      ).toEqual({
        method: route.method,
        path: route.path,
      });
      const accepted = standard?.scopes.flatMap((s) => counterpartScopes(s));
      for (const scope of route.scopes) expect(accepted).toContain(scope);
    }
  });
});
