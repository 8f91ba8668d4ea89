import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import type { Request } from 'express';
import type { RawQuery } from '@oneroster/util-oneroster-query';
import {
  ORG_RESOURCE,
  PAGE_BATCH,
  ROSTERING_OPTIONS,
  RosterReader,
  RosteringService,
  type OneRosterObject,
  type RosteringOptions,
} from '@oneroster/data-access-oneroster';
import {
  toV1p2,
  v1p2ClassDef,
  type V1p2ClassKey,
  type V1p2MapContext,
  type V1p2Route,
} from '@oneroster/oneroster-catalogue';
import {
  RequestedQuery,
  type ClientLink,
  type Principal,
} from '@oneroster/util-http';
import { RESOURCE_OF, ROSTERING_BINDINGS, type PathParams } from './bindings';
import {
  checkV1p2Fields,
  checkV1p2Query,
  selectFields,
  v1p2QueryRules,
} from './v1p2-query';

/**
 * The reads of the 1.2 rostering routes: the 1.1 rows through `RosteringService` (tenancy,
 * capacity, paging, large-page streaming, parent checks: all as on 1.1), each object then
 * projected with the catalogue's `toV1p2` and cut to the requested 1.2 fields.
 */
@Injectable()
export class V1p2RosteringReads {
  constructor(
    private readonly svc: RosteringService,
    private readonly reader: RosterReader,
    @Inject(ROSTERING_OPTIONS) private readonly options: RosteringOptions,
  ) {}

  private parts(route: V1p2Route) {
    const key = route.returns as V1p2ClassKey;
    const resource = RESOURCE_OF[key];
    const binding = ROSTERING_BINDINGS[route.operationId];
    if (!resource || !binding)
      throw new Error(`${route.operationId} is not a rostering read`);
    return { key, resource, binding, rules: v1p2QueryRules(key, resource) };
  }

  /**
   * What `toV1p2` needs beyond the object: the API's origin and, for users (a 1.1
   * administrator's 1.2 role depends on its org's type), the type of each org the caller's
   * schools hold, read once per request.
   */
  private async context(
    key: V1p2ClassKey,
    principal: Principal,
  ): Promise<V1p2MapContext> {
    const origin = this.options.publicUrl;
    if (key !== 'user') return { origin };
    // Pages of one batch: read whole, never as a streamed large page.
    const types = new Map<string, string>();
    for (let offset = 0; ; offset += PAGE_BATCH) {
      const page = await this.reader.list(
        this.svc.scope(principal),
        ORG_RESOURCE,
        {
          limit: PAGE_BATCH,
          offset,
          sort: null,
          orderBy: 'asc',
          fields: ['sourcedId', 'type'],
          filter: null,
          warnings: [],
        },
      );
      for (const o of page.records)
        types.set(String(o['sourcedId']), String(o['type']));
      if (page.records.length < PAGE_BATCH) break;
    }
    return { origin, orgType: (id) => types.get(id) };
  }

  async collection(
    route: V1p2Route,
    req: Request & { user: Principal },
    client: ClientLink,
  ): Promise<Record<string, unknown> | StreamableFile> {
    const { key, resource, binding, rules } = this.parts(route);
    const params = req.params as PathParams;
    const principal = req.user;
    let fields: string[] | null = null;
    let paging: ReturnType<typeof checkV1p2Query>['paging'] | null = null;
    const query = RequestedQuery.checking(() => {
      const checked = checkV1p2Query(req.query as RawQuery, rules);
      fields = checked.fields;
      paging = checked.paging;
      return checked.query;
    });
    const ctx = await this.context(key, principal);
    // The Link header repeats the 1.2 query as the client wrote it, not its 1.1 reading.
    const link: ClientLink = {
      onClose: (l) => client.onClose(l),
      onResponseClose: (l) => client.onResponseClose(l),
      limitWriteIdle: (ms) => client.limitWriteIdle(ms),
      setPagingHeaders: (total, q, url) =>
        client.setPagingHeaders(total, { ...q, ...paging }, url),
    };
    return this.svc.collection({
      principal,
      query,
      client: link,
      resource,
      envelope: v1p2ClassDef(key).collection,
      where: binding.where?.(params),
      parents: binding.parents?.(params),
      project: (o: OneRosterObject) =>
        selectFields(toV1p2(key, o, ctx), fields),
    });
  }

  async single(
    route: V1p2Route,
    req: Request & { user: Principal },
  ): Promise<Record<string, unknown>> {
    const { key, resource, binding, rules } = this.parts(route);
    const params = req.params as PathParams;
    const fields = checkV1p2Fields(req.query as RawQuery, rules);
    const ctx = await this.context(key, req.user);
    return this.svc.single({
      principal: req.user,
      query: { fields: null, warnings: [] },
      sourcedId: params['sourcedId'],
      resource,
      envelope: v1p2ClassDef(key).single,
      where: binding.where?.(params),
      parents: binding.parents?.(params),
      project: (o: OneRosterObject) =>
        selectFields(toV1p2(key, o, ctx), fields),
    });
  }
}
