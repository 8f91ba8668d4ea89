import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiConsumes,
  ApiOperation,
  ApiQuery,
  ApiResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  PLATFORM_API_PATH,
  SCHOOL_PLATFORM_SCOPES,
  type ImportJobView,
} from '@oneroster/contracts';
import { PlatformProblem } from '@oneroster/data-access-platform';
import {
  PortalImports,
  type SchoolClientActor,
} from '@oneroster/data-access-portal';
import { PlatformExceptionFilter } from './platform-exception.filter';
import { PlatformApi } from './platform-swagger';
import {
  Caller,
  PlatformTokenGuard,
  RequirePlatformScope,
  type PlatformCallerContext,
} from './platform-token.guard';

const { importsWrite } = SCHOOL_PLATFORM_SCOPES;

/** The school client calling, as the import rules and the audit trail see it. */
const importer = (
  caller: PlatformCallerContext,
  req: Request,
): SchoolClientActor => ({
  client: { clientId: caller.clientId, name: caller.clientName },
  schoolId: caller.schoolId as string,
  ip: req.ip ?? null,
});

/**
 * A school's MIS importing OneRoster CSV sets into its own school: the portal's upload
 * rules, job queue, progress and report (`PortalImports`), with the school client as the
 * actor. The school is the token's; another school's job answers 404.
 */
@PlatformApi('imports', importsWrite)
@UseGuards(PlatformTokenGuard)
@UseFilters(PlatformExceptionFilter)
@Controller('platform/v1/imports')
export class PlatformImportsController {
  constructor(@Inject(PortalImports) private readonly imports: PortalImports) {}

  @Post()
  @HttpCode(202)
  @RequirePlatformScope(importsWrite)
  @ApiConsumes('application/zip')
  @ApiOperation({
    summary: 'Import a OneRoster CSV zip (1.1 or 1.2 set) into the school',
    description:
      "Scope `imports.write` (a school client's token). The raw zip is the body (`Content-Type: application/zip`, at most 500 MB). `mode=validate` runs every check and writes nothing; `mode=apply` (default) writes everything or nothing. Answers 202 with the queued job and its `Location`; poll it until `finishedAt` is set.",
  })
  @ApiQuery({ name: 'mode', required: false, enum: ['apply', 'validate'] })
  @ApiResponse({
    status: 202,
    description:
      '`ImportJobView` (queued); `Location: /platform/v1/imports/{id}`',
  })
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
      'too_many_imports: the school already has as many imports queued, running or arriving as it may',
  })
  async upload(
    @Caller() caller: PlatformCallerContext,
    @Query('mode') mode: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportJobView> {
    const job = await this.imports.upload(
      importer(caller, req),
      caller.schoolId as string,
      mode,
      {
        contentType: req.headers['content-type'],
        contentLength: req.headers['content-length'],
        body: req,
      },
    );
    res.setHeader('Location', `${PLATFORM_API_PATH}/imports/${job.id}`);
    return job;
  }

  @Get()
  @RequirePlatformScope(importsWrite)
  @ApiOperation({ summary: "The school's import jobs, newest first" })
  @ApiResponse({ status: 200, description: '`ImportJobView[]`' })
  list(
    @Caller() caller: PlatformCallerContext,
    @Req() req: Request,
  ): Promise<ImportJobView[]> {
    return this.imports.list(importer(caller, req), caller.schoolId as string);
  }

  @Get(':jobId')
  @RequirePlatformScope(importsWrite)
  @ApiOperation({
    summary:
      'An import job: status, percent, phase, rows read, the report once validated',
  })
  @ApiResponse({ status: 200, description: '`ImportJobView`' })
  get(
    @Caller() caller: PlatformCallerContext,
    @Param('jobId') jobId: string,
    @Req() req: Request,
  ): Promise<ImportJobView> {
    return this.imports.get(
      importer(caller, req),
      caller.schoolId as string,
      jobId,
    );
  }

  @Get(':jobId/report')
  @RequirePlatformScope(importsWrite)
  @ApiOperation({
    summary: "The job's validation report (as the portal shows it)",
    description:
      'Error and warning counts, the first issues of each with file, line, column, value and message (code in brackets), and rows per file. 409 until validation has finished.',
  })
  @ApiResponse({ status: 200, description: "`ImportJobView['report']`" })
  @ApiResponse({ status: 409, description: 'conflict: not validated yet' })
  async report(
    @Caller() caller: PlatformCallerContext,
    @Param('jobId') jobId: string,
    @Req() req: Request,
  ): Promise<NonNullable<ImportJobView['report']>> {
    const job = await this.imports.get(
      importer(caller, req),
      caller.schoolId as string,
      jobId,
    );
    if (!job.report)
      throw new PlatformProblem(
        'conflict',
        `the job is ${job.status}; its report is ready once validation has finished`,
      );
    return job.report;
  }
}
