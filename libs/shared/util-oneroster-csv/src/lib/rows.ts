import {
  CSV_COLUMNS,
  CSV_FILES,
  ColumnKind,
  ColumnSpec,
  CsvFile,
  METADATA_PREFIX,
} from './binding';
import { V1P2_EXTENSION_VALUE } from '@oneroster/contracts';
import type { V1p2CsvFile } from './binding-v1p2';
import type { CsvRecord } from './parser';
import type { FileMode, IssueCollector } from './report';

/**
 * Header and row validation of one data file (§8.1, §8.2, §8.4):
 * - headers are unique; a column that is neither a 1.1 column nor a `metadata.<name>`
 *   extension is an error (its data would be lost or misread); a missing required column
 *   is an error, a missing optional one a warning; columns out of the defined order are
 *   read by name, with a warning;
 * - values: enumerations, `YYYY-MM-DD` dates that exist in the calendar, `YYYY` years,
 *   ISO 8601 date-times with a time zone, `true|false` booleans, numbers, lists as
 *   comma-separated values, userIds as `{type:identifier}` items;
 * - delta rows need `status` (`active|tobedeleted`) and `dateLastModified`; bulk rows
 *   should leave them blank and any value there is ignored (one warning per file).
 *
 * Liberal in what real exports write (docs/csv.md, "Accepted variants"), each normalised
 * and reported as a warning, once per file and column with a count: headers in another
 * case or with surrounding spaces; empty columns and fields after the last header;
 * rows of empty fields; booleans `TRUE`/`False`/`1`/`0`; vocabulary values in another
 * case or spacing (`Scheduled`, `fully_graded`); schoolYear `2026-2027` or `2026-27` (the
 * ending year, as §5.2 defines it); dates with a midnight UTC time part. What cannot be
 * read one way only (another time of day, `yes`, `2026-2028`) stays an error. The exact
 * form is always tried first, so a conforming file pays nothing for this.
 */

export interface UserIdValue {
  type: string;
  identifier: string;
}
/** One item of a 1.2 `pairs` column: the nested object's two fields (ScoreScaleValueDType). */
export type PairValue = Record<string, string>;
export type CsvValue =
  string | number | boolean | string[] | UserIdValue[] | PairValue[] | null;

export interface ParsedRow {
  line: number;
  sourcedId: string;
  /** null in bulk mode (the importer decides). */
  status: 'active' | 'tobedeleted' | null;
  dateLastModified: Date | null;
  /** By column name, for every defined column except the three base ones. */
  values: Record<string, CsvValue>;
  metadata: Record<string, string> | null;
}

/** A data file of either binding (the 1.1 names are 1.2 names too). */
export type AnyCsvFile = CsvFile | V1p2CsvFile;

/** Which binding's columns a file is read with (1.1 unless said otherwise). */
export interface HeaderBinding {
  version: '1.1' | '1.2';
  columns: readonly ColumnSpec[];
}

export interface FileHeader {
  file: AnyCsvFile;
  /** Index of each defined column in the file, -1 when missing. */
  index: Record<string, number>;
  /** The defined columns in CSV_COLUMNS order, with where each is in the file. */
  columns: HeaderColumn[];
  metadata: [string, number][];
  /** Fields up to the last named header; empty columns after it are ignored. */
  width: number;
  /** Fields of the header row, its empty trailing columns included. */
  written: number;
  ok: boolean;
}

/**
 * A defined column of a file as rows are read: its spec with every property present (one
 * object shape for all columns, which keeps the per-value checks fast) and its index in
 * the file, -1 when missing.
 */
export interface HeaderColumn {
  name: string;
  kind: ColumnKind;
  required: boolean;
  values: readonly string[] | undefined;
  extensible: boolean;
  /** The two field names of a `pairs` column's items. */
  keys: readonly string[] | undefined;
  position: number;
}

const headerColumn = (c: ColumnSpec, position: number): HeaderColumn => ({
  name: c.name,
  kind: c.kind,
  required: c.required ?? false,
  values: c.values,
  extensible: c.extensible ?? false,
  keys: c.keys,
  position,
});

const FILE_NAMES = Object.fromEntries(
  CSV_FILES.map((f) => [f, `${f}.csv`]),
) as Record<CsvFile, string>;
const fileName = (file: AnyCsvFile) =>
  FILE_NAMES[file as CsvFile] ?? `${file}.csv`;

export function readHeader(
  file: AnyCsvFile,
  record: CsvRecord | undefined,
  issues: IssueCollector,
  binding?: HeaderBinding,
): FileHeader {
  const f = fileName(file);
  const columns = binding?.columns ?? CSV_COLUMNS[file as CsvFile];
  const version = binding?.version ?? '1.1';
  const index: Record<string, number> = {};
  const metadata: [string, number][] = [];
  let ok = true;
  if (!record) {
    issues.error(f, 'empty_file', 'the file has no header row');
    return {
      file,
      index,
      columns: [],
      metadata,
      width: 0,
      written: 0,
      ok: false,
    };
  }
  const seen = new Set<string>();
  let width = record.fields.length;
  while (width > 0 && record.fields[width - 1].trim() === '') width--;
  if (width < record.fields.length)
    issues.warning(
      f,
      'trailing_columns',
      `${record.fields.length - width} empty column(s) after the last header (as spreadsheets save them) are ignored`,
      { line: record.line },
    );
  record.fields.slice(0, width).forEach((written, i) => {
    let name = written;
    if (!columns.some((c) => c.name === name) && !isMetadataName(name)) {
      const loose = looseHeader(columns, written);
      if (loose !== undefined) {
        name = loose;
        issues.warning(
          f,
          'header_normalised',
          `read as ${loose} (${version} headers are written exactly, in this case, without spaces)`,
          { line: record.line, column: loose, value: written },
        );
      }
    }
    if (seen.has(name)) {
      issues.error(f, 'duplicate_header', 'header names must be unique', {
        line: record.line,
        column: name,
      });
      ok = false;
    }
    seen.add(name);
    if (isMetadataName(name))
      metadata.push([name.slice(METADATA_PREFIX.length), i]);
    else if (columns.some((c) => c.name === name)) index[name] = i;
    else {
      issues.error(
        f,
        'unknown_header',
        `not a OneRoster ${version} column of ${f}; extensions must be named metadata.<name>`,
        { line: record.line, column: name },
      );
      ok = false;
    }
  });
  for (const c of columns)
    if (index[c.name] === undefined) {
      index[c.name] = -1;
      if (c.required || c.kind === 'id') {
        issues.error(f, 'missing_header', 'required column is missing', {
          line: record.line,
          column: c.name,
        });
        ok = false;
      } else
        issues.warning(
          f,
          'missing_header',
          'column is missing (read as blank)',
          {
            line: record.line,
            column: c.name,
          },
        );
    }
  const present = columns.filter((c) => index[c.name] >= 0);
  const inOrder =
    present.every(
      (c, i) => i === 0 || index[c.name] > index[present[i - 1].name],
    ) && metadata.every(([, i]) => present.every((c) => index[c.name] < i));
  if (!inOrder)
    issues.warning(
      f,
      'header_order',
      `columns are not in the ${version} order (${columns.map((c) => c.name).join(',')}); read by name`,
      { line: record.line },
    );
  return {
    file,
    index,
    columns: columns.map((c) => headerColumn(c, index[c.name])),
    metadata,
    width,
    written: record.fields.length,
    ok,
  };
}

const isMetadataName = (name: string) =>
  name.startsWith(METADATA_PREFIX) && name.length > METADATA_PREFIX.length;

/** Each file's column names by their lower-case form, for headers written in another case. */
const LOOSE_HEADERS = new WeakMap<readonly ColumnSpec[], Map<string, string>>();

/**
 * The header a loosely written one stands for: trimmed, and the 1.1 column of that name in
 * another case (`Role`, ` givenName `, `METADATA.x` → `metadata.x`); undefined when none.
 */
function looseHeader(
  columns: readonly ColumnSpec[],
  written: string,
): string | undefined {
  const trimmed = written.trim();
  const lower = trimmed.toLowerCase();
  if (
    lower.startsWith(METADATA_PREFIX) &&
    lower.length > METADATA_PREFIX.length
  )
    return METADATA_PREFIX + trimmed.slice(METADATA_PREFIX.length);
  let names = LOOSE_HEADERS.get(columns);
  if (!names) {
    names = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
    LOOSE_HEADERS.set(columns, names);
  }
  return names.get(lower);
}

/** The characters of a sourcedId (§8.1: 0-9 a-z A-Z . - _ / @), by character code. */
const GUID_CHARS = new Uint8Array(128);
for (const c of '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-/@')
  GUID_CHARS[c.charCodeAt(0)] = 1;

/** A non-empty sourcedId made of GUID_CHARS only (its length is checked apart). */
export function isGuid(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || GUID_CHARS[c] === 0) return false;
  }
  return true;
}

const STATUSES: readonly string[] = ['active', 'tobedeleted'];

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const USER_ID = /^\{([^:{}]+):([^{}]*)\}$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of the ASCII digits text[from … to), or -1 when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** `YYYY-MM-DD` (ASCII digits) naming a day that exists, 29 February in leap years only. */
export function isCalendarDate(text: string): boolean {
  if (
    text.length !== 10 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45
  )
    return false;
  const y = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (y < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]);
}

/** An ISO 8601 date-time with a time zone (§5: DateTime MUST contain the UTC zone). */
export function parseDateTime(text: string): Date | null {
  const m = DATETIME.exec(text);
  if (!m || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t);
}

/** A comma-separated list, items trimmed, blank items left out. */
export function splitList(text: string): string[] {
  if (text.indexOf(',') < 0) {
    // One item (most lists): no intermediate arrays.
    const item = text.trim();
    return item === '' ? [] : [item];
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface RowContext {
  file: AnyCsvFile;
  mode: Exclude<FileMode, 'absent'>;
  header: FileHeader;
  issues: IssueCollector;
  /** Counts bulk rows carrying status/dateLastModified (reported once per file). */
  bulkFilled: { count: number; firstLine: number };
  /** Values read in a normalised form, by column and kind (reported once per file). */
  notes?: Map<string, Normalised>;
}

/** The first value of a column that was read in a normalised form, and how many were. */
interface Normalised {
  code: string;
  column?: string;
  line: number;
  written: string;
  read: string;
  count: number;
}

/** Where a row's problems are reported: its file and line. */
interface RowSite {
  issues: IssueCollector;
  file: string;
  line: number;
  ctx: RowContext;
}

/** Notes a value read in a normalised form (the unusual path only). */
function normalised(
  at: RowSite,
  code: string,
  column: string | undefined,
  written: string,
  read: string,
): void {
  const notes = (at.ctx.notes ??= new Map());
  const key = `${column ?? ''}\u0000${code}`;
  const n = notes.get(key);
  if (n) n.count++;
  else notes.set(key, { code, column, line: at.line, written, read, count: 1 });
}

const NORMALISED_TEXT: Record<string, (read: string) => string> = {
  normalised_boolean: (r) =>
    `read as ${r} (booleans are written true or false)`,
  normalised_value: (r) =>
    `read as ${r} (1.1 vocabulary values are written exactly, in this case)`,
  normalised_school_year: (r) =>
    `read as ${r}, the year the school year ends (1.1 schoolYear is YYYY)`,
  normalised_date: (r) => `read as ${r} (a date is YYYY-MM-DD, without a time)`,
  trailing_fields: () =>
    'empty fields after the last column (as spreadsheets save them) are ignored',
  blank_row: () =>
    'a row of empty fields (as spreadsheets save them) is skipped',
};

/** The booleans other systems write that have one reading only: any case of true/false, 1, 0. */
function looseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** Each vocabulary's values by a loose key; null where two values share one (ambiguous). */
const LOOSE_VALUES = new WeakMap<
  readonly string[],
  Map<string, string | null>
>();
const looseKey = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * The vocabulary value a loosely written one stands for: the same letters in another case,
 * spaces, `_` and `-` aside (`Student`, `fully_graded`, `To Be Deleted`); undefined when
 * none, or more than one, matches.
 */
function looseValue(
  values: readonly string[],
  text: string,
): string | undefined {
  let byKey = LOOSE_VALUES.get(values);
  if (!byKey) {
    byKey = new Map();
    for (const v of values) {
      const k = looseKey(v);
      byKey.set(k, byKey.has(k) ? null : v);
    }
    LOOSE_VALUES.set(values, byKey);
  }
  return byKey.get(looseKey(text)) ?? undefined;
}

const SCHOOL_YEAR_SPAN = /^(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})$/;

/**
 * A school year written as its span (`2026-2027`, `2026/27`) or padded with spaces, as
 * its ending year (§5.2: "should include the school year end"); undefined unless the two
 * years follow each other.
 */
function looseSchoolYear(text: string): string | undefined {
  const t = text.trim();
  if (t.length === 4 && digits(t, 0, 4) >= 0) return t;
  const m = SCHOOL_YEAR_SPAN.exec(t);
  if (!m) return undefined;
  const start = Number(m[1]);
  let end = Number(m[2]);
  if (m[2].length === 2) {
    end += start - (start % 100);
    if (end <= start) end += 100;
  }
  return end === start + 1 ? String(end) : undefined;
}

const MIDNIGHT_DATE =
  /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/;

/**
 * A date written with a midnight UTC (or zoneless) time part, or padded with spaces, as
 * the date. Another time of day is not read: the day it falls on depends on a time zone
 * (a local midnight written in UTC lands on the day before).
 */
function looseDate(text: string): string | undefined {
  const m = MIDNIGHT_DATE.exec(text.trim());
  return m && isCalendarDate(m[1]) ? m[1] : undefined;
}

function fail(
  at: RowSite,
  code: string,
  message: string,
  column?: string,
  value?: string,
): void {
  at.issues.error(at.file, code, message, {
    line: at.line,
    ...(column ? { column } : {}),
    ...(value !== undefined ? { value } : {}),
  });
}

/**
 * Validates one data row; null when it has an error (already reported). A row fails when
 * any error was reported while reading it, so the checks below only report.
 */
export function readRow(ctx: RowContext, record: CsvRecord): ParsedRow | null {
  const { file, header, issues } = ctx;
  const fields = record.fields;
  const line = record.line;
  const at: RowSite = { issues, file: fileName(file), line, ctx };
  const errorsBefore = issues.errorCount;
  if (fields[0] === '' && !record.problem && fields.every((v) => v === '')) {
    // No sourcedId, no value: nothing to read (spreadsheets save empty rows like this).
    normalised(at, 'blank_row', undefined, fields.join(','), '');
    return null;
  }
  if (record.problem) fail(at, 'csv_syntax', record.problem);
  if (fields.length !== header.width && !emptyAfterWidth(at, fields))
    fail(
      at,
      'field_count',
      `the row has ${fields.length} fields, the header ${header.width}`,
    );
  const columns = header.columns;
  const bulk = ctx.mode === 'bulk';
  let sourcedId = '';
  let status: ParsedRow['status'] = null;
  let dateLastModified: Date | null = null;
  const values: Record<string, CsvValue> = {};
  let filled = false;
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c];
    const i = col.position;
    const text = i >= 0 ? (fields[i] ?? '') : '';
    const v = readValue(col, text, ctx.mode, at);
    if (col.kind === 'id') sourcedId = text;
    else if (col.kind === 'status') {
      if (bulk) {
        if (text !== '') filled = true;
      } else status = v as ParsedRow['status'];
    } else if (col.kind === 'dateLastModified') {
      if (bulk) {
        if (text !== '') filled = true;
      } else dateLastModified = v as Date | null;
    } else values[col.name] = v as CsvValue;
  }
  if (filled) noteBulkFilled(ctx, line);
  let metadata: Record<string, string> | null = null;
  for (const [name, i] of header.metadata) {
    const text = fields[i] ?? '';
    if (text !== '') (metadata ??= {})[name] = text;
  }
  return issues.errorCount === errorsBefore
    ? { line, sourcedId, status, dateLastModified, values, metadata }
    : null;
}

/** A row longer than the header whose extra fields are all empty: read without them. */
function emptyAfterWidth(at: RowSite, fields: string[]): boolean {
  const { width, written } = at.ctx.header;
  if (fields.length < width) return false;
  for (let i = width; i < fields.length; i++)
    if (fields[i] !== '') return false;
  // Up to the header's own empty columns, already reported with the header.
  if (fields.length > written)
    normalised(at, 'trailing_fields', undefined, '', '');
  return true;
}

function noteBulkFilled(ctx: RowContext, line: number) {
  if (ctx.bulkFilled.count++ === 0) ctx.bulkFilled.firstLine = line;
}

/**
 * Reported after the file: bulk rows carrying status/dateLastModified (§8.2), and the
 * values read in a normalised form, one warning per column and kind with the first one's
 * line and value.
 */
export function reportFileNotes(ctx: RowContext): void {
  reportBulkFilled(ctx);
  for (const n of ctx.notes?.values() ?? [])
    ctx.issues.warning(
      fileName(ctx.file),
      n.code,
      NORMALISED_TEXT[n.code](n.read) +
        (n.count > 1 ? `; ${n.count} in this file, the first here` : ''),
      {
        line: n.line,
        ...(n.column ? { column: n.column } : {}),
        ...(n.written !== '' ? { value: n.written } : {}),
      },
    );
}

/** Reported after the file: bulk rows carrying status/dateLastModified (§8.2). */
export function reportBulkFilled(ctx: RowContext): void {
  if (ctx.bulkFilled.count > 0)
    ctx.issues.warning(
      fileName(ctx.file),
      'bulk_status_filled',
      `${ctx.bulkFilled.count} bulk row(s) carry status or dateLastModified, which bulk files leave blank; the values were ignored`,
      { line: ctx.bulkFilled.firstLine },
    );
}

function readValue(
  col: HeaderColumn,
  text: string,
  mode: 'bulk' | 'delta',
  at: RowSite,
): CsvValue | Date {
  const name = col.name;
  if (text === '') {
    const requiredHere =
      col.kind === 'id' ||
      col.required ||
      (mode === 'delta' &&
        (col.kind === 'status' || col.kind === 'dateLastModified'));
    if (requiredHere) fail(at, 'required', 'a value is required', name, text);
    return col.kind === 'refs' ||
      col.kind === 'list' ||
      col.kind === 'userIds' ||
      col.kind === 'pairs'
      ? []
      : null;
  }
  switch (col.kind) {
    case 'id':
    case 'ref':
      if (text.length > 255)
        fail(
          at,
          'bad_id',
          'a sourcedId is shorter than 256 characters',
          name,
          text,
        );
      else if (!isGuid(text))
        fail(
          at,
          'bad_id',
          'a sourcedId uses only 0-9 a-z A-Z . - _ / @',
          name,
          text,
        );
      return text;
    case 'status':
      if (mode === 'bulk') return null;
      if (text === 'active' || text === 'tobedeleted') return text;
      return looseStatus(text, at);
    case 'dateLastModified': {
      if (mode === 'bulk') return null;
      const d = parseDateTime(text);
      if (!d)
        fail(
          at,
          'bad_datetime',
          'must be an ISO 8601 date-time in UTC, e.g. 2026-09-01T08:00:00.000Z',
          name,
          text,
        );
      return d;
    }
    case 'string':
      return text;
    case 'enum':
      return col.values?.includes(text) ? text : looseEnum(col, text, at);
    case 'date':
      return isCalendarDate(text) ? text : readLooseDate(name, text, at);
    case 'dateOrDateTime':
      if (isCalendarDate(text)) return text;
      {
        const instant = parseDateTime(text);
        if (instant) return instant.toISOString();
      }
      fail(at, 'bad_date', 'must be a date YYYY-MM-DD', name, text);
      return text;
    case 'year':
      return text.length === 4 && digits(text, 0, 4) >= 0
        ? text
        : readLooseYear(name, text, at);
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      return readLooseBoolean(name, text, at);
    case 'float':
      if (!NUMBER.test(text))
        fail(at, 'bad_number', 'must be a number', name, text);
      return Number(text);
    case 'refs': {
      const ids = splitList(text);
      for (const id of ids)
        if (!isGuid(id) || id.length > 255)
          fail(
            at,
            'bad_id',
            'a sourcedId uses only 0-9 a-z A-Z . - _ / @',
            name,
            id,
          );
      if (ids.length > 1 && new Set(ids).size !== ids.length)
        fail(
          at,
          'duplicate_reference',
          'the list names a record twice',
          name,
          text,
        );
      if (col.required && ids.length === 0)
        fail(at, 'required', 'at least one sourcedId is required', name, text);
      return ids;
    }
    case 'list': {
      const items = splitList(text);
      if (col.values)
        for (let k = 0; k < items.length; k++)
          if (!col.values.includes(items[k]))
            items[k] = looseListItem(col, items[k], at);
      return items;
    }
    case 'userIds': {
      const items: UserIdValue[] = [];
      for (const part of text.split(/,(?=\{)/)) {
        const m = USER_ID.exec(part.trim());
        if (!m) {
          fail(
            at,
            'bad_user_ids',
            'userIds are {type:identifier} items separated by commas',
            name,
            text,
          );
          return [];
        }
        items.push({ type: m[1], identifier: m[2] });
      }
      return items;
    }
    case 'pairs':
      return readPairs(col, text, at);
  }
}

/**
 * A 1.2 `pairs` value (scoreScales.csv scoreScaleValue): `{first:second}` items separated by
 * commas, as userIds are; the first `:` of an item ends its first value, so the second may
 * hold `:` and `,` (`{A:Excellent, well done}`). Each value is trimmed and must not be
 * empty (ScoreScaleValueDType requires both).
 */
function readPairs(col: HeaderColumn, text: string, at: RowSite): CsvValue {
  const [a, b] = col.keys ?? ['first', 'second'];
  const items: PairValue[] = [];
  for (const part of text.split(/,(?=\s*\{)/)) {
    const item = part.trim();
    const colon = item.indexOf(':');
    const first = colon > 0 ? item.slice(1, colon).trim() : '';
    const second = colon > 0 ? item.slice(colon + 1, -1).trim() : '';
    if (
      !item.startsWith('{') ||
      !item.endsWith('}') ||
      first === '' ||
      second === ''
    ) {
      fail(
        at,
        'bad_pairs',
        `${col.name} is {${a}:${b}} items separated by commas, each value non-empty`,
        col.name,
        text,
      );
      return [];
    }
    items.push({ [a]: first, [b]: second });
  }
  return items;
}

// The unusual paths of readValue, apart so that its common path stays small (and inlined).

function looseStatus(text: string, at: RowSite): CsvValue {
  const v = looseValue(STATUSES, text);
  if (v) {
    normalised(at, 'normalised_value', 'status', text, v);
    return v;
  }
  fail(at, 'bad_enum', 'must be active or tobedeleted', 'status', text);
  return null;
}

function looseEnum(col: HeaderColumn, text: string, at: RowSite): CsvValue {
  if (col.extensible && V1P2_EXTENSION_VALUE.test(text)) return text;
  const values = col.values ?? [];
  const v = looseValue(values, text);
  if (v) {
    normalised(at, 'normalised_value', col.name, text, v);
    return v;
  }
  fail(
    at,
    'bad_enum',
    `must be one of: ${values.join(', ')}${col.extensible ? ' (or ext:<name>)' : ''}`,
    col.name,
    text,
  );
  return text;
}

function looseListItem(col: HeaderColumn, item: string, at: RowSite): string {
  if (col.extensible && V1P2_EXTENSION_VALUE.test(item)) return item;
  const values = col.values ?? [];
  const v = looseValue(values, item);
  if (v) {
    normalised(at, 'normalised_value', col.name, item, v);
    return v;
  }
  fail(
    at,
    'bad_enum',
    `each value must be one of: ${values.join(', ')}`,
    col.name,
    item,
  );
  return item;
}

function readLooseDate(name: string, text: string, at: RowSite): CsvValue {
  const d = looseDate(text);
  if (d) {
    normalised(at, 'normalised_date', name, text, d);
    return d;
  }
  fail(
    at,
    'bad_date',
    /^\s*\d{4}-\d{2}-\d{2}[T ]/.test(text)
      ? 'must be a date YYYY-MM-DD; a time other than midnight UTC is not read, as its day depends on the time zone'
      : 'must be a date YYYY-MM-DD',
    name,
    text,
  );
  return text;
}

function readLooseYear(name: string, text: string, at: RowSite): CsvValue {
  const y = looseSchoolYear(text);
  if (y) {
    normalised(at, 'normalised_school_year', name, text, y);
    return y;
  }
  fail(
    at,
    'bad_year',
    'must be a year YYYY (the year the school year ends; 2026-2027 is read as 2027)',
    name,
    text,
  );
  return text;
}

function readLooseBoolean(name: string, text: string, at: RowSite): CsvValue {
  const b = looseBoolean(text);
  if (b !== undefined) {
    normalised(at, 'normalised_boolean', name, text, String(b));
    return b;
  }
  fail(
    at,
    'bad_boolean',
    'must be true or false (TRUE, False, 1 and 0 are read too)',
    name,
    text,
  );
  return null;
}
