import { ONEROSTER_SCOPES, ONEROSTER_V1P2_SCOPES } from '@oneroster/contracts';
import { schoolsForRoute } from './school-scopes';

const { rosterCore, roster, rosterDemographics, gradebookRead } =
  ONEROSTER_SCOPES;
const CORE = [rosterCore, roster];
const approvals = (entries: Record<string, string[]>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, new Set(v)]));

describe('schoolsForRoute', () => {
  const token = {
    schoolIds: ['a', 'b'],
    scopes: [rosterCore, roster, rosterDemographics, gradebookRead],
  };

  it("serves only the schools whose own approval includes the route's scope", () => {
    const live = approvals({ a: [rosterCore], b: [rosterDemographics] });
    expect(schoolsForRoute(token, CORE, live)).toEqual({ served: ['a'] });
    expect(schoolsForRoute(token, [rosterDemographics], live)).toEqual({
      served: ['b'],
    });
  });

  it('accepts any one of the route scopes, school by school', () => {
    const live = approvals({ a: [rosterCore], b: [roster] });
    expect(schoolsForRoute(token, CORE, live)).toEqual({ served: ['a', 'b'] });
    expect(schoolsForRoute(token, [roster], live)).toEqual({ served: ['b'] });
  });

  it('never lends a school a scope the token does not carry', () => {
    const live = approvals({ a: [rosterCore, roster], b: [roster] });
    expect(
      schoolsForRoute({ ...token, scopes: [rosterCore] }, CORE, live),
    ).toEqual({ served: ['a'] });
    expect(
      schoolsForRoute({ ...token, scopes: [gradebookRead] }, CORE, live),
    ).toEqual({ refused: 'token-scope' });
  });

  it("refuses (403) when every approving school of the token lacks the route's scope", () => {
    const live = approvals({ a: [rosterCore], b: [rosterCore] });
    expect(schoolsForRoute(token, [rosterDemographics], live)).toEqual({
      refused: 'school-scope',
    });
    // b no longer approves at all, a lacks the scope: nothing is left to serve.
    expect(
      schoolsForRoute(
        token,
        [rosterDemographics],
        approvals({ a: [rosterCore], c: [rosterDemographics] }),
      ),
    ).toEqual({ refused: 'school-scope' });
  });

  it('refuses a client no school approves, and reads nothing of schools that stopped approving', () => {
    expect(schoolsForRoute(token, CORE, new Map())).toEqual({
      refused: 'no-approval',
    });
    expect(
      schoolsForRoute(token, CORE, approvals({ elsewhere: [rosterCore] })),
    ).toEqual({ served: [] });
  });

  it('ignores schools the token does not name, whatever they approve', () => {
    const live = approvals({ a: [rosterCore], c: [rosterCore] });
    expect(schoolsForRoute(token, CORE, live)).toEqual({ served: ['a'] });
  });

  it("reads a school's approval of a scope as approving its counterpart in the other version", () => {
    const v12 = {
      schoolIds: ['a', 'b'],
      scopes: [ONEROSTER_V1P2_SCOPES.roster],
    };
    const live = approvals({ a: [roster], b: [rosterCore] });
    const route = [ONEROSTER_V1P2_SCOPES.roster, roster];
    expect(schoolsForRoute(v12, route, live)).toEqual({ served: ['a'] });
    // A core approval does not approve the full scope, in either version.
    expect(schoolsForRoute(v12, route, approvals({ b: [rosterCore] }))).toEqual(
      { refused: 'school-scope' },
    );
  });
});
