/** How stored date values read back as OneRoster JSON, shared by reads and the change log. */

/** A DATETIME value (a Date from MySQL, `YYYY-MM-DD HH:MM:SS.mmm` from SQLite) as ISO 8601 UTC. */
export function isoDateTime(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return s.includes('T')
    ? s
    : `${s.replace(' ', 'T')}${s.length <= 19 ? '.000' : ''}Z`;
}

/** A DATE value as `YYYY-MM-DD`. */
export function dateOnly(v: unknown): string {
  return v instanceof Date
    ? v.toISOString().slice(0, 10)
    : String(v).slice(0, 10);
}
