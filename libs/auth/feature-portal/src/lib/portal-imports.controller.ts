import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiConsumes, ApiResponse } from '@nestjs/swagger';
import type { ImportJobView } from '@oneroster/contracts';
import { PortalImports, type PortalActor } from '@oneroster/data-access-portal';
import { PortalExceptionFilter } from './portal-exception.filter';
import { PortalApi } from './portal-swagger';
import {
  Actor,
  PortalSessionGuard,
  type PortalRequest,
} from './portal-session.guard';

/**
 * A school's CSV imports. The zip is the raw request body (`Content-Type: application/zip`);
 * `PortalImports.upload` holds the rules (streamed to a file within the size limit, a place
 * in the school's queue first, 202 with the queued job), shared with the platform API.
 */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api/schools/:schoolId/imports')
export class PortalImportsController {
  constructor(@Inject(PortalImports) private readonly imports: PortalImports) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes('application/zip')
  @ApiResponse({
    status: 413,
    description: 'payload_too_large: the zip is over the limit',
  })
  @ApiResponse({
    status: 415,
    description: 'unsupported_media_type: not a zip body',
  })
  @ApiResponse({
    status: 429,
    description:
      'too_many_imports: the school already has as many imports queued, running or arriving as it may (CSV_MAX_QUEUED_IMPORTS)',
  })
  upload(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Query('mode') mode: string | undefined,
    @Req() req: PortalRequest,
  ): Promise<ImportJobView> {
    return this.imports.upload(actor, schoolId, mode, {
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length'],
      body: req,
    });
  }

  @Get()
  list(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
  ): Promise<ImportJobView[]> {
    return this.imports.list(actor, schoolId);
  }

  @Get(':jobId')
  get(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Param('jobId') jobId: string,
  ): Promise<ImportJobView> {
    return this.imports.get(actor, schoolId, jobId);
  }
}
