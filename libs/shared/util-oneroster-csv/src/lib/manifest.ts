import { CSV_FILES, CsvFile } from './binding';
import { V1P2_CSV_FILES, V1p2CsvFile } from './binding-v1p2';
import type { FileMode, IssueCollector } from './report';
import type { CsvRecord } from './parser';

/**
 * manifest.csv (§8.3, and the 1.2 CSV binding's manifest): header `propertyName,value`;
 * `manifest.version` 1.0, `oneroster.version` and one `file.<name>` of `absent|bulk|delta`
 * per data file of that version are required; `source.*` is optional; row order does not
 * matter.
 * - `oneroster.version` chooses the binding: 1.1 (13 files) or 1.2 (the 21 files of the
 *   1.2.1 CSV binding). Without it (or with another value) the set is refused, as before:
 *   reading a set under the wrong binding would misread its data.
 * - Liberal where there is one reading only, with a warning: the header in another case
 *   or with spaces, and modes in another case (`Bulk`).
 */
export type CsvVersion = '1.1' | '1.2';

export interface Manifest {
  version: CsvVersion;
  /** The mode of every data file of the version (1.2 sets: all 21 files). */
  modes: Record<CsvFile, FileMode> & Partial<Record<V1p2CsvFile, FileMode>>;
  properties: Record<string, string>;
}

export const MANIFEST_FILE = 'manifest.csv';

export function readManifest(
  records: readonly CsvRecord[],
  issues: IssueCollector,
): Manifest {
  const f = MANIFEST_FILE;
  const properties: Record<string, string> = {};
  const fileModes = (files: readonly string[]) =>
    Object.fromEntries(files.map((x) => [x, 'absent'])) as Manifest['modes'];
  let modes = fileModes(CSV_FILES);
  const [header, ...rows] = records;
  const lines: Record<string, number> = {};
  const loose = (i: number) => header?.fields[i]?.trim().toLowerCase();
  const exact =
    header?.fields.length === 2 &&
    header.fields[0] === 'propertyName' &&
    header.fields[1] === 'value';
  if (
    header &&
    !exact &&
    header.fields.length === 2 &&
    loose(0) === 'propertyname' &&
    loose(1) === 'value'
  )
    issues.warning(
      f,
      'header_normalised',
      'read as "propertyName,value" (the header is written exactly, in this case)',
      { line: 1, value: header.fields.join(',') },
    );
  else if (!exact) {
    issues.error(f, 'bad_header', 'the header must be "propertyName,value"', {
      line: 1,
      value: header?.fields.join(','),
    });
    return { version: '1.1', modes, properties };
  }
  for (const r of rows) {
    const [name = '', value = ''] = r.fields;
    if (r.fields.length !== 2)
      issues.error(f, 'field_count', 'a manifest row has two fields', {
        line: r.line,
      });
    if (name in properties)
      issues.error(f, 'duplicate_property', `${name} is given twice`, {
        line: r.line,
        column: 'propertyName',
        value: name,
      });
    properties[name] = value;
    lines[name] = r.line;
  }
  const written = properties['oneroster.version'];
  const trimmed = written?.trim() ?? '';
  const version: CsvVersion | undefined =
    trimmed === '1.1'
      ? '1.1'
      : /^1\.2(\.\d+)?$/.test(trimmed)
        ? '1.2'
        : undefined;
  if (version === '1.2') modes = fileModes(V1P2_CSV_FILES);
  const files: readonly string[] =
    version === '1.2' ? V1P2_CSV_FILES : CSV_FILES;
  const label = version ?? '1.1';
  for (const r of rows) {
    const [name = '', value = ''] = r.fields;
    if (name.startsWith('file.')) {
      const file = name.slice(5) as V1p2CsvFile;
      if (!files.includes(file))
        issues.warning(
          f,
          'unknown_property',
          `no OneRoster ${label} file ${file}`,
          { line: r.line, column: 'propertyName', value: name },
        );
      else if (value === 'absent' || value === 'bulk' || value === 'delta')
        modes[file] = value;
      else {
        const mode = value.trim().toLowerCase();
        if (mode === 'absent' || mode === 'bulk' || mode === 'delta') {
          modes[file] = mode;
          issues.warning(
            f,
            'normalised_value',
            `read as ${mode} (modes are written absent, bulk or delta)`,
            { line: r.line, column: 'value', value },
          );
        } else
          issues.error(f, 'bad_enum', 'must be absent, bulk or delta', {
            line: r.line,
            column: 'value',
            value,
          });
      }
    } else if (
      name !== 'manifest.version' &&
      name !== 'oneroster.version' &&
      !name.startsWith('source.')
    )
      issues.warning(
        f,
        'unknown_property',
        `not a OneRoster ${label} property`,
        { line: r.line, column: 'propertyName', value: name },
      );
  }
  if (version && trimmed !== written)
    issues.warning(
      f,
      'normalised_value',
      `read as ${trimmed} (without spaces)`,
      {
        line: lines['oneroster.version'],
        column: 'value',
        value: written,
      },
    );
  else if (!version)
    issues.error(
      f,
      'unsupported_version',
      'oneroster.version must be 1.1 or 1.2 (the OneRoster CSV versions this platform reads)',
      {
        ...(lines['oneroster.version']
          ? { line: lines['oneroster.version'] }
          : {}),
        column: 'value',
        value: written ?? '',
      },
    );
  if (properties['manifest.version'] !== '1.0')
    issues.warning(f, 'manifest_version', 'manifest.version should be 1.0', {
      column: 'value',
      value: properties['manifest.version'] ?? '',
    });
  for (const file of files)
    if (!(`file.${file}` in properties))
      issues.error(
        f,
        'missing_property',
        `file.${file} is required (absent, bulk or delta)`,
      );
  return { version: version ?? '1.1', modes, properties };
}
