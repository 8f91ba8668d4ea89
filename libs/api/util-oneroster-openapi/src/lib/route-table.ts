import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Res,
  type InjectionToken,
  type Type,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  Client,
  CurrentPrincipal,
  OneRosterQuery,
  OneRosterSingleQuery,
  RequestedQuery,
  type ClientLink,
  type Principal,
} from '@oneroster/util-http';
import type {
  CheckedSingleQuery,
  FieldCatalogue,
} from '@oneroster/util-oneroster-query';
import {
  CollectionEndpoint,
  DeleteEndpoint,
  PutEndpoint,
  SingleEndpoint,
} from './endpoints';

/*
 * OneRoster 1.1 controllers made from route tables. Each table row is one route: the
 * handler's name (operationIds are `<Controller>_<handler>`), its path under the
 * controller's, its summary (the OneRoster operationId), scopes, response envelope and what
 * it calls. The rows keep the order of the table, so the OpenAPI document lists the paths
 * and the router matches them in that order. A controller is what the hand-written class
 * was: the same name, tag, path, handler names, parameters and decorators, so the routes
 * and the OpenAPI document do not depend on whether they come from a table.
 *
 * Handlers' parameters, by kind (the order the OneRoster decorators expect):
 * - collection: principal, checked query (`RequestedQuery`), client link, path parameters;
 * - single: principal, checked `fields`, sourcedId;
 * - put: response (passthrough, for 200/201), principal, sourcedId, body;
 * - delete: principal, sourcedId.
 */

type Envelope = abstract new (...args: never[]) => unknown;

export interface CollectionCall {
  readonly principal: Principal;
  readonly query: RequestedQuery;
  readonly client: ClientLink;
  /** The path parameters, in the path's order. */
  readonly ids: readonly string[];
}

export interface SingleCall {
  readonly principal: Principal;
  readonly query: CheckedSingleQuery;
  readonly sourcedId: string;
}

export interface PutCall {
  readonly res: Response;
  readonly principal: Principal;
  readonly sourcedId: string;
  readonly body: unknown;
}

export interface DeleteCall {
  readonly principal: Principal;
  readonly sourcedId: string;
}

interface RouteBase {
  /** The handler's name: the second half of the operationId. */
  readonly name: string;
  /** The OneRoster operationId, the operation's summary. */
  readonly summary: string;
}

/** `D`: the controller's injected instances, in `inject` order. */
export type TableRoute<D> = RouteBase &
  (
    | {
        readonly kind: 'collection';
        /** Under the controller's path, with `:name` parameters. */
        readonly path: string;
        readonly scopes: string[];
        readonly envelope: Envelope;
        readonly catalogue: FieldCatalogue;
        /** What the endpoint answers, where the name alone does not say. */
        readonly description?: string;
        readonly handle: (deps: D, call: CollectionCall) => unknown;
      }
    | {
        readonly kind: 'single';
        readonly path: string;
        readonly scopes: string[];
        readonly envelope: Envelope;
        readonly catalogue: FieldCatalogue;
        readonly handle: (deps: D, call: SingleCall) => unknown;
      }
    | {
        readonly kind: 'put';
        readonly envelope: Envelope;
        readonly handle: (deps: D, call: PutCall) => unknown;
      }
    | {
        readonly kind: 'delete';
        readonly handle: (deps: D, call: DeleteCall) => unknown;
      }
  );

export interface TableController<D extends readonly unknown[]> {
  /** The class name: the first half of the operationIds. */
  readonly name: string;
  readonly tag: string;
  /** The controller's path. */
  readonly path: string;
  readonly inject: { readonly [K in keyof D]: InjectionToken };
  readonly routes: readonly TableRoute<D>[];
}

const paramsOf = (path: string) =>
  path
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));

type Arg = {
  readonly decorator: ParameterDecorator;
  /** What TypeScript records as the parameter's type (`design:paramtypes`). */
  readonly type: unknown;
};

const principal: Arg = { decorator: CurrentPrincipal(), type: Object };
const client: Arg = { decorator: Client(), type: Object };
const param = (name: string): Arg => ({
  decorator: Param(name),
  type: String,
});

/** The handler's parameters, its decorators (as written, top first) and its body. */
function handlerOf<D>(route: TableRoute<D>): {
  args: Arg[];
  decorators: MethodDecorator[];
  run: (deps: D, args: unknown[]) => unknown;
} {
  switch (route.kind) {
    case 'collection': {
      const params = paramsOf(route.path);
      return {
        args: [
          principal,
          { decorator: OneRosterQuery(route.catalogue), type: RequestedQuery },
          client,
          ...params.map(param),
        ],
        decorators: [
          Get(route.path),
          CollectionEndpoint(
            route.summary,
            route.scopes,
            route.envelope,
            params,
            route.description,
          ),
        ],
        run: (deps, [p, query, c, ...ids]) =>
          route.handle(deps, {
            principal: p as Principal,
            query: query as RequestedQuery,
            client: c as ClientLink,
            ids: ids as string[],
          }),
      };
    }
    case 'single':
      return {
        args: [
          principal,
          { decorator: OneRosterSingleQuery(route.catalogue), type: Object },
          param('sourcedId'),
        ],
        decorators: [
          Get(route.path),
          SingleEndpoint(route.summary, route.scopes, route.envelope),
        ],
        run: (deps, [p, query, sourcedId]) =>
          route.handle(deps, {
            principal: p as Principal,
            query: query as CheckedSingleQuery,
            sourcedId: sourcedId as string,
          }),
      };
    case 'put':
      return {
        args: [
          { decorator: Res({ passthrough: true }), type: Object },
          principal,
          param('sourcedId'),
          { decorator: Body(), type: Object },
        ],
        decorators: [PutEndpoint(route.summary, route.envelope)],
        run: (deps, [res, p, sourcedId, body]) =>
          route.handle(deps, {
            res: res as Response,
            principal: p as Principal,
            sourcedId: sourcedId as string,
            body,
          }),
      };
    case 'delete':
      return {
        args: [principal, param('sourcedId')],
        decorators: [DeleteEndpoint(route.summary)],
        run: (deps, [p, sourcedId]) =>
          route.handle(deps, {
            principal: p as Principal,
            sourcedId: sourcedId as string,
          }),
      };
  }
}

/** The Nest controller of a route table, decorated as TypeScript decorates a class. */
export function controllerFromTable<D extends readonly unknown[]>(
  table: TableController<D>,
): Type {
  class TableRouteController {
    readonly deps: D;
    constructor(...deps: unknown[]) {
      this.deps = deps as unknown as D;
    }
  }
  Object.defineProperty(TableRouteController, 'name', { value: table.name });
  const proto = TableRouteController.prototype as unknown as Record<
    string,
    unknown
  >;
  for (const route of table.routes) {
    const { args, decorators, run } = handlerOf(route);
    const handler = function (
      this: TableRouteController,
      ...values: unknown[]
    ) {
      return run(this.deps, values);
    };
    // Swagger names the operation and finds the design types by the function's name.
    Object.defineProperty(handler, 'name', { value: route.name });
    Object.defineProperty(proto, route.name, {
      value: handler,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    // TypeScript's order: the design types, the parameters (last first), then the method
    // decorators (bottom first).
    Reflect.defineMetadata('design:type', Function, proto, route.name);
    Reflect.defineMetadata(
      'design:paramtypes',
      args.map((a) => a.type),
      proto,
      route.name,
    );
    for (let i = args.length - 1; i >= 0; i--)
      args[i].decorator(proto, route.name, i);
    let descriptor = Object.getOwnPropertyDescriptor(proto, route.name);
    for (const d of [...decorators].reverse()) {
      if (!descriptor) break;
      descriptor =
        (d(proto, route.name, descriptor) as PropertyDescriptor | undefined) ??
        descriptor;
    }
    if (descriptor) Object.defineProperty(proto, route.name, descriptor);
  }
  table.inject.forEach((token, i) =>
    Inject(token)(TableRouteController, undefined, i),
  );
  Controller(table.path)(TableRouteController);
  ApiTags(table.tag)(TableRouteController);
  return TableRouteController;
}
