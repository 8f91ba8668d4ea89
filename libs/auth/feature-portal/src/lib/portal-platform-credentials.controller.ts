import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type {
  IntegratorCredentialView,
  IssuedIntegratorCredential,
} from '@oneroster/contracts';
import {
  PortalIntegratorCredentials,
  type PortalActor,
} from '@oneroster/data-access-portal';
import { PortalExceptionFilter } from './portal-exception.filter';
import { PortalApi } from './portal-swagger';
import { Actor, PortalSessionGuard } from './portal-session.guard';

/** Integrator developers: their integrator's platform API credentials. */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api')
export class PortalPlatformCredentialsController {
  constructor(
    @Inject(PortalIntegratorCredentials)
    private readonly credentials: PortalIntegratorCredentials,
  ) {}

  @Get('integrators/:integratorId/platform-credentials')
  list(
    @Actor() actor: PortalActor,
    @Param('integratorId') integratorId: string,
  ): Promise<IntegratorCredentialView[]> {
    return this.credentials.list(actor, integratorId);
  }

  @Post('integrators/:integratorId/platform-credentials')
  create(
    @Actor() actor: PortalActor,
    @Param('integratorId') integratorId: string,
    @Body() body: unknown,
  ): Promise<IssuedIntegratorCredential> {
    return this.credentials.create(actor, integratorId, body);
  }

  @Post('platform-credentials/:clientId/rotate')
  @HttpCode(200)
  rotate(
    @Actor() actor: PortalActor,
    @Param('clientId') clientId: string,
  ): Promise<IssuedIntegratorCredential> {
    return this.credentials.rotate(actor, clientId);
  }

  @Post('platform-credentials/:clientId/revoke')
  @HttpCode(200)
  revoke(
    @Actor() actor: PortalActor,
    @Param('clientId') clientId: string,
  ): Promise<IntegratorCredentialView> {
    return this.credentials.revoke(actor, clientId);
  }
}
