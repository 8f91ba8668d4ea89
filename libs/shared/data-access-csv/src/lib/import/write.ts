import {
  AnyCsvFile,
  FileSummary,
  IssueCollector,
  SchoolSummary,
} from '@oneroster/util-oneroster-csv';
import { encodeBoolean, encodeInstant } from '@oneroster/database';
import type { Query } from '../records';
import { readRecords } from '../records';
import { fingerprint, tableMapOf } from '../tables';
import { RecordDigests } from '../id-set';
import { TableWriter } from '../writer';
import { RouteStep } from './route';
import type { Owners } from './run-index';

/*
 * Step 5, the write (pass 2), inside the run's one transaction, file by file in dependency
 * order:
 * - schools the set names that the platform lacks are created (unless another import
 *   created them meanwhile);
 * - a row is written into each of its schools of this import; one with none is `no_school`;
 * - bulk (§8.2): new records are inserted, changed ones rewritten, unchanged ones left
 *   alone (compared by fingerprint), active records the file lacks marked tobedeleted;
 *   changes carry the import time;
 * - delta: each row is upserted with its own status and dateLastModified;
 * - a 1.2 set's files stored as 1.2 (scoreScales) are written the same way into their own
 *   tables, after the 1.1 files, in the same transaction.
 */
export abstract class WriteStep extends RouteStep {
  protected async createSchools(q: Query): Promise<void> {
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
          encodeBoolean(false),
          encodeInstant(this.now),
        ],
      );
    }
  }

  protected async write(q: Query, file: AnyCsvFile): Promise<void> {
    const map = tableMapOf(file);
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
