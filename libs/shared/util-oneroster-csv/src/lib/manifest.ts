import { CSV_FILES, CsvFile } from './binding';
import type { FileMode, IssueCollector } from './report';
import type { CsvRecord } from './parser';

/**
 * manifest.csv (§8.3): header `propertyName,value`; `manifest.version` 1.0,
 * `oneroster.version` 1.1 and one `file.<name>` of `absent|bulk|delta` per data file are
 * required; `source.*` is optional; row order does not matter.
 * - A OneRoster 1.2 set is refused with what to do instead (export as 1.1 CSV): its files
 *   have other columns and vocabularies, so reading it as 1.1 would misread data.
 * - Liberal where there is one reading only, with a warning: the header in another case
 *   or with spaces, and modes in another case (`Bulk`).
 */
export interface Manifest {
  modes: Record<CsvFile, FileMode>;
  properties: Record<string, string>;
}

export const MANIFEST_FILE = 'manifest.csv';

export function readManifest(
  records: readonly CsvRecord[],
  issues: IssueCollector,
): Manifest {
  const f = MANIFEST_FILE;
  const properties: Record<string, string> = {};
  const modes = Object.fromEntries(
    CSV_FILES.map((x) => [x, 'absent']),
  ) as Record<CsvFile, FileMode>;
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
    return { modes, properties };
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
    if (name.startsWith('file.')) {
      const file = name.slice(5) as CsvFile;
      if (!CSV_FILES.includes(file))
        issues.warning(f, 'unknown_property', `no OneRoster 1.1 file ${file}`, {
          line: r.line,
          column: 'propertyName',
          value: name,
        });
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
      issues.warning(f, 'unknown_property', 'not a OneRoster 1.1 property', {
        line: r.line,
        column: 'propertyName',
        value: name,
      });
  }
  const version = properties['oneroster.version']?.trim() ?? '';
  const manifestVersion = properties['manifest.version']?.trim() ?? '';
  if (/^1\.2(\.|$)/.test(version) || /^1\.2(\.|$)/.test(manifestVersion)) {
    issues.error(
      f,
      'unsupported_version',
      'this is a OneRoster 1.2 CSV set, which is not supported yet: export the data as OneRoster 1.1 CSV (most MIS offer both) and import that',
      {
        line: lines[
          /^1\.2/.test(version) ? 'oneroster.version' : 'manifest.version'
        ],
        column: 'value',
        value: /^1\.2/.test(version) ? version : manifestVersion,
      },
    );
    return { modes, properties };
  }
  if (version === '1.1' && properties['oneroster.version'] !== '1.1')
    issues.warning(f, 'normalised_value', 'read as 1.1 (without spaces)', {
      line: lines['oneroster.version'],
      column: 'value',
      value: properties['oneroster.version'],
    });
  else if (version !== '1.1')
    issues.error(
      f,
      'unsupported_version',
      'oneroster.version must be 1.1 (OneRoster 1.1 CSV is what this platform reads)',
      {
        ...(lines['oneroster.version']
          ? { line: lines['oneroster.version'] }
          : {}),
        column: 'value',
        value: properties['oneroster.version'] ?? '',
      },
    );
  if (properties['manifest.version'] !== '1.0')
    issues.warning(f, 'manifest_version', 'manifest.version should be 1.0', {
      column: 'value',
      value: properties['manifest.version'] ?? '',
    });
  for (const file of CSV_FILES)
    if (!(`file.${file}` in properties))
      issues.error(
        f,
        'missing_property',
        `file.${file} is required (absent, bulk or delta)`,
      );
  return { modes, properties };
}
