import type { DataSource } from 'typeorm';

/**
 * The one codec for column values that raw SQL writes and reads, on both engines:
 * SQLite (better-sqlite3) and MySQL/MariaDB (mysql2, connected with `timezone: 'Z'` and
 * DATE columns as strings). Rules:
 * - an instant (DATETIME(3)) is written as `YYYY-MM-DD HH:MM:SS.mmm` in UTC, how both
 *   engines store and compare it; it reads back as that text (SQLite, mysql2 with
 *   `dateStrings`) or as a Date (mysql2), and either decodes to the same instant;
 *   text with a zone (`Z`, `+01:00`) or a `T` is taken as ISO 8601 as it is;
 * - a calendar date (DATE) is `YYYY-MM-DD` in and out; a Date stands for its UTC day;
 * - ISO 8601 text from outside (a CSV cell) becomes an instant as it is when it has a time,
 *   and as its UTC midnight when it is a calendar date;
 * - a boolean is written 1/0 and reads back as 0/1, `'1'`, true, or (a BIT column) a Buffer;
 * - a number (DOUBLE, FLOAT, or DECIMAL, which mysql2 hands over as text) reads as a number;
 *   a text column reads as text, a DATE a driver hands over as a Date as its `YYYY-MM-DD`;
 * - a list column (`simple-json`) is JSON text; a driver that decodes JSON hands over the
 *   value itself, which is taken as it is. A list of strings that is not valid JSON, or not
 *   an array, reads as empty, and its non-string elements are dropped.
 * Reading never goes through the local time zone of the process.
 */

export type SqlDialect = 'sqlite' | 'mysql';

/** The engine family of a DataSource: MySQL and MariaDB read and write alike. */
export function sqlDialect(ds: Pick<DataSource, 'options'>): SqlDialect {
  const type = ds.options.type;
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
}

const ZONED = /[zZ]|[+-]\d\d:?\d\d$/;

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: the stored text of an instant. */
export function encodeInstant(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** The instant a DATETIME value stands for. */
export function decodeInstant(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(ZONED.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

/**
 * The instant of ISO 8601 text: a date-time as written (its zone, `Z` as a rule), a calendar
 * date (`YYYY-MM-DD`) as the start of its UTC day.
 */
export function instantOf(text: string): Date {
  return new Date(text.includes('T') ? text : `${text}T00:00:00.000Z`);
}

/**
 * A DATETIME value as ISO 8601 UTC with milliseconds (`2026-09-01T08:00:00.000Z`), straight
 * from the stored text where it is text: the hot read path formats many of these.
 */
export function instantText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return s.includes('T')
    ? s
    : `${s.replace(' ', 'T')}${s.length <= 19 ? '.000' : ''}Z`;
}

/** The `YYYY-MM-DD` of a Date's UTC day: what a DATE column holds. */
export function encodeDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A DATE value (or an instant, as its UTC day) as `YYYY-MM-DD`. */
export function dateText(v: unknown): string {
  return v instanceof Date ? encodeDate(v) : String(v).slice(0, 10);
}

/** The UTC day (`YYYY-MM-DD`) of a DATETIME value. */
export function instantDay(v: unknown): string {
  return encodeDate(decodeInstant(v));
}

/** A text column's value; a DATE handed over as a Date reads as its `YYYY-MM-DD`. */
export function decodeText(v: unknown): string {
  return v instanceof Date ? encodeDate(v) : String(v);
}

/** A numeric column's value (a DECIMAL may arrive as text). */
export function decodeNumber(v: unknown): number {
  return Number(v);
}

/** The stored value of a boolean. */
export function encodeBoolean(b: boolean): 0 | 1 {
  return b ? 1 : 0;
}

/** A stored boolean (0/1, '0'/'1', true/false, or a BIT column's Buffer). */
export function decodeBoolean(v: unknown): boolean {
  if (v === true || v === 1 || v === '1') return true;
  return Buffer.isBuffer(v) ? v.length > 0 && v[0] !== 0 : false;
}

/** The stored text of a JSON column (`simple-json`). */
export function encodeJson(v: unknown): string {
  return JSON.stringify(v);
}

/** A JSON column's value: parsed when it is text, as it is when the driver decoded it. */
export function decodeJson<T = unknown>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/**
 * A JSON list column's value as a list, or null when it holds something else. Unlike
 * `decodeStrings`, text that is not JSON is an error: the column was written by the codec.
 */
export function decodeList<T = unknown>(v: unknown): T[] | null {
  const parsed = decodeJson(v);
  return Array.isArray(parsed) ? (parsed as T[]) : null;
}

/** A JSON list of strings (scopes, redirect URIs); anything else reads as empty. */
export function decodeStrings(v: unknown): string[] {
  if (v === null || v === undefined || v === '') return [];
  let parsed: unknown;
  try {
    parsed = decodeJson(v);
  } catch {
    return [];
  }
  return Array.isArray(parsed)
    ? parsed.filter((x): x is string => typeof x === 'string')
    : [];
}
