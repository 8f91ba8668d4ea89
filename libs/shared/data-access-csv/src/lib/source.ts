import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZip } from '@oneroster/util-oneroster-csv';

/** A CSV set on disk: a folder, or a zip extracted (streamed) into a temporary folder. */
export interface CsvSource {
  dir: string;
  files: string[];
  close(): void;
}

export async function openCsvSource(
  path: string,
  workDir = tmpdir(),
): Promise<CsvSource> {
  if (statSync(path).isDirectory())
    return { dir: path, files: readdirSync(path), close: () => undefined };
  const dir = mkdtempSync(join(workDir, 'oneroster-csv-'));
  try {
    const files = await extractZip(path, dir);
    return {
      dir,
      files,
      close: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
