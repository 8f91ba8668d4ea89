import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import type { Request } from 'express';
import type { RawQuery } from '@oneroster/util-oneroster-query';
import { decodeList } from '@oneroster/database';
import {
  CLASS_RESOURCE,
  LINE_ITEM_RESOURCE,
  ORG_RESOURCE,
  ROSTERING_OPTIONS,
  RosterReader,
  USER_V1P2_DERIVED_ROLES_RESOURCE,
  RosteringService,
  ownedRowsOf,
  type OneRosterObject,
  type ResourceDef,
  type RosteringOptions,
} from '@oneroster/data-access-oneroster';
import {
  storedV1p2,
  toV1p2,
  v1p2ClassDef,
  type StoredProfile,
  type StoredRole,
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
/** The sourcedIds of a GUIDRef or a list of GUIDRefs (1.1 JSON). */
function* refIds(value: unknown): Generator<string> {
  for (const ref of Array.isArray(value) ? value : [value]) {
    const id =
      ref && typeof ref === 'object'
        ? (ref as { sourcedId?: unknown }).sourcedId
        : undefined;
    if (typeof id === 'string') yield id;
  }
}

/** A user's stored 1.2 roles (`user_roles`, read with the page), in stored order. */
const storedRoles = (user: OneRosterObject): StoredRole[] =>
  ownedRowsOf(user, 'roles').map((r) => ({
    roleType: String(r['role_type']),
    role: String(r['role']),
    org: String(r['org_sourced_id']),
    userProfile: (r['user_profile_sourced_id'] as string | null) ?? null,
    beginDate: (r['begin_date'] as string | null) ?? null,
    endDate: (r['end_date'] as string | null) ?? null,
  }));

/** A user's stored 1.2 profiles (`user_profiles`), without their credentials' passwords. */
const storedProfiles = (user: OneRosterObject): StoredProfile[] =>
  ownedRowsOf(user, 'profiles').map((r) => ({
    profileId: String(r['sourced_id']),
    profileType: String(r['profile_type']),
    vendorId: String(r['vendor_id']),
    applicationId: (r['application_id'] as string | null) ?? null,
    description: (r['description'] as string | null) ?? null,
    credentials: (
      decodeList<{ type?: unknown; username?: unknown }>(r['credentials']) ?? []
    ).map((c) => ({
      type: String(c.type ?? ''),
      username: String(c.username ?? ''),
    })),
  }));

/** The resources a user's active links name (`user_resources`), each once. */
const storedResources = (user: OneRosterObject): string[] => [
  ...new Set(
    ownedRowsOf(user, 'resources').map((r) => String(r['resource_sourced_id'])),
  ),
];

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
   * What `toV1p2` needs beyond the object: the API's origin and, read per batch for the
   * objects of that batch only (nothing kept between requests, so always current), for users
   * the type of each org of an administrator (a 1.1 administrator's 1.2 role depends on it;
   * no other role needs it) and their stored 1.2 roles, profiles and resource links (read
   * with the page itself, `USER_V1P2_OWNED`), for line items the school of each class (1.2
   * requires `lineItem.school`), for results the class of each line item (`result.class`).
   */
  context(
    key: V1p2ClassKey,
    principal: Principal,
  ): {
    ctx: V1p2MapContext;
    prepare?: (objects: readonly OneRosterObject[]) => Promise<void>;
    /** Users: which of the stored 1.2 tables hold active rows in the caller's schools. */
    stored?: () => Promise<ReadonlySet<string>>;
  } {
    const origin = this.options.publicUrl;
    const known = new Map<string, string>();
    const asked = new Set<string>();
    const lookup =
      (
        resource: ResourceDef,
        field: string,
        idsOf: (o: OneRosterObject) => Iterable<string>,
      ) =>
      async (objects: readonly OneRosterObject[]) => {
        const wanted = new Set<string>();
        for (const o of objects)
          for (const id of idsOf(o)) if (!asked.has(id)) wanted.add(id);
        if (wanted.size === 0) return;
        for (const id of wanted) asked.add(id);
        const found = await this.reader.fieldOf(
          this.svc.scope(principal),
          resource,
          field,
          wanted,
        );
        for (const [id, value] of found) known.set(id, value);
      };
    const get = (id: string) => known.get(id);
    switch (key) {
      case 'user': {
        // The batch's stored 1.2 roles, profiles and resource links come with the page
        // (USER_V1P2_RESOURCE's owned tables); a user with no stored role has its roles
        // derived from the 1.1 role and orgs.
        const orgTypes = lookup(ORG_RESOURCE, 'type', (o) =>
          o['role'] === 'administrator' ? refIds(o['orgs']) : [],
        );
        // Asked once per request, and only where the database does not plan the roles
        // filters' own probe (SQLite): a school with no stored role need not have its
        // roles filters look at user_roles.
        let probe: Promise<ReadonlySet<string>> | undefined;
        const stored = () =>
          (probe ??= this.reader.tablesWithActiveRows(
            this.svc.scope(principal),
            ['user_roles'],
          ));
        return {
          stored: this.reader.foldsConstantSubqueries ? undefined : stored,
          ctx: {
            origin,
            orgType: get,
            rolesOf: storedRoles,
            profilesOf: storedProfiles,
            resourcesOf: storedResources,
          },
          prepare: orgTypes,
        };
      }
      case 'lineItem':
        return {
          ctx: { origin, schoolOfClass: get },
          prepare: lookup(CLASS_RESOURCE, 'school', (o) => refIds(o['class'])),
        };
      case 'result':
        return {
          ctx: { origin, classOfLineItem: get },
          prepare: lookup(LINE_ITEM_RESOURCE, 'class', (o) =>
            refIds(o['lineItem']),
          ),
        };
      default:
        return { ctx: { origin } };
    }
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
    const { ctx, prepare, stored } = this.context(key, principal);
    // Schools with no stored 1.2 role: the roles filters in their derived SQL alone.
    const filter = (req.query as RawQuery)['filter'];
    const read =
      stored &&
      typeof filter === 'string' &&
      filter.includes('roles.') &&
      !(await stored()).has('user_roles')
        ? USER_V1P2_DERIVED_ROLES_RESOURCE
        : resource;
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
      resource: read,
      envelope: v1p2ClassDef(key).collection,
      where: binding.where?.(params),
      parents: binding.parents?.(params),
      hideDeletedUnlessDelta: binding.hideDeleted,
      prepare,
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
    const { ctx, prepare } = this.context(key, req.user);
    return this.svc.single({
      principal: req.user,
      query: { fields: null, warnings: [] },
      sourcedId: params['sourcedId'],
      resource,
      envelope: v1p2ClassDef(key).single,
      where: binding.where?.(params),
      parents: binding.parents?.(params),
      prepare,
      project: (o: OneRosterObject) =>
        selectFields(convert(key, o, ctx), fields),
    });
  }
}
