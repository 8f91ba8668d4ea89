import {
  CSV_COLUMNS,
  CSV_FILES,
  ColumnKind,
  ColumnSpec,
  CsvFile,
  METADATA_PREFIX,
} from './binding';
import type { CsvRecord } from './parser';
import type { FileMode, IssueCollector } from './report';

/**
 * Header and row validation of one data file (§8.1, §8.2, §8.4):
 * - headers are case-sensitive and unique; a column that is neither a 1.1 column nor a
 *   `metadata.<name>` extension is an error (its data would be lost or misread); a missing
 *   required column is an error, a missing optional one a warning; columns out of the
 *   defined order are read by name, with a warning;
 * - values: enumerations, `YYYY-MM-DD` dates that exist in the calendar, `YYYY` years,
 *   ISO 8601 date-times with a time zone, `true|false` booleans, numbers, lists as
 *   comma-separated values, userIds as `{type:identifier}` items;
 * - delta rows need `status` (`active|tobedeleted`) and `dateLastModified`; bulk rows
 *   should leave them blank and any value there is ignored (one warning per file).
 */

export interface UserIdValue {
  type: string;
  identifier: string;
}
export type CsvValue =
  string | number | boolean | string[] | UserIdValue[] | null;

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

export interface FileHeader {
  file: CsvFile;
  /** Index of each defined column in the file, -1 when missing. */
  index: Record<string, number>;
  /** The defined columns in CSV_COLUMNS order, with where each is in the file. */
  columns: HeaderColumn[];
  metadata: [string, number][];
  width: number;
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
  position: number;
}

const headerColumn = (c: ColumnSpec, position: number): HeaderColumn => ({
  name: c.name,
  kind: c.kind,
  required: c.required ?? false,
  values: c.values,
  position,
});

const FILE_NAMES = Object.fromEntries(
  CSV_FILES.map((f) => [f, `${f}.csv`]),
) as Record<CsvFile, string>;
const fileName = (file: CsvFile) => FILE_NAMES[file];

export function readHeader(
  file: CsvFile,
  record: CsvRecord | undefined,
  issues: IssueCollector,
): FileHeader {
  const f = fileName(file);
  const columns = CSV_COLUMNS[file];
  const index: Record<string, number> = {};
  const metadata: [string, number][] = [];
  let ok = true;
  if (!record) {
    issues.error(f, 'empty_file', 'the file has no header row');
    return { file, index, columns: [], metadata, width: 0, ok: false };
  }
  const seen = new Set<string>();
  record.fields.forEach((name, i) => {
    if (seen.has(name)) {
      issues.error(f, 'duplicate_header', 'header names must be unique', {
        line: record.line,
        column: name,
      });
      ok = false;
    }
    seen.add(name);
    if (
      name.startsWith(METADATA_PREFIX) &&
      name.length > METADATA_PREFIX.length
    )
      metadata.push([name.slice(METADATA_PREFIX.length), i]);
    else if (columns.some((c) => c.name === name)) index[name] = i;
    else {
      const hint = columns.find(
        (c) => c.name.toLowerCase() === name.toLowerCase(),
      );
      issues.error(
        f,
        'unknown_header',
        hint
          ? `unknown column; headers are case-sensitive: did you mean ${hint.name}?`
          : `not a OneRoster 1.1 column of ${f}; extensions must be named metadata.<name>`,
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
      `columns are not in the 1.1 order (${columns.map((c) => c.name).join(',')}); read by name`,
      { line: record.line },
    );
  return {
    file,
    index,
    columns: columns.map((c) => headerColumn(c, index[c.name])),
    metadata,
    width: record.fields.length,
    ok,
  };
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
  file: CsvFile;
  mode: Exclude<FileMode, 'absent'>;
  header: FileHeader;
  issues: IssueCollector;
  /** Counts bulk rows carrying status/dateLastModified (reported once per file). */
  bulkFilled: { count: number; firstLine: number };
}

/** Where a row's problems are reported: its file and line. */
interface RowSite {
  issues: IssueCollector;
  file: string;
  line: number;
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
  const at: RowSite = { issues, file: fileName(file), line };
  const errorsBefore = issues.errorCount;
  if (record.problem) fail(at, 'csv_syntax', record.problem);
  if (fields.length !== header.width)
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

function noteBulkFilled(ctx: RowContext, line: number) {
  if (ctx.bulkFilled.count++ === 0) ctx.bulkFilled.firstLine = line;
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
    return col.kind === 'refs' || col.kind === 'list' || col.kind === 'userIds'
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
      fail(at, 'bad_enum', 'must be active or tobedeleted', name, text);
      return null;
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
      if (!col.values?.includes(text))
        fail(
          at,
          'bad_enum',
          `must be one of: ${col.values?.join(', ')}`,
          name,
          text,
        );
      return text;
    case 'date':
      if (!isCalendarDate(text))
        fail(at, 'bad_date', 'must be a date YYYY-MM-DD', name, text);
      return text;
    case 'dateOrDateTime':
      if (isCalendarDate(text)) return text;
      {
        const instant = parseDateTime(text);
        if (instant) return instant.toISOString();
      }
      fail(at, 'bad_date', 'must be a date YYYY-MM-DD', name, text);
      return text;
    case 'year':
      if (!/^\d{4}$/.test(text))
        fail(at, 'bad_year', 'must be a year YYYY', name, text);
      return text;
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      fail(at, 'bad_boolean', 'must be true or false', name, text);
      return null;
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
        for (const item of items)
          if (!col.values.includes(item))
            fail(
              at,
              'bad_enum',
              `each value must be one of: ${col.values.join(', ')}`,
              name,
              item,
            );
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
  }
}
