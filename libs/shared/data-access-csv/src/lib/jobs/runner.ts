import type { ImportJobView } from '@oneroster/contracts';
import type { CsvImportJobInput } from '../jobs';

/**
 * A place in a school's queue, held while an upload arrives (see `CsvImportRunner.reserve`).
 * Releasing twice, or after `start` took it, does nothing.
 */
export interface CsvImportReservation {
  readonly schoolId: string;
  release(): Promise<void>;
}

/**
 * What the portal needs of a CSV import runner, whichever runs the jobs: the in-process
 * one (`InProcessCsvImportRunner`, the embedded default) or the Redis-backed queue
 * (`BullMqCsvImportRunner`, when REDIS_URL is set). Both keep the same rules: one job at a
 * time per school in start order, at most `maxActivePerSchool` queued, running or arriving
 * per school (`CsvImportQueueFull`), the last `keep` finished jobs per school visible,
 * reports capped at `maxIssues` per severity.
 */
export interface CsvImportRunner {
  /** Holds a place for an upload; throws `CsvImportQueueFull` when the school is full. */
  reserve(schoolId: string): Promise<CsvImportReservation>;
  /**
   * Queues an import (taking `slot` when it is the school's) and answers at once with the
   * queued view; the runner owns `input.zipPath` from then on.
   */
  start(
    input: CsvImportJobInput,
    slot?: CsvImportReservation,
  ): Promise<ImportJobView>;
  get(jobId: string): Promise<ImportJobView | undefined>;
  /** The school's jobs, newest first. */
  list(schoolId: string): Promise<ImportJobView[]>;
  /** The job's view once it has ended (undefined for an unknown job). */
  settled(jobId: string): Promise<ImportJobView | undefined>;
  /** Waits for every job this runner started. */
  idle(): Promise<void>;
  /** Stops taking jobs and lets go of its connections (a running job finishes first). */
  close(): Promise<void>;
}
