import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  AnyCsvFile,
  CsvFile,
  CsvImportReport,
  CSV_FILES,
  FileMode,
  IssueCollector,
  Manifest,
  parseCsvBatches,
  ParsedRow,
  readHeader,
  readRow,
  reportFileNotes,
  RowContext,
  V1P2_CSV_COLUMNS,
  V1P2_FORM_COLUMNS,
  type V1p2CsvFile,
} from '@oneroster/util-oneroster-csv';
import type { Query } from '../records';
import type { BulkLoader } from '../writer';
import { IdIndex, IntList } from '../id-set';
import type { CsvImportOptions, CsvProgress } from './options';

/*
 * The index an import run builds and every step of it shares (manifest → scan → resolve
 * references → route to schools → write, one file each, one subclass each):
 * - only numbers are kept per record (typed arrays by record number), never the rows;
 * - a record is known by a numeric key (below); ids kept in the index are copies (`own`),
 *   never views into a parsed chunk;
 * - a reference of a record is a push (target key ← source key): the source's schools
 *   also get the target;
 * - files are read through `readRows`, a chunk at a time, in both passes.
 */

/**
 * A copy of a parsed field that does not keep the parser's chunk alive: V8 makes long
 * substrings views of their parent string, so an id kept in an index would otherwise hold
 * a whole 256 KB chunk of the file in memory.
 */
export const own = (s: string): string => (' ' + s).slice(1);

/** A reference of one row to a record of another file, for the "exists nowhere" check. */
export interface RefSite {
  file: AnyCsvFile;
  line: number;
  column: string;
}

export type Owners = Set<string>;

/**
 * Routing keys are numbers, so that the index of a million-row set is typed arrays rather
 * than millions of strings: a record of the set is `kind · 2²⁶ + its number in its file`
 * (kind = the file's position in CSV_FILES), a `school:<org>` placement is kind SCHOOL with
 * the org's number, a record only in the database is kind EXTERNAL with the number of its
 * `file:id` string.
 */
export const KIND = 2 ** 26;
export const SCHOOL = CSV_FILES.length;
export const EXTERNAL = CSV_FILES.length + 1;
export const kindOf = (file: CsvFile) => CSV_FILES.indexOf(file);

export abstract class ImportIndex {
  protected manifest!: Manifest;
  protected readonly present = new Set<CsvFile>();
  /**
   * The 1.2 files of the set stored as 1.2 in tables of their own (a 1.2 set's scoreScales),
   * in order; read with the 1.2 binding, after the 1.1 files in both passes.
   */
  protected extraFiles: V1p2CsvFile[] = [];
  /**
   * The rows of 1.2 files stored as 1.2 that name a record of another such file (a role's
   * user profile: `V1p2TableMap.v1p2Refs`), checked once both files are written.
   */
  protected readonly v1p2Refs: {
    file: V1p2CsvFile;
    sourcedId: string;
    line: number;
    column: string;
    value: string;
  }[] = [];
  /**
   * The set is the 1.1 form of a 1.2 set (v1p2SetToV1p1): its files also carry the columns
   * stored for 1.2 only (V1P2_FORM_COLUMNS).
   */
  protected v1p2Form = false;
  protected readonly dialect: 'sqlite' | 'mysql';
  // Pass 1 index: what routing needs, by record number.
  protected readonly ids = new Map<CsvFile, IdIndex>();
  /** The ids of delta files, to find the schools already holding a copy. */
  protected readonly deltaIds = new Map<CsvFile, string[]>();
  protected readonly orgs = new Map<
    string,
    { type: string; parent: string | null }
  >();
  /** orgs.csv's ids by record number. */
  protected readonly orgIds: string[] = [];
  /** Every org the set names (few): number ↔ sourcedId. */
  protected readonly orgNumber = new Map<string, number>();
  protected readonly orgByNumber: string[] = [];
  /** Records only in the database that the set refers to: number ↔ `file:id`. */
  protected readonly externalNumber = new Map<string, number>();
  protected readonly externalByNumber: string[] = [];
  protected readonly courseOrg = new IntList(); // course → org number
  protected readonly classSchool = new IntList(); // class → school org number
  /** users → org numbers: userOrgs[userOrgStart[u] … userOrgStart[u + 1]). */
  protected readonly userOrgStart = new IntList();
  protected readonly userOrgs = new IntList();
  protected readonly lineItemClass = new IntList(); // line item → class key
  protected readonly demographicUser = new IntList(); // demographics → users key
  /** Pushes as (target key, source key) pairs; grouped by target after pass 1. */
  protected pushTargets = new IntList();
  protected pushSources = new IntList();
  /** Records per file (kept when a file's ids are dropped after pass 1). */
  protected readonly fileSizes = new Map<CsvFile, number>();
  protected pushStart!: Int32Array;
  protected pushList!: Int32Array;
  /** References not found in the set: target file → id → first site. */
  protected readonly missing = new Map<CsvFile, Map<string, RefSite>>();
  /** Schools already holding a record (from the database), by key. */
  protected readonly dbOwners = new Map<number, string[]>();
  /** One string per school id however many records name it. */
  protected readonly schoolIds = new Map<string, string>();
  // Schools.
  protected readonly platformByOrg = new Map<
    string,
    { id: string; name: string }
  >();
  protected readonly schoolOrgToId = new Map<string, string>();
  protected targets: string[] = [];
  protected loader: BulkLoader | undefined;
  /** Owner sets are shared (interned): most records have the same few. */
  protected readonly ownerSets: Owners[] = [];
  protected readonly ownerSetNumber = new Map<string, number>();
  /** key → owner set number + 1 (0: not resolved yet), by dense key. */
  protected memo!: Int32Array;
  protected resolving!: Uint8Array;
  protected readonly schoolMemo = new Map<number, Owners>();
  /** Dense numbering of keys: where each kind starts. */
  protected readonly denseStart: number[] = [];

  constructor(
    protected readonly ds: DataSource,
    protected readonly dir: string,
    protected readonly issues: IssueCollector,
    protected readonly report: CsvImportReport,
    protected readonly now: Date,
    protected readonly options: CsvImportOptions,
  ) {
    this.dialect = ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  protected readonly q: Query = (sql, params) =>
    this.ds.query(sql, params) as Promise<unknown[]>;

  /**
   * Reads a file: `each` gets every valid row right after it was validated, so what it
   * reports comes in file order with the row's own issues (rows with errors are reported
   * to `issues` and left out). The file is parsed a chunk at a time; `each` returns a
   * promise only when the reading must wait for it.
   */
  protected async readRows(
    file: AnyCsvFile,
    issues: IssueCollector,
    phase: CsvProgress['phase'],
    each: (row: ParsedRow) => Promise<void> | void,
  ): Promise<void> {
    const mode = this.manifest.modes[file] as Exclude<FileMode, 'absent'>;
    const binding = this.extraFiles.includes(file as V1p2CsvFile)
      ? {
          version: '1.2' as const,
          columns: V1P2_CSV_COLUMNS[file as V1p2CsvFile],
        }
      : this.v1p2Form
        ? {
            version: '1.1' as const,
            columns: V1P2_FORM_COLUMNS[file as CsvFile],
          }
        : undefined;
    const path = join(this.dir, `${file}.csv`);
    const size = statSync(path).size;
    // The records of a chunk are all alive until they are handled: small chunks keep them
    // few, so most die young instead of being promoted (cheaper garbage collection).
    const stream = createReadStream(path, { highWaterMark: 16 * 1024 });
    let ctx: RowContext | undefined;
    let n = 0;
    for await (const batch of parseCsvBatches(stream)) {
      let from = 0;
      if (!ctx) {
        const header = readHeader(file, batch[0], issues, binding);
        if (!header.ok) return;
        ctx = {
          file,
          mode,
          header,
          issues,
          bulkFilled: { count: 0, firstLine: 0 },
        };
        from = 1;
      }
      for (let i = from; i < batch.length; i++) {
        n++;
        const row = readRow(ctx, batch[i]);
        if (row) {
          const wait = each(row);
          if (wait) await wait;
        }
        if (n % 5000 === 0)
          this.options.onProgress?.({
            phase,
            file,
            rows: n,
            bytes: Math.min(stream.bytesRead, size),
            size,
            done: false,
          });
      }
    }
    if (!ctx) {
      // Not even a header row: reported as an empty file.
      readHeader(file, undefined, issues);
      return;
    }
    if (n === 0)
      issues.warning(
        `${file}.csv`,
        'no_rows',
        'files without data rows are not permitted; declare the file absent instead',
      );
    reportFileNotes(ctx);
    this.options.onProgress?.({
      phase,
      file,
      rows: n,
      bytes: size,
      size,
      done: true,
    });
    if (phase === 'validate')
      this.report.files[file] = {
        mode,
        rows: n,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        deleted: 0,
      };
  }

  protected orgNo(org: string): number {
    let n = this.orgNumber.get(org);
    if (n === undefined) {
      n = this.orgByNumber.length;
      const o = own(org);
      this.orgNumber.set(o, n);
      this.orgByNumber.push(o);
    }
    return n;
  }

  /** The key of a record: its number in the set, else an external record. */
  protected keyOf(file: CsvFile, id: string): number {
    const n = this.ids.get(file)?.get(id) ?? -1;
    if (n >= 0) return kindOf(file) * KIND + n;
    const ext = `${file}:${id}`;
    let e = this.externalNumber.get(ext);
    if (e === undefined) {
      e = this.externalByNumber.length;
      const o = own(ext);
      this.externalNumber.set(o, e);
      this.externalByNumber.push(o);
    }
    return EXTERNAL * KIND + e;
  }

  /** The key of a record already seen (in the set or referred to), else -1. */
  protected knownKey(file: CsvFile, id: string): number {
    const n = this.ids.get(file)?.get(id) ?? -1;
    if (n >= 0) return kindOf(file) * KIND + n;
    const e = this.externalNumber.get(`${file}:${id}`);
    return e === undefined ? -1 : EXTERNAL * KIND + e;
  }

  protected schoolKey(org: string): number {
    return SCHOOL * KIND + this.orgNo(org);
  }

  protected push(target: number, source: number) {
    this.pushTargets.push(target);
    this.pushSources.push(source);
  }

  /** The schools classes and enrollments name: org → first row naming it, and how many do. */
  protected readonly schoolRefs = new Map<
    string,
    RefSite & { count: number }
  >();

  protected schoolRef(
    org: string,
    file: CsvFile,
    line: number,
    column: string,
  ): void {
    if (!this.options.strictSchool) return;
    const known = this.schoolRefs.get(org);
    if (known) known.count++;
    else this.schoolRefs.set(own(org), { file, line, column, count: 1 });
  }

  /**
   * Records a reference of `file`, line `line`, column `column`; returns whether the
   * target is in the set. The first site of a target not in the set is kept for the
   * "exists nowhere" check.
   */
  protected ref(
    target: CsvFile,
    id: string,
    file: AnyCsvFile,
    line: number,
    column: string,
  ): boolean {
    if (this.ids.get(target)?.has(id)) return true;
    let m = this.missing.get(target);
    if (!m) this.missing.set(target, (m = new Map()));
    if (!m.has(id)) m.set(own(id), { file, line, column });
    return false;
  }

  protected dense(key: number): number {
    const kind = Math.floor(key / KIND);
    return this.denseStart[kind] + (key - kind * KIND);
  }

  protected orgName(org: string): string {
    return this.orgNames.get(org) ?? org;
  }
  protected readonly orgNames = new Map<string, string>();
  protected readonly orgIdentifiers = new Map<string, string | null>();
}
