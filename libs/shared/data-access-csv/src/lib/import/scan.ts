import {
  classOfCsvFile,
  csvColumn,
  csvFields,
  refTarget,
} from '@oneroster/oneroster-catalogue';
import {
  CsvFile,
  CSV_FILES,
  ParsedRow,
  type V1p2CsvFile,
} from '@oneroster/util-oneroster-csv';
import { IdIndex } from '../id-set';
import {
  V1P2_GATHERED_LINK_MAPS,
  V1P2_LINK_COLUMN_MAPS,
  V1P2_TABLE_MAPS,
} from '../tables';
import { ManifestStep } from './manifest';
import { KIND, kindOf, own } from './run-index';

/*
 * Step 2, the scan (pass 1), file by file in dependency order:
 * - every row is checked (header, values) by the CSV binding; rows with errors are left out;
 * - a sourcedId may appear once per file (`duplicate_sourced_id`);
 * - every GUIDRef column the catalogue declares is a reference (REF_COLUMNS): into an
 *   earlier file it is looked up at once, into the same file at the end of the file (a
 *   parent may come later); a target not in the set is kept, with its first site, for
 *   step 3; a demographics record's sourcedId is a reference to its user;
 * - what routing needs is indexed as numbers: org types and parents, each course's org,
 *   class's school, user's orgs, line item's class, and the pushes of every reference.
 */

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

export abstract class ScanStep extends ManifestStep {
  /**
   * A 1.2 file stored as 1.2 (`V1P2_TABLE_MAPS`), after the 1.1 files: rows checked by the
   * 1.2 binding, a sourcedId once per file, every stored reference checked as a 1.1 one
   * (in the set, else in the database: step 3), and each reference other than the one
   * placing the record (`placedBy`: a score scale's class) gets that record's schools, so
   * nothing it names dangles in a school it goes to. Columns with no storage are reported
   * once, `not_stored`, with the count of rows that fill them.
   */
  protected async scanExtra(file: V1p2CsvFile): Promise<void> {
    if (V1P2_LINK_COLUMN_MAPS[file]) return this.scanLinks(file);
    // The learning objective links: read and checked when the 1.2 set was (a sourcedId once
    // per file, a source of the schema's); counted here, checked again when written.
    if (V1P2_GATHERED_LINK_MAPS[file])
      return this.readRows(file, this.issues, 'validate', () => undefined);
    const map = V1P2_TABLE_MAPS[file];
    if (!map) return;
    // Nothing refers to these records yet: their ids are needed for duplicates only.
    const seen = new IdIndex();
    const unstored = new Map<string, { line: number; n: number }>();
    await this.readRows(file, this.issues, 'validate', (row) => {
      if (seen.add(row.sourcedId) < 0) {
        this.issues.error(
          `${file}.csv`,
          'duplicate_sourced_id',
          'another row of this file has the same sourcedId',
          { line: row.line, column: 'sourcedId', value: row.sourcedId },
        );
        return;
      }
      const v = row.values;
      const placedBy = v[map.placedBy.column] as string;
      for (const c of map.refs) {
        const ids = (c.list ? v[c.column] : [v[c.column]]) as (string | null)[];
        for (const id of ids ?? []) {
          if (!id) continue;
          this.ref(c.target, id, file, row.line, c.column);
          if (c.column !== map.placedBy.column)
            this.push(
              this.keyOf(c.target, id),
              this.keyOf(map.placedBy.target, placedBy),
            );
        }
      }
      for (const c of map.unstored) {
        const x = v[c];
        if (x === null || x === undefined || x === '') continue;
        const u = unstored.get(c);
        if (u) u.n++;
        else unstored.set(c, { line: row.line, n: 1 });
      }
      for (const c of map.v1p2Refs) {
        const x = v[c.column];
        if (typeof x === 'string' && x !== '')
          this.v1p2Refs.push({
            file,
            sourcedId: row.sourcedId,
            line: row.line,
            column: c.column,
            value: x,
          });
      }
    });
    for (const [column, u] of unstored)
      this.issues.warning(
        `${file}.csv`,
        'not_stored',
        `not kept: the platform stores no ${column} for this file's records` +
          (u.n > 1 ? `; ${u.n} rows of this file, the first here` : ''),
        { line: u.line, column },
      );
  }

  /**
   * A link file kept in its objects' rows (`V1P2_LINK_COLUMN_MAPS`: the score scale links):
   * its sourcedIds and one active link per object were checked when the 1.2 set was read;
   * here its rows are counted and what nothing keeps (a link's title) reported once,
   * `not_stored`. Its references are checked when it is written (write.ts `writeLinks`):
   * the objects and scales of the set are in the school by then.
   */
  private async scanLinks(file: V1p2CsvFile): Promise<void> {
    const map = V1P2_LINK_COLUMN_MAPS[file];
    if (!map) return;
    const unstored = new Map<string, { line: number; n: number }>();
    await this.readRows(file, this.issues, 'validate', (row) => {
      for (const c of map.unstored) {
        const x = row.values[c];
        if (x === null || x === undefined || x === '') continue;
        const u = unstored.get(c);
        if (u) u.n++;
        else unstored.set(c, { line: row.line, n: 1 });
      }
    });
    for (const [column, u] of unstored)
      this.issues.warning(
        `${file}.csv`,
        'not_stored',
        `not kept: the platform stores a link as its object's scoreScale, without a ${column}` +
          (u.n > 1 ? `; ${u.n} rows of this file, the first here` : ''),
        { line: u.line, column },
      );
  }

  protected async scan(file: CsvFile): Promise<void> {
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
  protected checkRefs(
    file: CsvFile,
    key: number,
    row: ParsedRow,
    selfRefs: [string, number, number, string][],
  ) {
    const line = row.line;
    const refs = REF_COLUMNS[file];
    for (let i = 0; i < refs.length; i++) {
      const c = refs[i];
      const v = row.values[c.column] as string | string[] | null;
      // An empty optional reference refers to nothing; a list has no empty elements.
      if (!v) continue;
      if (!c.list) this.refTo(c, v as string, file, key, line, selfRefs);
      else
        for (const id of v as string[])
          this.refTo(c, id, file, key, line, selfRefs);
    }
    const same = SAME_ID_AS[file];
    if (same) this.ref(same, row.sourcedId, file, line, 'sourcedId');
  }

  private refTo(
    c: RefColumn,
    id: string,
    file: CsvFile,
    key: number,
    line: number,
    selfRefs: [string, number, number, string][],
  ): void {
    if (c.target === file) selfRefs.push([own(id), key, line, c.column]);
    else this.ref(c.target, id, file, line, c.column);
  }

  /** What routing needs of a row: the records it belongs to and those it pushes to. */
  protected index(
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
}
