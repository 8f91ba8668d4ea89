import {
  ALL_ONEROSTER_V1P2_SCOPES,
  ONEROSTER_V1P2_SCOPES as S,
  dataCategoryOf,
} from '@oneroster/contracts';
import { CATALOGUE_V1P2 } from './catalogue-v1p2';
import { V1P2_SERVICES } from './model';
import {
  V1P2_QUERY_OPTIONS,
  V1P2_ROUTES,
  V1P2_SUBSET_COLLECTIONS,
} from './routes-v1p2';

const count = (pred: (r: (typeof V1P2_ROUTES)[number]) => boolean) =>
  V1P2_ROUTES.filter(pred).length;

describe('OneRoster 1.2 route checklist', () => {
  it('lists as many endpoints as the three 1.2 OpenAPI documents: 41 rostering, 35 gradebook, 5 resources', () => {
    expect(count((r) => r.service === 'rostering')).toBe(41);
    expect(count((r) => r.service === 'gradebook')).toBe(35);
    expect(count((r) => r.service === 'resources')).toBe(5);
    expect(V1P2_ROUTES).toHaveLength(81);
    // Of the gradebook's, by method, as the document has them.
    const gb = (m: string) =>
      count((r) => r.service === 'gradebook' && r.method === m);
    expect([gb('GET'), gb('PUT'), gb('POST'), gb('DELETE')]).toEqual([
      19, 6, 4, 6,
    ]);
    expect(count((r) => r.service !== 'gradebook' && r.method !== 'GET')).toBe(
      0,
    );
  });

  it('has unique operationIds and one route per method and path of each service', () => {
    expect(new Set(V1P2_ROUTES.map((r) => r.operationId)).size).toBe(81);
    expect(
      new Set(V1P2_ROUTES.map((r) => `${r.service} ${r.method} ${r.path}`))
        .size,
    ).toBe(81);
  });

  it('gives every route a response consistent with its method, path and query options', () => {
    const problems: string[] = [];
    for (const r of V1P2_ROUTES) {
      const at = r.operationId;
      if (!/^(\/[A-Za-z]+(\/\{[A-Za-z]+\})?)+$/.test(r.path))
        problems.push(`${at}: path`);
      const single = /\/\{sourcedId\}$/.test(r.path);
      const expected =
        r.method === 'GET'
          ? single
            ? 'single'
            : 'collection'
          : r.method === 'PUT'
            ? 'created'
            : r.method === 'DELETE'
              ? 'noContent'
              : 'sourcedIdPairs';
      if (r.response !== expected)
        problems.push(`${at}: ${r.response}, expected ${expected}`);
      const query =
        r.response === 'collection'
          ? V1P2_QUERY_OPTIONS
          : r.response === 'single'
            ? ['fields']
            : [];
      if (r.query.join() !== query.join())
        problems.push(`${at}: query ${r.query.join()}`);
      if ((r.method === 'GET') !== (r.returns !== null))
        problems.push(`${at}: returns`);
      if ((r.method === 'PUT' || r.method === 'POST') !== !!r.body)
        problems.push(`${at}: body`);
      if ((r.method === 'PUT' || r.method === 'DELETE') && !single)
        problems.push(`${at}: not by id`);
    }
    expect(problems).toEqual([]);
  });

  it('returns and writes classes of the 1.2 catalogue, each from its own service', () => {
    const problems: string[] = [];
    for (const r of V1P2_ROUTES)
      for (const k of [r.returns, r.body]) {
        if (!k) continue;
        const c = CATALOGUE_V1P2[k];
        // Rostering and resources return only their own classes; the gradebook its own.
        if (c.service !== r.service)
          problems.push(`${r.operationId}: ${k} of ${c.service}`);
      }
    expect(problems).toEqual([]);
    for (const s of V1P2_SERVICES)
      expect(V1P2_ROUTES.some((r) => r.service === s)).toBe(true);
  });

  it('guards every route by 1.2 scopes of one data category, so one approval grants it', () => {
    const problems: string[] = [];
    for (const r of V1P2_ROUTES) {
      if (!r.scopes.length) problems.push(`${r.operationId}: no scope`);
      for (const s of r.scopes)
        if (!ALL_ONEROSTER_V1P2_SCOPES.includes(s))
          problems.push(`${r.operationId}: ${s}`);
      if (new Set(r.scopes.map(dataCategoryOf)).size > 1)
        problems.push(`${r.operationId}: scopes of several categories`);
    }
    expect(problems).toEqual([]);
    // Every 1.2 scope guards at least one route.
    for (const s of ALL_ONEROSTER_V1P2_SCOPES)
      expect([s, V1P2_ROUTES.some((r) => r.scopes.includes(s))]).toEqual([
        s,
        true,
      ]);
  });

  it('keeps the core scopes to the base collection and single GETs, demographics to its own scope', () => {
    for (const r of V1P2_ROUTES) {
      const core = r.scopes.some(
        (s) =>
          s === S.rosterCore || s === S.gradebookCore || s === S.resourceCore,
      );
      const base =
        /^\/[A-Za-z]+(\/\{sourcedId\})?$/.test(r.path) && r.method === 'GET';
      if (core) expect([r.operationId, base]).toEqual([r.operationId, true]);
      if (r.path.startsWith('/demographics'))
        expect(r.scopes).toEqual([S.rosterDemographics]);
    }
  });

  it('describes each subset collection as a subset of the class its routes return', () => {
    for (const [collection, sub] of Object.entries(V1P2_SUBSET_COLLECTIONS)) {
      const routes = V1P2_ROUTES.filter(
        (r) =>
          r.service === 'rostering' &&
          r.method === 'GET' &&
          r.path.split('/').pop() === collection,
      );
      expect([collection, routes.length > 0]).toEqual([collection, true]);
      for (const r of routes)
        expect([r.operationId, r.returns]).toEqual([r.operationId, sub.of]);
    }
  });
});
