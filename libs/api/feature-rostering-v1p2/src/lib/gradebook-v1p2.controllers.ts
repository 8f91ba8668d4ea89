import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Post,
  Put,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import {
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { WritableKind } from '@oneroster/data-access-oneroster';
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
import { UnsupportedOperationError } from '@oneroster/util-oneroster-query';
import { OAUTH_SCHEME } from '@oneroster/util-oneroster-openapi';
import { V1p2RosteringReads } from './v1p2-reads';
import { V1p2GradebookWrites } from './v1p2-writes';
import { V1P2_BINDINGS } from './bindings';
import { V1P2_GUID_PAIRS_SCHEMA, envelopeSchemaName } from './openapi-v1p2';
import { MAX_POST_ELEMENTS } from './v1p2-posts';
import {
  PARAM,
  QUERY_DOCS,
  acceptedScopes,
  paramsOf,
  status,
} from './rostering-v1p2.controllers';

/*
 * The OneRoster 1.2 gradebook (35 endpoints) and resources (5) services, one controller per
 * line of the catalogue's checklist, as for rostering: path, operationId, scopes (1.2 or
 * their 1.1 counterparts) from the checklist.
 *
 * - Served: the GETs of categories, line items, results and resources that 1.1 storage
 *   holds, of score scales, assessment line items and assessment results, stored as 1.2,
 *   and of a user's resources (the user–resource links of user_resources, stored as 1.2)
 *   (V1P2_BINDINGS), PUT and DELETE of all six gradebook classes, and the four POSTs of
 *   line items and results at server-allocated sourcedIds (V1p2GradebookWrites).
 * - A route with nothing here to read or write it would answer 501 with `imsx_codeMajor:
 *   unsupported` (after the token's scopes are checked); none is left.
 */

type Service = 'gradebook' | 'resources';

export const V1P2_GRADEBOOK_ROUTES: readonly V1p2Route[] = V1P2_ROUTES.filter(
  (r) => r.service === 'gradebook' || r.service === 'resources',
);

/** The 1.1 writer's objects, by the first segment of a PUT or DELETE path. */
const WRITABLE: Readonly<Record<string, WritableKind>> = {
  categories: 'category',
  lineItems: 'lineItem',
  results: 'result',
  scoreScales: 'scoreScale',
  assessmentLineItems: 'assessmentLineItem',
  assessmentResults: 'assessmentResult',
};

const kindOf = (route: V1p2Route): WritableKind | undefined =>
  WRITABLE[route.path.split('/')[1]];

/** Whether the platform serves a 1.2 gradebook or resources route. */
export function isServedV1p2(route: V1p2Route): boolean {
  if (route.method === 'GET') return route.operationId in V1P2_BINDINGS;
  if (route.method === 'PUT' || route.method === 'DELETE')
    return kindOf(route) !== undefined;
  return route.method === 'POST' && route.response === 'sourcedIdPairs';
}

type Content = Record<string, { schema: { $ref: string } }>;

/** The documented success answers of a route (what the checklist's response kind says). */
function successResponses(
  route: V1p2Route,
  served: boolean,
  schema: (name: string) => Content,
): MethodDecorator[] {
  const never = served ? '' : 'Never today (the route answers 501). ';
  switch (route.response) {
    case 'collection':
    case 'single': {
      if (!route.returns)
        throw new Error(`${route.operationId} returns nothing`);
      const cls = v1p2ClassDef(route.returns);
      const collection = route.response === 'collection';
      return [
        ApiResponse({
          status: 200,
          description: `${never}${collection ? `A page of ${cls.collection}, with X-Total-Count and Link (first, prev, next, last) headers` : `The ${cls.single}`}`,
          content: schema(envelopeSchemaName(cls, collection)),
        }),
      ];
    }
    case 'created':
      return [
        ApiResponse({
          status: 201,
          description: `${never}Created, without a body`,
        }),
        ApiResponse({
          status: 200,
          description: `${never}Replaced, without a body (the 1.2 documents list only 201)`,
        }),
      ];
    case 'noContent':
      return [ApiResponse({ status: 204, description: `${never}Deleted` })];
    case 'sourcedIdPairs':
      return [
        ApiResponse({
          status: 201,
          description: `${never}Created, all or none: the sourcedId allocated (a random UUID) to each object supplied, in body order`,
          content: schema(V1P2_GUID_PAIRS_SCHEMA),
        }),
      ];
  }
}

function controllerFor(route: V1p2Route): Type {
  const service = route.service as Service;
  const params = paramsOf(route.path);
  const served = isServedV1p2(route);
  const kind = kindOf(route) as WritableKind;
  const path = route.path.replace(PARAM, ':$1').slice(1);

  class V1p2RouteController {
    constructor(
      @Inject(V1p2RosteringReads) readonly reads: V1p2RosteringReads,
      @Inject(V1p2GradebookWrites) readonly writes: V1p2GradebookWrites,
    ) {}

    async handle(
      req: Request & { user: Principal },
      client: ClientLink,
      res: Response,
      body: unknown,
    ) {
      if (!served)
        throw new UnsupportedOperationError(
          `${route.method} ${V1P2_BASE_PATHS[service]}${route.path} (${route.operationId}) is not supported by this service: nothing is stored for it`,
        );
      switch (route.method) {
        case 'GET':
          return route.response === 'collection'
            ? this.reads.collection(route, req, client)
            : this.reads.single(route, req);
        case 'POST':
          // 201 with GUIDPairSetDType (the gradebook OpenAPI's POST answer).
          return this.writes.post(
            route.operationId,
            req.user,
            req.params,
            body,
          );
        case 'PUT': {
          const outcome = await this.writes.put(
            kind,
            req.user,
            req.params['sourcedId'],
            body,
          );
          res.status(outcome.created ? 201 : 200);
          return undefined;
        }
        default:
          return this.writes.delete(kind, req.user, req.params['sourcedId']);
      }
    }
  }
  Object.defineProperty(V1p2RouteController, 'name', {
    value: `${route.operationId[0].toUpperCase()}${route.operationId.slice(1)}V1p2Controller`,
  });
  Controller(V1P2_BASE_PATHS[service])(V1p2RouteController);
  ApiTags(`${service} 1.2: ${route.path.split('/')[1]}`)(V1p2RouteController);

  const proto = V1p2RouteController.prototype;
  Req()(proto, 'handle', 0);
  Client()(proto, 'handle', 1);
  Res({ passthrough: true })(proto, 'handle', 2);
  Body()(proto, 'handle', 3);
  const scopes = acceptedScopes(route);
  const verb = { GET: Get, PUT: Put, POST: Post, DELETE: Delete }[route.method];
  const schema = (name: string) => ({
    'application/json': { schema: { $ref: `#/components/schemas/${name}` } },
  });
  const decorators: MethodDecorator[] = [
    verb(path),
    ...(route.method === 'DELETE' ? [HttpCode(204)] : []),
    RequireScopes(...scopes),
    ApiOperation({
      operationId: route.operationId,
      summary: route.operationId,
      description: `${served ? '' : 'Not supported: answers 501 (after the scope check). '}Scopes (any one): ${scopes.map((s) => `${s.split('/').pop()} (${s.includes('/v1p2/') ? '1.2' : '1.1'})`).join(', ')}`,
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
    ...(route.body
      ? [
          ApiBody({
            required: true,
            description:
              route.method === 'POST'
                ? `The ${v1p2ClassDef(route.body).collection} to create, in their collection envelope (or the bare list): 1 to ${MAX_POST_ELEMENTS}, each with its own sourcedId (distinct within the body); a reference the path fixes may be left out (it is taken from the path), naming another is a 422`
                : `The ${v1p2ClassDef(route.body).single}, in its envelope (or bare); 1.2 fields this service does not store are accepted and dropped`,
            schema: {
              $ref: `#/components/schemas/${envelopeSchemaName(v1p2ClassDef(route.body), route.method === 'POST')}`,
            },
          }),
        ]
      : []),
    ...successResponses(route, served, schema),
    status(
      400,
      route.method === 'GET'
        ? 'Malformed parameter, unknown filter or selection field, or a field that cannot be sorted by'
        : 'Malformed parameter or body',
    ),
    status(401, 'Missing, expired or invalid access token'),
    status(403, 'The token lacks the scope this endpoint needs'),
    // An unsupported route answers 501 before it reads anything.
    ...(served && params.length && route.method !== 'PUT'
      ? [
          status(
            404,
            route.response === 'single' || route.method === 'DELETE'
              ? 'Unknown object (also: another school\u2019s)'
              : 'Unknown parent object (also: another school\u2019s)',
          ),
        ]
      : []),
    ...(route.body
      ? [
          status(
            413,
            route.method === 'POST'
              ? `The body is larger than 1 MB, or holds more than ${MAX_POST_ELEMENTS} elements`
              : 'The body is larger than 1 MB',
          ),
        ]
      : []),
    ...(served && route.body
      ? [
          status(
            422,
            route.method === 'POST'
              ? 'An element breaks a rule of the 1.2 schema or of the stored data, or names another parent than the path; the description names every problem with its element index, and nothing is written'
              : 'The body breaks a rule of the 1.2 schema or of the stored data; the description names every problem',
          ),
        ]
      : []),
    status(429, 'Rate limit reached; see Retry-After'),
    ...(served ? [] : [status(501, 'Not supported by this service')]),
    status(
      503,
      'The database is unavailable, or the server is busy; retry after Retry-After seconds',
    ),
  ];
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'handle');
  if (descriptor) for (const d of decorators) d(proto, 'handle', descriptor);
  return V1p2RouteController;
}

/** One controller per 1.2 gradebook and resources endpoint, in the checklist's order. */
export const GRADEBOOK_V1P2_CONTROLLERS: Type[] =
  V1P2_GRADEBOOK_ROUTES.map(controllerFor);
