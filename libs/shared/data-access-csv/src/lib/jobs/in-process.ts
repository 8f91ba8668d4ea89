import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import {
  CsvImportJobs,
  type CsvImportJobInput,
  type CsvImportJobsOptions,
  type CsvImportSlot,
} from '../jobs';
import type { CsvImportReservation, CsvImportRunner } from './runner';

/**
 * The embedded default: `CsvImportJobs` behind the runner interface. Jobs live in this
 * process's memory (a restart forgets them; a running import is rolled back by its
 * transaction).
 */
export class InProcessCsvImportRunner implements CsvImportRunner {
  readonly jobs: CsvImportJobs;
  private readonly slots = new WeakMap<CsvImportReservation, CsvImportSlot>();

  constructor(dataSource: DataSource, options: CsvImportJobsOptions = {}) {
    this.jobs = new CsvImportJobs(dataSource, options);
  }

  async reserve(schoolId: string): Promise<CsvImportReservation> {
    const slot = this.jobs.reserve(schoolId);
    const reservation: CsvImportReservation = {
      schoolId,
      release: async () => slot.release(),
    };
    this.slots.set(reservation, slot);
    return reservation;
  }

  async start(
    input: CsvImportJobInput,
    slot?: CsvImportReservation,
  ): Promise<ImportJobView> {
    return this.jobs.start(input, slot && this.slots.get(slot));
  }

  async get(jobId: string): Promise<ImportJobView | undefined> {
    return this.jobs.get(jobId);
  }

  async list(schoolId: string): Promise<ImportJobView[]> {
    return this.jobs.list(schoolId);
  }

  settled(jobId: string): Promise<ImportJobView | undefined> {
    return this.jobs.settled(jobId);
  }

  idle(): Promise<void> {
    return this.jobs.idle();
  }

  /** Nothing to let go of: jobs still queued or running end with the process. */
  async close(): Promise<void> {
    return;
  }
}
