import {
  All,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBody,
  ApiExcludeController,
  ApiOperation,
  ApiQuery,
  ApiResponse,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import {
  INTEGRATOR_API_SCOPES,
  PLATFORM_EVENT_TYPES,
  type CreatedWebhook,
  type CredentialView,
  type IssuedCredential,
  type PlatformApprovalView,
  type PlatformPage,
  type WebhookDeliveryView,
  type WebhookView,
} from '@oneroster/contracts';
import {
  listIntegratorApprovals,
  PlatformProblem,
  PlatformWebhooks,
} from '@oneroster/data-access-platform';
import { PortalCredentials } from '@oneroster/data-access-portal';
import { PlatformExceptionFilter } from './platform-exception.filter';
import { PlatformApi } from './platform-swagger';
import {
  Caller,
  PlatformTokenGuard,
  RequirePlatformScope,
  type PlatformCallerContext,
} from './platform-token.guard';

/*
 * The platform API (contract: @oneroster/contracts platform-api.ts). Controllers translate
 * HTTP only: the caller comes from the token guard, the rules live in the data-access libs,
 * every error leaves through PlatformExceptionFilter.
 */

@PlatformApi('approvals', INTEGRATOR_API_SCOPES.approvalsRead)
@UseGuards(PlatformTokenGuard)
@UseFilters(PlatformExceptionFilter)
@Controller('platform/v1')
export class PlatformApprovalsController {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  @Get('approvals')
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.approvalsRead)
  @ApiOperation({
    summary: "Schools' decisions about the integrator's applications",
    description:
      'Scope `approvals.read`. For delta polling pass the largest `updatedAt` seen as `updatedSince` (inclusive). Ordered by updatedAt, then approval id. Page with `cursor` (the `next` of the previous page; null on the last) or, for compatibility, `offset` (not both).',
  })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['pending', 'approved', 'declined', 'revoked'],
  })
  @ApiQuery({
    name: 'updatedSince',
    required: false,
    description: 'ISO 8601 date-time',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: '1–1000, default 100',
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description:
      'opaque: the `next` of the previous page; continues after its last row',
  })
  @ApiQuery({
    name: 'offset',
    required: false,
    description: 'default 0; not with `cursor`',
  })
  @ApiResponse({
    status: 200,
    description:
      '`{ data: PlatformApprovalView[], total, limit, offset, next }` (`next`: the cursor of the next page, or null)',
  })
  approvals(
    @Caller() caller: PlatformCallerContext,
    @Query() query: Record<string, unknown>,
  ): Promise<PlatformPage<PlatformApprovalView>> {
    return listIntegratorApprovals(this.ds, caller.integratorId, query);
  }
}

@PlatformApi('credentials', INTEGRATOR_API_SCOPES.credentialsManage)
@UseGuards(PlatformTokenGuard)
@UseFilters(PlatformExceptionFilter)
@Controller('platform/v1/applications/:appId/schools/:schoolId/credentials')
export class PlatformCredentialsController {
  constructor(
    @Inject(PortalCredentials) private readonly credentials: PortalCredentials,
  ) {}

  @Post()
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.credentialsManage)
  @ApiOperation({
    summary:
      "Issue the application's client-credentials client for an approving school",
    description:
      'Scope `credentials.manage`. The secret is in this answer only. 404 for a school without a decision, 409 for one that has not approved or a client that exists (rotate it).',
  })
  @ApiResponse({ status: 201, description: '`IssuedCredential`' })
  @ApiResponse({ status: 409, description: 'conflict' })
  issue(
    @Caller() caller: PlatformCallerContext,
    @Param('appId') appId: string,
    @Param('schoolId') schoolId: string,
  ): Promise<IssuedCredential> {
    return this.credentials.issueForSchool(caller, appId, schoolId);
  }

  @Post('rotate')
  @HttpCode(200)
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.credentialsManage)
  @ApiOperation({
    summary: 'Rotate the secret; the previous one stays valid for 24 hours',
    description: 'Scope `credentials.manage`. Only while the school approves.',
  })
  @ApiResponse({ status: 200, description: '`IssuedCredential`' })
  rotate(
    @Caller() caller: PlatformCallerContext,
    @Param('appId') appId: string,
    @Param('schoolId') schoolId: string,
  ): Promise<IssuedCredential> {
    return this.credentials.rotateForSchool(caller, appId, schoolId);
  }

  @Delete()
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.credentialsManage)
  @ApiOperation({
    summary: 'Revoke the client; it stops at once',
    description: 'Scope `credentials.manage`.',
  })
  @ApiResponse({ status: 200, description: '`CredentialView`' })
  revoke(
    @Caller() caller: PlatformCallerContext,
    @Param('appId') appId: string,
    @Param('schoolId') schoolId: string,
  ): Promise<CredentialView> {
    return this.credentials.revokeForSchool(caller, appId, schoolId);
  }
}

@PlatformApi('webhooks', INTEGRATOR_API_SCOPES.webhooksManage)
@UseGuards(PlatformTokenGuard)
@UseFilters(PlatformExceptionFilter)
@Controller('platform/v1/webhooks')
export class PlatformWebhooksController {
  constructor(
    @Inject(PlatformWebhooks) private readonly webhooks: PlatformWebhooks,
  ) {}

  @Post()
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.webhooksManage)
  @ApiOperation({
    summary: 'Register an endpoint; the signing secret is in this answer only',
    description:
      'Scope `webhooks.manage`. `url`: https (http only on a loopback host, in development). `events`: default all.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string', format: 'uri' },
        events: {
          type: 'array',
          items: { type: 'string', enum: [...PLATFORM_EVENT_TYPES] },
        },
      },
    },
  })
  @ApiResponse({ status: 201, description: '`CreatedWebhook` (with `secret`)' })
  create(
    @Caller() caller: PlatformCallerContext,
    @Body() body: unknown,
  ): Promise<CreatedWebhook> {
    return this.webhooks.create(caller.integratorId, body);
  }

  @Get()
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.webhooksManage)
  @ApiOperation({ summary: "The integrator's endpoints (never a secret)" })
  @ApiResponse({ status: 200, description: '`WebhookView[]`' })
  list(@Caller() caller: PlatformCallerContext): Promise<WebhookView[]> {
    return this.webhooks.list(caller.integratorId);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.webhooksManage)
  @ApiOperation({ summary: 'Delete an endpoint; its pending deliveries end' })
  @ApiResponse({ status: 204, description: 'deleted' })
  async remove(
    @Caller() caller: PlatformCallerContext,
    @Param('id') id: string,
  ): Promise<void> {
    await this.webhooks.remove(caller.integratorId, id);
  }

  @Get(':id/deliveries')
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.webhooksManage)
  @ApiOperation({
    summary: 'The delivery log, newest first, with every attempt',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiResponse({
    status: 200,
    description: '`{ data: WebhookDeliveryView[], total, limit, offset }`',
  })
  deliveries(
    @Caller() caller: PlatformCallerContext,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<PlatformPage<WebhookDeliveryView>> {
    return this.webhooks.deliveries(caller.integratorId, id, query);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @RequirePlatformScope(INTEGRATOR_API_SCOPES.webhooksManage)
  @ApiOperation({
    summary: 'Deliver the same event again (a new delivery, due at once)',
  })
  @ApiResponse({ status: 202, description: '`WebhookDeliveryView`' })
  replay(
    @Caller() caller: PlatformCallerContext,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.replay(caller.integratorId, id, deliveryId);
  }
}

/** Anything else under /platform answers a PlatformError 404 (registered last). */
@ApiExcludeController()
@UseFilters(PlatformExceptionFilter)
@Controller('platform')
export class PlatformFallbackController {
  @All(['', '*rest'])
  unknown(): never {
    throw new PlatformProblem('not_found', 'no such platform route');
  }
}
