import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import type { DataSource } from 'typeorm';
import type { ImportIssueView, ImportJobView } from '@oneroster/contracts';
import {
  CsvImportReport,
  CsvIssue,
  listZip,
  ONEROSTER_FILE_NAMES,
} from '@oneroster/util-oneroster-csv';
import { CsvImportService, CsvProgress } from './import';

export interface CsvImportJobInput {
  schoolId: string;
  /** The uploaded zip; the job owns it from now on and deletes it when it ends. */
  zipPath: string;
  /** `validate` runs every check and every write, then rolls back. */
  mode: 'apply' | 'validate';
  actorAccountId?: string;
}

export interface CsvImportJobsOptions {
  /** Where zips are extracted while a job runs (default: the system's temporary folder). */
  workDir?: string;
  /** Finished jobs kept per school (default 20); running and queued ones are always kept. */
  keep?: number;
  /** Issues kept in a job's report, per severity (default 200; the counts stay complete). */
  maxIssues?: number;
  /** Called with a copy of a job's view whenever it changes (status, phase or percent). */
  onUpdate?: (view: ImportJobView) => void;
  /**
   * Jobs a school may have queued or running at once, uploads still arriving (reserved
   * slots) included (default 3); one more is refused with `CsvImportQueueFull`.
   */
  maxActivePerSchool?: number;
  /** Largest total of bytes an uploaded zip may inflate to (see `CsvImportOptions`). */
  maxInflatedBytes?: number;
}

/** Default of `maxActivePerSchool`; the platform's is CSV_MAX_QUEUED_IMPORTS. */
export const DEFAULT_MAX_ACTIVE_IMPORTS_PER_SCHOOL = 3;

/** A school already has as many imports queued or running as it may have. */
export class CsvImportQueueFull extends Error {
  constructor(
    readonly schoolId: string,
    readonly limit: number,
  ) {
    super(
      `this school already has ${limit} import(s) queued or running; wait for one to finish`,
    );
    this.name = 'CsvImportQueueFull';
  }
}

/**
 * A place in a school's queue, held while an upload arrives; `start` takes it, `release`
 * gives it back (an upload that failed). Releasing twice, or after `start`, does nothing.
 */
export interface CsvImportSlot {
  readonly schoolId: string;
  release(): void;
}

/** Shares of the progress bar: reading the archive, pass 1 (checks), pass 2 (writes). */
const OPEN_SHARE = 2;
const VALIDATE_SHARE = 38;
const WRITE_SHARE = 58;

interface Job {
  view: ImportJobView;
  input: CsvImportJobInput;
  done: Promise<void>;
}

/**
 * CSV imports run as background jobs, for an upload endpoint: `start` answers at once with
 * a queued job, the import runs behind it and the job's view shows its progress.
 *
 * - Jobs of the same school run one at a time, in the order they were started (`queued`
 *   until their turn); jobs of different schools run side by side.
 * - A school has at most `maxActivePerSchool` jobs queued or running, slots reserved for
 *   uploads still arriving included: one more is refused (`CsvImportQueueFull`) before
 *   anything is queued, so one school cannot pile uploads on the disk or the queue.
 * - An uploaded zip inflates to at most `maxInflatedBytes`, and only its OneRoster files
 *   are extracted (see `extractZip`); a refused archive fails the job with the reason.
 * - Each job imports into its school only (`strictSchool`): a set about another school is
 *   refused with a `wrong_school` error in the report, and nothing is written.
 * - `percent` rises monotonically: bytes read over the archive's uncompressed size, in
 *   two passes (checks, then writes), 100 when the job ends.
 * - A job always ends `succeeded` or `failed` with a report; an unexpected error becomes
 *   an `internal_error` issue of the report, never an unhandled rejection. The zip is
 *   deleted when the job ends, whatever the outcome.
 *
 * Jobs live in this process's memory: a restart forgets finished jobs, and an import that
 * was running is rolled back by its transaction. The last `keep` finished jobs of each
 * school stay visible.
 */
export class CsvImportJobs {
  private readonly jobs = new Map<string, Job>();
  /** Per school: the jobs, oldest first. */
  private readonly bySchool = new Map<string, Job[]>();
  /** Per school: the end of the queue (the last job's completion). */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly service: CsvImportService;
  private readonly workDir: string;
  private readonly keep: number;
  private readonly maxIssues: number;
  private readonly onUpdate?: (view: ImportJobView) => void;
  private readonly maxActive: number;
  private readonly maxInflatedBytes?: number;
  /** Per school: slots reserved for uploads still arriving. */
  private readonly reserved = new Map<string, Set<CsvImportSlot>>();

  constructor(dataSource: DataSource, options: CsvImportJobsOptions = {}) {
    this.service = new CsvImportService(dataSource);
    this.workDir = options.workDir ?? tmpdir();
    this.keep = Math.max(1, options.keep ?? 20);
    this.maxIssues = options.maxIssues ?? 200;
    this.onUpdate = options.onUpdate;
    this.maxActive = Math.max(
      1,
      options.maxActivePerSchool ?? DEFAULT_MAX_ACTIVE_IMPORTS_PER_SCHOOL,
    );
    this.maxInflatedBytes = options.maxInflatedBytes;
  }

  /** Jobs of the school queued or running, plus the slots reserved for uploads. */
  active(schoolId: string): number {
    const running = (this.bySchool.get(schoolId) ?? []).filter(
      (j) => j.view.finishedAt === null,
    ).length;
    return running + (this.reserved.get(schoolId)?.size ?? 0);
  }

  /**
   * Holds a place in the school's queue while an upload arrives, so that uploads in
   * flight count against the cap; throws `CsvImportQueueFull` when the school is full.
   */
  reserve(schoolId: string): CsvImportSlot {
    if (this.active(schoolId) >= this.maxActive)
      throw new CsvImportQueueFull(schoolId, this.maxActive);
    const set = this.reserved.get(schoolId) ?? new Set<CsvImportSlot>();
    this.reserved.set(schoolId, set);
    const slot: CsvImportSlot = {
      schoolId,
      release: () => {
        set.delete(slot);
        if (set.size === 0 && this.reserved.get(schoolId) === set)
          this.reserved.delete(schoolId);
      },
    };
    set.add(slot);
    return slot;
  }

  /**
   * Queues an import and answers at once. With `slot` (from `reserve`, same school) the
   * job takes its place; without one, a full school throws `CsvImportQueueFull` and the
   * zip stays the caller's.
   */
  start(input: CsvImportJobInput, slot?: CsvImportSlot): ImportJobView {
    const held =
      slot !== undefined &&
      slot.schoolId === input.schoolId &&
      (this.reserved.get(input.schoolId)?.has(slot) ?? false);
    if (held) slot.release();
    else if (this.active(input.schoolId) >= this.maxActive)
      throw new CsvImportQueueFull(input.schoolId, this.maxActive);
    const view = queuedView(randomUUID(), input);
    const previous = this.tails.get(input.schoolId) ?? Promise.resolve();
    const job: Job = {
      view,
      input,
      done: previous.then(() => this.run(job)),
    };
    this.tails.set(input.schoolId, job.done);
    void job.done.then(() => {
      if (this.tails.get(input.schoolId) === job.done)
        this.tails.delete(input.schoolId);
    });
    this.jobs.set(view.id, job);
    const list = this.bySchool.get(input.schoolId) ?? [];
    list.push(job);
    this.bySchool.set(input.schoolId, list);
    this.prune(input.schoolId);
    return copy(view);
  }

  get(jobId: string): ImportJobView | undefined {
    const job = this.jobs.get(jobId);
    return job ? copy(job.view) : undefined;
  }

  /** The school's jobs, newest first. */
  list(schoolId: string): ImportJobView[] {
    return [...(this.bySchool.get(schoolId) ?? [])]
      .reverse()
      .map((j) => copy(j.view));
  }

  /** The job's view once it has ended (undefined for an unknown job). */
  async settled(jobId: string): Promise<ImportJobView | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return undefined;
    await job.done;
    return copy(job.view);
  }

  /** Waits for every job started so far. */
  async idle(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private async run(job: Job): Promise<void> {
    await runCsvImport(
      this.service,
      job.input,
      job.view,
      {
        workDir: this.workDir,
        maxIssues: this.maxIssues,
        maxInflatedBytes: this.maxInflatedBytes,
      },
      () => {
        if (job.view.finishedAt !== null) this.prune(job.input.schoolId);
        try {
          this.onUpdate?.(copy(job.view));
        } catch {
          // An observer's failure is not the import's.
        }
      },
    );
  }

  /** Forgets the oldest finished jobs of a school beyond `keep`. */
  private prune(schoolId: string): void {
    const list = this.bySchool.get(schoolId) ?? [];
    let finished = list.filter((j) => j.view.finishedAt !== null).length;
    for (let i = 0; i < list.length && finished > this.keep;) {
      if (list[i].view.finishedAt !== null) {
        this.jobs.delete(list[i].view.id);
        list.splice(i, 1);
        finished--;
      } else i++;
    }
  }
}

/** What `runCsvImport` needs besides the job: where to extract, what to keep. */
export interface CsvImportRunOptions {
  workDir: string;
  maxIssues: number;
  maxInflatedBytes?: number;
}

/**
 * Runs one import job to its end, for every runner (in-process or queued): moves `view`
 * through its phases and percentages, calling `changed` after each change (the last call
 * has `finishedAt` set), and never rejects: an unexpected error becomes the first issue of
 * the report. The zip is deleted at the end, whatever the outcome.
 */
export async function runCsvImport(
  service: CsvImportService,
  input: Pick<CsvImportJobInput, 'schoolId' | 'zipPath' | 'mode'>,
  view: ImportJobView,
  options: CsvImportRunOptions,
  changed: () => void,
): Promise<void> {
  const progress = new Progress(view, changed);
  try {
    view.status = 'validating';
    view.phase = 'reading the archive';
    changed();
    mkdirSync(options.workDir, { recursive: true });
    let total = 0;
    try {
      for (const e of await listZip(input.zipPath))
        if (ONEROSTER_FILE_NAMES.has(posix.basename(e.name))) total += e.size;
    } catch {
      // Not a readable zip: the import reports it as `bad_archive`.
    }
    progress.total = total;
    const report = await service.importSet(input.zipPath, {
      schoolId: input.schoolId,
      strictSchool: true,
      validateOnly: input.mode === 'validate',
      workDir: options.workDir,
      maxInflatedBytes: options.maxInflatedBytes,
      onProgress: (p) => progress.update(p),
    });
    view.report = reportView(report, options.maxIssues);
    view.status = report.ok ? 'succeeded' : 'failed';
    view.phase = !report.ok
      ? 'refused: the set has errors, nothing was written'
      : input.mode === 'validate'
        ? 'validated: nothing was written'
        : 'imported';
  } catch (e) {
    failView(
      view,
      `the import stopped unexpectedly and was rolled back: ${
        (e as Error)?.message ?? String(e)
      }`,
    );
  } finally {
    try {
      rmSync(input.zipPath, { force: true });
    } catch {
      // A path that is not a file: nothing of ours to remove.
    }
    view.percent = 100;
    view.finishedAt = new Date().toISOString();
    changed();
  }
}

/** Ends `view` failed, with `message` as the first error of its report. */
export function failView(view: ImportJobView, message: string): void {
  view.status = 'failed';
  view.phase = 'failed: nothing was written';
  view.percent = 100;
  view.finishedAt = view.finishedAt ?? new Date().toISOString();
  const issue: ImportIssueView = {
    severity: 'error',
    file: '(import)',
    line: null,
    column: null,
    value: null,
    message,
  };
  view.report = view.report ?? {
    errors: 0,
    warnings: 0,
    issues: [],
    counts: {},
  };
  view.report.errors++;
  view.report.issues.unshift(issue);
}

/** A new job's view: queued, nothing read yet. */
export function queuedView(
  id: string,
  input: Pick<CsvImportJobInput, 'schoolId' | 'mode'>,
): ImportJobView {
  return {
    id,
    schoolId: input.schoolId,
    mode: input.mode,
    status: 'queued',
    percent: 0,
    phase: 'queued',
    rowsRead: 0,
    createdAt: new Date().toISOString(),
    finishedAt: null,
    report: null,
  };
}

function reportView(
  report: CsvImportReport,
  maxIssues: number,
): ImportJobView['report'] {
  const issue = (i: CsvIssue): ImportIssueView => ({
    severity: i.severity,
    file: i.file,
    line: i.line ?? null,
    column: i.column ?? null,
    value: i.value ?? null,
    message: `${i.message} (${i.code})`,
  });
  const counts: Record<string, number> = {};
  for (const [file, s] of Object.entries(report.files))
    if (s)
      counts[`${file}.csv`] =
        s.inserted +
        s.updated +
        s.unchanged +
        (s.mode === 'delta' ? s.deleted : 0);
  return {
    errors: report.errorCount,
    warnings: report.warningCount,
    issues: [
      ...report.errors.slice(0, maxIssues),
      ...report.warnings.slice(0, maxIssues),
    ].map(issue),
    counts,
  };
}

/** Turns the import's per-file progress into one monotonic percentage. */
class Progress {
  total = 0;
  private readonly done = { validate: 0, write: 0 };
  private readonly rows = { validate: 0, write: 0 };

  constructor(
    private readonly view: ImportJobView,
    private readonly changed: () => void,
  ) {}

  update(p: CsvProgress): void {
    const { view } = this;
    if (p.phase === 'write' && view.mode === 'apply') view.status = 'applying';
    view.phase =
      p.phase === 'validate'
        ? `validating ${p.file}.csv`
        : view.mode === 'apply'
          ? `writing ${p.file}.csv`
          : `trying the writes of ${p.file}.csv (rolled back)`;
    if (p.phase === 'validate')
      view.rowsRead = Math.max(view.rowsRead, this.rows.validate + p.rows);
    const share = p.phase === 'validate' ? VALIDATE_SHARE : WRITE_SHARE;
    const base =
      p.phase === 'validate' ? OPEN_SHARE : OPEN_SHARE + VALIDATE_SHARE;
    const bytes = this.done[p.phase] + p.bytes;
    const fraction = this.total > 0 ? Math.min(1, bytes / this.total) : 0;
    const percent = Math.floor(base + share * fraction);
    view.percent = Math.min(99, Math.max(view.percent, percent));
    if (p.done) {
      this.done[p.phase] += p.size;
      this.rows[p.phase] += p.rows;
    }
    this.changed();
  }
}

const copy = (v: ImportJobView): ImportJobView => structuredClone(v);
