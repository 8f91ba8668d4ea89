import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
import {
  PortalImports,
  PortalProblem,
  type CsvImportSlot,
  type PortalActor,
} from '@oneroster/data-access-portal';
import { PortalExceptionFilter } from './portal-exception.filter';
import { PortalApi } from './portal-swagger';
import {
  Actor,
  PortalSessionGuard,
  type PortalRequest,
} from './portal-session.guard';
import { PORTAL_SETTINGS, type PortalSettings } from './portal-settings';

const ZIP_TYPES = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/octet-stream',
]);

/**
 * A school's CSV imports. The zip is the raw request body (`Content-Type: application/zip`),
 * streamed to a temporary file (never held in memory) and refused with 413 beyond the
 * configured size, before or while it arrives; then a background job takes the file and the
 * call answers 202 with the queued job. A school at its cap of queued imports is refused
 * with 429 before the body is read; the upload's place counts while it arrives.
 */
@PortalApi()
@UseGuards(PortalSessionGuard)
@UseFilters(PortalExceptionFilter)
@Controller('portal/api/schools/:schoolId/imports')
export class PortalImportsController {
  private readonly uploadDir: string;

  constructor(
    @Inject(PortalImports) private readonly imports: PortalImports,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {
    this.uploadDir =
      settings.uploadDir ?? join(tmpdir(), 'oneroster-portal-uploads');
  }

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
  async upload(
    @Actor() actor: PortalActor,
    @Param('schoolId') schoolId: string,
    @Query('mode') mode: string | undefined,
    @Req() req: PortalRequest,
  ): Promise<ImportJobView> {
    const jobMode = this.imports.authorise(actor, schoolId, mode);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (!ZIP_TYPES.has(type.toLowerCase()))
      throw new PortalProblem(
        'unsupported_media_type',
        'send the OneRoster CSV set as a zip body (Content-Type: application/zip)',
      );
    const limit = this.settings.maxUploadBytes;
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    // A place in the school's queue before a byte is stored: a school at its cap is
    // refused (429) without its upload reaching the disk.
    let slot: CsvImportSlot;
    try {
      slot = await this.imports.reserve(actor, schoolId);
    } catch (err) {
      req.resume();
      throw err;
    }
    try {
      const { path, bytes } = await this.receive(req, limit);
      try {
        return await this.imports.start(
          actor,
          schoolId,
          jobMode,
          path,
          bytes,
          slot,
        );
      } catch (err) {
        // Refused before a job took it, the upload is still ours to remove.
        if (err instanceof PortalProblem && err.code === 'too_many_imports')
          rmSync(path, { force: true });
        throw err;
      }
    } finally {
      await slot.release();
    }
  }

  /** Streams the body to a new file under the upload folder, within `limit` bytes. */
  private async receive(
    req: PortalRequest,
    limit: number,
  ): Promise<{ path: string; bytes: number }> {
    mkdirSync(this.uploadDir, { recursive: true });
    const path = join(this.uploadDir, `${randomUUID()}.zip`);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) done(tooLarge(limit));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(path));
    } catch (err) {
      rmSync(path, { force: true });
      req.resume();
      if (err instanceof PortalProblem) throw err;
      throw new PortalProblem('invalid_request', 'the upload did not complete');
    }
    if (bytes === 0) {
      rmSync(path, { force: true });
      throw new PortalProblem('invalid_request', 'the zip body is empty', {
        body: 'must be a zip file',
      });
    }
    return { path, bytes };
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

const tooLarge = (limit: number) =>
  new PortalProblem(
    'payload_too_large',
    `the zip is larger than ${Math.round(limit / 1024 / 1024)} MB`,
  );
