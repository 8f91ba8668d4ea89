import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  ONEROSTER_SCOPES as V11,
  ONEROSTER_V1P2_SCOPES as V12,
  PLATFORM_SCOPES,
} from '@oneroster/contracts';
import { approvedCategories, grantedScopes } from './category-scopes';

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('grantedScopes (what an approval grants at the token endpoint)', () => {
  it('grants nothing for an approval that lists nothing (revoked, declined, pending)', () => {
    expect(grantedScopes([])).toEqual([]);
    expect(approvedCategories([])).toEqual([]);
  });

  it('keeps the 1.1 scopes as stored and adds their 1.2 counterparts', () => {
    expect(sorted(grantedScopes([V11.rosterCore]))).toEqual(
      sorted([V11.rosterCore, V12.rosterCore]),
    );
    expect(sorted(grantedScopes([V11.roster]))).toEqual(
      sorted([V11.roster, V12.roster]),
    );
    expect(sorted(grantedScopes([V11.gradebookRead]))).toEqual(
      sorted([V11.gradebookRead, V12.gradebookCore, V12.gradebookRead]),
    );
    expect(sorted(grantedScopes([V11.gradebookCreatePut]))).toEqual(
      sorted([
        V11.gradebookCreatePut,
        V12.gradebookCreatePut,
        V12.gradebookCreatePost,
      ]),
    );
    expect(sorted(grantedScopes([V11.resource]))).toEqual(
      sorted([V11.resource, V12.resourceCore, V12.resource]),
    );
  });

  it('never widens the 1.1 scopes of an existing approval, nor the core/full distinction', () => {
    const granted = grantedScopes([V11.rosterCore, V11.rosterDemographics]);
    expect(granted.filter((s) => s.includes('/v1p1/'))).toEqual([
      V11.rosterCore,
      V11.rosterDemographics,
    ]);
    expect(granted).not.toContain(V11.roster);
    expect(granted).not.toContain(V12.roster);
    expect(granted).not.toContain(V12.gradebookRead);
  });

  it('grants every 1.1 and 1.2 scope for an approval of every 1.1 scope, except the assessments', () => {
    expect(sorted(grantedScopes(ALL_ONEROSTER_SCOPES))).toEqual(
      sorted([
        ...ALL_ONEROSTER_SCOPES,
        ...ALL_ONEROSTER_V1P2_SCOPES.filter((s) => !s.includes('/assessment.')),
      ]),
    );
  });

  it('grants the 1.1 counterparts of scopes approved in 1.2 terms', () => {
    expect(sorted(grantedScopes([V12.roster]))).toEqual(
      sorted([V11.roster, V12.roster]),
    );
    // A core scope does not stand for the full read of either version.
    expect(grantedScopes([V12.gradebookCore])).toEqual([V12.gradebookCore]);
    // Assessments have no 1.1 scope: the 1.2 ones alone.
    expect(grantedScopes([V12.assessmentRead])).toEqual([V12.assessmentRead]);
  });

  it('keeps platform scopes as listed and adds nothing for unknown strings', () => {
    expect(grantedScopes([PLATFORM_SCOPES.gradebookChanges, 'x'])).toEqual([
      PLATFORM_SCOPES.gradebookChanges,
      'x',
    ]);
  });

  it('names the approved categories in their order', () => {
    expect(
      approvedCategories([V11.resource, V12.assessmentDelete, V11.rosterCore]),
    ).toEqual(['rosters', 'assessmentsDelete', 'resources']);
  });
});
