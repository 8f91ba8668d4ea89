import type { Type } from '@nestjs/common';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  Actor,
  CATEGORIES_OF_CLASS_RULE,
  CATEGORY_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  GradebookKind,
  GradebookWriter,
  LINE_ITEM_RESOURCE,
  PARENTS,
  ParentCheck,
  RESOURCE_RESOURCE,
  RESULT_RESOURCE,
  ResourceDef,
  RosteringService,
  TenantScope,
  WriteOutcome,
  activeLineItemOfClass,
  activeObjects,
  categoriesOfClass,
  collectionRoute,
  lineItemsOfClass,
  parseCategory,
  parseLineItem,
  parseResult,
  resourcesOfClass,
  resourcesOfCourse,
  resultsOfClass,
  resultsOfLineItem,
  resultsOfStudentInClass,
  singleRoute,
} from '@oneroster/data-access-oneroster';
import type { Principal } from '@oneroster/util-http';
import {
  CategoriesEnvelopeDto,
  CategoryEnvelopeDto,
  LineItemEnvelopeDto,
  LineItemReadEnvelopeDto,
  LineItemsEnvelopeDto,
  ResourceEnvelopeDto,
  ResourcesEnvelopeDto,
  ResultEnvelopeDto,
  ResultReadEnvelopeDto,
  ResultsEnvelopeDto,
  TableController,
  controllerFromTable,
} from '@oneroster/util-oneroster-openapi';

/*
 * The 16 OneRoster 1.1 gradebook endpoints and the 4 resources endpoints (digest §2.3,
 * §2.4), one line each in GRADEBOOK_ROUTES. Scopes: gradebook.readonly for GET,
 * gradebook.createput for PUT, gradebook.delete for DELETE, resource.readonly for resources.
 * PUT with a new sourcedId creates (201), with an existing one replaces (200); DELETE answers
 * 204 and the object then answers 404 and is left out of collections, except delta queries
 * (a filter on status or dateLastModified), which see it as tobedeleted.
 */
const READ = [ONEROSTER_SCOPES.gradebookRead];
const RESOURCES = [ONEROSTER_SCOPES.resource];

type Deps = readonly [RosteringService, GradebookWriter];
type Envelope = abstract new (...args: never[]) => unknown;

const scopeOf = (p: Principal): TenantScope => ({ schoolIds: p.schoolIds });
const actorOf = (p: Principal): Actor => ({
  clientId: p.clientId,
  integratorId: p.integratorId,
  userId: p.userId,
});

type Put = (
  writer: GradebookWriter,
  scope: TenantScope,
  actor: Actor,
  sourcedId: string,
  body: unknown,
) => Promise<WriteOutcome>;

/**
 * `/categories`, `/lineItems`, `/results`: read (deleted objects answer 404 and are left
 * out of collections but delta queries), PUT (201 created, 200 replaced), DELETE (204).
 */
function objects(
  name: string,
  tag: string,
  kind: GradebookKind,
  plural: string,
  resource: ResourceDef,
  dtos: { list: Envelope; read: Envelope; write: Envelope },
  put: Put,
): TableController<Deps> {
  const Kind = `${kind[0].toUpperCase()}${kind.slice(1)}`;
  const Plural = `${plural[0].toUpperCase()}${plural.slice(1)}`;
  return {
    name,
    tag: `gradebook: ${tag}`,
    path: `${ONEROSTER_BASE_PATH}/${plural}`,
    inject: [RosteringService, GradebookWriter],
    routes: [
      collectionRoute({
        name: 'getAll',
        path: '',
        summary: `getAll${Plural}`,
        scopes: READ,
        envelope: dtos.list,
        resource,
        key: plural,
        hidden: true,
      }),
      singleRoute({
        name: 'get',
        path: ':sourcedId',
        summary: `get${Kind}`,
        scopes: READ,
        envelope: dtos.read,
        resource,
        key: kind,
        where: activeObjects,
      }),
      {
        kind: 'put',
        name: 'putOne',
        summary: `put${Kind}`,
        envelope: dtos.write,
        handle: async ([, writer], { res, principal, sourcedId, body }) => {
          const outcome = await put(
            writer,
            scopeOf(principal),
            actorOf(principal),
            sourcedId,
            body,
          );
          res.status(outcome.created ? 201 : 200);
          return { [kind]: outcome.object };
        },
      },
      {
        kind: 'delete',
        name: 'deleteOne',
        summary: `delete${Kind}`,
        handle: ([, writer], { principal, sourcedId }) =>
          writer.delete(
            scopeOf(principal),
            actorOf(principal),
            kind,
            sourcedId,
          ),
      },
    ],
  };
}

const { anyOf, withRole } = PARENTS;
const aClass = (c: string) => anyOf(CLASS_RESOURCE, c);
const lineItemOfClass = (c: string, l: string): ParentCheck => ({
  resource: LINE_ITEM_RESOURCE,
  sourcedId: l,
  where: activeLineItemOfClass(c),
  label: 'lineItem',
});

/** The gradebook and resources controllers, in the OpenAPI document's order. */
// prettier-ignore
export const GRADEBOOK_ROUTES: readonly TableController<Deps>[] = [
  objects('CategoriesController', 'categories', 'category', 'categories', CATEGORY_RESOURCE,
    { list: CategoriesEnvelopeDto, read: CategoryEnvelopeDto, write: CategoryEnvelopeDto },
    (w, s, a, id, body) => w.putCategory(s, a, id, parseCategory(body, id))),
  objects('LineItemsController', 'line items', 'lineItem', 'lineItems', LINE_ITEM_RESOURCE,
    { list: LineItemsEnvelopeDto, read: LineItemReadEnvelopeDto, write: LineItemEnvelopeDto },
    (w, s, a, id, body) => w.putLineItem(s, a, id, parseLineItem(body, id))),
  objects('ResultsController', 'results', 'result', 'results', RESULT_RESOURCE,
    { list: ResultsEnvelopeDto, read: ResultReadEnvelopeDto, write: ResultEnvelopeDto },
    (w, s, a, id, body) => w.putResult(s, a, id, parseResult(body, id))),
  {
    name: 'ClassGradebookController',
    tag: 'gradebook: classes',
    path: `${ONEROSTER_BASE_PATH}/classes`,
    inject: [RosteringService, GradebookWriter],
    routes: [
      collectionRoute({ name: 'lineItems', path: ':classSourcedId/lineItems', summary: 'getLineItemsForClass', scopes: READ, envelope: LineItemsEnvelopeDto, resource: LINE_ITEM_RESOURCE, key: 'lineItems', where: lineItemsOfClass, parents: (c) => [aClass(c)], hidden: true }),
      collectionRoute({ name: 'categories', path: ':classSourcedId/categories', summary: 'getCategoriesForClass', scopes: READ, envelope: CategoriesEnvelopeDto, resource: CATEGORY_RESOURCE, key: 'categories', where: categoriesOfClass, parents: (c) => [aClass(c)], hidden: true, description: CATEGORIES_OF_CLASS_RULE }),
      collectionRoute({ name: 'results', path: ':classSourcedId/results', summary: 'getResultsForClass', scopes: READ, envelope: ResultsEnvelopeDto, resource: RESULT_RESOURCE, key: 'results', where: resultsOfClass, parents: (c) => [aClass(c)], hidden: true }),
      collectionRoute({ name: 'lineItemResults', path: ':classSourcedId/lineItems/:lineItemSourcedId/results', summary: 'getResultsForLineItemForClass', scopes: READ, envelope: ResultsEnvelopeDto, resource: RESULT_RESOURCE, key: 'results', where: (_c, l) => resultsOfLineItem(l), parents: (c, l) => [aClass(c), lineItemOfClass(c, l)], hidden: true }),
      collectionRoute({ name: 'studentResults', path: ':classSourcedId/students/:studentSourcedId/results', summary: 'getResultsForStudentForClass', scopes: READ, envelope: ResultsEnvelopeDto, resource: RESULT_RESOURCE, key: 'results', where: (c, s) => resultsOfStudentInClass(s, c), parents: (c, s) => [aClass(c), withRole('student', s)], hidden: true }),
      collectionRoute({ name: 'resources', path: ':classSourcedId/resources', summary: 'getResourcesForClass', scopes: RESOURCES, envelope: ResourcesEnvelopeDto, resource: RESOURCE_RESOURCE, key: 'resources', where: resourcesOfClass, parents: (c) => [aClass(c)] }),
    ],
  },
  {
    name: 'ResourcesController',
    tag: 'resources',
    path: ONEROSTER_BASE_PATH,
    inject: [RosteringService, GradebookWriter],
    routes: [
      collectionRoute({ name: 'list', path: 'resources', summary: 'getAllResources', scopes: RESOURCES, envelope: ResourcesEnvelopeDto, resource: RESOURCE_RESOURCE, key: 'resources' }),
      singleRoute({ name: 'get', path: 'resources/:sourcedId', summary: 'getResource', scopes: RESOURCES, envelope: ResourceEnvelopeDto, resource: RESOURCE_RESOURCE, key: 'resource' }),
      collectionRoute({ name: 'forCourse', path: 'courses/:courseSourcedId/resources', summary: 'getResourcesForCourse', scopes: RESOURCES, envelope: ResourcesEnvelopeDto, resource: RESOURCE_RESOURCE, key: 'resources', where: resourcesOfCourse, parents: (c) => [anyOf(COURSE_RESOURCE, c)] }),
    ],
  },
];

/** Categories, line items, results, class gradebook, resources: one controller each. */
export const GRADEBOOK_CONTROLLERS: Type[] =
  GRADEBOOK_ROUTES.map(controllerFromTable);
