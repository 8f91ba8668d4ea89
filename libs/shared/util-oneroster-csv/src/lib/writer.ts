/**
 * RFC 4180 output (§8.1): fields holding a comma, a double quote or a line break are
 * quoted with inner quotes doubled; lists are comma-joined inside one field; lines end in LF.
 */
export type CsvCell =
  string | number | boolean | null | undefined | readonly string[];

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly CsvCell[]): string =>
  cells.map(csvField).join(',') + '\n';
