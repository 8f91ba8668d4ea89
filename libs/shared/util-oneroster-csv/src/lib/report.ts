import type { CsvFile } from './binding';
import type { V1p2CsvFile } from './binding-v1p2';

/**
 * What an import found, in terms a school can act on: the file, the line (1 = header),
 * the column, the value and what is wrong with it. Errors refuse the whole import;
 * warnings are accepted with a note.
 */
export type Severity = 'error' | 'warning';

export interface CsvIssue {
  severity: Severity;
  /** `users.csv`, `manifest.csv`, or the archive itself. */
  file: string;
  line?: number;
  column?: string;
  value?: string;
  /** Stable machine-readable code, e.g. `bad_enum`, `unknown_reference`. */
  code: string;
  message: string;
}

export type FileMode = 'bulk' | 'delta' | 'absent';

export interface FileSummary {
  mode: FileMode;
  /** Data rows read from the file. */
  rows: number;
  /** Rows written, summed over the schools they were copied into. */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records marked `tobedeleted` (bulk: missing from the file; delta: status tobedeleted). */
  deleted: number;
}

export interface SchoolSummary {
  schoolId: string;
  orgSourcedId: string;
  name: string;
  /** The platform `schools` row was created by this import. */
  created: boolean;
}

export interface CsvImportReport {
  ok: boolean;
  /** Nothing was written: asked for, or refused because of errors. */
  committed: boolean;
  importedAt: string;
  schools: SchoolSummary[];
  /** Per file; a 1.2 set's files stored as 1.2 (scoreScales) under their 1.2 names. */
  files: Partial<Record<CsvFile | V1p2CsvFile, FileSummary>>;
  errorCount: number;
  warningCount: number;
  /** At most `IssueCollector.limit` of each; the counts above are complete. */
  errors: CsvIssue[];
  warnings: CsvIssue[];
}

export class IssueCollector {
  readonly errors: CsvIssue[] = [];
  readonly warnings: CsvIssue[] = [];
  errorCount = 0;
  warningCount = 0;

  constructor(readonly limit = 1000) {}

  add(issue: CsvIssue): void {
    if (issue.severity === 'error') {
      if (this.errorCount++ < this.limit) this.errors.push(issue);
    } else if (this.warningCount++ < this.limit) this.warnings.push(issue);
  }

  error(
    file: string,
    code: string,
    message: string,
    at: Partial<Pick<CsvIssue, 'line' | 'column' | 'value'>> = {},
  ): void {
    this.add({ severity: 'error', file, ...at, code, message });
  }

  warning(
    file: string,
    code: string,
    message: string,
    at: Partial<Pick<CsvIssue, 'line' | 'column' | 'value'>> = {},
  ): void {
    this.add({ severity: 'warning', file, ...at, code, message });
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }
}

/** One line per issue: `users.csv:12 [role] "pupil": … (bad_enum)`. */
export function formatIssue(i: CsvIssue): string {
  const where = `${i.file}${i.line ? `:${i.line}` : ''}`;
  const col = i.column ? ` [${i.column}]` : '';
  const val = i.value !== undefined ? ` ${JSON.stringify(i.value)}` : '';
  return `${i.severity.toUpperCase()} ${where}${col}${val}: ${i.message} (${i.code})`;
}
