import { CSV_COLUMNS, ColumnSpec, CsvFile, METADATA_PREFIX } from './binding';
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
  metadata: [string, number][];
  width: number;
  ok: boolean;
}

const fileName = (file: CsvFile) => `${file}.csv`;

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
    return { file, index, metadata, width: 0, ok: false };
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
  return { file, index, metadata, width: record.fields.length, ok };
}

const GUID = /^[0-9A-Za-z._\-/@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const USER_ID = /^\{([^:{}]+):([^{}]*)\}$/;

export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const y = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

/** An ISO 8601 date-time with a time zone (§5: DateTime MUST contain the UTC zone). */
export function parseDateTime(text: string): Date | null {
  const m = DATETIME.exec(text);
  if (!m || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t);
}

export const splitList = (text: string): string[] =>
  text === ''
    ? []
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export interface RowContext {
  file: CsvFile;
  mode: Exclude<FileMode, 'absent'>;
  header: FileHeader;
  issues: IssueCollector;
  /** Counts bulk rows carrying status/dateLastModified (reported once per file). */
  bulkFilled: { count: number; firstLine: number };
}

/** Validates one data row; null when it has an error (already reported). */
export function readRow(ctx: RowContext, record: CsvRecord): ParsedRow | null {
  const { file, header, issues } = ctx;
  const f = fileName(file);
  const line = record.line;
  let ok = true;
  const fail = (
    code: string,
    message: string,
    column?: string,
    value?: string,
  ) => {
    issues.error(f, code, message, {
      line,
      ...(column ? { column } : {}),
      ...(value !== undefined ? { value } : {}),
    });
    ok = false;
  };
  if (record.problem) fail('csv_syntax', record.problem);
  if (record.fields.length !== header.width)
    fail(
      'field_count',
      `the row has ${record.fields.length} fields, the header ${header.width}`,
    );
  const raw = (name: string) => {
    const i = header.index[name];
    return i >= 0 ? (record.fields[i] ?? '') : '';
  };
  const sourcedId = raw('sourcedId');
  let status: ParsedRow['status'] = null;
  let dateLastModified: Date | null = null;
  const values: Record<string, CsvValue> = {};
  let filled = false;
  for (const col of CSV_COLUMNS[file]) {
    const text = raw(col.name);
    const v = readValue(col, text, ctx.mode, fail);
    if (col.kind === 'status') {
      if (ctx.mode === 'bulk') {
        if (text !== '') filled = true;
      } else status = v as ParsedRow['status'];
    } else if (col.kind === 'dateLastModified') {
      if (ctx.mode === 'bulk') {
        if (text !== '') filled = true;
      } else dateLastModified = v as Date | null;
    } else if (col.kind !== 'id') values[col.name] = v as CsvValue;
  }
  if (filled) noteBulkFilled(ctx, line);
  let metadata: Record<string, string> | null = null;
  for (const [name, i] of header.metadata) {
    const text = record.fields[i] ?? '';
    if (text !== '') (metadata ??= {})[name] = text;
  }
  return ok
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
  col: ColumnSpec,
  text: string,
  mode: 'bulk' | 'delta',
  fail: (
    code: string,
    message: string,
    column?: string,
    value?: string,
  ) => void,
): CsvValue | Date {
  const name = col.name;
  if (text === '') {
    const requiredHere =
      col.kind === 'id' ||
      col.required ||
      (mode === 'delta' &&
        (col.kind === 'status' || col.kind === 'dateLastModified'));
    if (requiredHere) fail('required', 'a value is required', name, text);
    return col.kind === 'refs' || col.kind === 'list' || col.kind === 'userIds'
      ? []
      : null;
  }
  switch (col.kind) {
    case 'id':
    case 'ref':
      if (text.length > 255)
        fail(
          'bad_id',
          'a sourcedId is shorter than 256 characters',
          name,
          text,
        );
      else if (!GUID.test(text))
        fail(
          'bad_id',
          'a sourcedId uses only 0-9 a-z A-Z . - _ / @',
          name,
          text,
        );
      return text;
    case 'status':
      if (mode === 'bulk') return null;
      if (text === 'active' || text === 'tobedeleted') return text;
      fail('bad_enum', 'must be active or tobedeleted', name, text);
      return null;
    case 'dateLastModified': {
      if (mode === 'bulk') return null;
      const d = parseDateTime(text);
      if (!d)
        fail(
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
          'bad_enum',
          `must be one of: ${col.values?.join(', ')}`,
          name,
          text,
        );
      return text;
    case 'date':
      if (!isCalendarDate(text))
        fail('bad_date', 'must be a date YYYY-MM-DD', name, text);
      return text;
    case 'dateOrDateTime':
      if (isCalendarDate(text)) return text;
      {
        const instant = parseDateTime(text);
        if (instant) return instant.toISOString();
      }
      fail('bad_date', 'must be a date YYYY-MM-DD', name, text);
      return text;
    case 'year':
      if (!/^\d{4}$/.test(text))
        fail('bad_year', 'must be a year YYYY', name, text);
      return text;
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      fail('bad_boolean', 'must be true or false', name, text);
      return null;
    case 'float':
      if (!NUMBER.test(text))
        fail('bad_number', 'must be a number', name, text);
      return Number(text);
    case 'refs': {
      const ids = splitList(text);
      for (const id of ids)
        if (!GUID.test(id) || id.length > 255)
          fail(
            'bad_id',
            'a sourcedId uses only 0-9 a-z A-Z . - _ / @',
            name,
            id,
          );
      if (new Set(ids).size !== ids.length)
        fail(
          'duplicate_reference',
          'the list names a record twice',
          name,
          text,
        );
      if (col.required && ids.length === 0)
        fail('required', 'at least one sourcedId is required', name, text);
      return ids;
    }
    case 'list': {
      const items = splitList(text);
      if (col.values)
        for (const item of items)
          if (!col.values.includes(item))
            fail(
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
