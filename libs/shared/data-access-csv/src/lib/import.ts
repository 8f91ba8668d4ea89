import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  CsvImportReport,
  CsvIssue,
  DEPENDENCY_ORDER,
  isV1p2Version,
  IssueCollector,
  manifestVersion,
  V1P1_COLUMN_OF_V1P2,
  v1p2SetToV1p1,
  type V1p2ToV1p1Result,
  ZipFormatError,
  type CsvFile,
} from '@oneroster/util-oneroster-csv';
import type { Query } from './records';
import { openCsvSource } from './source';
import { withSchoolLocks } from './school-lock';
import { mysqlBulkLoader } from './writer';
import { IntList } from './id-set';
import { WriteStep } from './import/write';
import type { CsvImportOptions } from './import/options';

export * from './import/options';

class Aborted extends Error {}

/**
 * Imports a OneRoster 1.1 or 1.2 CSV set (a folder or a zip) into the database. A 1.2 set
 * (manifest `oneroster.version` 1.2) is first read with the 1.2 binding and written as the
 * 1.1 set it maps to (util-oneroster-csv convert-v1p2.ts), in a temporary folder; that set
 * is then imported as below, its issues pointed back at the 1.2 files and lines.
 *
 * Pass 1 reads every declared file row by row: manifest, headers, values, duplicate
 * sourcedIds, references (to the set or to records already in the database), and the
 * links needed to decide which school each record belongs to. Errors stop here.
 *
 * Pass 2 reads the files again, in dependency order, inside one transaction:
 * - a district or trust set is split per school: every org of type school is a platform
 *   school (found by `schools.org_sourced_id`, else created with `schoolIdForOrg`); a
 *   record goes to the school it belongs to and is copied into every school holding a
 *   record that refers to it (parent orgs, shared courses and sessions, users of several
 *   schools, agents); a record nothing places goes to every school of the set;
 * - bulk (§8.2): the file is the school's complete data for that type: new records are
 *   added, changed ones rewritten, unchanged ones left alone (their dateLastModified
 *   kept), missing ones marked tobedeleted; changes carry the import time;
 * - delta: each row is upserted with its own status and dateLastModified.
 * Any error rolls everything back; imports of the same school run one at a time.
 */
export class CsvImportService {
  constructor(private readonly ds: DataSource) {}

  async importSet(
    path: string,
    options: CsvImportOptions = {},
  ): Promise<CsvImportReport> {
    const now = options.now ?? new Date();
    const issues = new IssueCollector();
    const report: CsvImportReport = {
      ok: false,
      committed: false,
      importedAt: now.toISOString(),
      schools: [],
      files: {},
      errorCount: 0,
      warningCount: 0,
      errors: [],
      warnings: [],
    };
    const finish = () => {
      report.ok = !issues.hasErrors;
      report.errorCount = issues.errorCount;
      report.warningCount = issues.warningCount;
      report.errors = issues.errors;
      report.warnings = issues.warnings;
      return report;
    };
    let source;
    try {
      source = await openCsvSource(path, {
        workDir: options.workDir,
        maxInflatedBytes: options.maxInflatedBytes,
      });
    } catch (e) {
      // A refused archive (too large once inflated, unsafe or duplicate entries, not a
      // zip) is an error of the report: nothing was extracted or written.
      issues.error(
        '(archive)',
        e instanceof ZipFormatError ? e.code : 'bad_archive',
        (e as Error).message,
      );
      return finish();
    }
    for (const name of source.skipped)
      issues.warning(
        name,
        'unknown_file',
        'not a OneRoster file; not extracted, ignored',
      );
    let converted: string | undefined;
    try {
      let dir = source.dir;
      let files = source.files;
      let runIssues = issues;
      let extras: V1p2ToV1p1Result['extras'] = [];
      let v1p2Form = false;
      if (isV1p2Version(await manifestVersion(source.dir, source.files))) {
        converted = mkdtempSync(
          join(options.workDir ?? tmpdir(), 'oneroster-v1p2-'),
        );
        const set = await v1p2SetToV1p1(
          source.dir,
          source.files,
          converted,
          issues,
        );
        if (!set) return finish();
        dir = converted;
        files = set.files;
        extras = set.extras;
        v1p2Form = true;
        runIssues = new MappedIssues(issues, (i) => toV1p2Issue(i, set.lines));
      }
      const run = new ImportRun(this.ds, dir, runIssues, report, now, options);
      await run.execute(files, extras, v1p2Form);
    } finally {
      source.close();
      if (converted) rmSync(converted, { recursive: true, force: true });
    }
    return finish();
  }
}

/** Issues of the 1.1 set written from a 1.2 one, added to the 1.2 import's collector. */
class MappedIssues extends IssueCollector {
  constructor(
    private readonly target: IssueCollector,
    private readonly map: (i: CsvIssue) => CsvIssue,
  ) {
    super(target.limit);
  }

  override add(issue: CsvIssue): void {
    if (issue.severity === 'error') this.errorCount++;
    else this.warningCount++;
    this.target.add(this.map(issue));
  }
}

/** An issue of the 1.1 set written from a 1.2 set, at its file, line and column there. */
function toV1p2Issue(
  i: CsvIssue,
  lines: Map<string, Map<number, number>>,
): CsvIssue {
  const line = i.line && (lines.get(i.file)?.get(i.line) ?? i.line);
  const file = i.file.replace(/\.csv$/, '') as CsvFile;
  const moved = i.column ? V1P1_COLUMN_OF_V1P2[file]?.[i.column] : undefined;
  if (moved && moved.file !== i.file)
    return {
      ...i,
      file: moved.file,
      column: moved.column,
      line: undefined,
      message: `${i.message} (the roles of the user at ${i.file} line ${line})`,
    };
  return {
    ...i,
    ...(line ? { line } : {}),
    ...(moved ? { column: moved.column } : {}),
  };
}

/**
 * One import: the steps in order (import/manifest.ts → scan.ts → references.ts →
 * route.ts → write.ts), each a layer over the one index they share (import/run-index.ts).
 * Errors of a step stop the run before the next; the write runs in one transaction.
 */
class ImportRun extends WriteStep {
  async execute(
    files: string[],
    extras: V1p2ToV1p1Result['extras'] = [],
    v1p2Form = false,
  ): Promise<void> {
    const { issues } = this;
    this.v1p2Form = v1p2Form;
    await this.readSetManifest(files);
    if (issues.hasErrors) return;
    // The 1.2 files stored as 1.2 travel beside the 1.1 set a 1.2 set was read as.
    for (const e of extras) {
      this.manifest.modes[e.file] = e.mode;
      this.extraFiles.push(e.file);
    }

    for (const file of DEPENDENCY_ORDER)
      if (this.present.has(file)) await this.scan(file);
    for (const file of this.extraFiles) await this.scanExtra(file);
    if (issues.hasErrors) return;
    await this.resolveMissing();
    this.groupPushes();
    await this.resolveSchools();
    // Grouped by now: the pairs are not needed for writing.
    this.pushTargets = new IntList();
    this.pushSources = new IntList();
    if (issues.hasErrors) return;

    try {
      await withSchoolLocks(this.targets, () =>
        this.ds.transaction(async (em) => {
          const q: Query = (sql, params) =>
            em.query(sql, params) as Promise<unknown[]>;
          // The transaction's own connection, for bulk loads inside the transaction.
          this.loader =
            this.dialect === 'mysql'
              ? mysqlBulkLoader(
                  (
                    em.queryRunner as unknown as
                      { databaseConnection?: unknown } | undefined
                  )?.databaseConnection,
                )
              : undefined;
          await this.createSchools(q);
          for (const file of DEPENDENCY_ORDER)
            if (this.present.has(file)) await this.write(q, file);
          for (const file of this.extraFiles) await this.write(q, file);
          await this.checkV1p2Refs(q);
          await this.retireOrphans(q);
          if (this.issues.hasErrors) throw new Aborted();
          if (this.options.validateOnly) throw new Aborted();
        }),
      );
      this.report.committed = true;
    } catch (e) {
      if (!(e instanceof Aborted)) throw e;
    }
  }
}
