import { decodeInstant, decodeJson, encodeInstant } from '@oneroster/database';
import type { CsvValue } from '@oneroster/util-oneroster-csv';
import { columnFromDb, CsvRecordData, TableMap } from './tables';

export type Query = (sql: string, params?: unknown[]) => Promise<unknown[]>;
type Row = Record<string, unknown>;

export const PAGE = 2000;

export interface ReadOptions {
  /** Only records changed after this instant (delta export). */
  since?: Date;
  /** Leave out records marked tobedeleted (bulk export). */
  activeOnly?: boolean;
}

/**
 * The records of one school and one file, in sourcedId order, read a page at a time
 * (keyset paging) with their GUIDRef lists, so memory stays bounded by a page.
 */
export async function* readRecords(
  query: Query,
  map: TableMap,
  schoolId: string,
  options: ReadOptions = {},
): AsyncGenerator<CsvRecordData> {
  const cols = [
    'sourced_id',
    'status',
    'date_last_modified',
    'metadata',
    ...map.columns.map((c) => c.db),
  ];
  const where = ['school_id = ?', 'sourced_id > ?'];
  const extra: unknown[] = [];
  if (options.since) {
    where.push('date_last_modified > ?');
    extra.push(encodeInstant(options.since));
  }
  if (options.activeOnly) where.push("status = 'active'");
  let after = '';
  for (;;) {
    const rows = (await query(
      `SELECT ${cols.join(', ')} FROM ${map.table} WHERE ${where.join(' AND ')} ORDER BY sourced_id LIMIT ${PAGE}`,
      [schoolId, after, ...extra],
    )) as Row[];
    if (rows.length === 0) return;
    const links = await readLinks(
      query,
      map,
      schoolId,
      rows.map((r) => String(r['sourced_id'])),
    );
    for (const r of rows) {
      const id = String(r['sourced_id']);
      const values: Record<string, CsvValue> = {};
      for (const c of map.columns) columnFromDb(c, r[c.db], values);
      for (const l of map.links)
        values[l.csv] = links.get(`${l.csv}\u0000${id}`) ?? [];
      const meta = r['metadata'];
      yield {
        sourcedId: id,
        status: r['status'] === 'tobedeleted' ? 'tobedeleted' : 'active',
        dateLastModified: decodeInstant(r['date_last_modified']),
        values,
        metadata:
          meta === null || meta === undefined
            ? null
            : decodeJson<Record<string, unknown>>(meta),
      };
    }
    after = String(rows[rows.length - 1]['sourced_id']);
    if (rows.length < PAGE) return;
  }
}

async function readLinks(
  query: Query,
  map: TableMap,
  schoolId: string,
  ids: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const l of map.links) {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = (await query(
        `SELECT ${l.owner} AS o, ${l.target} AS t FROM ${l.table} WHERE school_id = ? AND ${l.owner} IN (${chunk.map(() => '?').join(',')}) ORDER BY ${l.owner}, position`,
        [schoolId, ...chunk],
      )) as Row[];
      for (const r of rows) {
        const key = `${l.csv}\u0000${String(r['o'])}`;
        const list = out.get(key);
        if (list) list.push(String(r['t']));
        else out.set(key, [String(r['t'])]);
      }
    }
  }
  return out;
}
