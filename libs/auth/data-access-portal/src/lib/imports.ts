import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import { CsvImportJobs } from '@oneroster/data-access-csv';
import { assertSchoolAdmin, type PortalActor } from './actor';
import { recordAudit } from './audit';
import { invalid, notFound } from './errors';

/**
 * A school's CSV imports, run as background jobs (one at a time per school). The upload is
 * a zip already written to `zipPath`; the job owns the file from then on.
 */
export class PortalImports {
  private readonly jobs: CsvImportJobs;

  /** `importDataSource`: where the jobs write (default `ds`; see feature-portal's settings). */
  constructor(
    private readonly ds: DataSource,
    options: { workDir?: string; importDataSource?: DataSource } = {},
  ) {
    this.jobs = new CsvImportJobs(options.importDataSource ?? ds, {
      workDir: options.workDir,
    });
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
  ): Promise<ImportJobView> {
    assertSchoolAdmin(actor, schoolId);
    const view = this.jobs.start({
      schoolId,
      zipPath,
      mode,
      actorAccountId: actor.account.id,
    });
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
