import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import {
  BullMqCsvImportRunner,
  CsvImportQueueFull,
  InProcessCsvImportRunner,
  type CsvImportReservation,
  type CsvImportRunner,
} from '@oneroster/data-access-csv';
import { assertSchoolAdmin, type PortalActor } from './actor';
import { isClientActor, recordAudit, type ClientActor } from './audit';
import { invalid, notFound, PortalProblem } from './errors';

export type { CsvImportReservation as CsvImportSlot } from '@oneroster/data-access-csv';

type CsvImportSlot = CsvImportReservation;

/** A school's own client importing through the platform API (its MIS): that school only. */
export interface SchoolClientActor extends ClientActor {
  schoolId: string;
}

/** Who may import: a school administrator in the portal, or the school's own MIS client. */
export type ImportActor = PortalActor | SchoolClientActor;

/** An upload as it arrives: the raw request body and the headers that describe it. */
export interface ZipUpload {
  contentType: string | undefined;
  contentLength: string | undefined;
  body: Readable;
}

/** Largest CSV zip accepted by default (bytes). */
export const DEFAULT_MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

const ZIP_TYPES = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/octet-stream',
]);

/**
 * A school's CSV imports, run as background jobs (one at a time per school), started by
 * the school's administrators in the portal or by the school's own MIS client through the
 * platform API: the same upload rules, queue, jobs and audit trail for both. Rules:
 * - an account must be an administrator of the school; a client may import into, list and
 *   read the jobs of its own school only (any other school, or a job of another school,
 *   is `not_found`, as for an id that does not exist);
 * - `mode` is `apply` (default) or `validate`; the body must be a zip
 *   (`unsupported_media_type`), is streamed to a file under `uploadDir` (never held in
 *   memory) and refused with `payload_too_large` beyond `maxUploadBytes`, before or while
 *   it arrives; an empty body is `invalid_request`;
 * - a school holds at most `maxQueuedPerSchool` imports queued, running or still arriving:
 *   a place is reserved before a byte is stored, and one more is refused with 429
 *   `too_many_imports`, so a school cannot pile uploads onto the disk or the queue;
 * - once stored, the job owns the file; every start writes `import.started` or
 *   `import.validation_started` to the school's audit trail with its actor (the account,
 *   or the client: actor type `client`, its id).
 *
 * With `queue` (REDIS_URL set) the jobs go to the BullMQ queue in Redis, shared by every
 * instance and kept across restarts, and uploads are moved to `queue.uploadDir`, a folder
 * every instance reads; otherwise they run in this process.
 */
export class PortalImports {
  private readonly jobs: CsvImportRunner;
  private readonly uploadDir: string;
  private readonly maxUploadBytes: number;

  /** `importDataSource`: where the jobs write (default `ds`; see feature-portal's settings). */
  constructor(
    private readonly ds: DataSource,
    options: {
      workDir?: string;
      importDataSource?: DataSource;
      maxInflatedBytes?: number;
      maxQueuedPerSchool?: number;
      /** Largest zip accepted (default DEFAULT_MAX_UPLOAD_BYTES). */
      maxUploadBytes?: number;
      /** Where uploads are written while they arrive (default: the temp folder). */
      uploadDir?: string;
      queue?: { redisUrl: string; prefix: string; uploadDir: string };
      /** Told of the queue's Redis errors (with `queue`). */
      onError?: (message: string) => void;
    } = {},
  ) {
    const common = {
      workDir: options.workDir,
      maxInflatedBytes: options.maxInflatedBytes,
      maxActivePerSchool: options.maxQueuedPerSchool,
    };
    this.uploadDir =
      options.uploadDir ?? join(tmpdir(), 'oneroster-portal-uploads');
    this.maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    const importDs = options.importDataSource ?? ds;
    this.jobs = options.queue
      ? new BullMqCsvImportRunner(importDs, {
          ...common,
          ...options.queue,
          onError: options.onError,
        })
      : new InProcessCsvImportRunner(importDs, common);
  }

  /** Stops this instance's worker (a running import finishes first). */
  close(): Promise<void> {
    return this.jobs.close();
  }

  /**
   * Receives a zip upload and starts its job: 202's `ImportJobView` (queued). The caller,
   * the mode and the content type are checked before the body is read, and the school's
   * place in the queue is taken before a byte is stored. A refused body is drained.
   */
  async upload(
    actor: ImportActor,
    schoolId: string,
    mode: unknown,
    upload: ZipUpload,
  ): Promise<ImportJobView> {
    let jobMode: 'apply' | 'validate';
    let slot: CsvImportSlot;
    try {
      jobMode = this.authorise(actor, schoolId, mode);
      const type = (upload.contentType ?? '').split(';')[0].trim();
      if (!ZIP_TYPES.has(type.toLowerCase()))
        throw new PortalProblem(
          'unsupported_media_type',
          'send the OneRoster CSV set as a zip body (Content-Type: application/zip)',
        );
      if (Number(upload.contentLength ?? 0) > this.maxUploadBytes)
        throw this.tooLarge();
      // A place in the school's queue before a byte is stored: a school at its cap is
      // refused (429) without its upload reaching the disk.
      slot = await this.reserve(schoolId);
    } catch (err) {
      upload.body.resume();
      throw err;
    }
    try {
      const { path, bytes } = await this.receive(upload.body);
      try {
        return await this.start(actor, schoolId, jobMode, path, bytes, slot);
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

  async list(actor: ImportActor, schoolId: string): Promise<ImportJobView[]> {
    assertImporter(actor, schoolId);
    return this.jobs.list(schoolId);
  }

  async get(
    actor: ImportActor,
    schoolId: string,
    jobId: string,
  ): Promise<ImportJobView> {
    assertImporter(actor, schoolId);
    const job = await this.jobs.get(jobId);
    if (!job || job.schoolId !== schoolId) throw notFound('import job');
    return job;
  }

  /** Checks the caller and the mode before the upload is read. */
  private authorise(
    actor: ImportActor,
    schoolId: string,
    mode: unknown,
  ): 'apply' | 'validate' {
    assertImporter(actor, schoolId);
    const m = mode ?? 'apply';
    if (m !== 'apply' && m !== 'validate')
      throw invalid({ mode: 'must be apply or validate' });
    return m;
  }

  private async reserve(schoolId: string): Promise<CsvImportSlot> {
    try {
      return await this.jobs.reserve(schoolId);
    } catch (e) {
      throw queueFull(e);
    }
  }

  private async start(
    actor: ImportActor,
    schoolId: string,
    mode: 'apply' | 'validate',
    zipPath: string,
    bytes: number,
    slot: CsvImportSlot,
  ): Promise<ImportJobView> {
    let view: ImportJobView;
    try {
      view = await this.jobs.start(
        {
          schoolId,
          zipPath,
          mode,
          actorAccountId: isClientActor(actor) ? undefined : actor.account.id,
        },
        slot,
      );
    } catch (e) {
      throw queueFull(e);
    }
    await recordAudit(this.ds, actor, {
      action: mode === 'apply' ? 'import.started' : 'import.validation_started',
      targetType: 'import',
      targetId: view.id,
      schoolId,
      details: {
        mode,
        bytes,
        ...(isClientActor(actor) ? { via: 'platform_api' } : {}),
      },
    });
    return view;
  }

  /** Streams the body to a new file under the upload folder, within the size limit. */
  private async receive(
    body: Readable,
  ): Promise<{ path: string; bytes: number }> {
    mkdirSync(this.uploadDir, { recursive: true });
    const path = join(this.uploadDir, `${randomUUID()}.zip`);
    const limit = this.maxUploadBytes;
    const tooLarge = () => this.tooLarge();
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) done(tooLarge());
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path));
    } catch (err) {
      rmSync(path, { force: true });
      body.resume();
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

  private tooLarge() {
    return new PortalProblem(
      'payload_too_large',
      `the zip is larger than ${Math.round(this.maxUploadBytes / 1024 / 1024)} MB`,
    );
  }
}

function assertImporter(actor: ImportActor, schoolId: string): void {
  if (isClientActor(actor)) {
    // A school's client reaches its own school only; any other looks like no school.
    if ((actor as SchoolClientActor).schoolId !== schoolId)
      throw notFound('school');
    return;
  }
  assertSchoolAdmin(actor, schoolId);
}

const queueFull = (e: unknown): unknown =>
  e instanceof CsvImportQueueFull
    ? new PortalProblem(
        'too_many_imports',
        `this school already has ${e.limit} CSV import(s) queued or running; wait for one to finish, then upload again`,
      )
    : e;
