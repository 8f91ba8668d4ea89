import type { CsvFile } from '@oneroster/util-oneroster-csv';
import { DEPENDENCY_ORDER } from '@oneroster/util-oneroster-csv';
import { TABLE_MAPS } from '../tables';
import { ScanStep } from './scan';

/*
 * Step 3, references not in the set:
 * - each must exist in the database, else `unknown_reference` at its first site, naming
 *   the class it points to;
 * - imported into one school, only that school's records count (another school's ids read
 *   exactly as ids that exist nowhere); splitting a district set, any school's do;
 * - the schools already holding a copy of each such record, and of each record of a delta
 *   file, are noted: those copies are kept up to date too.
 */
export abstract class ReferenceStep extends ScanStep {
  /** References not in the set must exist in the database ("exists nowhere" otherwise). */
  protected async resolveMissing(): Promise<void> {
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

  protected async lookupOwners(
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
}
