import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  classOfCsvFile,
  csvFields,
  fromV1p2,
  toV1p2,
  V1P2_CSV,
  v1p2StoredFields,
  V1p2MappingError,
  type FieldDef,
  type OneRosterObject,
  type V1p2ClassKey,
  type V1p2CsvFileDef,
  type V1p2CsvFileName,
  type V1p2MapContext,
} from '@oneroster/oneroster-catalogue';
import {
  CSV_FILES,
  CSV_HEADERS,
  CsvFile,
  DEPENDENCY_ORDER,
  METADATA_PREFIX,
  V1P2_FORM_COLUMNS,
  V1P2_STORED_COLUMNS,
  V1P2_STORED_PREFIX,
} from './binding';
import {
  V1P2_CSV_COLUMNS,
  V1P2_CSV_FILES,
  V1P2_CSV_HEADERS,
  V1P2_DEPENDENCY_ORDER,
  V1P2_NOT_STORED_FILES,
  V1P2_OWN_TABLE_FILES,
  V1P2_OWNER_COLUMN_FILES,
  V1P2_GATHERED_LINK_FILES,
  V1p2CsvFile,
} from './binding-v1p2';
import {
  OBJECTIVE_FILES,
  isObjectiveFile,
  isObjectiveSource,
  objectiveLinkOf,
  withObjective,
  type ObjectiveFile,
} from './objectives';
import { Manifest, MANIFEST_FILE, readManifest } from './manifest';
import { CsvRecord, parseCsv } from './parser';
import type { FileMode, IssueCollector } from './report';
import {
  CsvValue,
  FileHeader,
  ParsedRow,
  readHeader,
  readRow,
  reportFileNotes,
  RowContext,
  UserIdValue,
} from './rows';
import { CsvCell, csvLine } from './writer';

/*
 * OneRoster 1.2 CSV sets read and written through the 1.1 tables, one file and one row at a
 * time (only the lookups the mapping needs stay in memory: each user's roles, each class's
 * school, each line item's class, each org's type, each line item's and result's score
 * scale link):
 *
 * - `v1p2SetToV1p1` reads a 1.2 set with the 1.2 binding (headers, values, `ext:` values),
 *   turns each row into its 1.2 JSON object, reads that as 1.1 with `fromV1p2` and writes the
 *   1.1 row; users.csv takes each user's role and orgs from roles.csv. What 1.1 cannot hold
 *   is reported as a warning (`not_stored`, once per file and field with a count); files of
 *   data with no storage yet are accepted with a `not_stored` warning. The 1.1 set it writes
 *   is what the 1.1 importer reads; `lines` maps its lines back to the 1.2 files. The files
 *   of 1.2-only data stored as 1.2 (`V1P2_OWN_TABLE_FILES`: scoreScales) are copied into the
 *   written set as they are (`extras`, with their modes): the importer reads them with the
 *   1.2 binding and writes them into their own tables, in the same run as the 1.1 files.
 *   The score scale links (`V1P2_OWNER_COLUMN_FILES`) are read first, like roles.csv: a
 *   line item or result row takes the scale of its one active link (a second active link
 *   of the same object is `duplicate_link`), and the files travel as extras too, for the
 *   links of objects the set does not hold. The learning objective links
 *   (`V1P2_GATHERED_LINK_FILES`) likewise, each row taking the whole list of its object's
 *   active links (objectives.ts; a repeated objective is kept once, a `duplicate_link`
 *   warning).
 * - `v1p1SetToV1p2` reads a 1.1 set (as the exporter writes it), turns each row into its
 *   1.1 JSON object, reads that as 1.2 with `toV1p2` and writes the 1.2 files; roles.csv
 *   holds the roles of users.csv. Files with no storage are not written (declared absent).
 */

/** A 1.2 set with a manifest and headers of the same version, or the reason it is not. */
export function headerVersionMismatch(
  file: string,
  header: readonly string[],
  version: '1.1' | '1.2',
): string | undefined {
  const own = new Set<string>(
    version === '1.2'
      ? (V1P2_CSV_HEADERS[file as V1p2CsvFile] ?? [])
      : (CSV_HEADERS[file as CsvFile] ?? []),
  );
  const other = new Set<string>(
    version === '1.2'
      ? (CSV_HEADERS[file as CsvFile] ?? [])
      : (V1P2_CSV_HEADERS[file as V1p2CsvFile] ?? []),
  );
  const otherVersion = version === '1.2' ? '1.1' : '1.2';
  if (own.size === 0 && other.size > 0)
    return `oneroster.version is ${version} but the set has ${file}.csv, a OneRoster ${otherVersion} file: set oneroster.version to ${otherVersion} if the set is a ${otherVersion} set`;
  const foreign = header
    .map((h) => h.trim())
    .filter((h) => other.has(h) && !own.has(h));
  return foreign.length
    ? `oneroster.version is ${version} but ${file}.csv has the OneRoster ${otherVersion} column(s) ${foreign.join(', ')}: set oneroster.version to ${otherVersion} if the set is a ${otherVersion} set`
    : undefined;
}

/** The first record of a file (its header), read without reading the rest. */
export async function readFirstRecord(
  path: string,
): Promise<CsvRecord | undefined> {
  const stream = createReadStream(path);
  try {
    for await (const r of parseCsv(stream)) return r;
    return undefined;
  } finally {
    stream.destroy();
  }
}

/** The `oneroster.version` a set's manifest.csv declares (trimmed), if any. */
export async function manifestVersion(
  dir: string,
  files: readonly string[],
): Promise<string | undefined> {
  if (!files.includes(MANIFEST_FILE)) return undefined;
  for await (const r of parseCsv(createReadStream(join(dir, MANIFEST_FILE))))
    if (r.fields[0]?.trim() === 'oneroster.version') return r.fields[1]?.trim();
  return undefined;
}

export const isV1p2Version = (v: string | undefined): boolean =>
  !!v && /^1\.2(\.\d+)?$/.test(v);

// ---------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------

const idOf = (ref: unknown): string | undefined => {
  if (typeof ref === 'string') return ref || undefined;
  if (ref && typeof ref === 'object' && 'sourcedId' in ref) {
    const id = (ref as { sourcedId: unknown }).sourcedId;
    return typeof id === 'string' && id ? id : undefined;
  }
  return undefined;
};

const userIdsText = (v: unknown): string =>
  Array.isArray(v)
    ? (v as UserIdValue[]).map((u) => `{${u.type}:${u.identifier}}`).join(',')
    : '';

const metadataText = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'string'
      ? v
      : JSON.stringify(v);

/** One output file, with back-pressure; counts the lines written (for the line map). */
class OutFile {
  private readonly stream: WriteStream;
  private error: Error | undefined;
  /** The line the next record starts on. */
  line = 1;

  constructor(path: string, append = false) {
    this.stream = createWriteStream(path, {
      encoding: 'utf8',
      flags: append ? 'a' : 'w',
    });
    this.stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  async put(cells: readonly CsvCell[]): Promise<void> {
    if (this.error) throw this.error;
    const text = csvLine(cells);
    for (let i = 0; i < text.length; i++)
      if (text.charCodeAt(i) === 10) this.line++;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    if (this.error) throw this.error;
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    if (this.error) throw this.error;
  }

  destroy(): void {
    if (!this.stream.closed) this.stream.destroy();
  }
}

async function withOut(
  path: string,
  body: (out: OutFile) => Promise<void>,
): Promise<void> {
  const out = new OutFile(path);
  try {
    await body(out);
    await out.end();
  } finally {
    out.destroy();
  }
}

async function writeManifest(
  dir: string,
  version: '1.1' | '1.2',
  files: readonly string[],
  modes: Partial<Record<string, FileMode>>,
  properties: Record<string, string>,
): Promise<void> {
  await withOut(join(dir, MANIFEST_FILE), async (out) => {
    await out.put(['propertyName', 'value']);
    await out.put(['manifest.version', '1.0']);
    await out.put(['oneroster.version', version]);
    for (const f of files) await out.put([`file.${f}`, modes[f] ?? 'absent']);
    for (const [k, v] of Object.entries(properties))
      if (k.startsWith('source.')) await out.put([k, v]);
  });
}

/** The 1.1 fields of a file's CSV columns, in header order. */
const V1P1_FIELDS = Object.fromEntries(
  CSV_FILES.map((f) => [f, csvFields(classOfCsvFile(f))]),
) as unknown as Record<CsvFile, readonly FieldDef[]>;

/**
 * Per 1.1 file, the fields stored for 1.2 only and the extra column of the 1.1 form of a
 * 1.2 set that carries each (V1P2_STORED_COLUMNS), in order.
 */
const V1P2_STORED = Object.fromEntries(
  CSV_FILES.map((f) => [
    f,
    v1p2StoredFields(classOfCsvFile(f)).map((field, i) => ({
      field,
      column: V1P2_STORED_COLUMNS[f][i].name,
    })),
  ]),
) as unknown as Record<CsvFile, readonly { field: FieldDef; column: string }[]>;

/** The class a 1.2 file's rows are objects of (null for link and role files). */
const classOf = (def: V1p2CsvFileDef): V1p2ClassKey | null =>
  def.of && 'class' in def.of ? def.of.class : null;

// ---------------------------------------------------------------------------------------
// 1.2 → 1.1 (import)
// ---------------------------------------------------------------------------------------

export interface V1p2ToV1p1Result {
  manifest: Manifest;
  /** The 1.1 files written (manifest.csv included). */
  files: string[];
  /** Per 1.1 file: line in the written file → line in the 1.2 file, where they differ. */
  lines: Map<string, Map<number, number>>;
  /**
   * The 1.2 files stored in their own tables, copied unchanged beside the 1.1 files (so
   * their lines are the 1.2 lines), each with its manifest mode.
   */
  extras: { file: V1p2CsvFile; mode: Exclude<FileMode, 'absent'> }[];
}

interface RoleRow {
  line: number;
  roleType: string;
  role: string;
  org: string;
  userProfile?: string;
  beginDate?: string;
  endDate?: string;
}

/** What 1.1 cannot hold, one warning per file and field with a count and the first line. */
class LostNotes {
  private readonly notes = new Map<
    string,
    { file: string; column: string; line: number; text: string; n: number }
  >();

  add(file: string, column: string, line: number, text: string): void {
    const key = `${file}\u0000${column}\u0000${text.includes('at org') ? '' : text}`;
    const n = this.notes.get(key);
    if (n) n.n++;
    else this.notes.set(key, { file, column, line, text, n: 1 });
  }

  report(issues: IssueCollector): void {
    for (const n of this.notes.values())
      issues.warning(
        n.file,
        'not_stored',
        `not kept (OneRoster 1.1 storage): ${n.text}${n.n > 1 ? `; ${n.n} rows of this file, the first here` : ''}`,
        { line: n.line, column: n.column },
      );
  }
}

/**
 * Reads a OneRoster 1.2 CSV set in `dir` (manifest checked here) and writes it as a 1.1 set
 * into `outDir`. Returns undefined when an error was reported (nothing to import).
 */
export async function v1p2SetToV1p1(
  dir: string,
  files: readonly string[],
  outDir: string,
  issues: IssueCollector,
): Promise<V1p2ToV1p1Result | undefined> {
  const manifestRows: CsvRecord[] = [];
  for await (const r of parseCsv(createReadStream(join(dir, MANIFEST_FILE))))
    manifestRows.push(r);
  const manifest = readManifest(manifestRows, issues);
  const modes = manifest.modes as Record<V1p2CsvFile, FileMode>;
  const present = new Set<V1p2CsvFile>();
  for (const name of files) {
    if (name === MANIFEST_FILE) continue;
    const file = name.replace(/\.csv$/, '');
    if (
      !name.endsWith('.csv') ||
      !(V1P2_CSV_FILES as readonly string[]).includes(file)
    )
      issues.warning(name, 'unknown_file', 'not a OneRoster 1.2 file; ignored');
    else if (modes[file as V1p2CsvFile] === 'absent')
      issues.warning(
        name,
        'undeclared_file',
        'the manifest declares this file absent; ignored',
      );
    else present.add(file as V1p2CsvFile);
  }
  for (const file of V1P2_CSV_FILES)
    if (modes[file] !== 'absent' && !present.has(file))
      issues.error(
        MANIFEST_FILE,
        'missing_file',
        `the manifest declares ${file}.csv ${modes[file]} but the set has no such file`,
        { column: 'value', value: modes[file] },
      );
  for (const file of present) {
    const header = await readFirstRecord(join(dir, `${file}.csv`));
    const mismatch =
      header && headerVersionMismatch(file, header.fields, '1.2');
    if (mismatch)
      issues.error(MANIFEST_FILE, 'version_mismatch', mismatch, {
        line: manifestRows.find(
          (r) => r.fields[0]?.trim() === 'oneroster.version',
        )?.line,
        column: 'value',
        value: manifest.properties['oneroster.version'],
      });
  }
  if (issues.hasErrors) return undefined;

  for (const file of V1P2_NOT_STORED_FILES)
    if (present.has(file)) {
      let rows = -1;
      for await (const r of parseCsv(
        createReadStream(join(dir, `${file}.csv`)),
      ))
        if (r) rows++;
      issues.warning(
        `${file}.csv`,
        'not_stored',
        `OneRoster 1.2 data the platform does not store yet: accepted, its ${Math.max(rows, 0)} row(s) not imported`,
      );
    }

  const classSchool = new Map<string, string>();
  const lineItemClass = new Map<string, string>();
  const roles = new Map<string, RoleRow[]>();
  const ctx: V1p2MapContext = { origin: '' };
  const lost = new LostNotes();
  const lines = new Map<string, Map<number, number>>();
  const written: string[] = [MANIFEST_FILE];

  const readFile = async (
    file: V1p2CsvFile,
    onRow: (row: ParsedRow, header: FileHeader) => Promise<void>,
    onHeader?: (header: FileHeader) => Promise<void>,
  ) => {
    const mode = modes[file] as Exclude<FileMode, 'absent'>;
    let ctxRow: RowContext | undefined;
    for await (const record of parseCsv(
      createReadStream(join(dir, `${file}.csv`)),
    )) {
      if (!ctxRow) {
        const header = readHeader(file, record, issues, {
          version: '1.2',
          columns: V1P2_CSV_COLUMNS[file],
        });
        if (!header.ok) return;
        ctxRow = {
          file,
          mode,
          header,
          issues,
          bulkFilled: { count: 0, firstLine: 0 },
        };
        await onHeader?.(header);
        continue;
      }
      const row = readRow(ctxRow, record);
      if (row) await onRow(row, ctxRow.header);
    }
    if (ctxRow) reportFileNotes(ctxRow);
    else readHeader(file, undefined, issues);
  };

  /** Whether a row's sourcedId is new in its file (else a `duplicate_id` error). */
  const unique = (
    file: string,
    ids: Set<string>,
    row: { line: number; sourcedId: string },
  ): boolean => {
    if (ids.has(row.sourcedId)) {
      issues.error(`${file}.csv`, 'duplicate_id', 'sourcedId is not unique', {
        line: row.line,
        column: 'sourcedId',
        value: row.sourcedId,
      });
      return false;
    }
    ids.add(row.sourcedId);
    return true;
  };

  // roles.csv first: each user row takes its roles from it.
  const roleIds = new Set<string>();
  if (present.has('roles'))
    await readFile('roles', async (row) => {
      if (!unique('roles', roleIds, row)) return;
      if (row.status === 'tobedeleted') return;
      const v = row.values;
      const user = String(v['userSourcedId']);
      const r: RoleRow = {
        line: row.line,
        roleType: String(v['roleType']),
        role: String(v['role']),
        org: String(v['orgSourcedId']),
      };
      if (v['userProfileSourcedId'])
        r.userProfile = String(v['userProfileSourcedId']);
      if (v['beginDate']) r.beginDate = String(v['beginDate']);
      if (v['endDate']) r.endDate = String(v['endDate']);
      const list = roles.get(user);
      if (list) list.push(r);
      else roles.set(user, [r]);
    });
  if (present.has('users') && !present.has('roles'))
    issues.error(
      MANIFEST_FILE,
      'missing_file',
      'users.csv needs roles.csv: a OneRoster 1.2 user has its roles (and orgs) there',
      { column: 'value', value: 'file.roles' },
    );

  // The score scale links before lineItems.csv and results.csv: each row there takes the
  // scale of its object's one active link (the 1.2 JSON holds one scoreScale).
  const scaleOf = new Map<string, Map<string, string>>();
  for (const file of V1P2_OWNER_COLUMN_FILES) {
    if (!present.has(file)) continue;
    const owner = V1P2_CSV[file].ownerColumn as string;
    const links = new Map<string, string>();
    const first = new Map<string, number>();
    const ids = new Set<string>();
    scaleOf.set(file, links);
    await readFile(file, async (row) => {
      if (!unique(file, ids, row)) return;
      if (row.status === 'tobedeleted') return;
      const id = String(row.values[owner]);
      const line = first.get(id);
      if (line !== undefined) {
        issues.error(
          `${file}.csv`,
          'duplicate_link',
          `another active link (line ${line}) gives this object a score scale: OneRoster 1.2 holds one scoreScale per line item or result`,
          { line: row.line, column: owner, value: id },
        );
        return;
      }
      first.set(id, row.line);
      links.set(id, String(row.values['scoreScaleSourcedId']));
    });
  }
  // The learning objective links, gathered the same way: each line item or result row
  // takes the whole list of its object's active links (collapsing a repeated objective).
  const objectivesOf = new Map<ObjectiveFile, Map<string, unknown[]>>();
  for (const file of V1P2_GATHERED_LINK_FILES) {
    if (!present.has(file) || !isObjectiveFile(file)) continue;
    const owner = OBJECTIVE_FILES[file].owner;
    const lists = new Map<string, unknown[]>();
    const ids = new Set<string>();
    objectivesOf.set(file, lists);
    await readFile(file, async (row) => {
      if (!unique(file, ids, row)) return;
      const link = objectiveLinkOf(row.values);
      if (!isObjectiveSource(link.source)) {
        issues.error(
          `${file}.csv`,
          'bad_enum',
          'must be case, unknown or a /name of lower-case letters and digits (LearningObjectiveSetDType.source)',
          { line: row.line, column: 'source', value: link.source },
        );
        return;
      }
      if (row.status === 'tobedeleted') return;
      const id = String(row.values[owner]);
      const { list, had } = withObjective(file, lists.get(id), link);
      if (had) {
        issues.warning(
          `${file}.csv`,
          'duplicate_link',
          `another active row names this objective (${link.source}, ${link.id}) of the same object: kept once, as the first row gives it`,
          { line: row.line, column: 'learningObjectiveId', value: link.id },
        );
        return;
      }
      lists.set(id, list);
    });
  }
  const linkedObjectives = (
    key: V1p2ClassKey,
    id: string,
  ): unknown[] | undefined =>
    key === 'lineItem'
      ? objectivesOf.get('lineItemLearningObjectiveIds')?.get(id)
      : key === 'result'
        ? objectivesOf.get('resultLearningObjectiveIds')?.get(id)
        : undefined;
  const linkedScale = (key: V1p2ClassKey, id: string): string | undefined =>
    key === 'lineItem'
      ? scaleOf.get('lineItemScoreScales')?.get(id)
      : key === 'result'
        ? scaleOf.get('resultScoreScales')?.get(id)
        : undefined;

  const own = new Set<V1p2CsvFile>([
    ...V1P2_OWN_TABLE_FILES,
    ...V1P2_OWNER_COLUMN_FILES,
    ...V1P2_GATHERED_LINK_FILES,
  ]);
  const extras: V1p2ToV1p1Result['extras'] = [];
  for (const file of V1P2_DEPENDENCY_ORDER) {
    if (!present.has(file)) continue;
    // roles.csv was read above into each user's 1.1 role; it is also stored as given.
    if (own.has(file)) {
      copyFileSync(join(dir, `${file}.csv`), join(outDir, `${file}.csv`));
      extras.push({ file, mode: modes[file] as Exclude<FileMode, 'absent'> });
      continue;
    }
    const v1p1 = file as CsvFile;
    const def = V1P2_CSV[file];
    const key = classOf(def);
    const columnOf = new Map(
      def.columns
        .filter((c) => c.field)
        .map((c) => [c.field as string, c.column]),
    );
    const map = new Map<number, number>();
    lines.set(`${file}.csv`, map);
    let out: OutFile | undefined;
    let meta: string[] = [];
    try {
      await readFile(
        file,
        async (row) => {
          if (!out) return;
          let cells: CsvCell[];
          if (!key) {
            // classResources, courseResources: the same columns in both versions.
            cells = CSV_HEADERS[v1p1].map((c) =>
              c === 'status'
                ? (row.status ?? '')
                : c === 'dateLastModified'
                  ? (row.dateLastModified?.toISOString() ?? '')
                  : c === 'sourcedId'
                    ? row.sourcedId
                    : (row.values[c] as CsvCell),
            );
            cells.push(...V1P2_STORED[v1p1].map(() => ''));
          } else {
            const o = v1p2Object(def, row);
            if (key === 'user') {
              const rs = roles.get(row.sourcedId);
              roles.delete(row.sourcedId);
              if (!rs?.length) {
                issues.error(
                  'users.csv',
                  'missing_role',
                  'no active row of roles.csv gives this user a role (every user needs one)',
                  { line: row.line, column: 'sourcedId', value: row.sourcedId },
                );
                return;
              }
              o['roles'] = rs.map((r) => ({
                roleType: r.roleType,
                role: r.role,
                org: r.org,
                ...(r.userProfile ? { userProfile: r.userProfile } : {}),
                ...(r.beginDate ? { beginDate: r.beginDate } : {}),
                ...(r.endDate ? { endDate: r.endDate } : {}),
              }));
            }
            const scale = linkedScale(key, row.sourcedId);
            if (scale)
              o['scoreScale'] = { sourcedId: scale, type: 'scoreScale' };
            const objectives = linkedObjectives(key, row.sourcedId);
            if (objectives) o['learningObjectiveSet'] = objectives;
            if (key === 'class' && o['school'])
              classSchool.set(row.sourcedId, String(o['school']));
            if (key === 'lineItem' && o['class'])
              lineItemClass.set(row.sourcedId, String(o['class']));
            let mapped;
            try {
              mapped = fromV1p2(key, o, {
                ...ctx,
                schoolOfClass: (c) =>
                  classSchool.get(c) ?? (idOf(o['school']) as string),
                classOfLineItem: (li) =>
                  lineItemClass.get(li) ?? (idOf(o['class']) as string),
              });
            } catch (e) {
              if (!(e instanceof V1p2MappingError)) throw e;
              issues.error(
                key === 'user' && e.field === 'roles'
                  ? 'roles.csv'
                  : `${file}.csv`,
                'not_representable',
                `${e.reason} (OneRoster 1.1 storage)` +
                  (key === 'user'
                    ? ` (user ${row.sourcedId}, users.csv line ${row.line})`
                    : ''),
                key === 'user' && e.field === 'roles'
                  ? { column: 'role' }
                  : {
                      line: row.line,
                      column: columnOf.get(e.field) ?? e.field,
                    },
              );
              return;
            }
            for (const text of mapped.lost) {
              const field = text.slice(0, text.indexOf(':'));
              // The roles are stored as given (user_roles): nothing of them is lost.
              if (key === 'user' && field === 'roles') continue;
              lost.add(
                field === 'roles' ? 'roles.csv' : `${file}.csv`,
                field === 'roles' ? 'role' : (columnOf.get(field) ?? field),
                row.line,
                field === 'roles' ? `${text} (user ${row.sourcedId})` : text,
              );
            }
            cells = v1p1Cells(v1p1, mapped.value, meta);
          }
          if (out.line !== row.line) map.set(out.line, row.line);
          await out.put(cells);
        },
        async (header) => {
          meta = header.metadata.map(([name]) => name);
          out = new OutFile(join(outDir, `${file}.csv`));
          await out.put([
            ...CSV_HEADERS[v1p1],
            ...V1P2_STORED[v1p1].map((s) => s.column),
            ...meta.map((m) => METADATA_PREFIX + m),
          ]);
        },
      );
      if (out) {
        await out.end();
        written.push(`${file}.csv`);
      }
    } finally {
      (out as OutFile | undefined)?.destroy();
    }
  }
  for (const [user, rs] of roles)
    for (const r of rs)
      issues.error(
        'roles.csv',
        'unknown_reference',
        'users.csv has no row for this user (a 1.2 role is imported with its user)',
        { line: r.line, column: 'userSourcedId', value: user },
      );
  lost.report(issues);
  if (issues.hasErrors) return undefined;
  await writeManifest(
    outDir,
    '1.1',
    CSV_FILES,
    Object.fromEntries(CSV_FILES.map((f) => [f, modes[f]])),
    manifest.properties,
  );
  return { manifest, files: written, lines, extras };
}

/** A 1.2 CSV row as the 1.2 JSON object of its class. */
function v1p2Object(def: V1p2CsvFileDef, row: ParsedRow): OneRosterObject {
  const o: OneRosterObject = { sourcedId: row.sourcedId };
  if (row.status) o['status'] = row.status;
  if (row.dateLastModified)
    o['dateLastModified'] = row.dateLastModified.toISOString();
  if (row.metadata) o['metadata'] = row.metadata;
  for (const c of def.columns) {
    if (!c.field || c.field === 'sourcedId' || c.field === 'status') continue;
    if (c.field === 'dateLastModified') continue;
    const v = row.values[c.column];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0))
      continue;
    o[c.field] = typeof v === 'boolean' ? String(v) : v;
  }
  return o;
}

/** A 1.1 JSON object as the cells of its 1.1 CSV row (metadata columns `meta` last). */
function v1p1Cells(
  file: CsvFile,
  o: OneRosterObject,
  meta: readonly string[],
): CsvCell[] {
  const cells: CsvCell[] = [];
  for (const f of V1P1_FIELDS[file]) {
    const v = o[f.name];
    if (v === undefined || v === null) cells.push('');
    else if (f.type === 'guidRef')
      cells.push(
        f.list ? (v as unknown[]).map((r) => idOf(r) ?? '') : (idOf(v) ?? ''),
      );
    else if (f.type === 'userId') cells.push(userIdsText(v));
    else if (Array.isArray(v)) cells.push(v as string[]);
    else cells.push(v as CsvCell);
  }
  // The fields stored for 1.2 only, in the 1.1 form's extra columns.
  for (const { field } of V1P2_STORED[file]) {
    const v = o[field.name];
    cells.push(
      v === undefined || v === null
        ? ''
        : field.type === 'guidRef'
          ? (idOf(v) ?? '')
          : field.type === 'metadata'
            ? // A nested list kept whole (learningObjectiveSet): its JSON.
              JSON.stringify(v)
            : (v as CsvCell),
    );
  }
  const m = o['metadata'] as Record<string, unknown> | undefined;
  for (const k of meta) cells.push(metadataText(m?.[k]));
  return cells;
}

// ---------------------------------------------------------------------------------------
// 1.1 → 1.2 (export)
// ---------------------------------------------------------------------------------------

export interface V1p1ToV1p2Options {
  /** Lookups beyond the set (a delta export names only changed records). */
  context?: Partial<Omit<V1p2MapContext, 'origin'>>;
  /**
   * 1.2 files already written into the output folder (the tables stored as 1.2, written by
   * the exporter), with their row counts and mode: declared in the manifest.
   */
  written?: {
    files: Partial<Record<V1p2CsvFile, number>>;
    mode: Exclude<FileMode, 'absent'>;
  };
  /**
   * The users whose roles are stored as 1.2 (`user_roles`) and already written to roles.csv
   * in the output folder (`width` columns a row, metadata included): their derived roles are
   * not written, those of every other user are appended to that file.
   */
  storedRoles?: { users: ReadonlySet<string>; width: number };
}

export interface V1p1ToV1p2Result {
  /** Rows written per 1.2 file (files without rows are not written). */
  files: Partial<Record<V1p2CsvFile, number>>;
  rows: number;
}

/** The sourcedId of the roles.csv row of a user's role at an org (stable, unique). */
export function roleSourcedId(user: string, org: string): string {
  const id = `${user}/${org}`;
  return !user.includes('/') && !org.includes('/') && id.length <= 255
    ? id
    : `role-${createHash('sha256').update(`${user}\u0000${org}`).digest('hex').slice(0, 40)}`;
}

/**
 * Reads a 1.1 set in `dir` (manifest.csv and its files, as the exporter writes them) and
 * writes the OneRoster 1.2 set into `outDir`, manifest `oneroster.version` 1.2.
 */
export async function v1p1SetToV1p2(
  dir: string,
  outDir: string,
  issues: IssueCollector,
  options: V1p1ToV1p2Options = {},
): Promise<V1p1ToV1p2Result> {
  const manifestRows: CsvRecord[] = [];
  for await (const r of parseCsv(createReadStream(join(dir, MANIFEST_FILE))))
    manifestRows.push(r);
  const manifest = readManifest(manifestRows, issues);
  const orgType = new Map<string, string>();
  const classSchool = new Map<string, string>();
  const lineItemClass = new Map<string, string>();
  const ext = options.context ?? {};
  const ctx: V1p2MapContext = {
    origin: '',
    orgType: (id) => orgType.get(id) ?? ext.orgType?.(id),
    schoolOfClass: (id) => classSchool.get(id) ?? ext.schoolOfClass?.(id),
    classOfLineItem: (id) => lineItemClass.get(id) ?? ext.classOfLineItem?.(id),
  };
  const result: V1p1ToV1p2Result = { files: {}, rows: 0 };
  for (const file of DEPENDENCY_ORDER) {
    const mode = manifest.modes[file];
    if (mode === 'absent') continue;
    const def = V1P2_CSV[file];
    const key = classOf(def);
    const columns = V1P2_CSV_COLUMNS[file];
    let out: OutFile | undefined;
    let rolesOut: OutFile | undefined;
    let meta: string[] = [];
    let rowCtx: RowContext | undefined;
    let n = 0;
    let nRoles = 0;
    try {
      for await (const record of parseCsv(
        createReadStream(join(dir, `${file}.csv`)),
      )) {
        if (!rowCtx) {
          // The exporter's 1.1 set carries the columns stored for 1.2 only (V1P2_FORM_COLUMNS).
          const form = V1P2_STORED[file].some((s) =>
            record.fields.includes(s.column),
          );
          const header = readHeader(
            file,
            record,
            issues,
            form
              ? { version: '1.1', columns: V1P2_FORM_COLUMNS[file] }
              : undefined,
          );
          rowCtx = {
            file,
            mode,
            header,
            issues,
            bulkFilled: { count: 0, firstLine: 0 },
          };
          meta = header.metadata.map(([m]) => m);
          out = new OutFile(join(outDir, `${file}.csv`));
          await out.put([
            ...V1P2_CSV_HEADERS[file],
            ...meta.map((m) => METADATA_PREFIX + m),
          ]);
          if (key === 'user') {
            rolesOut = new OutFile(
              join(outDir, 'roles.csv'),
              options.storedRoles !== undefined,
            );
            if (!options.storedRoles)
              await rolesOut.put(V1P2_CSV_HEADERS.roles);
          }
          continue;
        }
        const row = readRow(rowCtx, record);
        if (!row) continue;
        const status = mode === 'delta' ? (row.status ?? '') : '';
        const modified =
          mode === 'delta' ? (row.dateLastModified?.toISOString() ?? '') : '';
        if (!key) {
          await (out as OutFile).put(
            columns.map((c) =>
              c.name === 'sourcedId'
                ? row.sourcedId
                : c.name === 'status'
                  ? status
                  : c.name === 'dateLastModified'
                    ? modified
                    : (row.values[c.name] as CsvCell),
            ),
          );
          n++;
          continue;
        }
        const o1 = v1p1Object(file, row);
        if (key === 'org' && o1['type'])
          orgType.set(row.sourcedId, String(o1['type']));
        if (key === 'class' && o1['school'])
          classSchool.set(row.sourcedId, String(o1['school']));
        if (key === 'lineItem' && o1['class'])
          lineItemClass.set(row.sourcedId, String(o1['class']));
        const o = toV1p2(key, o1, ctx);
        const cells: CsvCell[] = def.columns.map((c, i) => {
          if (c.column === 'sourcedId') return row.sourcedId;
          if (c.column === 'status') return status;
          if (c.column === 'dateLastModified') return modified;
          const v = c.field ? o[c.field] : undefined;
          if (v === undefined || v === null) return '';
          switch (columns[i].kind) {
            case 'ref':
              return idOf(v) ?? '';
            case 'refs':
              return (v as unknown[]).map((r) => idOf(r) ?? '');
            case 'userIds':
              return userIdsText(v);
            default:
              return Array.isArray(v) ? (v as string[]) : (v as CsvCell);
          }
        });
        const m = o['metadata'] as Record<string, unknown> | undefined;
        for (const k of meta) cells.push(metadataText(m?.[k]));
        await (out as OutFile).put(cells);
        n++;
        const pad = Math.max(
          0,
          (options.storedRoles?.width ?? 0) - V1P2_CSV_HEADERS.roles.length,
        );
        if (
          key === 'user' &&
          rolesOut &&
          !options.storedRoles?.users.has(row.sourcedId)
        )
          for (const r of (o['roles'] as OneRosterObject[]) ?? []) {
            const org = idOf(r['org']) ?? '';
            await rolesOut.put([
              roleSourcedId(row.sourcedId, org),
              status,
              modified,
              row.sourcedId,
              r['roleType'] as string,
              r['role'] as string,
              '',
              '',
              org,
              '',
              ...new Array<string>(pad).fill(''),
            ]);
            nRoles++;
          }
      }
      if (rowCtx) reportFileNotes(rowCtx);
      await out?.end();
      await rolesOut?.end();
    } finally {
      out?.destroy();
      rolesOut?.destroy();
    }
    result.files[file] = n;
    result.rows += n;
    if (key === 'user') {
      result.files.roles = nRoles;
      result.rows += nRoles;
    }
  }
  for (const [f, n] of Object.entries(options.written?.files ?? {}))
    if (n) {
      result.files[f as V1p2CsvFile] =
        (result.files[f as V1p2CsvFile] ?? 0) + n;
      result.rows += n;
    }
  const modes: Partial<Record<string, FileMode>> = {};
  for (const f of V1P2_CSV_FILES)
    modes[f] = result.files[f]
      ? f === 'roles' && manifest.modes.users !== 'absent'
        ? manifest.modes.users
        : (manifest.modes[f as CsvFile] ?? options.written?.mode)
      : 'absent';
  await writeManifest(
    outDir,
    '1.2',
    V1P2_CSV_FILES,
    modes,
    manifest.properties,
  );
  return result;
}

/** A 1.1 CSV row as the 1.1 JSON object of its class (refs as sourcedIds). */
function v1p1Object(file: CsvFile, row: ParsedRow): OneRosterObject {
  const o: OneRosterObject = { sourcedId: row.sourcedId };
  if (row.status) o['status'] = row.status;
  if (row.dateLastModified)
    o['dateLastModified'] = row.dateLastModified.toISOString();
  if (row.metadata) o['metadata'] = row.metadata;
  for (const f of V1P1_FIELDS[file]) {
    const column = f.csv?.column;
    if (!column || column === 'sourcedId' || column === 'status') continue;
    if (column === 'dateLastModified') continue;
    const v: CsvValue | undefined = row.values[column];
    if (v === null || v === undefined) continue;
    o[f.name] = v;
  }
  for (const { field, column } of V1P2_STORED[file]) {
    const v: CsvValue | undefined = row.values[column];
    if (v === null || v === undefined || v === '') continue;
    // A nested list kept whole (learningObjectiveSet) travels as its JSON.
    o[field.name] = field.type === 'metadata' ? jsonOrText(v) : v;
  }
  return o;
}

/** A column's JSON text read back (as written by `v1p1Cells`), else the text itself. */
function jsonOrText(v: CsvValue): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** The columns stored for 1.2 only of a 1.1 file: the 1.2 column of the same field. */
const storedColumnsOf = (file: CsvFile) =>
  Object.fromEntries(
    V1P2_STORED[file].map(({ field, column }) => [
      column,
      {
        file: `${file}.csv`,
        column:
          V1P2_CSV[file as V1p2CsvFileName].columns.find(
            (c) => c.field === field.name,
          )?.column ?? field.name,
      },
    ]),
  );

/** The 1.1 columns a 1.2 column stands for in the 1.1 set written from a 1.2 one. */
export const V1P1_COLUMN_OF_V1P2: Partial<
  Record<CsvFile, Record<string, { file: string; column: string }>>
> = {
  users: {
    role: { file: 'roles.csv', column: 'role' },
    orgSourcedIds: { file: 'roles.csv', column: 'orgSourcedId' },
    ...storedColumnsOf('users'),
  },
  categories: storedColumnsOf('categories'),
  lineItems: {
    gradingPeriodSourcedId: {
      file: 'lineItems.csv',
      column: 'academicSessionSourcedId',
    },
    ...storedColumnsOf('lineItems'),
    [`${V1P2_STORED_PREFIX}learningObjectiveSet`]: {
      file: 'lineItemLearningObjectiveIds.csv',
      column: 'learningObjectiveId',
    },
  },
  results: {
    ...storedColumnsOf('results'),
    [`${V1P2_STORED_PREFIX}learningObjectiveSet`]: {
      file: 'resultLearningObjectiveIds.csv',
      column: 'learningObjectiveId',
    },
  },
};
