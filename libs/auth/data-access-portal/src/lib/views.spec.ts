import {
  DATA_CATEGORIES,
  ONEROSTER_SCOPES as V11,
  ONEROSTER_V1P2_SCOPES as V12,
  PLATFORM_SCOPES,
} from '@oneroster/contracts';
import { categoryViews, scopeView } from './views';

describe('categoryViews (what the portal shows of requested or approved scopes)', () => {
  it('groups the scopes by data category with their 1.1 and 1.2 scopes, in category order', () => {
    expect(
      categoryViews([
        V11.gradebookRead,
        V11.rosterCore,
        PLATFORM_SCOPES.gradebookChanges,
      ]),
    ).toEqual([
      {
        key: 'rosters',
        label: DATA_CATEGORIES.rosters.label,
        description: DATA_CATEGORIES.rosters.description,
        scopes: [V11.rosterCore],
        v1p1Scopes: [V11.rosterCore],
        v1p2Scopes: [V12.rosterCore],
      },
      {
        key: 'gradebookRead',
        label: DATA_CATEGORIES.gradebookRead.label,
        description: DATA_CATEGORIES.gradebookRead.description,
        scopes: [V11.gradebookRead],
        v1p1Scopes: [V11.gradebookRead],
        v1p2Scopes: [V12.gradebookCore, V12.gradebookRead],
      },
    ]);
  });

  it('shows a category listed in 1.2 terms with its 1.1 counterparts, and none for assessments', () => {
    expect(categoryViews([V12.resource, V12.assessmentDelete])).toEqual([
      expect.objectContaining({
        key: 'assessmentsDelete',
        scopes: [V12.assessmentDelete],
        v1p1Scopes: [],
        v1p2Scopes: [V12.assessmentDelete],
      }),
      expect.objectContaining({
        key: 'resources',
        scopes: [V12.resource],
        v1p1Scopes: [V11.resource],
        v1p2Scopes: [V12.resource],
      }),
    ]);
    expect(categoryViews([])).toEqual([]);
  });

  it('describes a 1.2 scope by its category and version', () => {
    expect(scopeView(V12.rosterDemographics).description).toBe(
      `${DATA_CATEGORIES.demographics.label} (OneRoster 1.2)`,
    );
    expect(scopeView(V11.rosterDemographics).description).toBe(
      'Demographics: date of birth, sex, ethnicity and place of birth',
    );
  });
});
