import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type {
  AccountView,
  ApplicationView,
  ApprovalReceipt,
  ApprovalView,
  AuditEventView,
  CreatedAccount,
  CredentialView,
  IntegratorSummary,
  IntegratorUsageView,
  IssuedCredential,
  PasswordReset,
  PortalMe,
  SandboxInfo,
  SchoolApplicationView,
  SchoolHomeView,
  SchoolSummary,
} from '@oneroster/contracts';
import {
  describeActor,
  PortalAccounts,
  PortalApplications,
  PortalApprovals,
  PortalAudit,
  PortalCredentials,
  PortalOnboarding,
  PortalSandbox,
  PortalSchoolHome,
  PortalUsage,
  type PortalActor,
} from '@oneroster/data-access-portal';
import { PortalExceptionFilter } from './portal-exception.filter';
import { ApiCategories, PortalApi } from './portal-swagger';
import {
  Actor,
  PortalSessionGuard,
  type PortalRequest,
} from './portal-session.guard';

/*
 * The portal's JSON API (contract: @oneroster/contracts portal.ts). Controllers translate
 * HTTP only: the caller comes from the session guard, every rule lives in
 * @oneroster/data-access-portal, every error leaves through PortalExceptionFilter.
 */

@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api')
export class PortalMeController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(PortalAccounts) private readonly accounts: PortalAccounts,
  ) {}

  @Get('me')
  me(
    @Actor() actor: PortalActor,
    @Req() req: PortalRequest,
  ): Promise<PortalMe> {
    return describeActor(
      this.ds,
      actor,
      req.portal?.session.csrfToken as string,
    );
  }

  /** Changes the caller's own password (current one required); other sessions end. */
  @Post('me/password')
  @HttpCode(204)
  async changePassword(
    @Actor() actor: PortalActor,
    @Req() req: PortalRequest,
    @Body() body: unknown,
  ): Promise<void> {
    await this.accounts.changeOwnPassword(
      actor,
      body,
      req.portal?.session.id as string,
    );
  }
}

/**
 * School administrators: their school's home page, applications, decisions, audit trail and
 * usage.
 */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api/schools/:schoolId')
export class PortalSchoolController {
  constructor(
    @Inject(PortalApprovals) private readonly approvals: PortalApprovals,
    @Inject(PortalAudit) private readonly audit: PortalAudit,
    @Inject(PortalUsage) private readonly usage: PortalUsage,
    @Inject(PortalCredentials) private readonly credentials: PortalCredentials,
    @Inject(PortalSchoolHome) private readonly home: PortalSchoolHome,
  ) {}

  @Get('home')
  schoolHome(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
  ): Promise<SchoolHomeView> {
    return this.home.forSchool(actor, schoolId);
  }

  @ApiCategories.schoolApplications()
  @Get('applications')
  applications(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
  ): Promise<SchoolApplicationView[]> {
    return this.approvals.listForSchool(actor, schoolId);
  }

  @ApiCategories.approve()
  @ApiCategories.approval()
  @Post('applications/:appId/approve')
  @HttpCode(200)
  approve(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Param('appId') appId: string,
    @Body() body: unknown,
  ): Promise<ApprovalView> {
    return this.approvals.approve(actor, schoolId, appId, body);
  }

  @ApiCategories.approval()
  @Post('applications/:appId/decline')
  @HttpCode(200)
  decline(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Param('appId') appId: string,
    @Body() body: unknown,
  ): Promise<ApprovalView> {
    return this.approvals.decline(actor, schoolId, appId, body);
  }

  @ApiCategories.approval()
  @Post('applications/:appId/revoke')
  @HttpCode(200)
  revoke(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Param('appId') appId: string,
  ): Promise<ApprovalView> {
    return this.approvals.revoke(actor, schoolId, appId);
  }

  @Get('audit')
  auditTrail(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<AuditEventView[]> {
    return this.audit.forSchool(actor, schoolId, { limit, before });
  }

  @Get('usage')
  usageByIntegrator(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Query('days') days?: string,
  ): Promise<IntegratorUsageView[]> {
    return this.usage.forSchool(actor, schoolId, days);
  }

  @Get('mis-credentials')
  @ApiOperation({
    summary:
      "The school's live client-credentials clients and the platform scopes each holds",
  })
  misCredentials(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
  ): Promise<CredentialView[]> {
    return this.credentials.listForSchool(actor, schoolId);
  }

  @Post('mis-credentials')
  @ApiOperation({
    summary:
      "Issue the school's MIS credential with school platform scopes (imports.write); the secret is in this answer only",
    description:
      'Body `MisCredentialRequest` `{ applicationId, platformScopes? }`: the client of an application the school approves (409 otherwise, or when it has one: change its scopes instead). School administrators and operators.',
  })
  issueMisCredential(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Body() body: unknown,
  ): Promise<IssuedCredential> {
    return this.credentials.issueMis(actor, schoolId, body);
  }

  @Put('mis-credentials/:clientId')
  @ApiOperation({
    summary:
      'Set the school platform scopes of one of the school’s clients (`[]` takes them away, at once)',
  })
  setMisScopes(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Param('clientId') clientId: string,
    @Body() body: unknown,
  ): Promise<CredentialView> {
    return this.credentials.setMisScopes(actor, schoolId, clientId, body);
  }

  /** The usage figures as a CSV download (text/csv, attachment with a file name). */
  @Get('usage.csv')
  async usageCsv(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Res({ passthrough: true }) res: Response,
    @Query('days') days?: string,
  ): Promise<string> {
    const csv = await this.usage.csvForSchool(actor, schoolId, days);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${csv.filename}"`,
    );
    return csv.body;
  }
}

/** Integrator developers: their integrator's applications, requests, credentials, sandbox. */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api')
export class PortalDeveloperController {
  constructor(
    @Inject(PortalApplications)
    private readonly applications: PortalApplications,
    @Inject(PortalApprovals) private readonly approvals: PortalApprovals,
    @Inject(PortalCredentials) private readonly credentials: PortalCredentials,
    @Inject(PortalSandbox) private readonly sandbox: PortalSandbox,
  ) {}

  @Get('schools/directory')
  directory(@Actor() actor: PortalActor): Promise<SchoolSummary[]> {
    return this.applications.directory(actor);
  }

  @ApiCategories.applications()
  @Get('integrators/:integratorId/applications')
  list(
    @Actor() actor: PortalActor,
    @Param('integratorId') integratorId: string,
  ): Promise<ApplicationView[]> {
    return this.applications.list(actor, integratorId);
  }

  @Post('integrators/:integratorId/applications')
  create(
    @Actor() actor: PortalActor,
    @Param('integratorId') integratorId: string,
    @Body() body: unknown,
  ): Promise<ApplicationView> {
    return this.applications.create(actor, integratorId, body);
  }

  @Patch('applications/:appId')
  update(
    @Actor() actor: PortalActor,
    @Param('appId') appId: string,
    @Body() body: unknown,
  ): Promise<ApplicationView> {
    return this.applications.update(actor, appId, body);
  }

  @Post('applications/:appId/schools/:schoolId/request')
  @HttpCode(200)
  request(
    @Actor() actor: PortalActor,
    @Param('appId') appId: string,
    @Param('schoolId') schoolId: string,
  ): Promise<ApprovalView> {
    return this.approvals.request(actor, appId, schoolId);
  }

  @Get('applications/:appId/credentials')
  listCredentials(
    @Actor() actor: PortalActor,
    @Param('appId') appId: string,
  ): Promise<CredentialView[]> {
    return this.credentials.list(actor, appId);
  }

  @Post('applications/:appId/credentials')
  createCredential(
    @Actor() actor: PortalActor,
    @Param('appId') appId: string,
    @Body() body: unknown,
  ): Promise<IssuedCredential> {
    return this.credentials.create(actor, appId, body);
  }

  @Post('credentials/:clientId/rotate')
  @HttpCode(200)
  rotate(
    @Actor() actor: PortalActor,
    @Param('clientId') clientId: string,
  ): Promise<IssuedCredential> {
    return this.credentials.rotate(actor, clientId);
  }

  @Post('credentials/:clientId/revoke')
  @HttpCode(200)
  revokeCredential(
    @Actor() actor: PortalActor,
    @Param('clientId') clientId: string,
  ): Promise<CredentialView> {
    return this.credentials.revoke(actor, clientId);
  }

  @Get('sandbox')
  sandboxInfo(@Actor() actor: PortalActor): Promise<SandboxInfo> {
    return this.sandbox.info(actor);
  }

  /** Both sides of a decision read its receipt. */
  @ApiCategories.receipt()
  @Get('receipts/:receiptId')
  receipt(
    @Actor() actor: PortalActor,
    @Param('receiptId') receiptId: string,
  ): Promise<ApprovalReceipt> {
    return this.approvals.receipt(actor, receiptId);
  }
}

/** Platform operators: onboarding and the whole audit trail. */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api')
export class PortalOperatorController {
  constructor(
    @Inject(PortalOnboarding) private readonly onboarding: PortalOnboarding,
    @Inject(PortalAccounts) private readonly lifecycle: PortalAccounts,
    @Inject(PortalAudit) private readonly audit: PortalAudit,
  ) {}

  @Get('integrators')
  integrators(@Actor() actor: PortalActor): Promise<IntegratorSummary[]> {
    return this.onboarding.integrators(actor);
  }

  @Post('integrators')
  createIntegrator(
    @Actor() actor: PortalActor,
    @Body() body: unknown,
  ): Promise<IntegratorSummary> {
    return this.onboarding.createIntegrator(actor, body);
  }

  @Get('schools')
  schools(@Actor() actor: PortalActor): Promise<SchoolSummary[]> {
    return this.onboarding.schools(actor);
  }

  @Post('schools')
  createSchool(
    @Actor() actor: PortalActor,
    @Body() body: unknown,
  ): Promise<SchoolSummary> {
    return this.onboarding.createSchool(actor, body);
  }

  @Get('accounts')
  accounts(@Actor() actor: PortalActor): Promise<AccountView[]> {
    return this.onboarding.accounts(actor);
  }

  @Post('accounts')
  createAccount(
    @Actor() actor: PortalActor,
    @Body() body: unknown,
  ): Promise<CreatedAccount> {
    return this.onboarding.createAccount(actor, body);
  }

  /** Disables an account: its portal sessions, sessions and grants end at once. */
  @Post('accounts/:accountId/disable')
  @HttpCode(200)
  disableAccount(
    @Actor() actor: PortalActor,
    @Param('accountId') accountId: string,
  ): Promise<AccountView> {
    return this.lifecycle.disable(actor, accountId);
  }

  @Post('accounts/:accountId/enable')
  @HttpCode(200)
  enableAccount(
    @Actor() actor: PortalActor,
    @Param('accountId') accountId: string,
  ): Promise<AccountView> {
    return this.lifecycle.enable(actor, accountId);
  }

  /** Takes one role away (`RoleRemoval`): the account's sessions and grants end at once. */
  @Post('accounts/:accountId/roles/remove')
  @HttpCode(200)
  removeRole(
    @Actor() actor: PortalActor,
    @Param('accountId') accountId: string,
    @Body() body: unknown,
  ): Promise<AccountView> {
    return this.lifecycle.removeRole(actor, accountId, body);
  }

  /** A new one-time password, shown once; the account's sessions and grants end. */
  @Post('accounts/:accountId/reset-password')
  @HttpCode(200)
  resetPassword(
    @Actor() actor: PortalActor,
    @Param('accountId') accountId: string,
  ): Promise<PasswordReset> {
    return this.lifecycle.resetPassword(actor, accountId);
  }

  @Get('audit')
  auditTrail(
    @Actor() actor: PortalActor,
    @Query('limit') limit?: string,
    @Query('before') before?: string,
  ): Promise<AuditEventView[]> {
    return this.audit.all(actor, { limit, before });
  }
}
