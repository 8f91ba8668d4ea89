import {
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { HttpClient, httpResource } from '@angular/common/http';
import { firstValueFrom, Subscription } from 'rxjs';
import type { ImportJobView, PortalError } from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { formatDateTime, LoadState } from '@oneroster/admin-ui';

/** How often a running import job is asked for its progress. */
export const IMPORT_POLL_MS = 1000;

/**
 * Uploads a OneRoster 1.1 or 1.2 CSV zip for the school (check only, or check and apply), shows the
 * upload's progress, then follows the import job until it finishes and shows its report.
 * Opened with `?report=<jobId>` (the home page's link), it shows that job's report.
 */
@Component({
  selector: 'lib-csv-import',
  imports: [LoadState],
  templateUrl: './csv-import.html',
})
export class CsvImport {
  protected readonly valueOr = valueOr;
  readonly schoolId = input.required<string>();
  /** How long to wait between two progress questions. */
  readonly pollMs = input(IMPORT_POLL_MS);
  /** A job whose report to show (query parameter `report`). */
  readonly report = input<string | undefined>(undefined);
  private readonly api = inject(PortalApi);
  private readonly http = inject(HttpClient);

  protected readonly file = signal<File | null>(null);
  protected readonly mode = signal<'validate' | 'apply'>('validate');
  protected readonly uploadPercent = signal<number | null>(null);
  protected readonly job = signal<ImportJobView | null>(null);
  protected readonly error = signal<PortalError | null>(null);
  protected readonly running = computed(() => {
    const job = this.job();
    return (
      this.uploadPercent() !== null ||
      (!!job && job.status !== 'succeeded' && job.status !== 'failed')
    );
  });

  protected readonly history = httpResource<ImportJobView[]>(() =>
    portalUrls.schoolImports(this.schoolId()),
  );
  protected readonly historyError = computed(() =>
    this.history.error() ? toPortalError(this.history.error()) : null,
  );
  protected readonly formatDateTime = formatDateTime;

  private upload: Subscription | null = null;
  private poll: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stop());
    effect(() => {
      const jobId = this.report();
      if (jobId) untracked(() => this.follow(this.schoolId(), jobId));
    });
  }

  private follow(schoolId: string, jobId: string): void {
    this.http
      .get<ImportJobView>(portalUrls.schoolImport(schoolId, jobId))
      .subscribe({
        next: (job) => {
          this.job.set(job);
          this.schedulePoll(schoolId, jobId);
        },
        error: (failure: unknown) => this.error.set(toPortalError(failure)),
      });
  }

  protected pickFile(input: HTMLInputElement): void {
    this.file.set(input.files?.item(0) ?? null);
    this.error.set(null);
  }

  protected start(): void {
    const file = this.file();
    if (!file || this.running()) return;
    this.error.set(null);
    this.job.set(null);
    this.uploadPercent.set(0);
    const schoolId = this.schoolId();
    this.upload = this.api.uploadImport(schoolId, file, this.mode()).subscribe({
      next: (event) => {
        if (event.kind === 'progress') {
          this.uploadPercent.set(event.percent);
        } else {
          this.uploadPercent.set(null);
          this.job.set(event.job);
          this.schedulePoll(schoolId, event.job.id);
        }
      },
      error: (failure: unknown) => {
        this.uploadPercent.set(null);
        this.error.set(toPortalError(failure));
      },
    });
  }

  private schedulePoll(schoolId: string, jobId: string): void {
    const current = this.job();
    if (
      current &&
      (current.status === 'succeeded' || current.status === 'failed')
    ) {
      this.history.reload();
      return;
    }
    this.poll = setTimeout(async () => {
      try {
        this.job.set(
          await firstValueFrom(
            this.http.get<ImportJobView>(
              portalUrls.schoolImport(schoolId, jobId),
            ),
          ),
        );
        this.schedulePoll(schoolId, jobId);
      } catch (failure) {
        this.error.set(toPortalError(failure));
      }
    }, this.pollMs());
  }

  private stop(): void {
    this.upload?.unsubscribe();
    if (this.poll) clearTimeout(this.poll);
  }

  protected countsOf(job: ImportJobView): { file: string; rows: number }[] {
    return Object.entries(job.report?.counts ?? {}).map(([file, rows]) => ({
      file,
      rows,
    }));
  }
}
