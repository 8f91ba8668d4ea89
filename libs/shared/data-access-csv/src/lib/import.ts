import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  classOfCsvFile,
  csvColumn,
  csvFields,
  refTarget,
} from '@oneroster/oneroster-catalogue';
import {
  CsvFile,
  CsvImportReport,
  CsvRecord,
  CSV_FILES,
  DEPENDENCY_ORDER,
  FileMode,
  FileSummary,
  isCsvFile,
  IssueCollector,
  Manifest,
  MANIFEST_FILE,
  parseCsv,
  parseCsvBatches,
  ParsedRow,
  readHeader,
  readManifest,
  readRow,
  reportFileNotes,
  RowContext,
  SchoolSummary,
  ZipFormatError,
} from '@oneroster/util-oneroster-csv';
import type { Query } from './records';
import { readRecords } from './records';
import { openCsvSource } from './source';
import { withSchoolLocks } from './school-lock';
import { fingerprint, TABLE_MAPS } from './tables';
import { BulkLoader, mysqlBulkLoader, TableWriter } from './writer';
import { IdIndex, IntList, RecordDigests } from './id-set';

export interface CsvProgress {
  phase: 'validate' | 'write';
  file: CsvFile;
  rows: number;
  /** Bytes of the file read so far, and its size: progress by bytes. */
  bytes: number;
  size: number;
  done: boolean;
}

export interface CsvImportOptions {
  /** Import everything into this platform school (no split by school org). */
  schoolId?: string;
  /**
   * With `schoolId`: the set must be about that school. Its `orgs.csv` (when present) must
   * hold the school's org, and every class and enrollment must name that org as its school;
   * otherwise the import is refused (`wrong_school`).
   */
  strictSchool?: boolean;
  /** Where a zip is extracted (default: the system's temporary folder). */
  workDir?: string;
  /**
   * Largest total of bytes a zip may inflate to (default 2 GiB, `DEFAULT_MAX_INFLATED_BYTES`);
   * beyond it the import is refused with `archive_too_large` before anything is extracted.
   */
  maxInflatedBytes?: number;
  /** Run every check and every write, then roll back. */
  validateOnly?: boolean;
  /** The import time (dateLastModified of what a bulk file adds, changes or removes). */
  now?: Date;
  onProgress?: (p: CsvProgress) => void;
}

/**
 * The platform school of a school org that has none yet: a UUID (version 5 layout) from
 * the SHA-1 of `oneroster-org:<sourcedId>`, so importing the same set anywhere gives the
 * same school ids.
 */
export function schoolIdForOrg(orgSourcedId: string): string {
  const h = createHash('sha1').update(`oneroster-org:${orgSourcedId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

class Aborted extends Error {}

/**
 * A copy of a parsed field that does not keep the parser's chunk alive: V8 makes long
 * substrings views of their parent string, so an id kept in an index would otherwise hold
 * a whole 256 KB chunk of the file in memory.
 */
const own = (s: string): string => (' ' + s).slice(1);

/** A reference of one row to a record of another file, for the "exists nowhere" check. */
interface RefSite {
  file: CsvFile;
  line: number;
  column: string;
}

/** A GUIDRef column of a CSV file and the file of the class it points to. */
interface RefColumn {
  column: string;
  target: CsvFile;
  list: boolean;
}

/**
 * The references every row is checked for, straight from the catalogue: each GUIDRef field
 * with a CSV column (single or list), pointing into the file of the field's `ref` class.
 */
const REF_COLUMNS = Object.fromEntries(
  CSV_FILES.map((file) => [
    file,
    csvFields(classOfCsvFile(file))
      .filter((f) => f.type === 'guidRef')
      .map((f): RefColumn => {
        const target = refTarget(f).csv?.file;
        if (!target)
          throw new Error(`${file}.${f.name} points to a class without a file`);
        return { column: csvColumn(f).column, target, list: f.list === true };
      }),
  ]),
) as unknown as Record<CsvFile, readonly RefColumn[]>;

/**
 * Files whose sourcedId is the sourcedId of a record of another file (demographics: the
 * user's, §5.5); checked like a reference in the `sourcedId` column.
 */
const SAME_ID_AS: Partial<Record<CsvFile, CsvFile>> = {
  demographics: 'users',
};

/**
 * Imports a OneRoster 1.1 CSV set (a folder or a zip) into the database.
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
        'not a OneRoster 1.1 file; not extracted, ignored',
      );
    try {
      const run = new ImportRun(
        this.ds,
        source.dir,
        issues,
        report,
        now,
        options,
      );
      await run.execute(source.files);
    } finally {
      source.close();
    }
    return finish();
  }
}

type Owners = Set<string>;

/**
 * Routing keys are numbers, so that the index of a million-row set is typed arrays rather
 * than millions of strings: a record of the set is `kind · 2²⁶ + its number in its file`
 * (kind = the file's position in CSV_FILES), a `school:<org>` placement is kind SCHOOL with
 * the org's number, a record only in the database is kind EXTERNAL with the number of its
 * `file:id` string.
 */
const KIND = 2 ** 26;
const SCHOOL = CSV_FILES.length;
const EXTERNAL = CSV_FILES.length + 1;
const kindOf = (file: CsvFile) => CSV_FILES.indexOf(file);

class ImportRun {
  private manifest!: Manifest;
  private readonly present = new Set<CsvFile>();
  private readonly dialect: 'sqlite' | 'mysql';
  // Pass 1 index: what routing needs, by record number.
  private readonly ids = new Map<CsvFile, IdIndex>();
  /** The ids of delta files, to find the schools already holding a copy. */
  private readonly deltaIds = new Map<CsvFile, string[]>();
  private readonly orgs = new Map<
    string,
    { type: string; parent: string | null }
  >();
  /** orgs.csv's ids by record number. */
  private readonly orgIds: string[] = [];
  /** Every org the set names (few): number ↔ sourcedId. */
  private readonly orgNumber = new Map<string, number>();
  private readonly orgByNumber: string[] = [];
  /** Records only in the database that the set refers to: number ↔ `file:id`. */
  private readonly externalNumber = new Map<string, number>();
  private readonly externalByNumber: string[] = [];
  private readonly courseOrg = new IntList(); // course → org number
  private readonly classSchool = new IntList(); // class → school org number
  /** users → org numbers: userOrgs[userOrgStart[u] … userOrgStart[u + 1]). */
  private readonly userOrgStart = new IntList();
  private readonly userOrgs = new IntList();
  private readonly lineItemClass = new IntList(); // line item → class key
  private readonly demographicUser = new IntList(); // demographics → users key
  /** Pushes as (target key, source key) pairs; grouped by target after pass 1. */
  private pushTargets = new IntList();
  private pushSources = new IntList();
  /** Records per file (kept when a file's ids are dropped after pass 1). */
  private readonly fileSizes = new Map<CsvFile, number>();
  private pushStart!: Int32Array;
  private pushList!: Int32Array;
  /** References not found in the set: target file → id → first site. */
  private readonly missing = new Map<CsvFile, Map<string, RefSite>>();
  /** Schools already holding a record (from the database), by key. */
  private readonly dbOwners = new Map<number, string[]>();
  /** One string per school id however many records name it. */
  private readonly schoolIds = new Map<string, string>();
  // Schools.
  private readonly platformByOrg = new Map<
    string,
    { id: string; name: string }
  >();
  private readonly schoolOrgToId = new Map<string, string>();
  private targets: string[] = [];
  private loader: BulkLoader | undefined;
  /** Owner sets are shared (interned): most records have the same few. */
  private readonly ownerSets: Owners[] = [];
  private readonly ownerSetNumber = new Map<string, number>();
  /** key → owner set number + 1 (0: not resolved yet), by dense key. */
  private memo!: Int32Array;
  private resolving!: Uint8Array;
  private readonly schoolMemo = new Map<number, Owners>();
  /** Dense numbering of keys: where each kind starts. */
  private readonly denseStart: number[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly dir: string,
    private readonly issues: IssueCollector,
    private readonly report: CsvImportReport,
    private readonly now: Date,
    private readonly options: CsvImportOptions,
  ) {
    this.dialect = ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  private readonly q: Query = (sql, params) =>
    this.ds.query(sql, params) as Promise<unknown[]>;

  async execute(files: string[]): Promise<void> {
    const { issues } = this;
    if (!files.includes(MANIFEST_FILE)) {
      issues.error(
        MANIFEST_FILE,
        'missing_file',
        'the set has no manifest.csv (OneRoster 1.1 requires one)',
      );
      return;
    }
    const manifestRows: CsvRecord[] = [];
    for await (const r of parseCsv(
      createReadStream(join(this.dir, MANIFEST_FILE)),
    ))
      manifestRows.push(r);
    this.manifest = readManifest(manifestRows, issues);
    for (const name of files) {
      if (name === MANIFEST_FILE) continue;
      const file = name.replace(/\.csv$/, '');
      if (!name.endsWith('.csv') || !isCsvFile(file))
        issues.warning(
          name,
          'unknown_file',
          'not a OneRoster 1.1 file; ignored',
        );
      else if (this.manifest.modes[file] === 'absent')
        issues.warning(
          name,
          'undeclared_file',
          'the manifest declares this file absent; ignored',
        );
      else this.present.add(file);
    }
    for (const file of DEPENDENCY_ORDER) {
      const mode = this.manifest.modes[file];
      if (mode !== 'absent' && !this.present.has(file))
        issues.error(
          MANIFEST_FILE,
          'missing_file',
          `the manifest declares ${file}.csv ${mode} but the set has no such file`,
          {
            column: 'value',
            value: mode,
          },
        );
    }
    if (issues.hasErrors) return;

    for (const file of DEPENDENCY_ORDER)
      if (this.present.has(file)) await this.scan(file);
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
          if (this.issues.hasErrors) throw new Aborted();
          if (this.options.validateOnly) throw new Aborted();
        }),
      );
      this.report.committed = true;
    } catch (e) {
      if (!(e instanceof Aborted)) throw e;
    }
  }

  // ---- pass 1 -------------------------------------------------------------------------

  /**
   * Reads a file: `each` gets every valid row right after it was validated, so what it
   * reports comes in file order with the row's own issues (rows with errors are reported
   * to `issues` and left out). The file is parsed a chunk at a time; `each` returns a
   * promise only when the reading must wait for it.
   */
  private async readRows(
    file: CsvFile,
    issues: IssueCollector,
    phase: CsvProgress['phase'],
    each: (row: ParsedRow) => Promise<void> | void,
  ): Promise<void> {
    const mode = this.manifest.modes[file] as Exclude<FileMode, 'absent'>;
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
        const header = readHeader(file, batch[0], issues);
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

  private orgNo(org: string): number {
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
  private keyOf(file: CsvFile, id: string): number {
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
  private knownKey(file: CsvFile, id: string): number {
    const n = this.ids.get(file)?.get(id) ?? -1;
    if (n >= 0) return kindOf(file) * KIND + n;
    const e = this.externalNumber.get(`${file}:${id}`);
    return e === undefined ? -1 : EXTERNAL * KIND + e;
  }

  private schoolKey(org: string): number {
    return SCHOOL * KIND + this.orgNo(org);
  }

  private push(target: number, source: number) {
    this.pushTargets.push(target);
    this.pushSources.push(source);
  }

  /** The schools classes and enrollments name: org → first row naming it, and how many do. */
  private readonly schoolRefs = new Map<string, RefSite & { count: number }>();

  private schoolRef(
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
  private ref(
    target: CsvFile,
    id: string,
    file: CsvFile,
    line: number,
    column: string,
  ): boolean {
    if (this.ids.get(target)?.has(id)) return true;
    let m = this.missing.get(target);
    if (!m) this.missing.set(target, (m = new Map()));
    if (!m.has(id)) m.set(own(id), { file, line, column });
    return false;
  }

  private async scan(file: CsvFile): Promise<void> {
    // Only numbers are kept between rows: memory grows with the number of records (a few
    // bytes each), never with the size of the files.
    const seen = new IdIndex();
    this.ids.set(file, seen);
    const delta: string[] = [];
    // Rows of these files are placed by the records they name, never by copies of their
    // own: their ids need no lookup.
    const placedByRefs = [
      'enrollments',
      'results',
      'classResources',
      'courseResources',
    ].includes(file);
    if (this.manifest.modes[file] === 'delta' && !placedByRefs)
      this.deltaIds.set(file, delta);
    const selfRefs: [string, number, number, string][] = [];
    await this.readRows(file, this.issues, 'validate', (row) => {
      const id = row.sourcedId;
      const n = seen.add(id);
      if (n < 0) {
        this.issues.error(
          `${file}.csv`,
          'duplicate_sourced_id',
          'another row of this file has the same sourcedId',
          {
            line: row.line,
            column: 'sourcedId',
            value: id,
          },
        );
        return;
      }
      if (this.manifest.modes[file] === 'delta' && !placedByRefs)
        delta.push(own(id));
      this.index(file, n, row, selfRefs);
    });
    this.fileSizes.set(file, seen.size);
    // Nothing refers to rows of these files: their ids were needed for duplicates only.
    if (placedByRefs) this.ids.set(file, new IdIndex());
    // Self references (parent orgs and sessions, agents) may point forward in the file.
    for (const [target, source, line, column] of selfRefs) {
      this.ref(file, target, file, line, column);
      this.push(this.keyOf(file, target), source);
    }
  }

  /**
   * Checks the row's references (REF_COLUMNS): a reference into another file is looked up
   * now (earlier files are complete), one into the same file is kept in `selfRefs` for
   * the end of the file (a parent may come later). Every self reference also pushes the
   * row's schools to its target.
   */
  private checkRefs(
    file: CsvFile,
    key: number,
    row: ParsedRow,
    selfRefs: [string, number, number, string][],
  ) {
    const line = row.line;
    for (const c of REF_COLUMNS[file]) {
      const v = row.values[c.column] as string | string[] | null;
      // An empty optional reference refers to nothing; a list has no empty elements.
      if (!v) continue;
      for (const id of c.list ? (v as string[]) : [v as string])
        if (c.target === file) selfRefs.push([own(id), key, line, c.column]);
        else this.ref(c.target, id, file, line, c.column);
    }
    const same = SAME_ID_AS[file];
    if (same) this.ref(same, row.sourcedId, file, line, 'sourcedId');
  }

  /** What routing needs of a row: the records it belongs to and those it pushes to. */
  private index(
    file: CsvFile,
    n: number,
    row: ParsedRow,
    selfRefs: [string, number, number, string][],
  ) {
    const v = row.values;
    const id = row.sourcedId;
    const key = kindOf(file) * KIND + n;
    const line = row.line;
    this.checkRefs(file, key, row, selfRefs);
    const s = (name: string) => v[name] as string | null;
    /** A required value: present once the row has passed validation. */
    const r = (name: string): string => s(name) ?? '';
    switch (file) {
      case 'orgs': {
        const o = own(id);
        this.orgIds[n] = o;
        const parent = s('parentSourcedId');
        this.orgs.set(o, {
          type: own(s('type') ?? ''),
          parent: parent === null ? null : own(parent),
        });
        this.orgNames.set(o, own(s('name') ?? id));
        const identifier = s('identifier');
        this.orgIdentifiers.set(
          o,
          identifier === null ? null : own(identifier),
        );
        break;
      }
      case 'courses':
        this.courseOrg.set(n, this.orgNo(r('orgSourcedId')));
        this.push(this.keyOf('orgs', r('orgSourcedId')), key);
        if (s('schoolYearSourcedId'))
          this.push(
            this.keyOf('academicSessions', r('schoolYearSourcedId')),
            key,
          );
        break;
      case 'classes': {
        const school = r('schoolSourcedId');
        this.schoolRef(school, file, line, 'schoolSourcedId');
        this.classSchool.set(n, this.orgNo(school));
        this.push(this.keyOf('orgs', school), key);
        this.push(this.keyOf('courses', r('courseSourcedId')), key);
        for (const t of v['termSourcedIds'] as string[])
          this.push(this.keyOf('academicSessions', t), key);
        break;
      }
      case 'users': {
        this.userOrgStart.set(n, this.userOrgs.length);
        for (const o of v['orgSourcedIds'] as string[]) {
          this.userOrgs.push(this.orgNo(o));
          this.push(this.keyOf('orgs', o), key);
        }
        this.userOrgStart.set(n + 1, this.userOrgs.length);
        break;
      }
      case 'demographics':
        this.demographicUser.set(n, this.keyOf('users', id));
        break;
      case 'enrollments': {
        const school = r('schoolSourcedId');
        const cls = r('classSourcedId');
        const user = r('userSourcedId');
        this.schoolRef(school, file, line, 'schoolSourcedId');
        const schoolKey = this.schoolKey(school);
        this.push(this.keyOf('users', user), schoolKey);
        const c = this.ids.get('classes')?.get(cls) ?? -1;
        if (c < 0 || this.classSchool.get(c) !== this.orgNo(school))
          this.push(this.keyOf('classes', cls), schoolKey);
        break;
      }
      case 'lineItems': {
        const cls = r('classSourcedId');
        const classKey = this.keyOf('classes', cls);
        this.lineItemClass.set(n, classKey);
        this.push(this.keyOf('categories', r('categorySourcedId')), classKey);
        this.push(
          this.keyOf('academicSessions', r('gradingPeriodSourcedId')),
          classKey,
        );
        break;
      }
      case 'results': {
        const li = r('lineItemSourcedId');
        const student = r('studentSourcedId');
        const l = this.ids.get('lineItems')?.get(li) ?? -1;
        this.push(
          this.keyOf('users', student),
          l >= 0 ? this.lineItemClass.get(l) : this.keyOf('lineItems', li),
        );
        break;
      }
      case 'classResources':
      case 'courseResources': {
        const owner = file === 'classResources' ? 'classes' : 'courses';
        const col =
          file === 'classResources' ? 'classSourcedId' : 'courseSourcedId';
        this.push(
          this.keyOf('resources', r('resourceSourcedId')),
          this.keyOf(owner, r(col)),
        );
        break;
      }
      default:
        break;
    }
  }

  /** Dense numbers of keys (records of the set, then external ones) and pushes by target. */
  private groupPushes(): void {
    let total = 0;
    for (const file of CSV_FILES) {
      this.denseStart.push(total);
      total += this.fileSizes.get(file) ?? 0;
    }
    this.denseStart.push(total); // SCHOOL: no dense numbers
    this.denseStart.push(total); // EXTERNAL
    total += this.externalByNumber.length;
    const start = new Int32Array(total + 1);
    const n = this.pushTargets.length;
    for (let i = 0; i < n; i++) start[this.dense(this.pushTargets.at(i)) + 1]++;
    for (let i = 0; i < total; i++) start[i + 1] += start[i];
    const fill = start.slice(0, total);
    const list = new Int32Array(n);
    for (let i = 0; i < n; i++)
      list[fill[this.dense(this.pushTargets.at(i))]++] = this.pushSources.at(i);
    this.pushStart = start;
    this.pushList = list;
    this.memo = new Int32Array(total);
    this.resolving = new Uint8Array(total);
  }

  private dense(key: number): number {
    const kind = Math.floor(key / KIND);
    return this.denseStart[kind] + (key - kind * KIND);
  }

  /** References not in the set must exist in the database ("exists nowhere" otherwise). */
  private async resolveMissing(): Promise<void> {
    for (const [target, ids] of this.missing) {
      const found = await this.lookupOwners(target, [...ids.keys()]);
      for (const [id, site] of ids)
        if (!found.has(id))
          this.issues.error(
            `${site.file}.csv`,
            'unknown_reference',
            `no ${target} record with this sourcedId, in the set or in the database`,
            {
              line: site.line,
              column: site.column,
              value: id,
            },
          );
    }
    // Delta files update every copy a record already has.
    for (const file of DEPENDENCY_ORDER)
      if (this.present.has(file) && this.manifest.modes[file] === 'delta')
        await this.lookupOwners(file, this.deltaIds.get(file) ?? []);
  }

  private async lookupOwners(
    file: CsvFile,
    ids: string[],
  ): Promise<Set<string>> {
    const found = new Set<string>();
    const table = TABLE_MAPS[file].table;
    // Imported into one school, only that school's records count: an id held by another
    // school must read exactly as one that exists nowhere (tenancy: another school's ids
    // are never revealed, validation-only imports included). Splitting a district set,
    // every school may hold the records it refers to.
    const school = this.options.schoolId;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = (await this.q(
        `SELECT sourced_id AS id, school_id AS s FROM ${table} WHERE ${school !== undefined ? 'school_id = ? AND ' : ''}sourced_id IN (${chunk.map(() => '?').join(',')})`,
        school !== undefined ? [school, ...chunk] : chunk,
      )) as { id: string; s: string }[];
      for (const r of rows) {
        found.add(r.id);
        const key = this.keyOf(file, r.id);
        const school = this.schoolIds.get(r.s) ?? r.s;
        this.schoolIds.set(school, school);
        const l = this.dbOwners.get(key);
        if (l) l.push(school);
        else this.dbOwners.set(key, [school]);
      }
    }
    return found;
  }

  // ---- schools and routing --------------------------------------------------------------

  private async resolveSchools(): Promise<void> {
    const rows = (await this.q(
      'SELECT id, name, org_sourced_id AS org FROM schools',
    )) as {
      id: string;
      name: string;
      org: string;
    }[];
    for (const r of rows)
      if (!this.platformByOrg.has(r.org)) this.platformByOrg.set(r.org, r);
    if (this.options.schoolId) {
      const school = rows.find((r) => r.id === this.options.schoolId);
      if (!school) {
        this.issues.error(
          '(set)',
          'unknown_school',
          `no platform school ${this.options.schoolId}`,
        );
        return;
      }
      this.targets = [school.id];
      if (this.options.strictSchool) this.checkSchoolData(school);
      this.report.schools.push({
        schoolId: school.id,
        orgSourcedId: school.org,
        name: school.name,
        created: false,
      });
      return;
    }
    const schoolOrgs = new Set<string>();
    for (const [id, o] of this.orgs)
      if (o.type === 'school') schoolOrgs.add(id);
    // Without orgs.csv (a delta), the schools are those the rows name.
    const named = (n: number) => {
      const org = this.orgByNumber[n];
      if (
        org !== undefined &&
        this.platformByOrg.has(org) &&
        !this.orgs.has(org)
      )
        schoolOrgs.add(org);
    };
    for (let i = 0; i < this.classSchool.length; i++)
      named(this.classSchool.at(i));
    for (let i = 0; i < this.userOrgs.length; i++) named(this.userOrgs.at(i));
    const users = kindOf('users');
    for (let i = 0; i < this.pushTargets.length; i++) {
      const src = this.pushSources.at(i);
      if (
        Math.floor(this.pushTargets.at(i) / KIND) === users &&
        Math.floor(src / KIND) === SCHOOL
      ) {
        const org = this.orgByNumber[src - SCHOOL * KIND];
        if (this.platformByOrg.has(org)) schoolOrgs.add(org);
      }
    }
    for (const org of [...schoolOrgs].sort()) {
      const existing = this.platformByOrg.get(org);
      const id = existing?.id ?? schoolIdForOrg(org);
      this.schoolOrgToId.set(org, id);
      this.report.schools.push({
        schoolId: id,
        orgSourcedId: org,
        name: existing?.name ?? this.orgName(org),
        created: !existing,
      });
    }
    this.targets = [...new Set(this.schoolOrgToId.values())];
    if (this.targets.length === 0)
      this.issues.error(
        'orgs.csv',
        'no_school',
        'the set names no org of type school; add orgs.csv or import with a school',
      );
  }

  /** `strictSchool`: refuses a set about another school than the one imported into. */
  private checkSchoolData(school: { name: string; org: string }): void {
    const others = [...this.orgs]
      .filter(([id, o]) => o.type === 'school' && id !== school.org)
      .map(([id]) => id);
    if (this.present.has('orgs') && !this.orgs.has(school.org))
      this.issues.error(
        'orgs.csv',
        'wrong_school',
        `the set is not about ${school.name}: its orgs.csv has no org ${school.org}` +
          (others.length
            ? ` but holds the school(s) ${others.slice(0, 5).join(', ')}`
            : ''),
        { column: 'sourcedId', value: others[0] },
      );
    for (const [org, site] of this.schoolRefs)
      if (org !== school.org)
        this.issues.error(
          `${site.file}.csv`,
          'wrong_school',
          `this import is for ${school.name} (org ${school.org}) only; ${site.count} row(s) of ${site.file}.csv belong to another school`,
          { line: site.line, column: site.column, value: org },
        );
  }

  private orgName(org: string): string {
    return this.orgNames.get(org) ?? org;
  }
  private readonly orgNames = new Map<string, string>();
  private readonly orgIdentifiers = new Map<string, string | null>();

  private async createSchools(q: Query): Promise<void> {
    for (const s of this.report.schools as SchoolSummary[]) {
      if (!s.created) continue;
      // Another import of the same school may have created it while this one waited.
      const found = (await q('SELECT id FROM schools WHERE id = ?', [
        s.schoolId,
      ])) as unknown[];
      if (found.length > 0) {
        s.created = false;
        continue;
      }
      await q(
        'INSERT INTO schools (id, name, org_sourced_id, identifier, sandbox, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [
          s.schoolId,
          s.name,
          s.orgSourcedId,
          (this.orgIdentifiers.get(s.orgSourcedId) ?? null)?.slice(0, 64) ??
            null,
          0,
          this.now.toISOString().replace('T', ' ').replace('Z', ''),
        ],
      );
    }
  }

  /** Schools an org places records into: its nearest school ancestor-or-self, else the schools below it. */
  private orgSchools(org: string): Owners {
    const direct = this.schoolOrgToId.get(org);
    if (direct) return new Set([direct]);
    const seen = new Set<string>();
    for (
      let o: string | null | undefined = this.orgs.get(org)?.parent;
      o && !seen.has(o);
      o = this.orgs.get(o)?.parent
    ) {
      seen.add(o);
      const s = this.schoolOrgToId.get(o);
      if (s) return new Set([s]);
    }
    const below = new Set<string>();
    for (const [schoolOrg, schoolId] of this.schoolOrgToId) {
      const chain = new Set<string>();
      for (
        let o: string | null | undefined = this.orgs.get(schoolOrg)?.parent;
        o && !chain.has(o);
        o = this.orgs.get(o)?.parent
      ) {
        chain.add(o);
        if (o === org) below.add(schoolId);
      }
    }
    if (below.size) return below;
    const key = this.knownKey('orgs', org);
    return new Set(key < 0 ? [] : (this.dbOwners.get(key) ?? []));
  }

  /** An owner set shared by every record that has it (never changed once interned). */
  private intern(set: Owners): number {
    const name = [...set].sort().join(',');
    let n = this.ownerSetNumber.get(name);
    if (n === undefined) {
      n = this.ownerSets.length;
      this.ownerSets.push(set);
      this.ownerSetNumber.set(name, n);
    }
    return n;
  }

  private placement(key: number): Owners {
    const kind = Math.floor(key / KIND);
    const n = key - kind * KIND;
    if (kind === SCHOOL) return this.orgSchools(this.orgByNumber[n]);
    const out = new Set<string>();
    const add = (set: Iterable<string>) => {
      for (const s of set) out.add(s);
    };
    if (kind === EXTERNAL) {
      add(this.dbOwners.get(key) ?? []);
      return out;
    }
    const file = CSV_FILES[kind];
    if (this.manifest.modes[file] === 'delta')
      add(this.dbOwners.get(key) ?? []);
    switch (file) {
      case 'orgs': {
        const id = this.orgIds[n];
        const o = this.orgs.get(id) ?? { type: '', parent: null };
        if (o.type === 'school' || this.orgHasSchoolAncestor(id))
          add(this.orgSchools(id));
        break;
      }
      case 'classes':
        add(this.orgSchools(this.orgByNumber[this.classSchool.get(n)] ?? ''));
        break;
      case 'courses': {
        const org = this.orgByNumber[this.courseOrg.get(n)] ?? '';
        if (this.schoolOrgToId.has(org) || this.orgHasSchoolAncestor(org))
          add(this.orgSchools(org));
        break;
      }
      case 'users':
        for (
          let i = this.userOrgStart.get(n), end = this.userOrgStart.get(n + 1);
          i >= 0 && i < end;
          i++
        )
          add(this.orgSchools(this.orgByNumber[this.userOrgs.at(i)]));
        break;
      case 'lineItems':
        add(this.owners(this.lineItemClass.get(n)));
        break;
      case 'demographics':
        add(this.owners(this.demographicUser.get(n)));
        break;
      default:
        break;
    }
    return out;
  }

  private orgHasSchoolAncestor(org: string): boolean {
    const seen = new Set<string>();
    for (
      let o: string | null | undefined = this.orgs.get(org)?.parent;
      o && !seen.has(o);
      o = this.orgs.get(o)?.parent
    ) {
      seen.add(o);
      if (this.schoolOrgToId.has(o)) return true;
    }
    return false;
  }

  /** The schools a record goes to: where it belongs, plus every school of a record referring to it. */
  owners(key: number): Owners {
    if (this.options.schoolId) return this.importSchool();
    if (key < 0) return new Set();
    const kind = Math.floor(key / KIND);
    if (kind === SCHOOL) {
      let s = this.schoolMemo.get(key);
      if (!s) this.schoolMemo.set(key, (s = this.placement(key)));
      return s;
    }
    const d = this.dense(key);
    // A record first named after pass 1 has no pushes: its placement is all there is.
    if (d >= this.memo.length) return this.placement(key);
    if (this.memo[d] > 0) return this.ownerSets[this.memo[d] - 1];
    if (this.resolving[d]) return new Set();
    this.resolving[d] = 1;
    const out = this.placement(key);
    for (let i = this.pushStart[d]; i < this.pushStart[d + 1]; i++)
      this.owners(this.pushList[i]).forEach((s) => out.add(s));
    if (out.size === 0 && kind !== EXTERNAL) {
      // Nothing places it (an unused session, category or resource; a district course no
      // class uses): every school of the set gets it.
      if (CSV_FILES[kind] === 'courses')
        this.orgSchools(
          this.orgByNumber[this.courseOrg.get(key - kind * KIND)] ?? '',
        ).forEach((s) => out.add(s));
      if (out.size === 0) this.targets.forEach((s) => out.add(s));
    }
    this.resolving[d] = 0;
    this.memo[d] = this.intern(out) + 1;
    return this.ownerSets[this.memo[d] - 1];
  }

  /** With `schoolId`, every record goes to that school: one set shared by all. */
  private importSchool(): Owners {
    return (this.importSchoolSet ??= new Set(this.targets));
  }
  private importSchoolSet: Owners | undefined;

  private rowOwners(file: CsvFile, row: ParsedRow): Owners {
    if (this.options.schoolId) return this.importSchool();
    const v = row.values;
    switch (file) {
      case 'enrollments':
        return this.owners(this.schoolKey(v['schoolSourcedId'] as string));
      case 'results':
        return this.owners(
          this.knownKey('lineItems', v['lineItemSourcedId'] as string),
        );
      case 'classResources':
        return this.owners(
          this.knownKey('classes', v['classSourcedId'] as string),
        );
      case 'courseResources':
        return this.owners(
          this.knownKey('courses', v['courseSourcedId'] as string),
        );
      default:
        return this.owners(this.knownKey(file, row.sourcedId));
    }
  }
  // ---- pass 2 -------------------------------------------------------------------------

  private async write(q: Query, file: CsvFile): Promise<void> {
    const map = TABLE_MAPS[file];
    const mode = this.manifest.modes[file];
    const summary = this.report.files[file] as FileSummary;
    const writer = new TableWriter(q, this.dialect, map, this.loader);
    const targets = new Set(this.targets);
    // Bulk: what the schools hold now, as hashes (a few bytes a record, not the records).
    const existing = new RecordDigests();
    if (mode === 'bulk')
      for (const s of this.targets)
        for await (const r of readRecords(q, map, s))
          existing.set(
            s,
            r.sourcedId,
            fingerprint(map, r.values, r.metadata),
            r.status === 'active',
          );
    const quiet = new IssueCollector(0);
    /** The schools of this import in each owner set (sets are shared, so is this). */
    const inImport = new WeakMap<Owners, string[]>();
    const importedOwners = (set: Owners): string[] => {
      let list = inImport.get(set);
      if (!list)
        inImport.set(set, (list = [...set].filter((s) => targets.has(s))));
      return list;
    };
    await this.readRows(file, quiet, 'write', (row) => {
      const owners = importedOwners(this.rowOwners(file, row));
      if (owners.length === 0) {
        this.issues.error(
          `${file}.csv`,
          'no_school',
          'the record belongs to no school of this import',
          {
            line: row.line,
            column: 'sourcedId',
            value: row.sourcedId,
          },
        );
        return;
      }
      // The latest batch to wait for, if one was filled (batches are sent in order).
      let wait: Promise<void> | undefined;
      for (const school of owners) {
        if (mode === 'delta') {
          const status = row.status ?? 'active';
          wait =
            writer.write(
              school,
              {
                sourcedId: row.sourcedId,
                status,
                dateLastModified: row.dateLastModified ?? this.now,
                values: row.values,
                metadata: row.metadata,
              },
              'upsert',
            ) ?? wait;
          if (status === 'tobedeleted') summary.deleted++;
          else summary.updated++;
          continue;
        }
        const before = existing.visit(school, row.sourcedId, () =>
          fingerprint(map, row.values, row.metadata),
        );
        const rec = {
          sourcedId: row.sourcedId,
          status: 'active' as const,
          dateLastModified: this.now,
          values: row.values,
          metadata: row.metadata,
        };
        if (before === 'absent') {
          wait = writer.write(school, rec, 'insert') ?? wait;
          summary.inserted++;
        } else if (before === 'unchanged') summary.unchanged++;
        else {
          wait = writer.write(school, rec, 'upsert') ?? wait;
          summary.updated++;
        }
      }
      return wait;
    });
    await writer.flush();
    if (mode === 'bulk')
      for (const school of this.targets) {
        // Active records the file did not have, found a page of ids at a time.
        if (!existing.hasMissing(school)) continue;
        let after = '';
        for (;;) {
          const ids = (
            (await q(
              `SELECT sourced_id AS id FROM ${map.table} WHERE school_id = ? AND status = 'active' AND sourced_id > ? ORDER BY sourced_id LIMIT 5000`,
              [school, after],
            )) as { id: string }[]
          ).map((r) => String(r.id));
          if (ids.length === 0) break;
          after = ids[ids.length - 1];
          const gone = ids.filter((id) => existing.missing(school, id));
          await writer.markDeleted(school, gone, this.now);
          summary.deleted += gone.length;
          if (ids.length < 5000) break;
        }
      }
  }
}
