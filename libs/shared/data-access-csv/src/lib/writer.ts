import type { Query } from './records';
import { CsvRecordData, sqlInstant, TableMap, toDb } from './tables';

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

  constructor(
    private readonly query: Query,
    private readonly dialect: 'sqlite' | 'mysql',
    private readonly map: TableMap,
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
    this.batchRows = Math.max(
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
    const row: unknown[] = [
      schoolId,
      rec.sourcedId,
      rec.status,
      sqlInstant(rec.dateLastModified),
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
    if (batch.inserts.length) {
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
