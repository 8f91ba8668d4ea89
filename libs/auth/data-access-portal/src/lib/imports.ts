import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import {
  CsvImportJobs,
  CsvImportQueueFull,
  type CsvImportSlot,
} from '@oneroster/data-access-csv';
import { assertSchoolAdmin, type PortalActor } from './actor';
import { recordAudit } from './audit';
import { invalid, notFound, PortalProblem } from './errors';

export type { CsvImportSlot } from '@oneroster/data-access-csv';

/**
 * A school's CSV imports, run as background jobs (one at a time per school). The upload is
 * a zip already written to `zipPath`; the job owns the file from then on.
 *
 * A school holds at most `maxQueuedPerSchool` imports queued, running or still arriving:
 * `reserve` takes a place before the upload is read, and one more is refused with 429
 * `too_many_imports`, so a school cannot pile uploads onto the disk or the queue.
 */
export class PortalImports {
  private readonly jobs: CsvImportJobs;

  /** `importDataSource`: where the jobs write (default `ds`; see feature-portal's settings). */
  constructor(
    private readonly ds: DataSource,
    options: {
      workDir?: string;
      importDataSource?: DataSource;
      maxInflatedBytes?: number;
      maxQueuedPerSchool?: number;
    } = {},
  ) {
    this.jobs = new CsvImportJobs(options.importDataSource ?? ds, {
      workDir: options.workDir,
      maxInflatedBytes: options.maxInflatedBytes,
      maxActivePerSchool: options.maxQueuedPerSchool,
    });
  }

  /**
   * A place in the school's queue for an upload about to be read (release it when the
   * upload fails); 429 `too_many_imports` when the school has no place left.
   */
  reserve(actor: PortalActor, schoolId: string): CsvImportSlot {
    assertSchoolAdmin(actor, schoolId);
    try {
      return this.jobs.reserve(schoolId);
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
      view = this.jobs.start(
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

  list(actor: PortalActor, schoolId: string): ImportJobView[] {
    assertSchoolAdmin(actor, schoolId);
    return this.jobs.list(schoolId);
  }

  get(actor: PortalActor, schoolId: string, jobId: string): ImportJobView {
    assertSchoolAdmin(actor, schoolId);
    const job = this.jobs.get(jobId);
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
