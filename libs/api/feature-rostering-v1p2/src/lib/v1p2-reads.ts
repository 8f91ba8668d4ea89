import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import type { Request } from 'express';
import type { RawQuery } from '@oneroster/util-oneroster-query';
import {
  CLASS_RESOURCE,
  LINE_ITEM_RESOURCE,
  ORG_RESOURCE,
  PAGE_BATCH,
  ROSTERING_OPTIONS,
  RosterReader,
  RosteringService,
  type OneRosterObject,
  type ResourceDef,
  type RosteringOptions,
} from '@oneroster/data-access-oneroster';
import {
  storedV1p2,
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
import { RESOURCE_OF, V1P2_BINDINGS, type PathParams } from './bindings';
import {
  checkV1p2Fields,
  checkV1p2Query,
  selectFields,
  v1p2QueryRules,
} from './v1p2-query';

/**
 * The reads of the 1.2 rostering, gradebook and resources routes: the 1.1 rows through `RosteringService` (tenancy,
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
    const binding = V1P2_BINDINGS[route.operationId];
    if (!resource || !binding)
      throw new Error(`${route.operationId} is not a 1.2 read`);
    // Classes new in 1.2 are stored as 1.2; the others are read from 1.1 rows.
    const convert = v1p2ClassDef(key).from ? toV1p2 : storedV1p2;
    return {
      key,
      resource,
      binding,
      convert,
      rules: v1p2QueryRules(key, resource),
    };
  }

  /** The mapping context of an object that needs nothing beyond the API's origin. */
  origin(): V1p2MapContext {
    return { origin: this.options.publicUrl };
  }

  /**
   * What `toV1p2` needs beyond the object: the API's origin and, read once per request over
   * the caller's schools, for users the type of each org (a 1.1 administrator's 1.2 role
   * depends on it), for line items the school of each class (1.2 requires
   * `lineItem.school`), for results the class of each line item (`result.class`).
   */
  async context(
    key: V1p2ClassKey,
    principal: Principal,
  ): Promise<V1p2MapContext> {
    const origin = this.options.publicUrl;
    switch (key) {
      case 'user': {
        const types = await this.lookup(principal, ORG_RESOURCE, 'type');
        return { origin, orgType: (id) => types.get(id) };
      }
      case 'lineItem': {
        const schools = await this.lookup(principal, CLASS_RESOURCE, 'school');
        return { origin, schoolOfClass: (id) => schools.get(id) };
      }
      case 'result': {
        const classes = await this.lookup(
          principal,
          LINE_ITEM_RESOURCE,
          'class',
        );
        return { origin, classOfLineItem: (id) => classes.get(id) };
      }
      default:
        return { origin };
    }
  }

  /** sourcedId → one field (a GUIDRef's sourcedId) of every object of the caller's schools. */
  private async lookup(
    principal: Principal,
    resource: ResourceDef,
    field: string,
  ): Promise<Map<string, string>> {
    // Pages of one batch: read whole, never as a streamed large page.
    const out = new Map<string, string>();
    for (let offset = 0; ; offset += PAGE_BATCH) {
      const page = await this.reader.list(this.svc.scope(principal), resource, {
        limit: PAGE_BATCH,
        offset,
        sort: null,
        orderBy: 'asc',
        fields: ['sourcedId', field],
        filter: null,
        warnings: [],
      });
      for (const o of page.records) {
        const v = o[field];
        const id =
          v && typeof v === 'object'
            ? (v as { sourcedId?: unknown }).sourcedId
            : v;
        if (id !== undefined && id !== null)
          out.set(String(o['sourcedId']), String(id));
      }
      if (page.records.length < PAGE_BATCH) break;
    }
    return out;
  }

  async collection(
    route: V1p2Route,
    req: Request & { user: Principal },
    client: ClientLink,
  ): Promise<Record<string, unknown> | StreamableFile> {
    const { key, resource, binding, convert, rules } = this.parts(route);
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
      hideDeletedUnlessDelta: binding.hideDeleted,
      project: (o: OneRosterObject) =>
        selectFields(convert(key, o, ctx), fields),
    });
  }

  async single(
    route: V1p2Route,
    req: Request & { user: Principal },
  ): Promise<Record<string, unknown>> {
    const { key, resource, binding, convert, rules } = this.parts(route);
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
        selectFields(convert(key, o, ctx), fields),
    });
  }
}
