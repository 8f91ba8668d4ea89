import {
  ALL_ONEROSTER_SCOPES,
  SCOPE_DESCRIPTIONS,
  isOneRosterScope,
} from './scopes';

describe('OneRoster scopes', () => {
  it('lists the seven 1.1 scopes, each with a description for schools', () => {
    expect(ALL_ONEROSTER_SCOPES).toHaveLength(7);
    for (const scope of ALL_ONEROSTER_SCOPES) {
      expect(
        scope.startsWith('https://purl.imsglobal.org/spec/or/v1p1/scope/'),
      ).toBe(true);
      expect(SCOPE_DESCRIPTIONS[scope].length).toBeGreaterThan(10);
    }
  });

  it('recognises only known scope URIs', () => {
    expect(
      isOneRosterScope(
        'https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly',
      ),
    ).toBe(true);
    expect(isOneRosterScope('roster.readonly')).toBe(false);
  });
});
