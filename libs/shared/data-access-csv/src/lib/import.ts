import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  CsvFile,
  CsvImportReport,
  CsvRecord,
  DEPENDENCY_ORDER,
  FileMode,
  FileSummary,
  isCsvFile,
  IssueCollector,
  Manifest,
  MANIFEST_FILE,
  parseCsv,
  ParsedRow,
  readHeader,
  readManifest,
  readRow,
  reportBulkFilled,
  RowContext,
  SchoolSummary,
} from '@oneroster/util-oneroster-csv';
import type { Query } from './records';
import { readRecords } from './records';
import { openCsvSource } from './source';
import { withSchoolLocks } from './school-lock';
import { fingerprint, TABLE_MAPS } from './tables';
import { TableWriter } from './writer';
import { IdSet } from './id-set';

export interface CsvProgress {
  phase: 'validate' | 'write';
  file: CsvFile;
  rows: number;
  done: boolean;
}

export interface CsvImportOptions {
  /** Import everything into this platform school (no split by school org). */
  schoolId?: string;
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
      source = await openCsvSource(path);
    } catch (e) {
      issues.error(path, 'bad_archive', (e as Error).message);
      return finish();
    }
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

class ImportRun {
  private manifest!: Manifest;
  private readonly present = new Set<CsvFile>();
  private readonly dialect: 'sqlite' | 'mysql';
  // Pass 1 index: what routing needs, by sourcedId.
  private readonly ids = new Map<CsvFile, IdSet>();
  /** The ids of delta files, to find the schools already holding a copy. */
  private readonly deltaIds = new Map<CsvFile, string[]>();
  private readonly orgs = new Map<
    string,
    { type: string; parent: string | null }
  >();
  private readonly sessionParent = new Map<string, string | null>();
  private readonly courses = new Map<string, string>(); // course → org
  private readonly classes = new Map<string, string>(); // class → school org
  private readonly userOrgs = new Map<string, string[]>();
  private readonly lineItemClass = new Map<string, string>();
  /** target key → keys of records (or `school:<org>`) that refer to it. */
  private readonly pushes = new Map<string, Set<string>>();
  /** References not found in the set: target file → id → first site. */
  private readonly missing = new Map<CsvFile, Map<string, RefSite>>();
  /** Schools already holding a record: `file:id` → school ids (from the database). */
  private readonly dbOwners = new Map<string, string[]>();
  // Schools.
  private readonly platformByOrg = new Map<
    string,
    { id: string; name: string }
  >();
  private readonly schoolOrgToId = new Map<string, string>();
  private targets: string[] = [];
  private readonly memo = new Map<string, Owners>();

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
    await this.resolveSchools();
    if (issues.hasErrors) return;

    try {
      await withSchoolLocks(this.targets, () =>
        this.ds.transaction(async (em) => {
          const q: Query = (sql, params) =>
            em.query(sql, params) as Promise<unknown[]>;
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

  private async *rows(
    file: CsvFile,
    issues: IssueCollector,
    phase: CsvProgress['phase'],
  ) {
    const mode = this.manifest.modes[file] as Exclude<FileMode, 'absent'>;
    const it = parseCsv(
      createReadStream(join(this.dir, `${file}.csv`), {
        highWaterMark: 256 * 1024,
      }),
    );
    const first = await it.next();
    const header = readHeader(
      file,
      first.done ? undefined : first.value,
      issues,
    );
    if (!header.ok) return;
    const ctx: RowContext = {
      file,
      mode,
      header,
      issues,
      bulkFilled: { count: 0, firstLine: 0 },
    };
    let n = 0;
    for await (const rec of it) {
      n++;
      const row = readRow(ctx, rec);
      if (row) yield row;
      if (n % 20000 === 0)
        this.options.onProgress?.({ phase, file, rows: n, done: false });
    }
    if (n === 0)
      issues.warning(
        `${file}.csv`,
        'no_rows',
        'files without data rows are not permitted; declare the file absent instead',
      );
    reportBulkFilled(ctx);
    this.options.onProgress?.({ phase, file, rows: n, done: true });
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

  /** One string object per source key, however many targets it is pushed to. */
  private readonly sourceKeys = new Map<string, string>();

  private push(target: string, source: string) {
    let src = this.sourceKeys.get(source);
    if (src === undefined) this.sourceKeys.set(source, (src = source));
    const s = this.pushes.get(target);
    if (s) s.add(src);
    else this.pushes.set(target, new Set([src]));
  }

  /** Records a reference; returns whether the target is in the set. */
  private ref(target: CsvFile, id: string, site: RefSite): boolean {
    if (this.ids.get(target)?.has(id)) return true;
    let m = this.missing.get(target);
    if (!m) this.missing.set(target, (m = new Map()));
    if (!m.has(id)) m.set(id, site);
    return false;
  }

  private async scan(file: CsvFile): Promise<void> {
    // Only ids are kept between rows (and flattened): memory grows with the number of
    // records, never with the size of the files.
    const seen = new IdSet();
    this.ids.set(file, seen);
    const delta: string[] = [];
    if (this.manifest.modes[file] === 'delta') this.deltaIds.set(file, delta);
    const selfRefs: [string, string, number][] = [];
    for await (const row of this.rows(file, this.issues, 'validate')) {
      const id = row.sourcedId;
      if (!seen.add(id)) {
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
        continue;
      }
      row.sourcedId = own(id);
      if (this.manifest.modes[file] === 'delta') delta.push(row.sourcedId);
      this.index(file, row, selfRefs);
    }
    // Self references (parent orgs and sessions, agents) may point forward in the file.
    for (const [target, source, line] of selfRefs) {
      const column = file === 'users' ? 'agentSourcedIds' : 'parentSourcedId';
      this.ref(file, target, { file, line, column });
      this.push(`${file}:${target}`, source);
    }
  }

  private index(
    file: CsvFile,
    row: ParsedRow,
    selfRefs: [string, string, number][],
  ) {
    const v = row.values;
    const id = row.sourcedId;
    const key = `${file}:${id}`;
    const at = (column: string): RefSite => ({ file, line: row.line, column });
    const s = (name: string) => {
      const x = v[name] as string | null;
      return x === null ? null : own(x);
    };
    /** A required value: present once the row has passed validation. */
    const r = (name: string): string => s(name) ?? '';
    switch (file) {
      case 'orgs':
        this.orgs.set(id, {
          type: s('type') ?? '',
          parent: s('parentSourcedId'),
        });
        this.orgNames.set(id, s('name') ?? id);
        this.orgIdentifiers.set(id, s('identifier'));
        if (s('parentSourcedId'))
          selfRefs.push([r('parentSourcedId'), key, row.line]);
        break;
      case 'academicSessions':
        this.sessionParent.set(id, s('parentSourcedId'));
        if (s('parentSourcedId'))
          selfRefs.push([r('parentSourcedId'), key, row.line]);
        break;
      case 'courses':
        this.courses.set(id, r('orgSourcedId'));
        this.ref('orgs', r('orgSourcedId'), at('orgSourcedId'));
        this.push(`orgs:${s('orgSourcedId')}`, key);
        if (s('schoolYearSourcedId')) {
          this.ref(
            'academicSessions',
            r('schoolYearSourcedId'),
            at('schoolYearSourcedId'),
          );
          this.push(`academicSessions:${s('schoolYearSourcedId')}`, key);
        }
        break;
      case 'classes': {
        const school = r('schoolSourcedId');
        this.classes.set(id, school);
        this.ref('orgs', school, at('schoolSourcedId'));
        this.push(`orgs:${school}`, key);
        this.ref('courses', r('courseSourcedId'), at('courseSourcedId'));
        this.push(`courses:${s('courseSourcedId')}`, key);
        for (const t of v['termSourcedIds'] as string[]) {
          this.ref('academicSessions', t, at('termSourcedIds'));
          this.push(`academicSessions:${t}`, key);
        }
        break;
      }
      case 'users': {
        const orgs = (v['orgSourcedIds'] as string[]).map(own);
        this.userOrgs.set(id, orgs);
        for (const o of orgs) {
          this.ref('orgs', o, at('orgSourcedIds'));
          this.push(`orgs:${o}`, key);
        }
        for (const a of v['agentSourcedIds'] as string[])
          selfRefs.push([own(a), key, row.line]);
        break;
      }
      case 'demographics':
        this.ref('users', id, at('sourcedId'));
        break;
      case 'enrollments': {
        const school = r('schoolSourcedId');
        const cls = r('classSourcedId');
        const user = r('userSourcedId');
        this.ref('orgs', school, at('schoolSourcedId'));
        this.ref('classes', cls, at('classSourcedId'));
        this.ref('users', user, at('userSourcedId'));
        this.push(`users:${user}`, `school:${school}`);
        if (this.classes.get(cls) !== school)
          this.push(`classes:${cls}`, `school:${school}`);
        break;
      }
      case 'lineItems': {
        const cls = r('classSourcedId');
        this.lineItemClass.set(id, cls);
        this.ref('classes', cls, at('classSourcedId'));
        this.ref('categories', r('categorySourcedId'), at('categorySourcedId'));
        this.ref(
          'academicSessions',
          r('gradingPeriodSourcedId'),
          at('gradingPeriodSourcedId'),
        );
        this.push(`categories:${s('categorySourcedId')}`, `classes:${cls}`);
        this.push(
          `academicSessions:${s('gradingPeriodSourcedId')}`,
          `classes:${cls}`,
        );
        break;
      }
      case 'results': {
        const li = r('lineItemSourcedId');
        const student = r('studentSourcedId');
        this.ref('lineItems', li, at('lineItemSourcedId'));
        this.ref('users', student, at('studentSourcedId'));
        const cls = this.lineItemClass.get(li);
        this.push(
          `users:${student}`,
          cls ? `classes:${cls}` : `lineItems:${li}`,
        );
        break;
      }
      case 'classResources':
      case 'courseResources': {
        const owner = file === 'classResources' ? 'classes' : 'courses';
        const col =
          file === 'classResources' ? 'classSourcedId' : 'courseSourcedId';
        this.ref(owner, r(col), at(col));
        this.ref('resources', r('resourceSourcedId'), at('resourceSourcedId'));
        this.push(`resources:${s('resourceSourcedId')}`, `${owner}:${s(col)}`);
        break;
      }
      default:
        break;
    }
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
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = (await this.q(
        `SELECT sourced_id AS id, school_id AS s FROM ${table} WHERE sourced_id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      )) as { id: string; s: string }[];
      for (const r of rows) {
        found.add(r.id);
        const key = `${file}:${r.id}`;
        const l = this.dbOwners.get(key);
        if (l) l.push(r.s);
        else this.dbOwners.set(key, [r.s]);
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
    for (const org of [
      ...this.classes.values(),
      ...[...this.userOrgs.values()].flat(),
    ])
      if (this.platformByOrg.has(org) && !this.orgs.has(org))
        schoolOrgs.add(org);
    for (const [key, sources] of this.pushes)
      if (key.startsWith('users:'))
        for (const src of sources)
          if (src.startsWith('school:') && this.platformByOrg.has(src.slice(7)))
            schoolOrgs.add(src.slice(7));
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
    return new Set(this.dbOwners.get(`orgs:${org}`) ?? []);
  }

  private placement(key: string): Owners {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    const id = key.slice(i + 1);
    if (kind === 'school') return this.orgSchools(id);
    const file = kind as CsvFile;
    const out = new Set<string>();
    if (!this.ids.get(file)?.has(id)) {
      for (const s of this.dbOwners.get(key) ?? []) out.add(s);
      return out;
    }
    if (this.manifest.modes[file] === 'delta')
      for (const s of this.dbOwners.get(key) ?? []) out.add(s);
    const add = (set: Owners) => set.forEach((s) => out.add(s));
    switch (file) {
      case 'orgs': {
        const o = this.orgs.get(id) ?? { type: '', parent: null };
        if (o.type === 'school' || this.orgHasSchoolAncestor(id))
          add(this.orgSchools(id));
        break;
      }
      case 'classes':
        add(this.orgSchools(this.classes.get(id) ?? ''));
        break;
      case 'courses': {
        const org = this.courses.get(id) ?? '';
        if (this.schoolOrgToId.has(org) || this.orgHasSchoolAncestor(org))
          add(this.orgSchools(org));
        break;
      }
      case 'users':
        for (const o of this.userOrgs.get(id) ?? []) add(this.orgSchools(o));
        break;
      case 'lineItems':
        add(this.owners(`classes:${this.lineItemClass.get(id)}`));
        break;
      case 'demographics':
        add(this.owners(`users:${id}`));
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

  private readonly resolving = new Set<string>();

  /** The schools a record goes to: where it belongs, plus every school of a record referring to it. */
  owners(key: string): Owners {
    if (this.options.schoolId) return new Set(this.targets);
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.resolving.has(key)) return new Set();
    this.resolving.add(key);
    const out = this.placement(key);
    for (const src of this.pushes.get(key) ?? [])
      this.owners(src).forEach((s) => out.add(s));
    if (
      out.size === 0 &&
      this.ids
        .get(key.slice(0, key.indexOf(':')) as CsvFile)
        ?.has(key.slice(key.indexOf(':') + 1))
    ) {
      // Nothing places it (an unused session, category or resource; a district course no
      // class uses): every school of the set gets it.
      const file = key.slice(0, key.indexOf(':')) as CsvFile;
      if (file === 'courses')
        this.orgSchools(this.courses.get(key.slice(8)) ?? '').forEach((s) =>
          out.add(s),
        );
      if (out.size === 0) this.targets.forEach((s) => out.add(s));
    }
    this.resolving.delete(key);
    this.memo.set(key, out);
    return out;
  }

  private rowOwners(file: CsvFile, row: ParsedRow): Owners {
    const v = row.values;
    switch (file) {
      case 'enrollments':
        return this.owners(`school:${v['schoolSourcedId']}`);
      case 'results':
        return this.owners(`lineItems:${v['lineItemSourcedId']}`);
      case 'classResources':
        return this.owners(`classes:${v['classSourcedId']}`);
      case 'courseResources':
        return this.owners(`courses:${v['courseSourcedId']}`);
      default:
        return this.owners(`${file}:${row.sourcedId}`);
    }
  }

  // ---- pass 2 -------------------------------------------------------------------------

  private async write(q: Query, file: CsvFile): Promise<void> {
    const map = TABLE_MAPS[file];
    const mode = this.manifest.modes[file];
    const summary = this.report.files[file] as FileSummary;
    const writer = new TableWriter(q, this.dialect, map);
    const targets = new Set(this.targets);
    const existing = new Map<
      string,
      Map<string, { fp: string; active: boolean }>
    >();
    if (mode === 'bulk')
      for (const s of this.targets) {
        const m = new Map<string, { fp: string; active: boolean }>();
        for await (const r of readRecords(q, map, s))
          m.set(r.sourcedId, {
            fp: digest(fingerprint(map, r.values, r.metadata)),
            active: r.status === 'active',
          });
        existing.set(s, m);
      }
    const quiet = new IssueCollector(0);
    for await (const row of this.rows(file, quiet, 'write')) {
      const owners = [...this.rowOwners(file, row)].filter((s) =>
        targets.has(s),
      );
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
        continue;
      }
      for (const school of owners) {
        if (mode === 'delta') {
          const status = row.status ?? 'active';
          await writer.write(
            school,
            {
              sourcedId: row.sourcedId,
              status,
              dateLastModified: row.dateLastModified ?? this.now,
              values: row.values,
              metadata: row.metadata,
            },
            'upsert',
          );
          if (status === 'tobedeleted') summary.deleted++;
          else summary.updated++;
          continue;
        }
        const known =
          existing.get(school) ??
          new Map<string, { fp: string; active: boolean }>();
        const before = known.get(row.sourcedId);
        const rec = {
          sourcedId: row.sourcedId,
          status: 'active' as const,
          dateLastModified: this.now,
          values: row.values,
          metadata: row.metadata,
        };
        if (!before) {
          await writer.write(school, rec, 'insert');
          summary.inserted++;
        } else {
          known.delete(row.sourcedId);
          if (
            before.active &&
            before.fp === digest(fingerprint(map, row.values, row.metadata))
          )
            summary.unchanged++;
          else {
            await writer.write(school, rec, 'upsert');
            summary.updated++;
          }
        }
      }
    }
    await writer.flush();
    if (mode === 'bulk')
      for (const [school, left] of existing) {
        const gone = [...left].filter(([, r]) => r.active).map(([id]) => id);
        await writer.markDeleted(school, gone, this.now);
        summary.deleted += gone.length;
      }
  }
}

const digest = (s: string) => createHash('sha1').update(s).digest('base64');
