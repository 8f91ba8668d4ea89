import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { decodeInstant, decodeJson, encodeInstant } from '@oneroster/database';
import {
  CSV_FILES,
  CSV_HEADERS,
  CsvCell,
  CsvFile,
  csvLine,
  objectiveLinks,
  formatIssue,
  IssueCollector,
  METADATA_PREFIX,
  parseCsv,
  v1p1SetToV1p2,
  V1P2_CSV_FILES,
  V1P2_CSV_HEADERS,
  V1P2_STORED_COLUMNS,
  writeZip,
  type V1p2CsvFile,
} from '@oneroster/util-oneroster-csv';
import { Query, readRecords } from './records';
import {
  cellText,
  CsvRecordData,
  TABLE_MAPS,
  TableMap,
  V1P2_GATHERED_LINK_MAPS,
  V1P2_LINK_COLUMN_MAPS,
  V1P2_TABLE_MAPS,
  type V1p2GatheredLinkMap,
  type V1p2LinkColumnMap,
} from './tables';

export interface CsvExportOptions {
  schoolId: string;
  /** A folder, or a path ending in `.zip`. */
  out: string;
  /** Delta export: only records changed after this instant, with status and dateLastModified. */
  since?: Date;
  /** The OneRoster CSV version written (default 1.1). */
  version?: '1.1' | '1.2';
  onProgress?: (p: {
    file: CsvFile | V1p2CsvFile;
    rows: number;
    done: boolean;
  }) => void;
}

export interface CsvExportResult {
  /** Rows per file written (1.2 sets: roles.csv too). */
  files: Partial<Record<CsvFile | V1p2CsvFile, number>>;
  rows: number;
}

/**
 * Writes one school's data as a OneRoster 1.1 CSV set (§8): manifest.csv and every
 * non-empty file (gradebook and resources included), exact 1.1 headers in order, then any
 * `metadata.<name>` columns found on the school's records, RFC 4180 quoting, LF line ends.
 * Bulk: active records only, status and dateLastModified blank (§8.2). Delta (`since`):
 * every record changed after that instant, tobedeleted ones included, both columns filled.
 * Files without rows are declared absent (§8.1 forbids empty files).
 * A file or archive that cannot be written or read back rejects the export (no error is
 * lost, and no partial .zip is left).
 */
export async function exportCsv(
  ds: DataSource,
  options: CsvExportOptions,
): Promise<CsvExportResult> {
  return options.version === '1.2'
    ? exportV1p2(ds, options)
    : exportV1p1(ds, options);
}

/**
 * The 1.2 set (1.2.1 CSV binding): the 1.1 set of the same data, written to a temporary
 * folder, read row by row through `toV1p2` (util-oneroster-csv convert-v1p2.ts). users.csv
 * goes with roles.csv: the stored 1.2 roles (user_roles) of the users that have them, one
 * primary role per org derived from the 1.1 role for the others; the files stored as 1.2 in
 * tables of their own (scoreScales, userResources, roles, userProfiles) are written from
 * them with the 1.2 headers, bulk or delta as the rest, and the score scale links from the
 * line items' and results' `score_scale_sourced_id`, and the learning objective links from
 * their `learning_objective_set` (one row per objective). The mapping's lookups beyond the
 * set (an org's type,
 * a class's school, a line item's class: a delta set names only what changed) are read from
 * the school's tables.
 */
async function exportV1p2(
  ds: DataSource,
  options: CsvExportOptions,
): Promise<CsvExportResult> {
  const q: Query = (sql, params) => ds.query(sql, params) as Promise<unknown[]>;
  const zip = options.out.toLowerCase().endsWith('.zip');
  const v1p1 = mkdtempSync(join(tmpdir(), 'oneroster-export-v1p1-'));
  const dir = zip
    ? mkdtempSync(join(tmpdir(), 'oneroster-export-'))
    : options.out;
  try {
    await exportV1p1(ds, { ...options, out: v1p1, version: '1.1' }, true);
    mkdirSync(dir, { recursive: true });
    const lookup = async (file: CsvFile, column: string) => {
      const map = TABLE_MAPS[file];
      const db = map.columns.find((c) => c.csv === column)?.db;
      const out = new Map<string, string>();
      if (!db) throw new Error(`no column ${column} in ${map.table}`);
      let after = '';
      for (;;) {
        const rows = (await q(
          `SELECT sourced_id, ${db} AS v FROM ${map.table} WHERE school_id = ? AND sourced_id > ? ORDER BY sourced_id LIMIT 5000`,
          [options.schoolId, after],
        )) as { sourced_id: string; v: unknown }[];
        for (const r of rows) if (r.v) out.set(r.sourced_id, String(r.v));
        if (rows.length < 5000) break;
        after = rows[rows.length - 1].sourced_id;
      }
      return out;
    };
    const delta = options.since !== undefined;
    const [orgType, classSchool, lineItemClass] = delta
      ? await Promise.all([
          lookup('orgs', 'type'),
          lookup('classes', 'schoolSourcedId'),
          lookup('lineItems', 'classSourcedId'),
        ])
      : [new Map<string, string>(), new Map(), new Map()];
    const written: Partial<Record<V1p2CsvFile, number>> = {};
    for (const [file, map] of Object.entries(V1P2_TABLE_MAPS)) {
      const n = await writeFile(
        q,
        map as TableMap,
        V1P2_CSV_HEADERS[file as V1p2CsvFile],
        join(dir, `${file}.csv`),
        options,
      );
      if (n > 0) written[file as V1p2CsvFile] = n;
    }
    for (const [file, link] of Object.entries(V1P2_LINK_COLUMN_MAPS)) {
      const n = await writeLinkFile(
        q,
        link as V1p2LinkColumnMap,
        join(dir, `${file}.csv`),
        options,
      );
      if (n > 0) written[file as V1p2CsvFile] = n;
    }
    for (const [file, link] of Object.entries(V1P2_GATHERED_LINK_MAPS)) {
      const n = await writeGatheredFile(
        q,
        link as V1p2GatheredLinkMap,
        join(dir, `${file}.csv`),
        options,
      );
      if (n > 0) written[file as V1p2CsvFile] = n;
    }
    // Users with stored 1.2 roles: roles.csv holds those (written above); the others' roles
    // are derived from the 1.1 role and orgs and appended.
    const storedRoles = written.roles
      ? {
          users: await usersWithStoredRoles(q, options.schoolId),
          width: await fileWidth(join(dir, 'roles.csv')),
        }
      : undefined;
    const issues = new IssueCollector();
    const result = await v1p1SetToV1p2(v1p1, dir, issues, {
      written: { files: written, mode: delta ? 'delta' : 'bulk' },
      storedRoles,
      context: {
        orgType: (id) => orgType.get(id),
        schoolOfClass: (id) => classSchool.get(id),
        classOfLineItem: (id) => lineItemClass.get(id),
      },
    });
    if (issues.hasErrors)
      throw new Error(
        `the 1.1 export could not be read back: ${issues.errors.map(formatIssue).join('; ')}`,
      );
    if (zip) {
      const names = [
        'manifest.csv',
        ...V1P2_CSV_FILES.filter((f) => result.files[f]).map((f) => `${f}.csv`),
      ];
      await writeZip(
        options.out,
        names.map((name) => ({ name, path: join(dir, name) })),
      );
    }
    return result;
  } finally {
    rmSync(v1p1, { recursive: true, force: true });
    if (zip) rmSync(dir, { recursive: true, force: true });
  }
}

/** The users of a school with an active stored 1.2 role (user_roles). */
async function usersWithStoredRoles(
  q: Query,
  schoolId: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  let after = '';
  for (;;) {
    const rows = (await q(
      `SELECT DISTINCT user_sourced_id AS u FROM user_roles WHERE school_id = ? AND status = 'active' AND user_sourced_id > ? ORDER BY user_sourced_id LIMIT 5000`,
      [schoolId, after],
    )) as { u: string }[];
    for (const r of rows) out.add(String(r.u));
    if (rows.length < 5000) break;
    after = String(rows[rows.length - 1].u);
  }
  return out;
}

/** The number of columns of a written CSV file's header (its metadata columns included). */
async function fileWidth(path: string): Promise<number> {
  for await (const r of parseCsv(createReadStream(path)))
    return r.fields.length;
  return 0;
}

/**
 * `v1p2Form`: the 1.1 set a 1.2 set is written from, whose files also carry the columns
 * stored for 1.2 only (V1P2_STORED_COLUMNS: users' preferred names, pronouns, master
 * identifier, primary org); a 1.1 export never has them.
 */
async function exportV1p1(
  ds: DataSource,
  options: CsvExportOptions,
  v1p2Form = false,
): Promise<CsvExportResult> {
  const q: Query = (sql, params) => ds.query(sql, params) as Promise<unknown[]>;
  const zip = options.out.toLowerCase().endsWith('.zip');
  const dir = zip
    ? mkdtempSync(join(tmpdir(), 'oneroster-export-'))
    : options.out;
  mkdirSync(dir, { recursive: true });
  const result: CsvExportResult = { files: {}, rows: 0 };
  const delta = options.since !== undefined;
  try {
    for (const file of CSV_FILES) {
      const n = await writeFile(
        q,
        TABLE_MAPS[file],
        v1p2Form
          ? [
              ...CSV_HEADERS[file],
              ...V1P2_STORED_COLUMNS[file].map((c) => c.name),
            ]
          : CSV_HEADERS[file],
        join(dir, `${file}.csv`),
        options,
      );
      if (n > 0) result.files[file] = n;
      result.rows += n;
    }
    const mode = delta ? 'delta' : 'bulk';
    const manifest: CsvCell[][] = [
      ['propertyName', 'value'],
      ['manifest.version', '1.0'],
      ['oneroster.version', '1.1'],
      ...CSV_FILES.map((f) => [`file.${f}`, result.files[f] ? mode : 'absent']),
      ['source.systemName', 'OneRoster Exchange'],
      ['source.systemCode', options.schoolId],
    ];
    const ms = new CsvOut(join(dir, 'manifest.csv'));
    try {
      await ms.put(manifest.map((r) => csvLine(r)).join(''));
      await ms.end();
    } finally {
      ms.destroy();
    }
    if (zip) {
      const names = [
        'manifest.csv',
        ...CSV_FILES.filter((f) => result.files[f]).map((f) => `${f}.csv`),
      ];
      await writeZip(
        options.out,
        names.map((name) => ({ name, path: join(dir, name) })),
      );
    }
  } finally {
    if (zip) rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/**
 * A link file kept in its objects' rows (lineItemScoreScales, resultScoreScales): one row
 * per line item or result of the school with a score scale, in sourcedId order, a page at a
 * time. The link's sourcedId is its object's (one link per object, so unique in the file;
 * the import does not keep a link's own id) and its title blank (not kept). Bulk: active
 * objects; delta: every object changed since, with the object's status and
 * dateLastModified (a link set or cleared by an import changes its object). A link cleared
 * since leaves nothing to write: its object's row in the delta lineItems.csv or
 * results.csv, read without a link, clears it. No file when there is no link.
 */
async function writeLinkFile(
  q: Query,
  link: V1p2LinkColumnMap,
  path: string,
  options: CsvExportOptions,
): Promise<number> {
  return writeObjectLinks(q, link, path, options, 5000, (r) => [
    { sourcedId: r.id, [link.owner]: r.id, [link.value]: String(r.v) },
  ]);
}

/**
 * A link file gathered into its objects' rows (lineItemLearningObjectiveIds,
 * resultLearningObjectiveIds): one row per objective of each line item or result of the
 * school with a learning objective set, in sourcedId order and the list's order, a page of
 * objects at a time. A row's sourcedId is its object's followed by `.` and the objective's
 * position (unique in the file; the import does not keep it). Bulk: active objects; delta:
 * every object changed since, with the object's status and dateLastModified. An objective
 * removed since leaves nothing to write: its object's row in the delta lineItems.csv or
 * results.csv, read with the links of the file, takes the list without it. No file when
 * there is no objective.
 */
async function writeGatheredFile(
  q: Query,
  link: V1p2GatheredLinkMap,
  path: string,
  options: CsvExportOptions,
): Promise<number> {
  return writeObjectLinks(q, link, path, options, 1000, (r) =>
    objectiveLinks(link.file, decodeJson(r.v)).map((l, i) => ({
      sourcedId: `${r.id}.${i + 1}`,
      [link.owner]: r.id,
      source: l.source,
      learningObjectiveId: l.id,
      score: l.score === undefined ? '' : String(l.score),
      textScore: l.textScore ?? '',
    })),
  );
}

/**
 * The rows of a link file written from its objects' column (`writeLinkFile`,
 * `writeGatheredFile`): the school's objects whose column is set, in sourcedId order, a
 * page at a time; `rowsOf` gives each object's rows (without status and date, which are
 * the object's in a delta and blank in bulk). Bulk: active objects; delta: every object
 * changed since. No file when there is no row.
 */
async function writeObjectLinks(
  q: Query,
  link: {
    readonly file: V1p2LinkColumnMap['file'] | V1p2GatheredLinkMap['file'];
    readonly table: string;
    readonly column: string;
  },
  path: string,
  options: CsvExportOptions,
  pageSize: number,
  rowsOf: (object: {
    id: string;
    v: unknown;
  }) => readonly Record<string, string>[],
): Promise<number> {
  const delta = options.since !== undefined;
  const headers = V1P2_CSV_HEADERS[link.file];
  const where = [
    'school_id = ?',
    `${link.column} IS NOT NULL`,
    'sourced_id > ?',
  ];
  const extra: unknown[] = [];
  if (options.since) {
    where.push('date_last_modified > ?');
    extra.push(encodeInstant(options.since));
  } else where.push("status = 'active'");
  let stream: CsvOut | undefined;
  let n = 0;
  let after = '';
  try {
    for (;;) {
      const rows = (await q(
        `SELECT sourced_id AS id, status, date_last_modified AS d, ${link.column} AS v FROM ${link.table} WHERE ${where.join(' AND ')} ORDER BY sourced_id LIMIT ${pageSize}`,
        [options.schoolId, after, ...extra],
      )) as { id: string; status: string; d: unknown; v: unknown }[];
      for (const r of rows) {
        for (const row of rowsOf({ id: String(r.id), v: r.v })) {
          if (!stream) {
            stream = new CsvOut(path);
            await stream.put(csvLine(headers));
          }
          const values: Record<string, string> = {
            ...row,
            status: delta ? String(r.status) : '',
            dateLastModified: delta ? decodeInstant(r.d).toISOString() : '',
          };
          await stream.put(csvLine(headers.map((h) => values[h] ?? '')));
          n++;
        }
      }
      if (rows.length < pageSize) break;
      after = String(rows[rows.length - 1].id);
    }
    if (stream) await stream.end();
  } finally {
    stream?.destroy();
  }
  options.onProgress?.({ file: link.file, rows: n, done: true });
  return n;
}

/**
 * One file of the school's records of one table, written a record at a time with the
 * given headers (then its `metadata.<name>` columns); no file when there is no record.
 * Returns the rows written.
 */
async function writeFile(
  q: Query,
  map: TableMap,
  headers: readonly string[],
  path: string,
  options: CsvExportOptions,
): Promise<number> {
  const delta = options.since !== undefined;
  const file = map.file;
  // Only the columns the file's headers name are read (a 1.1 export leaves out the 1.2 ones).
  const wanted = new Set(headers);
  const read: TableMap = {
    ...map,
    columns: map.columns.filter((c) => wanted.has(c.csv)),
    links: map.links.filter((l) => wanted.has(l.csv)),
  };
  const metaKeys = await metadataKeys(q, map.table, options.schoolId);
  let stream: CsvOut | undefined;
  let n = 0;
  try {
    for await (const rec of readRecords(
      q,
      read,
      options.schoolId,
      delta ? { since: options.since } : { activeOnly: true },
    )) {
      if (!stream) {
        stream = new CsvOut(path);
        await stream.put(
          csvLine([...headers, ...metaKeys.map((k) => METADATA_PREFIX + k)]),
        );
      }
      await stream.put(csvLine(cells(headers, rec, delta, metaKeys)));
      n++;
      if (n % 20000 === 0) options.onProgress?.({ file, rows: n, done: false });
    }
    if (stream) await stream.end();
  } finally {
    stream?.destroy();
  }
  options.onProgress?.({ file, rows: n, done: true });
  return n;
}

function cells(
  headers: readonly string[],
  rec: CsvRecordData,
  delta: boolean,
  metaKeys: string[],
): CsvCell[] {
  const out: CsvCell[] = [];
  for (const name of headers) {
    if (name === 'sourcedId') out.push(rec.sourcedId);
    else if (name === 'status') out.push(delta ? rec.status : '');
    else if (name === 'dateLastModified')
      out.push(delta ? rec.dateLastModified.toISOString() : '');
    else out.push(cellText(rec.values[name] ?? null));
  }
  for (const k of metaKeys) {
    const v = rec.metadata?.[k];
    out.push(
      v === undefined || v === null
        ? ''
        : typeof v === 'string'
          ? v
          : JSON.stringify(v),
    );
  }
  return out;
}

/** Names of the metadata extension fields used by the school's records of one table. */
async function metadataKeys(
  q: Query,
  table: string,
  schoolId: string,
): Promise<string[]> {
  const keys = new Set<string>();
  let after = '';
  for (;;) {
    const rows = (await q(
      `SELECT sourced_id, metadata FROM ${table} WHERE school_id = ? AND sourced_id > ? AND metadata IS NOT NULL ORDER BY sourced_id LIMIT 5000`,
      [schoolId, after],
    )) as { sourced_id: string; metadata: unknown }[];
    for (const r of rows) {
      const m = decodeJson(r.metadata);
      if (m && typeof m === 'object')
        for (const k of Object.keys(m)) keys.add(k);
    }
    if (rows.length < 5000) break;
    after = rows[rows.length - 1].sourced_id;
  }
  return [...keys].sort();
}

/**
 * One output file. An error of the stream (a full disk, a path that is a folder) is kept
 * and rejects the next write or the end: it is never an unheard 'error' event, which
 * would crash the process, nor a write that silently went nowhere.
 */
class CsvOut {
  private readonly stream: WriteStream;
  private error: Error | undefined;

  constructor(path: string) {
    this.stream = createWriteStream(path, 'utf8');
    this.stream.on('error', (e) => {
      this.error ??= e;
    });
  }

  async put(text: string): Promise<void> {
    if (this.error) throw this.error;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
    if (this.error) throw this.error;
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
