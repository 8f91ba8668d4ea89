import {
  AnyCsvFile,
  FileSummary,
  IssueCollector,
  ParsedRow,
  SchoolSummary,
  objectiveLinkOf,
  withObjective,
  withoutObjective,
  type V1p2CsvFile,
} from '@oneroster/util-oneroster-csv';
import { decodeJson, encodeBoolean, encodeInstant } from '@oneroster/database';
import type { Query } from '../records';
import { readRecords } from '../records';
import {
  fingerprint,
  tableMapOf,
  V1P2_GATHERED_LINK_MAPS,
  V1P2_LINK_COLUMN_MAPS,
  V1P2_TABLE_MAPS,
  type V1p2GatheredLinkMap,
  type V1p2LinkColumnMap,
} from '../tables';
import { RecordDigests } from '../id-set';
import { TableWriter } from '../writer';
import { RouteStep } from './route';
import type { Owners } from './run-index';

const noop = (): void => undefined;

/** A stored learning objective list (JSON), as a list. */
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

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
 * - a 1.2 set's files stored as 1.2 (scoreScales, userResources, roles) are written the same
 *   way into their own tables, after the 1.1 files, in the same transaction;
 * - its score scale links (lineItemScoreScales, resultScoreScales) set or clear the column
 *   of the linked line item or result (`writeLinks`), after the score scales; its learning
 *   objective links are gathered into the linked object's list (`writeGathered`);
 * - then a role's user profile must be an active profile of the role's school
 *   (`checkV1p2Refs`);
 * - a 1.1 users file (not the 1.1 form of a 1.2 set) marks the stored 1.2 roles of each user
 *   it names tobedeleted (their 1.2 roles are derived from the 1.1 role again), and after the
 *   write no active 1.2 role or profile is left to a user that is not active.
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
    const link = V1P2_LINK_COLUMN_MAPS[file as V1p2CsvFile];
    if (link) return this.writeLinks(q, link);
    const gathered = V1P2_GATHERED_LINK_MAPS[file as V1p2CsvFile];
    if (gathered) return this.writeGathered(q, gathered);
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
    // A 1.1 users file replaces the 1.2 roles of the users it names (user_roles): their 1.2
    // roles are derived from the 1.1 role and orgs again, so the versions never disagree.
    const retire = file === 'users' && !this.v1p2Form;
    const retiring = new Map<string, string[]>();
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
      // The roles retired for a full chunk of users, waited for with the batch.
      const retired: Promise<void>[] = [];
      for (const school of owners) {
        if (retire) {
          const ids = retiring.get(school) ?? [];
          ids.push(row.sourcedId);
          retiring.set(school, ids);
          if (ids.length >= 500)
            retired.push(this.retireRoles(q, school, ids.splice(0)));
        }
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
      return retired.length ? Promise.all([wait, ...retired]).then(noop) : wait;
    });
    await writer.flush();
    for (const [school, ids] of retiring)
      if (ids.length) await this.retireRoles(q, school, ids);
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

  /**
   * A link file kept in its objects' rows (the score scale links, 1.2.1 CSV binding):
   * - the object (a line item, a result) must be a record of a school of this import: of
   *   the set (written by now) or already there; else `unknown_reference`;
   * - an active link's score scale must be an active score scale of each school the object
   *   is in (the set's scoreScales.csv is written by now); else `unknown_reference`;
   * - an active link sets the object's column, a tobedeleted one clears it when it names
   *   the scale the object has; a change carries the row's dateLastModified (delta) or the
   *   import time, so a delta export sees it. The objects of the set already took their
   *   link when the 1.2 set was read (their rows are unchanged here);
   * - bulk (§8.2): the file holds every link, so an object of the import's schools with a
   *   scale and no active link in the file loses it.
   */
  private async writeLinks(q: Query, link: V1p2LinkColumnMap): Promise<void> {
    const file = link.file;
    const mode = this.manifest.modes[file];
    const summary = this.report.files[file] as FileSummary;
    const schools = [...this.targets];
    if (schools.length === 0) return;
    const inSchools = `school_id IN (${schools.map(() => '?').join(',')})`;
    const linked = new Set<string>();
    const marks = (n: number) => Array(n).fill('?').join(',');
    let batch: ParsedRow[] = [];
    const flush = async (): Promise<void> => {
      const rows = batch;
      batch = [];
      if (rows.length === 0) return;
      const active = (r: ParsedRow) =>
        mode === 'bulk' || (r.status ?? 'active') === 'active';
      const ids = [...new Set(rows.map((r) => String(r.values[link.owner])))];
      const scales = [
        ...new Set(
          rows.filter(active).map((r) => String(r.values[link.value])),
        ),
      ];
      const objects = new Map<
        string,
        { school: string; status: string; value: string | null }[]
      >();
      for (const o of (await q(
        `SELECT sourced_id AS id, school_id AS s, status, ${link.column} AS v FROM ${link.table} WHERE ${inSchools} AND sourced_id IN (${marks(ids.length)})`,
        [...schools, ...ids],
      )) as { id: string; s: string; status: string; v: unknown }[]) {
        const list = objects.get(String(o.id)) ?? [];
        list.push({
          school: String(o.s),
          status: String(o.status),
          value: o.v === null || o.v === undefined ? null : String(o.v),
        });
        objects.set(String(o.id), list);
      }
      const known = new Set<string>();
      if (scales.length)
        for (const r of (await q(
          `SELECT sourced_id AS id, school_id AS s FROM ${link.target.table} WHERE status = 'active' AND ${inSchools} AND sourced_id IN (${marks(scales.length)})`,
          [...schools, ...scales],
        )) as { id: string; s: string }[])
          known.add(`${String(r.s)}\u0000${String(r.id)}`);
      for (const row of rows) {
        const id = String(row.values[link.owner]);
        const scale = String(row.values[link.value]);
        const on = active(row);
        const found = (objects.get(id) ?? []).filter(
          (o) => !on || o.status === 'active',
        );
        if (found.length === 0) {
          this.issues.error(
            `${file}.csv`,
            'unknown_reference',
            `no ${on ? 'active ' : ''}${link.ownerFile} record with this sourcedId, in the set or in the school`,
            { line: row.line, column: link.owner, value: id },
          );
          continue;
        }
        if (on) {
          linked.add(id);
          const missing = found.find(
            (o) => !known.has(`${o.school}\u0000${scale}`),
          );
          if (missing) {
            this.issues.error(
              `${file}.csv`,
              'unknown_reference',
              `no active ${link.target.file} record with this sourcedId in the school of the ${link.ownerFile} record, in the set or in the database`,
              { line: row.line, column: link.value, value: scale },
            );
            continue;
          }
        }
        const at = encodeInstant(
          mode === 'delta' ? (row.dateLastModified ?? this.now) : this.now,
        );
        for (const o of found) {
          const next = on ? scale : o.value === scale ? null : o.value;
          if (next === o.value) {
            summary.unchanged++;
            continue;
          }
          await q(
            `UPDATE ${link.table} SET ${link.column} = ?, date_last_modified = ? WHERE school_id = ? AND sourced_id = ?`,
            [next, at, o.school, id],
          );
          if (next === null) summary.deleted++;
          else if (o.value === null) summary.inserted++;
          else summary.updated++;
        }
      }
    };
    await this.readRows(file, new IssueCollector(0), 'write', (row) => {
      batch.push(row);
      return batch.length >= 500 ? flush() : undefined;
    });
    await flush();
    // Bulk: the objects with a scale that no active link of the file names lose it.
    if (mode === 'bulk')
      await this.clearUnlinked(
        q,
        link,
        schools,
        (id) => linked.has(id),
        summary,
      );
  }

  /**
   * After the 1.2 files stored as 1.2 are written: each of their rows naming a record of
   * another such file (a role's `userProfileSourcedId`, `V1p2TableMap.v1p2Refs`) must name
   * an active record of that file in the row's school (the set's userProfiles.csv, written
   * by now, or the school's `user_profiles`), else `unknown_reference` at its line.
   */
  protected async checkV1p2Refs(q: Query): Promise<void> {
    const schools = [...this.targets];
    if (schools.length === 0 || this.v1p2Refs.length === 0) return;
    const marks = (n: number) => Array(n).fill('?').join(',');
    for (let i = 0; i < this.v1p2Refs.length; i += 500) {
      const chunk = this.v1p2Refs.slice(i, i + 500);
      const byFile = new Map<V1p2CsvFile, typeof chunk>();
      for (const r of chunk)
        byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
      for (const [file, rows] of byFile) {
        const map = V1P2_TABLE_MAPS[file];
        for (const ref of map?.v1p2Refs ?? []) {
          const named = rows.filter((r) => r.column === ref.column);
          if (!map || named.length === 0) continue;
          const bad = new Set(
            (
              (await q(
                `SELECT r.sourced_id AS id FROM ${map.table} r WHERE r.school_id IN (${marks(schools.length)}) AND r.status = 'active' AND r.sourced_id IN (${marks(named.length)}) AND r.${ref.db} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref.table} p WHERE p.school_id = r.school_id AND p.sourced_id = r.${ref.db} AND p.status = 'active')`,
                [...schools, ...named.map((r) => r.sourcedId)],
              )) as { id: string }[]
            ).map((r) => String(r.id)),
          );
          for (const r of named)
            if (bad.has(r.sourcedId))
              this.issues.error(
                `${file}.csv`,
                'unknown_reference',
                `no active ${ref.target} record with this sourcedId in the school of the record, in the set or in the database`,
                { line: r.line, column: r.column, value: r.value },
              );
        }
      }
    }
  }

  /**
   * A link file gathered into its objects' rows (the learning objective links, 1.2.1 CSV
   * binding; objectives.ts in util-oneroster-csv):
   * - the object (a line item, a result) must be a record of a school of this import: of
   *   the set (written by now) or already there; else `unknown_reference`;
   * - bulk (§8.2): the file holds every link, so each object it names gets exactly the list
   *   of its rows, and an object of the import's schools with a list and no row in the file
   *   loses it;
   * - delta: each active row adds its objective to the object's list (or gives the one
   *   there its score and textScore), a tobedeleted row removes it (a source left with no
   *   objective goes too);
   * - a change carries the object's last row's dateLastModified (delta) or the import
   *   time. The objects of the set already took their list when the 1.2 set was read, so
   *   their rows come out the same here.
   * The rows are gathered per object in memory first (a few per object).
   */
  private async writeGathered(
    q: Query,
    link: V1p2GatheredLinkMap,
  ): Promise<void> {
    const file = link.file;
    const mode = this.manifest.modes[file];
    const summary = this.report.files[file] as FileSummary;
    const schools = [...this.targets];
    if (schools.length === 0) return;
    const inSchools = `school_id IN (${schools.map(() => '?').join(',')})`;
    const marks = (n: number) => Array(n).fill('?').join(',');
    const rowsOf = new Map<string, ParsedRow[]>();
    await this.readRows(file, new IssueCollector(0), 'write', (row) => {
      const id = String(row.values[link.owner]);
      const list = rowsOf.get(id);
      if (list) list.push(row);
      else rowsOf.set(id, [row]);
    });
    const ids = [...rowsOf.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const objects = new Map<
        string,
        { school: string; status: string; value: unknown }[]
      >();
      for (const o of (await q(
        `SELECT sourced_id AS id, school_id AS s, status, ${link.column} AS v FROM ${link.table} WHERE ${inSchools} AND sourced_id IN (${marks(chunk.length)})`,
        [...schools, ...chunk],
      )) as { id: string; s: string; status: string; v: unknown }[]) {
        const list = objects.get(String(o.id)) ?? [];
        list.push({
          school: String(o.s),
          status: String(o.status),
          value: o.v === null || o.v === undefined ? null : decodeJson(o.v),
        });
        objects.set(String(o.id), list);
      }
      for (const id of chunk) {
        const rows = rowsOf.get(id) as ParsedRow[];
        const found = objects.get(id) ?? [];
        if (found.length === 0) {
          for (const row of rows)
            this.issues.error(
              `${file}.csv`,
              'unknown_reference',
              `no ${link.ownerFile} record with this sourcedId, in the set or in the school`,
              { line: row.line, column: link.owner, value: id },
            );
          continue;
        }
        const last = rows[rows.length - 1];
        const at = encodeInstant(
          mode === 'delta' ? (last.dateLastModified ?? this.now) : this.now,
        );
        for (const o of found) {
          const was = listOf(o.value);
          let next: unknown[] = mode === 'bulk' ? [] : was;
          for (const row of rows) {
            const l = objectiveLinkOf(row.values);
            next =
              mode === 'bulk' || (row.status ?? 'active') === 'active'
                ? withObjective(file, next, l, mode !== 'bulk').list
                : withoutObjective(file, next, l);
          }
          if (JSON.stringify(next) === JSON.stringify(was)) {
            summary.unchanged += rows.length;
            continue;
          }
          await q(
            `UPDATE ${link.table} SET ${link.column} = ?, date_last_modified = ? WHERE school_id = ? AND sourced_id = ?`,
            [next.length ? JSON.stringify(next) : null, at, o.school, id],
          );
          if (!next.length) summary.deleted += rows.length;
          else if (!was.length) summary.inserted += rows.length;
          else summary.updated += rows.length;
        }
      }
    }
    // Bulk: the objects with a list that no row of the file names lose it.
    if (mode === 'bulk')
      await this.clearUnlinked(
        q,
        link,
        schools,
        (id) => rowsOf.has(id),
        summary,
      );
  }

  /**
   * A bulk link file's last step: in each school, the objects whose link column is set
   * and that the file does not name (`named`) have it cleared (counted as deleted).
   */
  private async clearUnlinked(
    q: Query,
    link: { readonly table: string; readonly column: string },
    schools: readonly string[],
    named: (sourcedId: string) => boolean,
    summary: FileSummary,
  ): Promise<void> {
    const marks = (n: number) => Array(n).fill('?').join(',');
    for (const school of schools) {
      let after = '';
      for (;;) {
        const ids = (
          (await q(
            `SELECT sourced_id AS id FROM ${link.table} WHERE school_id = ? AND ${link.column} IS NOT NULL AND sourced_id > ? ORDER BY sourced_id LIMIT 5000`,
            [school, after],
          )) as { id: string }[]
        ).map((r) => String(r.id));
        if (ids.length === 0) break;
        after = ids[ids.length - 1];
        const gone = ids.filter((id) => !named(id));
        for (let i = 0; i < gone.length; i += 500) {
          const chunk = gone.slice(i, i + 500);
          await q(
            `UPDATE ${link.table} SET ${link.column} = NULL, date_last_modified = ? WHERE school_id = ? AND sourced_id IN (${marks(chunk.length)})`,
            [encodeInstant(this.now), school, ...chunk],
          );
          summary.deleted += chunk.length;
        }
        if (ids.length < 5000) break;
      }
    }
  }

  /**
   * Marks the 1.2 roles of these users tobedeleted (a 1.1 import of the users). Only when
   * the school has active stored roles at all: an UPDATE that changes nothing still takes
   * SQLite's write lock, and an import that changes nothing must write nothing.
   */
  private async retireRoles(
    q: Query,
    school: string,
    users: string[],
  ): Promise<void> {
    if (users.length === 0) return;
    let has = this.activeRoles.get(school);
    if (has === undefined) {
      has =
        (
          await q(
            "SELECT 1 AS x FROM user_roles WHERE school_id = ? AND status = 'active' LIMIT 1",
            [school],
          )
        ).length > 0;
      this.activeRoles.set(school, has);
    }
    if (!has) return;
    await q(
      `UPDATE user_roles SET status = 'tobedeleted', date_last_modified = ? WHERE school_id = ? AND status = 'active' AND user_sourced_id IN (${users.map(() => '?').join(',')})`,
      [encodeInstant(this.now), school, ...users],
    );
  }

  /** Schools known to have (or not) active stored 1.2 roles, during this write. */
  private readonly activeRoles = new Map<string, boolean>();

  /**
   * After the write: the 1.2 roles and profiles of users that are no longer active (deleted
   * by this import, or never imported) are marked tobedeleted too, so none outlives its user.
   * Looked for first, updated only when there is one (no write, no lock, when none).
   */
  protected async retireOrphans(q: Query): Promise<void> {
    if (
      !this.present.has('users') &&
      !this.extraFiles.includes('roles') &&
      !this.extraFiles.includes('userProfiles')
    )
      return;
    for (const table of ['user_roles', 'user_profiles'])
      for (const school of this.targets) {
        const orphan = `${table}.school_id = ? AND ${table}.status = 'active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.school_id = ${table}.school_id AND u.sourced_id = ${table}.user_sourced_id AND u.status = 'active')`;
        const found = await q(
          `SELECT 1 AS x FROM ${table} WHERE ${orphan} LIMIT 1`,
          [school],
        );
        if (found.length === 0) continue;
        await q(
          `UPDATE ${table} SET status = 'tobedeleted', date_last_modified = ? WHERE ${orphan}`,
          [encodeInstant(this.now), school],
        );
      }
  }
}
