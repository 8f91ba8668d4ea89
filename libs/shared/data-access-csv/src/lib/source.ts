import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZip } from '@oneroster/util-oneroster-csv';

/** A CSV set on disk: a folder, or a zip extracted (streamed) into a temporary folder. */
export interface CsvSource {
  dir: string;
  files: string[];
  /** Entries of the zip left out because they are not OneRoster 1.1 files. */
  skipped: string[];
  close(): void;
}

export interface CsvSourceOptions {
  /** Where a zip is extracted (default: the system's temporary folder). */
  workDir?: string;
  /** Largest total of inflated bytes a zip may extract to (see `extractZip`). */
  maxInflatedBytes?: number;
}

/**
 * Opens a folder as it is, or extracts a zip's OneRoster files into a temporary folder
 * (removed by `close`, or at once when the archive is refused: nothing of a refused
 * archive stays on disk).
 */
export async function openCsvSource(
  path: string,
  options: CsvSourceOptions = {},
): Promise<CsvSource> {
  if (statSync(path).isDirectory())
    return {
      dir: path,
      files: readdirSync(path),
      skipped: [],
      close: () => undefined,
    };
  const dir = mkdtempSync(join(options.workDir ?? tmpdir(), 'oneroster-csv-'));
  try {
    const { files, skipped } = await extractZip(path, dir, {
      maxInflatedBytes: options.maxInflatedBytes,
    });
    return {
      dir,
      files,
      skipped,
      close: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
