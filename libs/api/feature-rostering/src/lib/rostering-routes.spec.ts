import { ONEROSTER_BASE_PATH, counterpartScopes } from '@oneroster/contracts';
import { V1P2_ROUTES } from '@oneroster/oneroster-catalogue';
import { ROSTERING_ROUTES } from './rostering.controllers';

// The 1.1 rostering table against the 1.2 checklist: the same 41 operations, each on the
// same path with the same scopes (by their 1.2 counterparts).
const template = (controller: string, route: string) =>
  `${controller}/${route}`
    .slice(ONEROSTER_BASE_PATH.length)
    .replace(/\/$/, '')
    .replace(/:(\w+)/g, '{$1}');

const v1p1 = ROSTERING_ROUTES.flatMap((c) =>
  c.routes.map((r) => ({
    operationId: r.summary,
    path: 'path' in r ? template(c.path, r.path) : '',
    scopes: 'scopes' in r ? [...r.scopes].sort() : [],
  })),
);
const v1p2 = V1P2_ROUTES.filter((r) => r.service === 'rostering');

describe('ROSTERING_ROUTES', () => {
  it('has the 41 rostering operations of OneRoster, once each', () => {
    const ids = v1p1.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(41);
    expect([...ids].sort()).toEqual(v1p2.map((r) => r.operationId).sort());
  });

  it('puts each on the path and scopes the standard gives it', () => {
    for (const route of v1p2) {
      expect(v1p1.find((r) => r.operationId === route.operationId)).toEqual({
        operationId: route.operationId,
        path: route.path,
        scopes: [
          ...new Set(route.scopes.flatMap((s) => counterpartScopes(s))),
        ].sort(),
      });
    }
  });
});
