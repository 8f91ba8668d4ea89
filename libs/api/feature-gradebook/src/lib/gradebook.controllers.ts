import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  Param,
  Put,
  Req,
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
import type { Request, Response } from 'express';
import { ONEROSTER_BASE_PATH, ONEROSTER_SCOPES } from '@oneroster/contracts';
import {
  CATEGORY_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  Condition,
  GradebookKind,
  GradebookWriter,
  LINE_ITEM_RESOURCE,
  RESOURCE_RESOURCE,
  RESULT_RESOURCE,
  ResourceDef,
  RosteringService,
  USER_RESOURCE,
  T,
  columnEquals,
  linkedThrough,
} from '@oneroster/data-access-oneroster';
import {
  CategoriesEnvelopeDto,
  CategoryEnvelopeDto,
  CollectionEndpoint,
  LineItemEnvelopeDto,
  LineItemsEnvelopeDto,
  OAUTH_SCHEME,
  ResourceEnvelopeDto,
  ResourcesEnvelopeDto,
  ResultEnvelopeDto,
  ResultsEnvelopeDto,
  SingleEndpoint,
  StatusInfoDto,
} from '@oneroster/util-oneroster-openapi';
import {
  CurrentPrincipal,
  Principal,
  RequireScopes,
} from '@oneroster/util-http';
import { parseCategory, parseLineItem, parseResult } from './bodies';

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
const active = columnEquals('status', 'active');
const hidden = { hideDeletedUnlessDelta: true };

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

  protected list(req: Request, res: Response, p: Principal) {
    return this.svc.collection(
      req,
      res,
      p,
      this.resource,
      this.plural,
      [],
      hidden,
    );
  }

  protected one(req: Request, p: Principal, id: string) {
    return this.svc.single(req, p, this.resource, this.kind, id, [active]);
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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.list(req, res, p);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getCategory', READ, CategoryEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.one(req, p, id);
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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.list(req, res, p);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getLineItem', READ, LineItemEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.one(req, p, id);
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
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.list(req, res, p);
  }

  @Get(':sourcedId')
  @SingleEndpoint('getResult', READ, ResultEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.one(req, p, id);
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

/** Results whose line item belongs to the class. */
const ofClass = (classId: string): Condition =>
  linkedThrough(
    'line_items',
    'sourced_id',
    { class_sourced_id: classId },
    { outerColumn: 'line_item_sourced_id', activeOnly: false },
  );

/**
 * The categories of a class (OneRoster 1.2's `getCategoriesForClass`, which 1.1 lacks:
 * Google Classroom calls it against 1.1 providers too). A 1.1 category has no class, so:
 * the categories the class's active line items use, plus the categories of the class's
 * school that no active line item of any class uses (available to every class, e.g. one
 * just created). A category another class's line items use is that class's, not this one's.
 */
const CATEGORIES_OF_CLASS_RULE =
  "Extension (OneRoster 1.2's getCategoriesForClass, served on 1.1). A 1.1 category belongs to no class, so this answers the categories used by the class's active line items, plus the categories of the class's school that no active line item of any class uses. 404 for an unknown class.";

const categoriesOfClass =
  (classId: string): Condition =>
  (q) => {
    const usedHere = linkedThrough('line_items', 'category_sourced_id', {
      class_sourced_id: classId,
    })(q);
    const usedAnywhere = linkedThrough(
      'line_items',
      'category_sourced_id',
      {},
    )(q);
    const sameSchool = `EXISTS (SELECT 1 FROM ${q('classes')} c WHERE c.${q('school_id')} = ${T}.${q('school_id')} AND c.${q('sourced_id')} = ?)`;
    return {
      text: `(${usedHere.text} OR (${sameSchool} AND NOT ${usedAnywhere.text}))`,
      params: [...usedHere.params, classId, ...usedAnywhere.params],
    };
  };

@ApiTags('gradebook: classes')
@Controller(`${ONEROSTER_BASE_PATH}/classes`)
export class ClassGradebookController {
  constructor(private readonly svc: RosteringService) {}

  @Get(':classSourcedId/lineItems')
  @CollectionEndpoint('getLineItemsForClass', READ, LineItemsEnvelopeDto, [
    'classSourcedId',
  ])
  async lineItems(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') c: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, c);
    return this.svc.collection(
      req,
      res,
      p,
      LINE_ITEM_RESOURCE,
      'lineItems',
      [columnEquals('class_sourced_id', c)],
      hidden,
    );
  }

  @Get(':classSourcedId/categories')
  @CollectionEndpoint(
    'getCategoriesForClass',
    READ,
    CategoriesEnvelopeDto,
    ['classSourcedId'],
    CATEGORIES_OF_CLASS_RULE,
  )
  async categories(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') c: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, c);
    return this.svc.collection(
      req,
      res,
      p,
      CATEGORY_RESOURCE,
      'categories',
      [categoriesOfClass(c)],
      hidden,
    );
  }

  @Get(':classSourcedId/results')
  @CollectionEndpoint('getResultsForClass', READ, ResultsEnvelopeDto, [
    'classSourcedId',
  ])
  async results(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') c: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, c);
    return this.svc.collection(
      req,
      res,
      p,
      RESULT_RESOURCE,
      'results',
      [ofClass(c)],
      hidden,
    );
  }

  @Get(':classSourcedId/lineItems/:lineItemSourcedId/results')
  @CollectionEndpoint(
    'getResultsForLineItemForClass',
    READ,
    ResultsEnvelopeDto,
    ['classSourcedId', 'lineItemSourcedId'],
  )
  async lineItemResults(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') c: string,
    @Param('lineItemSourcedId') l: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, c);
    await this.svc.requireParent(
      p,
      LINE_ITEM_RESOURCE,
      l,
      [active, columnEquals('class_sourced_id', c)],
      'lineItem',
    );
    return this.svc.collection(
      req,
      res,
      p,
      RESULT_RESOURCE,
      'results',
      [columnEquals('line_item_sourced_id', l)],
      hidden,
    );
  }

  @Get(':classSourcedId/students/:studentSourcedId/results')
  @CollectionEndpoint(
    'getResultsForStudentForClass',
    READ,
    ResultsEnvelopeDto,
    ['classSourcedId', 'studentSourcedId'],
  )
  async studentResults(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') c: string,
    @Param('studentSourcedId') s: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, c);
    await this.svc.requireParent(
      p,
      USER_RESOURCE,
      s,
      [columnEquals('role', 'student')],
      'student',
    );
    return this.svc.collection(
      req,
      res,
      p,
      RESULT_RESOURCE,
      'results',
      [columnEquals('student_sourced_id', s), ofClass(c)],
      hidden,
    );
  }

  @Get(':classSourcedId/resources')
  @CollectionEndpoint('getResourcesForClass', RESOURCES, ResourcesEnvelopeDto, [
    'classSourcedId',
  ])
  async resources(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('classSourcedId') c: string,
  ) {
    await this.svc.requireParent(p, CLASS_RESOURCE, c);
    return this.svc.collection(req, res, p, RESOURCE_RESOURCE, 'resources', [
      linkedThrough('class_resources', 'resource_sourced_id', {
        class_sourced_id: c,
      }),
    ]);
  }
}

@ApiTags('resources')
@Controller(ONEROSTER_BASE_PATH)
export class ResourcesController {
  constructor(private readonly svc: RosteringService) {}

  @Get('resources')
  @CollectionEndpoint('getAllResources', RESOURCES, ResourcesEnvelopeDto)
  list(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.svc.collection(req, res, p, RESOURCE_RESOURCE, 'resources');
  }

  @Get('resources/:sourcedId')
  @SingleEndpoint('getResource', RESOURCES, ResourceEnvelopeDto)
  get(
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Param('sourcedId') id: string,
  ) {
    return this.svc.single(req, p, RESOURCE_RESOURCE, 'resource', id);
  }

  @Get('courses/:courseSourcedId/resources')
  @CollectionEndpoint(
    'getResourcesForCourse',
    RESOURCES,
    ResourcesEnvelopeDto,
    ['courseSourcedId'],
  )
  async forCourse(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Param('courseSourcedId') c: string,
  ) {
    await this.svc.requireParent(p, COURSE_RESOURCE, c);
    return this.svc.collection(req, res, p, RESOURCE_RESOURCE, 'resources', [
      linkedThrough('course_resources', 'resource_sourced_id', {
        course_sourced_id: c,
      }),
    ]);
  }
}
