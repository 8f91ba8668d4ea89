import { Readable } from 'node:stream';
import type { Query } from './records';
import { CsvRecordData, sqlInstant, TableMap, toDb } from './tables';

/**
 * Appends rows to a table in bulk; false when the database does not allow it (the caller
 * then uses INSERT). Throws when the rows were not all taken exactly.
 */
export type BulkLoader = (
  table: string,
  cols: string[],
  rows: unknown[][],
) => Promise<boolean>;

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
const tsv = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  // Most values need no escape: test once instead of replacing four times.
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : s;
};

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
  let allowed = true;
  return async (table, cols, rows) => {
    if (!allowed) return false;
    const text = rows.map((r) => r.map(tsv).join('\t')).join('\n') + '\n';
    try {
      const result = await new Promise<{
        affectedRows: number;
        warningStatus: number;
      }>((resolve, reject) =>
        conn.query(
          {
            sql: `LOAD DATA LOCAL INFILE 'batch.tsv' INTO TABLE ${table} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${cols.join(',')})`,
            infileStreamFactory: () => Readable.from([Buffer.from(text)]),
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        ),
      );
      if (result.warningStatus > 0 || result.affectedRows !== rows.length)
        throw new Error(
          `${table}: the database took ${result.affectedRows} of ${rows.length} rows with ${result.warningStatus} warning(s)`,
        );
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
        allowed = false;
        return false;
      }
      throw e;
    }
  };
}

/**
 * Batched writes of one table inside the import's transaction: multi-row INSERTs for new
 * records, INSERT … ON DUPLICATE KEY UPDATE (MySQL/MariaDB) or ON CONFLICT DO UPDATE
 * (SQLite) for changed ones, and the GUIDRef link rows of classes and users replaced with
 * their record. Batches stay under both engines' bound-parameter limits.
 */
export class TableWriter {
  private readonly cols: string[];
  private readonly batchRows: number;
  private inserts: unknown[][] = [];
  private upserts: unknown[][] = [];
  private linkDeletes: [string, string][] = [];
  private links: unknown[][][];
  /** The batch being written while the next one is read (at most one in flight). */
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
    // SQLite binds at most 32,766 parameters; MySQL statements are formatted client-side
    // and bounded by max_allowed_packet (16 MB by default): 1 MB-sized statements are safe.
    // A bulk load has no parameters: fewer, larger batches (a few MB of text each).
    this.batchRows = loader
      ? 10000
      : Math.max(
          50,
          Math.floor((dialect === 'mysql' ? 40000 : 16000) / this.cols.length),
        );
    this.links = map.links.map(() => []);
  }

  async write(
    schoolId: string,
    rec: CsvRecordData,
    kind: 'insert' | 'upsert',
  ): Promise<void> {
    if (rec.dateLastModified !== this.lastDate) {
      this.lastDate = rec.dateLastModified;
      this.lastInstant = sqlInstant(rec.dateLastModified);
    }
    const row: unknown[] = [
      schoolId,
      rec.sourcedId,
      rec.status,
      this.lastInstant,
      rec.metadata ? JSON.stringify(rec.metadata) : null,
    ];
    for (const c of this.map.columns)
      row.push(toDb(c.storage, rec.values[c.csv]));
    (kind === 'insert' ? this.inserts : this.upserts).push(row);
    if (this.map.links.length > 0) {
      if (kind === 'upsert') this.linkDeletes.push([schoolId, rec.sourcedId]);
      this.map.links.forEach((l, i) => {
        const list = (rec.values[l.csv] as string[] | null) ?? [];
        list.forEach((target, position) =>
          this.links[i].push([schoolId, rec.sourcedId, target, position]),
        );
      });
    }
    if (this.inserts.length + this.upserts.length >= this.batchRows) {
      await this.pending;
      const p = this.send();
      // Handled when awaited by the next batch or by flush(); never left unobserved.
      p.catch(() => undefined);
      this.pending = p;
    }
  }

  /** Writes everything buffered and waits for it. */
  async flush(): Promise<void> {
    await this.pending;
    this.pending = Promise.resolve();
    await this.send();
  }

  /** Takes every buffer at once (so rows added meanwhile wait for the next batch), then writes. */
  private async send(): Promise<void> {
    const { table } = this.map;
    const batch = {
      inserts: this.inserts,
      upserts: this.upserts,
      linkDeletes: this.linkDeletes,
      links: this.links,
    };
    this.inserts = [];
    this.upserts = [];
    this.linkDeletes = [];
    this.links = this.map.links.map(() => []);
    const placeholders = (rows: unknown[][]) =>
      rows.map((r) => `(${r.map(() => '?').join(',')})`).join(',');
    if (
      batch.inserts.length &&
      !(await this.loader?.(table, this.cols, batch.inserts))
    ) {
      const rows = batch.inserts;
      await this.query(
        `INSERT INTO ${table} (${this.cols.join(',')}) VALUES ${placeholders(rows)}`,
        rows.flat(),
      );
    }
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
    for (let i = 0; i < this.map.links.length; i++) {
      const link = this.map.links[i];
      const rows = batch.links[i];
      const linkCols = ['school_id', link.owner, link.target, 'position'];
      if (rows.length && (await this.loader?.(link.table, linkCols, rows)))
        continue;
      for (let j = 0; j < rows.length; j += 4000) {
        const chunk = rows.slice(j, j + 4000);
        await this.query(
          `INSERT INTO ${link.table} (school_id, ${link.owner}, ${link.target}, position) VALUES ${placeholders(chunk)}`,
          chunk.flat(),
        );
      }
    }
  }

  /** Bulk: records missing from the file become tobedeleted as of the import (§8.2). */
  async markDeleted(schoolId: string, ids: string[], at: Date): Promise<void> {
    await this.flush();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await this.query(
        `UPDATE ${this.map.table} SET status = 'tobedeleted', date_last_modified = ? WHERE school_id = ? AND sourced_id IN (${chunk.map(() => '?').join(',')})`,
        [sqlInstant(at), schoolId, ...chunk],
      );
    }
  }
}
