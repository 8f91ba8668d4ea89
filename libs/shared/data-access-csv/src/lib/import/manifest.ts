import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import {
  CsvRecord,
  DEPENDENCY_ORDER,
  headerVersionMismatch,
  isCsvFile,
  isV1p2CsvFile,
  MANIFEST_FILE,
  parseCsv,
  readFirstRecord,
  readManifest,
} from '@oneroster/util-oneroster-csv';
import { ImportIndex } from './run-index';

/*
 * Step 1, the manifest (§8.3):
 * - the set must have a manifest.csv;
 * - a file that is not one of the 13 OneRoster 1.1 files is ignored with a warning
 *   (`unknown_file`), one the manifest declares absent too (`undeclared_file`);
 * - every file the manifest declares bulk or delta must be in the set (`missing_file`);
 * - the headers must be of the manifest's version: a 1.2 file (roles.csv …) or a 1.2 column
 *   (users.csv primaryOrgSourcedId …) in a 1.1 set is an error at the manifest
 *   (`version_mismatch`), as the set would be misread (1.2 sets are read in convert-v1p2.ts).
 * Errors here stop the import before any data file is read.
 */
export abstract class ManifestStep extends ImportIndex {
  protected async readSetManifest(files: string[]): Promise<void> {
    const { issues } = this;
    if (!files.includes(MANIFEST_FILE)) {
      issues.error(
        MANIFEST_FILE,
        'missing_file',
        'the set has no manifest.csv (OneRoster 1.1 requires one)',
      );
      return;
    }
    const manifestRows: CsvRecord[] = [];
    for await (const r of parseCsv(
      createReadStream(join(this.dir, MANIFEST_FILE)),
    ))
      manifestRows.push(r);
    this.manifest = readManifest(manifestRows, issues);
    for (const name of files) {
      if (name === MANIFEST_FILE) continue;
      const file = name.replace(/\.csv$/, '');
      if (name.endsWith('.csv') && !isCsvFile(file) && isV1p2CsvFile(file))
        this.versionMismatch(
          headerVersionMismatch(file, [], '1.1') as string,
          manifestRows,
        );
      else if (!name.endsWith('.csv') || !isCsvFile(file))
        issues.warning(
          name,
          'unknown_file',
          'not a OneRoster 1.1 file; ignored',
        );
      else if (this.manifest.modes[file] === 'absent')
        issues.warning(
          name,
          'undeclared_file',
          'the manifest declares this file absent; ignored',
        );
      else this.present.add(file);
    }
    for (const file of DEPENDENCY_ORDER) {
      const mode = this.manifest.modes[file];
      if (mode !== 'absent' && !this.present.has(file))
        issues.error(
          MANIFEST_FILE,
          'missing_file',
          `the manifest declares ${file}.csv ${mode} but the set has no such file`,
          {
            column: 'value',
            value: mode,
          },
        );
    }
    for (const file of this.present) {
      const header = await readFirstRecord(join(this.dir, `${file}.csv`));
      const mismatch =
        header && headerVersionMismatch(file, header.fields, '1.1');
      if (mismatch) this.versionMismatch(mismatch, manifestRows);
    }
  }

  private versionMismatch(message: string, manifestRows: CsvRecord[]): void {
    const row = manifestRows.find(
      (r) => r.fields[0]?.trim() === 'oneroster.version',
    );
    this.issues.error(MANIFEST_FILE, 'version_mismatch', message, {
      ...(row ? { line: row.line } : {}),
      column: 'value',
      value: row?.fields[1] ?? '',
    });
  }
}
