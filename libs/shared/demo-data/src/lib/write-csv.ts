import {
  createWriteStream,
  mkdirSync,
  writeFileSync,
  WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { UserId } from '@oneroster/contracts';
import {
  classOfCsvFile,
  csvFields,
  type FieldDef,
} from '@oneroster/oneroster-catalogue';
import { DATASET_KEYS, type DatasetKey, type SchoolDataset } from './dataset';
import { generateTrust } from './generate';
import type { TrustPlan } from './plan';
import {
  CSV_FILES,
  CSV_HEADERS,
  CsvCell,
  CsvFile,
  csvField,
  csvLine,
} from '@oneroster/util-oneroster-csv';

/**
 * Writes the trust as a OneRoster 1.1 bulk CSV set (CSV binding §8): manifest.csv and one
 * file per non-empty type, exact 1.1 headers in order (the columns of each row are the
 * catalogue's, @oneroster/oneroster-catalogue), RFC 4180 quoting, UTF-8, no
 * status/dateLastModified values (bulk). Records the trust shares (the trust org, the
 * calendar) are written once. Schools are generated and written one at a time.
 */

// The header definitions and RFC 4180 writing are the CSV binding's own (one spelling of
// every header in the workspace).
export { CSV_FILES, CSV_HEADERS, csvField, csvLine };
export type { CsvFile };

type Cell = CsvCell;
type Row = Record<string, unknown>;

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** The dataset rows of each link table the CSV files read GUIDRef lists from. */
const LINK_ROWS: Record<string, DatasetKey> = {
  class_terms: 'classTerms',
  user_orgs: 'userOrgs',
  user_agents: 'userAgents',
};

/** The dataset keys that are CSV files, in dataset (dependency) order. */
const FILES_IN_ORDER = DATASET_KEYS.filter((k): k is DatasetKey & CsvFile =>
  (CSV_FILES as readonly string[]).includes(k),
);

/** Each link table's element sourcedIds by owner, in `position` order. */
function linkLists(data: SchoolDataset): Map<string, Map<string, string[]>> {
  const lists = new Map<string, Map<string, string[]>>();
  for (const file of FILES_IN_ORDER)
    for (const f of csvFields(classOfCsvFile(file))) {
      const s = f.store;
      if (s.kind !== 'link' || lists.has(s.table)) continue;
      const m = new Map<string, string[]>();
      const rows = (data[LINK_ROWS[s.table]] as unknown as Row[])
        .slice()
        .sort((x, y) => Number(x['position']) - Number(y['position']));
      for (const r of rows) {
        const owner = String(r[s.ownerProperty]);
        const list = m.get(owner);
        if (list) list.push(String(r[s.valueProperty]));
        else m.set(owner, [String(r[s.valueProperty])]);
      }
      lists.set(s.table, m);
    }
  return lists;
}

/**
 * One cell of a bulk row, for the catalogue field it carries: status and dateLastModified
 * blank, GUIDRef lists from their link tables, UserIds as `{type:identifier}` (§8.1), and
 * lineItems' dates as the Date the CSV binding has (§5.9).
 */
function cell(
  f: FieldDef,
  row: Row,
  lists: Map<string, Map<string, string[]>>,
): Cell {
  if (f.name === 'status' || f.name === 'dateLastModified') return '';
  const s = f.store;
  if (s.kind === 'link')
    return lists.get(s.table)?.get(String(row['sourcedId'])) ?? null;
  if (s.kind !== 'column') return null;
  const v = row[s.property];
  if (v === null || v === undefined) return null;
  if (f.type === 'userId')
    return (v as UserId[]).map((u) => `{${u.type}:${u.identifier}}`);
  if (f.type === 'dateTime') return dateOnly(v as Date);
  return v as Cell;
}

/** The CSV rows of one school's dataset, per file, in bulk form (blank status and dateLastModified). */
export function* schoolCsvRows(
  data: SchoolDataset,
): Generator<[CsvFile, Cell[]]> {
  const lists = linkLists(data);
  for (const file of FILES_IN_ORDER) {
    const fields = csvFields(classOfCsvFile(file));
    for (const row of data[file] as unknown as Row[])
      yield [file, fields.map((f) => cell(f, row, lists))];
  }
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function writeTrustCsv(
  plan: TrustPlan,
  dir: string,
  onProgress?: (schoolsDone: number, schoolsTotal: number) => void,
): Promise<Record<CsvFile, number>> {
  mkdirSync(dir, { recursive: true });
  const streams = new Map<CsvFile, WriteStream>();
  const counts = Object.fromEntries(CSV_FILES.map((f) => [f, 0])) as Record<
    CsvFile,
    number
  >;
  const shared = new Set<string>();
  let done = 0;
  for (const { data } of generateTrust(plan)) {
    for (const [file, cells] of schoolCsvRows(data)) {
      // The trust org and the calendar are in every school's data: write them once.
      if (file === 'orgs' || file === 'academicSessions') {
        const key = `${file}:${cells[0]}`;
        if (shared.has(key)) continue;
        shared.add(key);
      }
      let stream = streams.get(file);
      if (!stream) {
        stream = createWriteStream(join(dir, `${file}.csv`), 'utf8');
        streams.set(file, stream);
        await write(stream, csvLine(CSV_HEADERS[file]));
      }
      await write(stream, csvLine(cells));
      counts[file]++;
    }
    onProgress?.(++done, plan.schools.length);
  }
  await Promise.all(
    [...streams.values()].map(
      (s) =>
        new Promise<void>((resolve, reject) =>
          s.end((err?: Error | null) => (err ? reject(err) : resolve())),
        ),
    ),
  );
  const manifest = [
    ['propertyName', 'value'],
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.1'],
    ...CSV_FILES.map((f) => [`file.${f}`, counts[f] > 0 ? 'bulk' : 'absent']),
    ['source.systemName', 'OneRoster Exchange demo generator'],
    ['source.systemCode', `seed-${plan.seed}`],
  ];
  writeFileSync(
    join(dir, 'manifest.csv'),
    manifest.map((r) => csvLine(r)).join(''),
  );
  return counts;
}
