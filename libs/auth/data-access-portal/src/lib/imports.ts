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
import { recordAudit } from './audit';
import { invalid, notFound, PortalProblem } from './errors';

export type { CsvImportReservation as CsvImportSlot } from '@oneroster/data-access-csv';

type CsvImportSlot = CsvImportReservation;

/**
 * A school's CSV imports, run as background jobs (one at a time per school). The upload is
 * a zip already written to `zipPath`; the job owns the file from then on.
 *
 * A school holds at most `maxQueuedPerSchool` imports queued, running or still arriving:
 * `reserve` takes a place before the upload is read, and one more is refused with 429
 * `too_many_imports`, so a school cannot pile uploads onto the disk or the queue.
 *
 * With `queue` (REDIS_URL set) the jobs go to the BullMQ queue in Redis, shared by every
 * instance and kept across restarts, and uploads are moved to `queue.uploadDir`, a folder
 * every instance reads; otherwise they run in this process.
 */
export class PortalImports {
  private readonly jobs: CsvImportRunner;

  /** `importDataSource`: where the jobs write (default `ds`; see feature-portal's settings). */
  constructor(
    private readonly ds: DataSource,
    options: {
      workDir?: string;
      importDataSource?: DataSource;
      maxInflatedBytes?: number;
      maxQueuedPerSchool?: number;
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
   * A place in the school's queue for an upload about to be read (release it when the
   * upload fails); 429 `too_many_imports` when the school has no place left.
   */
  async reserve(actor: PortalActor, schoolId: string): Promise<CsvImportSlot> {
    assertSchoolAdmin(actor, schoolId);
    try {
      return await this.jobs.reserve(schoolId);
    } catch (e) {
      throw queueFull(e);
    }
  }

  /** Checks the caller and the mode before the upload is read. */
  authorise(
    actor: PortalActor,
    schoolId: string,
    mode: unknown,
  ): 'apply' | 'validate' {
    assertSchoolAdmin(actor, schoolId);
    const m = mode ?? 'apply';
    if (m !== 'apply' && m !== 'validate')
      throw invalid({ mode: 'must be apply or validate' });
    return m;
  }

  async start(
    actor: PortalActor,
    schoolId: string,
    mode: 'apply' | 'validate',
    zipPath: string,
    bytes: number,
    slot?: CsvImportSlot,
  ): Promise<ImportJobView> {
    assertSchoolAdmin(actor, schoolId);
    let view: ImportJobView;
    try {
      view = await this.jobs.start(
        { schoolId, zipPath, mode, actorAccountId: actor.account.id },
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
      details: { mode, bytes },
    });
    return view;
  }

  async list(actor: PortalActor, schoolId: string): Promise<ImportJobView[]> {
    assertSchoolAdmin(actor, schoolId);
    return this.jobs.list(schoolId);
  }

  async get(
    actor: PortalActor,
    schoolId: string,
    jobId: string,
  ): Promise<ImportJobView> {
    assertSchoolAdmin(actor, schoolId);
    const job = await this.jobs.get(jobId);
    if (!job || job.schoolId !== schoolId) throw notFound('import job');
    return job;
  }
}

const queueFull = (e: unknown): unknown =>
  e instanceof CsvImportQueueFull
    ? new PortalProblem(
        'too_many_imports',
        `this school already has ${e.limit} CSV import(s) queued or running; wait for one to finish, then upload again`,
      )
    : e;
