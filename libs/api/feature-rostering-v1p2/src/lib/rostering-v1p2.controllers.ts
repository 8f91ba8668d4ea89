import { Controller, Get, Inject, Req, type Type } from '@nestjs/common';
import {
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { counterpartScopes } from '@oneroster/contracts';
import {
  V1P2_BASE_PATHS,
  V1P2_ROUTES,
  v1p2ClassDef,
  type V1p2Route,
} from '@oneroster/oneroster-catalogue';
import {
  Client,
  RequireScopes,
  type ClientLink,
  type Principal,
} from '@oneroster/util-http';
import { OAUTH_SCHEME } from '@oneroster/util-oneroster-openapi';
import { V1p2RosteringReads } from './v1p2-reads';
import { V1P2_STATUS_SCHEMA, envelopeSchemaName } from './openapi-v1p2';

/*
 * The 41 OneRoster 1.2 rostering endpoints, one controller per line of the catalogue's
 * checklist (V1P2_ROUTES): its path, operationId, scopes and query options make the route,
 * its access rule and its Swagger operation; ROSTERING_BINDINGS says what it reads.
 *
 * Access: any 1.2 scope the checklist lists for the route, or its 1.1 counterpart
 * (`counterpartScopes`: the same data category and name), so tokens issued with 1.1 scopes
 * after a school's approval read 1.2 too, with the same core/full distinction. Errors are
 * the 1.2 status payload (the exception filter answers it under the 1.2 base paths).
 */

export const V1P2_ROSTERING_ROUTES: readonly V1p2Route[] = V1P2_ROUTES.filter(
  (r) => r.service === 'rostering',
);

/** The scopes a 1.2 route accepts: its own, then their 1.1 counterparts. */
export function acceptedScopes(route: V1p2Route): string[] {
  return [
    ...new Set<string>([
      ...route.scopes,
      ...route.scopes.flatMap((s) => counterpartScopes(s)),
    ]),
  ];
}

export const PARAM = /\{(\w+)\}/g;
export const paramsOf = (path: string) =>
  [...path.matchAll(PARAM)].map((m) => m[1]);

export const QUERY_DOCS: Record<string, Parameters<typeof ApiQuery>[0]> = {
  limit: {
    name: 'limit',
    required: false,
    type: Number,
    description:
      'Page size: 1 to 10,000 (larger values are clamped), default 100. Pages above 500 are large pages: each client has only a few in flight at once, more wait their turn',
  },
  offset: {
    name: 'offset',
    required: false,
    type: Number,
    description: 'Zero-based index of the first record, default 0',
  },
  sort: {
    name: 'sort',
    required: false,
    type: String,
    description:
      'Field to sort by (default: sourcedId); a field that cannot be sorted by is a 400',
  },
  orderBy: {
    name: 'orderBy',
    required: false,
    enum: ['asc', 'desc'],
    description: 'Sort direction, default asc',
  },
  filter: {
    name: 'filter',
    required: false,
    type: String,
    description:
      "OneRoster filter with the 1.2 field names, e.g. `roles.role='teacher' AND email='a@b.org'`; booleans are the strings 'true'/'false'. An unknown field is a 400 invalid_filter_field",
  },
  fields: {
    name: 'fields',
    required: false,
    type: String,
    description:
      'Comma-separated 1.2 fields to return; an unknown field is a 400 invalid_selection_field',
  },
};

export const status = (code: number, description: string) =>
  ApiResponse({
    status: code,
    description,
    content: {
      'application/json': {
        schema: { $ref: `#/components/schemas/${V1P2_STATUS_SCHEMA}` },
      },
    },
  });

function tagOf(route: V1p2Route): string {
  return `rostering 1.2: ${route.path.split('/')[1]}`;
}

function controllerFor(route: V1p2Route): Type {
  const collection = route.response === 'collection';
  const params = paramsOf(route.path);

  class V1p2RouteController {
    constructor(
      @Inject(V1p2RosteringReads) readonly reads: V1p2RosteringReads,
    ) {}

    handle(req: Request & { user: Principal }, client: ClientLink) {
      return collection
        ? this.reads.collection(route, req, client)
        : this.reads.single(route, req);
    }
  }
  Object.defineProperty(V1p2RouteController, 'name', {
    value: `${route.operationId[0].toUpperCase()}${route.operationId.slice(1)}V1p2Controller`,
  });
  Controller(V1P2_BASE_PATHS.rostering)(V1p2RouteController);
  ApiTags(tagOf(route))(V1p2RouteController);

  const proto = V1p2RouteController.prototype;
  Req()(proto, 'handle', 0);
  Client()(proto, 'handle', 1);
  const scopes = acceptedScopes(route);
  if (!route.returns) throw new Error(`${route.operationId} returns nothing`);
  const cls = v1p2ClassDef(route.returns);
  const decorators: MethodDecorator[] = [
    Get(route.path.replace(PARAM, ':$1').slice(1)),
    RequireScopes(...scopes),
    ApiOperation({
      operationId: route.operationId,
      summary: route.operationId,
      description: `Scopes (any one): ${scopes.map((s) => (s.includes('/v1p2/') ? `${s.split('/').pop()} (1.2)` : `${s.split('/').pop()} (1.1)`)).join(', ')}`,
    }),
    ApiSecurity(OAUTH_SCHEME, scopes),
    ...params.map((name) =>
      ApiParam({
        name,
        type: String,
        description:
          name === 'sourcedId'
            ? 'sourcedId of the object'
            : `sourcedId of the ${name.replace(/SourcedId$/, '')}`,
      }),
    ),
    ...route.query.map((q) => ApiQuery(QUERY_DOCS[q])),
    ApiResponse({
      status: 200,
      description: collection
        ? `A page of ${cls.collection}, with X-Total-Count and Link (first, prev, next, last) headers`
        : `The ${cls.single}`,
      content: {
        'application/json': {
          schema: {
            $ref: `#/components/schemas/${envelopeSchemaName(cls, collection)}`,
          },
        },
      },
    }),
    status(
      400,
      'Malformed parameter, unknown filter or selection field, or a field that cannot be sorted by',
    ),
    status(401, 'Missing, expired or invalid access token'),
    status(403, 'The token lacks the scope this endpoint needs'),
    ...(params.length
      ? [
          status(
            404,
            collection
              ? 'Unknown parent object'
              : 'Unknown object (also: another school\u2019s, or the wrong kind)',
          ),
        ]
      : []),
    status(429, 'Rate limit reached; see Retry-After'),
    status(
      503,
      'The database is unavailable, or the server is busy; retry after Retry-After seconds',
    ),
  ];
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'handle');
  if (descriptor) for (const d of decorators) d(proto, 'handle', descriptor);
  return V1p2RouteController;
}

/** One controller per 1.2 rostering endpoint, in the checklist's order. */
export const ROSTERING_V1P2_CONTROLLERS: Type[] =
  V1P2_ROSTERING_ROUTES.map(controllerFor);
