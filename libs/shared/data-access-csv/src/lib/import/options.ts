import { createHash } from 'node:crypto';
import type { AnyCsvFile } from '@oneroster/util-oneroster-csv';

export interface CsvProgress {
  phase: 'validate' | 'write';
  file: AnyCsvFile;
  rows: number;
  /** Bytes of the file read so far, and its size: progress by bytes. */
  bytes: number;
  size: number;
  done: boolean;
}

export interface CsvImportOptions {
  /** Import everything into this platform school (no split by school org). */
  schoolId?: string;
  /**
   * With `schoolId`: the set must be about that school. Its `orgs.csv` (when present) must
   * hold the school's org, and every class and enrollment must name that org as its school;
   * otherwise the import is refused (`wrong_school`).
   */
  strictSchool?: boolean;
  /** Where a zip is extracted (default: the system's temporary folder). */
  workDir?: string;
  /**
   * Largest total of bytes a zip may inflate to (default 2 GiB, `DEFAULT_MAX_INFLATED_BYTES`);
   * beyond it the import is refused with `archive_too_large` before anything is extracted.
   */
  maxInflatedBytes?: number;
  /** Run every check and every write, then roll back. */
  validateOnly?: boolean;
  /** The import time (dateLastModified of what a bulk file adds, changes or removes). */
  now?: Date;
  onProgress?: (p: CsvProgress) => void;
}

/**
 * The platform school of a school org that has none yet: a UUID (version 5 layout) from
 * the SHA-1 of `oneroster-org:<sourcedId>`, so importing the same set anywhere gives the
 * same school ids.
 */
export function schoolIdForOrg(orgSourcedId: string): string {
  const h = createHash('sha1').update(`oneroster-org:${orgSourcedId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
