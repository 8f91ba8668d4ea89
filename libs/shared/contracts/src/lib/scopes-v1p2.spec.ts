import { ALL_ONEROSTER_SCOPES, ONEROSTER_SCOPES } from './scopes';
import {
  ALL_ONEROSTER_V1P2_SCOPES,
  DATA_CATEGORIES,
  DATA_CATEGORY_KEYS,
  ONEROSTER_V1P2_SCOPES,
  counterpartScopes,
  dataCategoryOf,
  isOneRosterV1p2Scope,
  scopesOfCategories,
} from './scopes-v1p2';

describe('OneRoster 1.2 scopes and data categories', () => {
  it('lists the thirteen 1.2 scopes, distinct, under the v1p2 prefix', () => {
    expect(ALL_ONEROSTER_V1P2_SCOPES).toHaveLength(13);
    expect(new Set(ALL_ONEROSTER_V1P2_SCOPES).size).toBe(13);
    for (const s of ALL_ONEROSTER_V1P2_SCOPES)
      expect(s).toMatch(
        /^https:\/\/purl\.imsglobal\.org\/spec\/or\/v1p2\/scope\/[a-z-]+\.(readonly|createput|createpost|delete)$/,
      );
    expect(
      isOneRosterV1p2Scope(
        'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly',
      ),
    ).toBe(true);
    expect(
      isOneRosterV1p2Scope(
        'https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly',
      ),
    ).toBe(false);
  });

  it('puts every 1.1 scope and every 1.2 scope in exactly one category', () => {
    for (const s of [...ALL_ONEROSTER_SCOPES, ...ALL_ONEROSTER_V1P2_SCOPES]) {
      const owners = DATA_CATEGORY_KEYS.filter((k) =>
        (
          [...DATA_CATEGORIES[k].v1p1, ...DATA_CATEGORIES[k].v1p2] as string[]
        ).includes(s),
      );
      expect([s, owners.length]).toEqual([s, 1]);
      expect(dataCategoryOf(s)).toBe(owners[0]);
    }
  });

  it('keeps 1.1 scopes on the 1.1 side and 1.2 scopes on the 1.2 side, and nothing else', () => {
    for (const k of DATA_CATEGORY_KEYS) {
      const c = DATA_CATEGORIES[k];
      expect(c.key).toBe(k);
      for (const s of c.v1p1) expect(ALL_ONEROSTER_SCOPES).toContain(s);
      for (const s of c.v1p2) expect(ALL_ONEROSTER_V1P2_SCOPES).toContain(s);
      expect(c.v1p1.length + c.v1p2.length).toBeGreaterThan(0);
      expect(c.label.length).toBeGreaterThan(5);
    }
    expect(
      dataCategoryOf('urn:oneroster-exchange:scope:gradebook-changes.readonly'),
    ).toBe(undefined);
  });

  it('covers both versions with one approval: the same data, the same category', () => {
    const pairs: Array<[string, string]> = [
      ['roster-core.readonly', 'roster-core.readonly'],
      ['roster.readonly', 'roster.readonly'],
      ['roster-demographics.readonly', 'roster-demographics.readonly'],
      ['gradebook.readonly', 'gradebook.readonly'],
      ['gradebook.createput', 'gradebook.createput'],
      ['gradebook.delete', 'gradebook.delete'],
      ['resource.readonly', 'resource.readonly'],
    ];
    for (const [a, b] of pairs)
      expect(
        dataCategoryOf(`https://purl.imsglobal.org/spec/or/v1p1/scope/${a}`),
      ).toBe(
        dataCategoryOf(`https://purl.imsglobal.org/spec/or/v1p2/scope/${b}`),
      );
    expect(scopesOfCategories(['demographics'])).toEqual([
      'https://purl.imsglobal.org/spec/or/v1p1/scope/roster-demographics.readonly',
      'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly',
    ]);
  });

  it('gives each scope its counterpart of the same category and name in the other version', () => {
    const V11 = ONEROSTER_SCOPES;
    const V12 = ONEROSTER_V1P2_SCOPES;
    expect(counterpartScopes(V12.roster)).toEqual([V11.roster]);
    expect(counterpartScopes(V12.rosterCore)).toEqual([V11.rosterCore]);
    expect(counterpartScopes(V11.roster)).toEqual([V12.roster]);
    expect(counterpartScopes(V12.rosterDemographics)).toEqual([
      V11.rosterDemographics,
    ]);
    // No 1.1 scope of that name: every 1.1 scope of the category.
    expect(counterpartScopes(V12.gradebookCore)).toEqual([V11.gradebookRead]);
    expect(counterpartScopes(V12.gradebookCreatePost)).toEqual([
      V11.gradebookCreatePut,
    ]);
    expect(counterpartScopes(V12.assessmentRead)).toEqual([]);
    expect(counterpartScopes('openid')).toEqual([]);
    // Always in the same category, never in the same version.
    for (const s of [...ALL_ONEROSTER_SCOPES, ...ALL_ONEROSTER_V1P2_SCOPES])
      for (const c of counterpartScopes(s)) {
        expect([s, dataCategoryOf(c)]).toEqual([s, dataCategoryOf(s)]);
        expect([s, isOneRosterV1p2Scope(c)]).toEqual([
          s,
          !isOneRosterV1p2Scope(s),
        ]);
      }
  });
});
