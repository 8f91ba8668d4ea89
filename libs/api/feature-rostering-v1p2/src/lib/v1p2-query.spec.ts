import {
  ENROLLMENT_RESOURCE,
  USER_V1P2_RESOURCE,
} from '@oneroster/data-access-oneroster';
import { V1P2_ROUTES } from '@oneroster/oneroster-catalogue';
import { ROSTERING_BINDINGS } from './bindings';
import { acceptedScopes } from './rostering-v1p2.controllers';
import { checkV1p2Fields, checkV1p2Query, v1p2QueryRules } from './v1p2-query';

const users = v1p2QueryRules('user', USER_V1P2_RESOURCE);
const enrollments = v1p2QueryRules('enrollment', ENROLLMENT_RESOURCE);
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { codeMinor?: string }).codeMinor;
  }
  return 'accepted';
};

describe('OneRoster 1.2 query rules', () => {
  it('reads 1.2 filter names and values as the 1.1 ones the reader filters by; keeps the nested user filters for their own SQL', () => {
    const q = checkV1p2Query(
      {
        filter:
          "roles.role='siteAdministrator' AND enabledUser='true' OR roles.org.sourcedId='s1'",
      },
      users,
    );
    expect(q.query.filter).toEqual({
      kind: 'or',
      operands: [
        {
          kind: 'and',
          operands: [
            {
              kind: 'clause',
              field: 'roles.role',
              predicate: '=',
              value: 'siteAdministrator',
            },
            {
              kind: 'clause',
              field: 'enabledUser',
              predicate: '=',
              value: 'true',
            },
          ],
        },
        {
          kind: 'clause',
          field: 'roles.org.sourcedId',
          predicate: '=',
          value: 's1',
        },
      ],
    });
    // The Link header repeats the filter as written.
    expect(q.paging.filter).toMatchObject({ kind: 'or' });
    expect(
      checkV1p2Query({ filter: "role='ext:aide'" }, enrollments).query.filter,
    ).toMatchObject({ field: 'role', value: 'aide' });
    for (const filter of [
      "roles.roleType='secondary'",
      "roles.role~'admin'",
      "roles.org.sourcedId!='x'",
      "primaryOrg.sourcedId='x'",
      "pronouns='they'",
    ])
      expect([filter, codeOf(() => checkV1p2Query({ filter }, users))]).toEqual(
        [filter, 'accepted'],
      );
  });

  it('refuses unknown, 1.1-only and unstored filter fields with invalid_filter_field', () => {
    for (const filter of [
      "role='teacher'",
      "orgs.sourcedId='x'",
      "nope='x'",
      "roles.nope='x'",
      "roles.beginDate='2026-01-01'",
      "roles.userProfile='x'",
      "roles='x'",
      "primaryOrg='x'",
      "userProfiles.profileType='x'",
    ])
      expect([filter, codeOf(() => checkV1p2Query({ filter }, users))]).toEqual(
        [filter, 'invalid_filter_field'],
      );
    expect(codeOf(() => checkV1p2Query({ sort: 'roles.role' }, users))).toBe(
      'invaliddata',
    );
  });

  it('refuses unknown and blank fields with invalid_selection_field, accepts every 1.2 name', () => {
    expect(
      codeOf(() => checkV1p2Fields({ fields: 'sourcedId,role' }, users)),
    ).toBe('invalid_selection_field');
    expect(codeOf(() => checkV1p2Fields({ fields: ' , ' }, users))).toBe(
      'invalid_selection_field',
    );
    expect(
      checkV1p2Fields({ fields: 'sourcedId,roles,pronouns' }, users),
    ).toEqual(['sourcedId', 'roles', 'pronouns']);
    expect(checkV1p2Query({ fields: 'roles' }, users).query.fields).toBeNull();
  });

  it('refuses a sort field it cannot sort by with invaliddata, keeps the 1.1 limit rules', () => {
    expect(codeOf(() => checkV1p2Query({ sort: 'roles' }, users))).toBe(
      'invaliddata',
    );
    expect(codeOf(() => checkV1p2Query({ limit: '0' }, users))).toBe(
      'invaliddata',
    );
    expect(
      checkV1p2Query({ sort: 'familyName', limit: '20000' }, users).query,
    ).toMatchObject({ sort: 'familyName', limit: 10_000 });
  });

  it('binds every rostering endpoint of the checklist, accepting its scopes and their 1.1 counterparts', () => {
    const rostering = V1P2_ROUTES.filter((r) => r.service === 'rostering');
    expect(rostering.map((r) => r.operationId).sort()).toEqual(
      Object.keys(ROSTERING_BINDINGS).sort(),
    );
    for (const r of rostering) {
      const scopes = acceptedScopes(r);
      expect(scopes.slice(0, r.scopes.length)).toEqual([...r.scopes]);
      expect(scopes.length).toBe(r.scopes.length * 2);
      expect(
        scopes.slice(r.scopes.length).every((s) => s.includes('/v1p1/')),
      ).toBe(true);
    }
  });
});
