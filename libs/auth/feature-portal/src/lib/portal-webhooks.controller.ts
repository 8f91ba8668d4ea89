import {
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
import type {
  CreatedWebhook,
  PlatformPage,
  WebhookDeliveryView,
  WebhookView,
} from '@oneroster/contracts';
import {
  PortalWebhooks,
  type PortalActor,
} from '@oneroster/data-access-portal';
import { PortalExceptionFilter } from './portal-exception.filter';
import { PortalApi } from './portal-swagger';
import { Actor, PortalSessionGuard } from './portal-session.guard';

/**
 * Integrator developers: their integrator's webhooks, through the platform API's own
 * service (the same rules as `/platform/v1/webhooks`), with the portal's session, CSRF
 * token and roles.
 */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api')
export class PortalWebhooksController {
  constructor(
    @Inject(PortalWebhooks) private readonly webhooks: PortalWebhooks,
  ) {}

  @Get('integrators/:integratorId/webhooks')
  list(
    @Actor() actor: PortalActor,
    @Param('integratorId') integratorId: string,
  ): Promise<WebhookView[]> {
    return this.webhooks.list(actor, integratorId);
  }

  @Post('integrators/:integratorId/webhooks')
  create(
    @Actor() actor: PortalActor,
    @Param('integratorId') integratorId: string,
    @Body() body: unknown,
  ): Promise<CreatedWebhook> {
    return this.webhooks.create(actor, integratorId, body);
  }

  @Delete('webhooks/:webhookId')
  @HttpCode(204)
  async remove(
    @Actor() actor: PortalActor,
    @Param('webhookId') webhookId: string,
  ): Promise<void> {
    await this.webhooks.remove(actor, webhookId);
  }

  @Get('webhooks/:webhookId/deliveries')
  deliveries(
    @Actor() actor: PortalActor,
    @Param('webhookId') webhookId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<PlatformPage<WebhookDeliveryView>> {
    return this.webhooks.deliveries(actor, webhookId, query);
  }

  @Post('webhooks/:webhookId/deliveries/:deliveryId/replay')
  @HttpCode(202)
  replay(
    @Actor() actor: PortalActor,
    @Param('webhookId') webhookId: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<WebhookDeliveryView> {
    return this.webhooks.replay(actor, webhookId, deliveryId);
  }
}
