import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  Param,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiBadRequestResponse,
  ApiUnauthorizedResponse,
  ApiForbiddenResponse,
  ApiTooManyRequestsResponse,
  ApiServiceUnavailableResponse,
  ApiPayloadTooLargeResponse,
} from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Response } from 'express';
import type { CheckedSingleQuery } from '@oneroster/util-oneroster-query';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  CATEGORY_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  GradebookKind,
  GradebookWriter,
  LINE_ITEM_RESOURCE,
  RESOURCE_RESOURCE,
  RESULT_RESOURCE,
  ResourceDef,
  RosteringService,
  USER_RESOURCE,
  CATEGORIES_OF_CLASS_RULE,
  ParentCheck,
  activeLineItemOfClass,
  parseCategory,
  parseLineItem,
  parseResult,
  activeObjects,
  categoriesOfClass,
  fieldCatalogue,
  lineItemsOfClass,
  resourcesOfClass,
  resourcesOfCourse,
  resultsOfClass,
  resultsOfLineItem,
  resultsOfStudentInClass,
  usersWithRole,
} from '@oneroster/data-access-oneroster';
import {
  CategoriesEnvelopeDto,
  CategoryEnvelopeDto,
  CollectionEndpoint,
  LineItemEnvelopeDto,
  LineItemReadEnvelopeDto,
  LineItemsEnvelopeDto,
  OAUTH_SCHEME,
  ResourceEnvelopeDto,
  ResourcesEnvelopeDto,
  ResultEnvelopeDto,
  ResultReadEnvelopeDto,
  ResultsEnvelopeDto,
  SingleEndpoint,
  StatusInfoDto,
} from '@oneroster/util-oneroster-openapi';
import {
  Client,
  ClientLink,
  CurrentPrincipal,
  OneRosterQuery,
  OneRosterSingleQuery,
  Principal,
  RequestedQuery,
  RequireScopes,
} from '@oneroster/util-http';

/*
 * The 16 OneRoster 1.1 gradebook endpoints and the 4 resources endpoints (digest §2.3,
 * §2.4). Scopes: gradebook.readonly for GET, gradebook.createput for PUT, gradebook.delete
 * for DELETE, resource.readonly for resources. PUT with a new sourcedId creates (201), with
 * an existing one replaces (200); DELETE answers 204 and the object then answers 404 and is
 * left out of collections, except delta queries (a filter on status or dateLastModified),
 * which see it as tobedeleted.
 */
const READ = [ONEROSTER_SCOPES.gradebookRead];
const PUT = [ONEROSTER_SCOPES.gradebookCreatePut];
const DELETE = [ONEROSTER_SCOPES.gradebookDelete];
const RESOURCES = [ONEROSTER_SCOPES.resource];
const hidden = { hideDeletedUnlessDelta: true };
const Query = (r: ResourceDef) => OneRosterQuery(fieldCatalogue(r));
const Fields = (r: ResourceDef) => OneRosterSingleQuery(fieldCatalogue(r));
const aClass = (id: string): ParentCheck => ({
  resource: CLASS_RESOURCE,
  sourcedId: id,
});

type Type = abstract new (...args: never[]) => unknown;

function PutEndpoint(summary: string, envelope: Type) {
  return applyDecorators(
    Put(':sourcedId'),
    RequireScopes(...PUT),
    ApiOperation({
      summary,
      description:
        'Creates (201) or replaces (200) the object. Scope: gradebook.createput',
    }),
    ApiSecurity(OAUTH_SCHEME, PUT),
    ApiParam({
      name: 'sourcedId',
      description:
        'sourcedId of the object (the path wins; a body naming another is refused)',
    }),
    ApiBody({ type: envelope }),
    ApiCreatedResponse({ type: envelope, description: 'Created' }),
    ApiOkResponse({ type: envelope, description: 'Replaced' }),
    ApiBadRequestResponse({
      type: StatusInfoDto,
      description: 'Not a JSON object, or a body naming another sourcedId',
    }),
    ApiPayloadTooLargeResponse({
      type: StatusInfoDto,
      description: 'A body larger than 1 MB',
    }),
    ApiUnprocessableEntityResponse({
      type: StatusInfoDto,
      description:
        'Invalid content or a reference that does not exist in the school',
    }),
    ApiUnauthorizedResponse({ type: StatusInfoDto }),
    ApiForbiddenResponse({ type: StatusInfoDto }),
    ApiTooManyRequestsResponse({
      type: StatusInfoDto,
      description: 'Rate limit reached; see Retry-After',
    }),
    ApiServiceUnavailableResponse({
      type: StatusInfoDto,
      description: 'The database is unavailable; retry shortly',
    }),
  );
}

function DeleteEndpoint(summary: string) {
  return applyDecorators(
    Delete(':sourcedId'),
    HttpCode(204),
    RequireScopes(...DELETE),
    ApiOperation({
      summary,
      description: 'Marks the object deleted. Scope: gradebook.delete',
    }),
    ApiSecurity(OAUTH_SCHEME, DELETE),
    ApiParam({ name: 'sourcedId' }),
    ApiNoContentResponse({ description: 'Deleted' }),
    ApiNotFoundResponse({ type: StatusInfoDto, description: 'Unknown object' }),
    ApiUnauthorizedResponse({ type: StatusInfoDto }),
    ApiForbiddenResponse({ type: StatusInfoDto }),
    ApiTooManyRequestsResponse({
      type: StatusInfoDto,
      description: 'Rate limit reached; see Retry-After',
    }),
    ApiServiceUnavailableResponse({
      type: StatusInfoDto,
      description: 'The database is unavailable; retry shortly',
    }),
  );
}

const actorOf = (p: Principal) => ({
  clientId: p.clientId,
  integratorId: p.integratorId,
  userId: p.userId,
});

// Decorated so that TypeScript records the constructor's types for Nest's injector.
@Injectable()
abstract class GradebookObjects {
  protected abstract readonly kind: GradebookKind;
  protected abstract readonly resource: ResourceDef;
  protected abstract readonly plural: string;

  constructor(
    protected readonly svc: RosteringService,
    protected readonly writer: GradebookWriter,
  ) {}

  protected list(
    principal: Principal,
    query: RequestedQuery,
    client: ClientLink,
  ) {
    const { resource, plural: envelope } = this;
    return this.svc.collection({
      principal,
      query,
      client,
      resource,
      envelope,
      ...hidden,
    });
  }

  protected one(
    principal: Principal,
    query: CheckedSingleQuery,
    sourcedId: string,
  ) {
    const { resource, kind: envelope } = this;
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource,
      envelope,
      where: activeObjects(),
    });
  }

  protected async put(
    res: Response,
    write: () => Promise<{ created: boolean; object: Record<string, unknown> }>,
  ) {
    const outcome = await write();
    res.status(outcome.created ? 201 : 200);
    return { [this.kind]: outcome.object };
  }

  protected remove(p: Principal, id: string) {
    return this.writer.delete(
      { schoolIds: p.schoolIds },
      actorOf(p),
      this.kind,
      id,
    );
  }
}

@ApiTags('gradebook: categories')
@Controller(`${ONEROSTER_BASE_PATH}/categories`)
export class CategoriesController extends GradebookObjects {
  protected readonly kind = 'category';
  protected readonly resource = CATEGORY_RESOURCE;
  protected readonly plural = 'categories';

  @Get()
  @CollectionEndpoint('getAllCategories', READ, CategoriesEnvelopeDto)
  getAll(
    @CurrentPrincipal() p: Principal,
    @Query(CATEGORY_RESOURCE) q: RequestedQuery,
    @Client() c: ClientLink,
  ) {
    return this.list(p, q, c);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getCategory', READ, CategoryEnvelopeDto)
  get(
    @CurrentPrincipal() p: Principal,
    @Fields(CATEGORY_RESOURCE) f: CheckedSingleQuery,
    @Param('sourcedId') id: string,
  ) {
    return this.one(p, f, id);
  }

  @PutEndpoint('putCategory', CategoryEnvelopeDto)
  putOne(
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
    @Body() body: unknown,
  ) {
    return this.put(res, () =>
      this.writer.putCategory(
        { schoolIds: p.schoolIds },
        actorOf(p),
        id,
        parseCategory(body, id),
      ),
    );
  }

  @DeleteEndpoint('deleteCategory')
  deleteOne(@CurrentPrincipal() p: Principal, @Param('sourcedId') id: string) {
    return this.remove(p, id);
  }
}

@ApiTags('gradebook: line items')
@Controller(`${ONEROSTER_BASE_PATH}/lineItems`)
export class LineItemsController extends GradebookObjects {
  protected readonly kind = 'lineItem';
  protected readonly resource = LINE_ITEM_RESOURCE;
  protected readonly plural = 'lineItems';

  @Get()
  @CollectionEndpoint('getAllLineItems', READ, LineItemsEnvelopeDto)
  getAll(
    @CurrentPrincipal() p: Principal,
    @Query(LINE_ITEM_RESOURCE) q: RequestedQuery,
    @Client() c: ClientLink,
  ) {
    return this.list(p, q, c);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getLineItem', READ, LineItemReadEnvelopeDto)
  get(
    @CurrentPrincipal() p: Principal,
    @Fields(LINE_ITEM_RESOURCE) f: CheckedSingleQuery,
    @Param('sourcedId') id: string,
  ) {
    return this.one(p, f, id);
  }

  @PutEndpoint('putLineItem', LineItemEnvelopeDto)
  putOne(
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
    @Body() body: unknown,
  ) {
    return this.put(res, () =>
      this.writer.putLineItem(
        { schoolIds: p.schoolIds },
        actorOf(p),
        id,
        parseLineItem(body, id),
      ),
    );
  }

  @DeleteEndpoint('deleteLineItem')
  deleteOne(@CurrentPrincipal() p: Principal, @Param('sourcedId') id: string) {
    return this.remove(p, id);
  }
}

@ApiTags('gradebook: results')
@Controller(`${ONEROSTER_BASE_PATH}/results`)
export class ResultsController extends GradebookObjects {
  protected readonly kind = 'result';
  protected readonly resource = RESULT_RESOURCE;
  protected readonly plural = 'results';

  @Get()
  @CollectionEndpoint('getAllResults', READ, ResultsEnvelopeDto)
  getAll(
    @CurrentPrincipal() p: Principal,
    @Query(RESULT_RESOURCE) q: RequestedQuery,
    @Client() c: ClientLink,
  ) {
    return this.list(p, q, c);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getResult', READ, ResultReadEnvelopeDto)
  get(
    @CurrentPrincipal() p: Principal,
    @Fields(RESULT_RESOURCE) f: CheckedSingleQuery,
    @Param('sourcedId') id: string,
  ) {
    return this.one(p, f, id);
  }

  @PutEndpoint('putResult', ResultEnvelopeDto)
  putOne(
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
    @Body() body: unknown,
  ) {
    return this.put(res, () =>
      this.writer.putResult(
        { schoolIds: p.schoolIds },
        actorOf(p),
        id,
        parseResult(body, id),
      ),
    );
  }

  @DeleteEndpoint('deleteResult')
  deleteOne(@CurrentPrincipal() p: Principal, @Param('sourcedId') id: string) {
    return this.remove(p, id);
  }
}

@ApiTags('gradebook: classes')
@Controller(`${ONEROSTER_BASE_PATH}/classes`)
export class ClassGradebookController {
  constructor(private readonly svc: RosteringService) {}

  @Get(':classSourcedId/lineItems')
  @CollectionEndpoint('getLineItemsForClass', READ, LineItemsEnvelopeDto, [
    'classSourcedId',
  ])
  lineItems(
    @CurrentPrincipal() principal: Principal,
    @Query(LINE_ITEM_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') c: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: LINE_ITEM_RESOURCE,
      envelope: 'lineItems',
      where: lineItemsOfClass(c),
      parents: [aClass(c)],
      ...hidden,
    });
  }

  @Get(':classSourcedId/categories')
  @CollectionEndpoint(
    'getCategoriesForClass',
    READ,
    CategoriesEnvelopeDto,
    ['classSourcedId'],
    CATEGORIES_OF_CLASS_RULE,
  )
  categories(
    @CurrentPrincipal() principal: Principal,
    @Query(CATEGORY_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') c: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: CATEGORY_RESOURCE,
      envelope: 'categories',
      where: categoriesOfClass(c),
      parents: [aClass(c)],
      ...hidden,
    });
  }

  @Get(':classSourcedId/results')
  @CollectionEndpoint('getResultsForClass', READ, ResultsEnvelopeDto, [
    'classSourcedId',
  ])
  results(
    @CurrentPrincipal() principal: Principal,
    @Query(RESULT_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') c: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: RESULT_RESOURCE,
      envelope: 'results',
      where: resultsOfClass(c),
      parents: [aClass(c)],
      ...hidden,
    });
  }

  @Get(':classSourcedId/lineItems/:lineItemSourcedId/results')
  @CollectionEndpoint(
    'getResultsForLineItemForClass',
    READ,
    ResultsEnvelopeDto,
    ['classSourcedId', 'lineItemSourcedId'],
  )
  lineItemResults(
    @CurrentPrincipal() principal: Principal,
    @Query(RESULT_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') c: string,
    @Param('lineItemSourcedId') l: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: RESULT_RESOURCE,
      envelope: 'results',
      where: resultsOfLineItem(l),
      parents: [
        aClass(c),
        {
          resource: LINE_ITEM_RESOURCE,
          sourcedId: l,
          where: activeLineItemOfClass(c),
          label: 'lineItem',
        },
      ],
      ...hidden,
    });
  }

  @Get(':classSourcedId/students/:studentSourcedId/results')
  @CollectionEndpoint(
    'getResultsForStudentForClass',
    READ,
    ResultsEnvelopeDto,
    ['classSourcedId', 'studentSourcedId'],
  )
  studentResults(
    @CurrentPrincipal() principal: Principal,
    @Query(RESULT_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') c: string,
    @Param('studentSourcedId') s: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: RESULT_RESOURCE,
      envelope: 'results',
      where: resultsOfStudentInClass(s, c),
      parents: [
        aClass(c),
        {
          resource: USER_RESOURCE,
          sourcedId: s,
          where: usersWithRole('student'),
          label: 'student',
        },
      ],
      ...hidden,
    });
  }

  @Get(':classSourcedId/resources')
  @CollectionEndpoint('getResourcesForClass', RESOURCES, ResourcesEnvelopeDto, [
    'classSourcedId',
  ])
  resources(
    @CurrentPrincipal() principal: Principal,
    @Query(RESOURCE_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('classSourcedId') c: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: RESOURCE_RESOURCE,
      envelope: 'resources',
      where: resourcesOfClass(c),
      parents: [aClass(c)],
    });
  }
}

@ApiTags('resources')
@Controller(ONEROSTER_BASE_PATH)
export class ResourcesController {
  constructor(private readonly svc: RosteringService) {}

  @Get('resources')
  @CollectionEndpoint('getAllResources', RESOURCES, ResourcesEnvelopeDto)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(RESOURCE_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: RESOURCE_RESOURCE,
      envelope: 'resources',
    });
  }

  @Get('resources/:sourcedId')
  @SingleEndpoint('getResource', RESOURCES, ResourceEnvelopeDto)
  get(
    @CurrentPrincipal() principal: Principal,
    @Fields(RESOURCE_RESOURCE) query: CheckedSingleQuery,
    @Param('sourcedId') sourcedId: string,
  ) {
    return this.svc.single({
      principal,
      query,
      sourcedId,
      resource: RESOURCE_RESOURCE,
      envelope: 'resource',
    });
  }

  @Get('courses/:courseSourcedId/resources')
  @CollectionEndpoint(
    'getResourcesForCourse',
    RESOURCES,
    ResourcesEnvelopeDto,
    ['courseSourcedId'],
  )
  forCourse(
    @CurrentPrincipal() principal: Principal,
    @Query(RESOURCE_RESOURCE) query: RequestedQuery,
    @Client() client: ClientLink,
    @Param('courseSourcedId') c: string,
  ) {
    return this.svc.collection({
      principal,
      query,
      client,
      resource: RESOURCE_RESOURCE,
      envelope: 'resources',
      where: resourcesOfCourse(c),
      parents: [{ resource: COURSE_RESOURCE, sourcedId: c }],
    });
  }
}
