import type { TableRoute } from '@oneroster/util-oneroster-openapi';
import type { Intent } from './relationships';
import type { ResourceDef } from './resources';
import type { ParentCheck, RosteringService } from './rostering.service';
import { fieldCatalogue } from './sql';

/*
 * The read rows of the OneRoster 1.1 route tables (`controllerFromTable` of
 * util-oneroster-openapi): a collection or single GET that reads through the
 * RosteringService, the first of the controller's injected instances.
 */

type Envelope = abstract new (...args: never[]) => unknown;
/** Of the path parameters, in the path's order. */
type ByIds<T> = (...ids: string[]) => T;
/** A controller whose first injected instance is the RosteringService. */
type ReadsThroughRostering = readonly [RosteringService, ...unknown[]];

/** What a route reads: the resource, and the response envelope's key (`classes`, `class`). */
export interface RouteReads {
  readonly resource: ResourceDef;
  readonly key: string;
}

interface ReadRoute extends RouteReads {
  /** The handler's name (operationIds are `<Controller>_<name>`). */
  readonly name: string;
  /** Under the controller's path, with `:name` parameters. */
  readonly path: string;
  /** The OneRoster operationId. */
  readonly summary: string;
  readonly scopes: string[];
  /** The response envelope's DTO. */
  readonly envelope: Envelope;
}

export interface CollectionRoute extends ReadRoute {
  /** The objects read, of the path parameters. */
  readonly where?: ByIds<Intent>;
  /** Checked in order first (404 when the caller cannot see one). */
  readonly parents?: ByIds<ParentCheck[]>;
  /** Objects deleted are left out unless the query is a delta query. */
  readonly hidden?: boolean;
  /** What the endpoint answers, where the name alone does not say. */
  readonly description?: string;
}

export interface SingleRoute extends ReadRoute {
  /** What the object must be (404 otherwise). */
  readonly where?: () => Intent;
}

/** A collection GET: the objects `where` selects, once each of `parents` is visible. */
export function collectionRoute<D extends ReadsThroughRostering>(
  route: CollectionRoute,
): TableRoute<D> {
  const { resource, key, where, parents, hidden } = route;
  return {
    kind: 'collection',
    name: route.name,
    path: route.path,
    summary: route.summary,
    scopes: route.scopes,
    envelope: route.envelope,
    description: route.description,
    catalogue: fieldCatalogue(resource),
    handle: ([svc], { principal, query, client, ids }) =>
      svc.collection({
        principal,
        query,
        client,
        resource,
        envelope: key,
        where: where?.(...ids),
        parents: parents?.(...ids),
        ...(hidden ? { hideDeletedUnlessDelta: true } : {}),
      }),
  };
}

/** A single GET by sourcedId, 404 unless `where` holds for it. */
export function singleRoute<D extends ReadsThroughRostering>(
  route: SingleRoute,
): TableRoute<D> {
  const { resource, key, where } = route;
  return {
    kind: 'single',
    name: route.name,
    path: route.path,
    summary: route.summary,
    scopes: route.scopes,
    envelope: route.envelope,
    catalogue: fieldCatalogue(resource),
    handle: ([svc], { principal, query, sourcedId }) =>
      svc.single({
        principal,
        query,
        sourcedId,
        resource,
        envelope: key,
        where: where?.(),
      }),
  };
}
