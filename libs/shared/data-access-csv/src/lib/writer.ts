import { Readable } from 'node:stream';
import type { Query } from './records';
import { encodeInstant, encodeJson } from '@oneroster/database';
import { columnToDb, CsvRecordData, TableMap } from './tables';

/**
 * Appends rows to a table in bulk. `state` is `untried` until the first load, then
 * whether the database takes bulk loads. `load` returns false when the database does not
 * allow them (the caller then uses INSERT); it throws when the rows were not all taken
 * exactly.
 */
export interface BulkLoader {
  readonly state: 'untried' | 'allowed' | 'refused';
  load(table: string, cols: string[], rows: TsvRows): Promise<boolean>;
}

/** The part of a mysql2 connection (callback API) the loader needs. */
interface Mysql2Connection {
  query(
    options: {
      sql: string;
      infileStreamFactory: () => Readable;
    },
    callback: (
      err: Error | null,
      result: { affectedRows: number; warningStatus: number },
    ) => void,
  ): unknown;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
/** One value as LOAD DATA reads it: `\N` for NULL, backslash before tab, line breaks and backslash. */
const tsv = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  // Most values need no escape: test once instead of replacing four times.
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : s;
};

/**
 * Rows formatted for LOAD DATA (tab-separated lines, see `tsv`) in a Buffer that grows as
 * needed. The text is off the JavaScript heap, so a batch waiting to be sent costs the
 * garbage collector nothing, and it is sent as it is.
 */
export class TsvRows {
  private buf: Buffer;
  private end = 0;
  /** Rows added. */
  count = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  add(values: readonly unknown[]): void {
    // One flat string a row (join), written with its line feed byte.
    const line = values.map(tsv).join('\t');
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = this.end + line.length * 3 + 1;
    if (room > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(room, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    this.end += this.buf.write(line, this.end);
    this.buf[this.end++] = 10;
    this.count++;
  }

  /** The text so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.end);
  }

  /** Bytes allocated: where the next batch of a similar size can start. */
  get capacity(): number {
    return this.buf.length;
  }
}

/**
 * MySQL/MariaDB: `LOAD DATA LOCAL INFILE` of each batch, streamed from memory on the
 * import's own connection (so inside its transaction, rolled back with it). About twice as
 * fast as multi-row INSERTs. The server may forbid LOCAL INFILE (MySQL 8's default): the
 * first refusal switches to INSERTs for the rest of the import. With LOCAL the server turns
 * conversion errors into warnings, so any warning, or a row count that differs, fails the
 * import instead of storing a changed value.
 */
export function mysqlBulkLoader(connection: unknown): BulkLoader | undefined {
  const conn = connection as Mysql2Connection | undefined;
  if (!conn || typeof conn.query !== 'function') return undefined;
  const loader = {
    state: 'untried' as BulkLoader['state'],
    async load(table: string, cols: string[], rows: TsvRows): Promise<boolean> {
      if (loader.state === 'refused') return false;
      try {
        const result = await new Promise<{
          affectedRows: number;
          warningStatus: number;
        }>((resolve, reject) =>
          conn.query(
            {
              sql: `LOAD DATA LOCAL INFILE 'batch.tsv' INTO TABLE ${table} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${cols.join(',')})`,
              infileStreamFactory: () => Readable.from([rows.bytes()]),
            },
            (err, res) => (err ? reject(err) : resolve(res)),
          ),
        );
        if (result.warningStatus > 0 || result.affectedRows !== rows.count)
          throw new Error(
            `${table}: the database took ${result.affectedRows} of ${rows.count} rows with ${result.warningStatus} warning(s)`,
          );
        loader.state = 'allowed';
        return true;
      } catch (e) {
        const code = (e as { code?: string; errno?: number }).code;
        const errno = (e as { errno?: number }).errno;
        // ER_NOT_ALLOWED_COMMAND (1148), ER_LOAD_INFILE_CAPABILITY_DISABLED (3948), or a
        // client without LOCAL_FILES: refused before anything was read.
        if (
          errno === 1148 ||
          errno === 3948 ||
          code === 'ER_NOT_ALLOWED_COMMAND' ||
          code === 'ER_LOAD_INFILE_CAPABILITY_DISABLED'
        ) {
          loader.state = 'refused';
          return false;
        }
        throw e;
      }
    },
  };
  return loader;
}

/**
 * New rows of one table, as TSV for a bulk load and/or as values for INSERT: the values
 * are kept only while the database may refuse bulk loads (none tried yet, or no loader).
 */
class NewRows {
  readonly values: unknown[][] | undefined;
  readonly tsv: TsvRows | undefined;
  count = 0;

  constructor(keepValues: boolean, tsvCapacity: number | undefined) {
    this.values = keepValues ? [] : undefined;
    this.tsv = tsvCapacity === undefined ? undefined : new TsvRows(tsvCapacity);
  }

  add(row: unknown[]): void {
    this.values?.push(row);
    this.tsv?.add(row);
    this.count++;
  }
}

const placeholders = (rows: unknown[][]) =>
  rows.map((r) => `(${r.map(() => '?').join(',')})`).join(',');

/** What one batch writes: new rows, changed rows, and the link rows of both. */
interface Batch {
  inserts: NewRows;
  upserts: unknown[][];
  linkDeletes: [string, string][];
  links: NewRows[];
}

/**
 * Batched writes of one table inside the import's transaction: multi-row INSERTs for new
 * records, INSERT … ON DUPLICATE KEY UPDATE (MySQL/MariaDB) or ON CONFLICT DO UPDATE
 * (SQLite) for changed ones, and the GUIDRef link rows of classes and users replaced with
 * their record. Batches stay under both engines' bound-parameter limits.
 */
export class TableWriter {
  private readonly cols: string[];
  private readonly linkCols: string[][];
  private readonly batchRows: number;
  private batch: Batch;
  /** The batches being written while the next one is read (one at a time, in order). */
  private pending: Promise<void> = Promise.resolve();
  /** A bulk file gives every record the same instant: formatted once. */
  private lastDate: Date | undefined;
  private lastInstant = '';

  constructor(
    private readonly query: Query,
    private readonly dialect: 'sqlite' | 'mysql',
    private readonly map: TableMap,
    private readonly loader?: BulkLoader,
  ) {
    this.cols = [
      'school_id',
      'sourced_id',
      'status',
      'date_last_modified',
      'metadata',
      ...map.columns.map((c) => c.db),
    ];
    this.linkCols = map.links.map((l) => [
      'school_id',
      l.owner,
      l.target,
      'position',
    ]);
    // SQLite binds at most 32,766 parameters; MySQL statements are formatted client-side
    // and bounded by max_allowed_packet (16 MB by default): 1 MB-sized statements are safe.
    // A bulk load has no parameters: fewer, larger batches (a few MB of text each).
    this.batchRows = loader
      ? 10000
      : Math.max(
          50,
          Math.floor((dialect === 'mysql' ? 40000 : 16000) / this.cols.length),
        );
    this.batch = this.newBatch();
  }

  /**
   * A batch for the rows to come: TSV once the database has taken a bulk load, values
   * when there is no bulk loader or the database refused it, both before the first try.
   * The TSV buffers start at the size the previous batch's reached.
   */
  private newBatch(previous?: Batch): Batch {
    const state = this.loader?.state ?? 'refused';
    const keepValues = state !== 'allowed';
    const tsv = (rows: NewRows | undefined) =>
      state === 'refused' ? undefined : (rows?.tsv?.capacity ?? 64 * 1024);
    return {
      inserts: new NewRows(keepValues, tsv(previous?.inserts)),
      upserts: [],
      linkDeletes: [],
      links: this.map.links.map(
        (_, i) => new NewRows(keepValues, tsv(previous?.links[i])),
      ),
    };
  }

  /**
   * Buffers one record (and its link rows). When that fills a batch, the batch is sent
   * after the one before it, and the promise returned is that earlier batch's: awaiting it
   * keeps at most one batch in flight while the next is read. Otherwise returns undefined.
   */
  write(
    schoolId: string,
    rec: CsvRecordData,
    kind: 'insert' | 'upsert',
  ): Promise<void> | undefined {
    if (rec.dateLastModified !== this.lastDate) {
      this.lastDate = rec.dateLastModified;
      this.lastInstant = encodeInstant(rec.dateLastModified);
    }
    const row: unknown[] = [
      schoolId,
      rec.sourcedId,
      rec.status,
      this.lastInstant,
      rec.metadata ? encodeJson(rec.metadata) : null,
    ];
    for (const c of this.map.columns) row.push(columnToDb(c, rec.values));
    const batch = this.batch;
    if (kind === 'insert') batch.inserts.add(row);
    else batch.upserts.push(row);
    if (this.map.links.length > 0) {
      if (kind === 'upsert') batch.linkDeletes.push([schoolId, rec.sourcedId]);
      this.map.links.forEach((l, i) => {
        const list = (rec.values[l.csv] as string[] | null) ?? [];
        list.forEach((target, position) =>
          batch.links[i].add([schoolId, rec.sourcedId, target, position]),
        );
      });
    }
    if (batch.inserts.count + batch.upserts.length < this.batchRows)
      return undefined;
    this.batch = this.newBatch(batch);
    const previous = this.pending;
    const sent = previous.then(() => this.send(batch));
    // Handled when awaited by the next batch or by flush(); never left unobserved.
    sent.catch(() => undefined);
    this.pending = sent;
    return previous;
  }

  /** Writes everything buffered and waits for it. */
  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = this.newBatch(batch);
    const previous = this.pending;
    this.pending = Promise.resolve();
    await previous;
    await this.send(batch);
  }

  /** Appends new rows: by bulk load when the database takes it, else by INSERTs of `chunk` rows. */
  private async insert(
    table: string,
    cols: string[],
    rows: NewRows,
    chunk: number,
  ): Promise<void> {
    if (rows.count === 0) return;
    if (rows.tsv && (await this.loader?.load(table, cols, rows.tsv))) return;
    const values = rows.values;
    if (!values)
      throw new Error(
        `${table}: the database refused a bulk load after taking one`,
      );
    for (let j = 0; j < values.length; j += chunk) {
      const part = values.slice(j, j + chunk);
      await this.query(
        `INSERT INTO ${table} (${cols.join(',')}) VALUES ${placeholders(part)}`,
        part.flat(),
      );
    }
  }

  private async send(batch: Batch): Promise<void> {
    const { table } = this.map;
    // New records in one statement (a batch is sized for it), link rows 4,000 at a time.
    await this.insert(table, this.cols, batch.inserts, Infinity);
    if (batch.upserts.length) {
      const rows = batch.upserts;
      const set = this.cols.slice(2);
      const conflict =
        this.dialect === 'mysql'
          ? ` ON DUPLICATE KEY UPDATE ${set.map((c) => `${c}=VALUES(${c})`).join(',')}`
          : ` ON CONFLICT(school_id, sourced_id) DO UPDATE SET ${set.map((c) => `${c}=excluded.${c}`).join(',')}`;
      await this.query(
        `INSERT INTO ${table} (${this.cols.join(',')}) VALUES ${placeholders(rows)}${conflict}`,
        rows.flat(),
      );
    }
    if (batch.linkDeletes.length) {
      const dels = batch.linkDeletes;
      const bySchool = new Map<string, string[]>();
      for (const [s, id] of dels) {
        const l = bySchool.get(s);
        if (l) l.push(id);
        else bySchool.set(s, [id]);
      }
      for (const link of this.map.links)
        for (const [s, ids] of bySchool)
          for (let i = 0; i < ids.length; i += 500) {
            const chunk = ids.slice(i, i + 500);
            await this.query(
              `DELETE FROM ${link.table} WHERE school_id = ? AND ${link.owner} IN (${chunk.map(() => '?').join(',')})`,
              [s, ...chunk],
            );
          }
    }
    for (let i = 0; i < this.map.links.length; i++)
      await this.insert(
        this.map.links[i].table,
        this.linkCols[i],
        batch.links[i],
        4000,
      );
  }

  /** Bulk: records missing from the file become tobedeleted as of the import (§8.2). */
  async markDeleted(schoolId: string, ids: string[], at: Date): Promise<void> {
    await this.flush();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await this.query(
        `UPDATE ${this.map.table} SET status = 'tobedeleted', date_last_modified = ? WHERE school_id = ? AND sourced_id IN (${chunk.map(() => '?').join(',')})`,
        [encodeInstant(at), schoolId, ...chunk],
      );
    }
  }
}
