import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import {
  Entry,
  getFileNameLowLevel,
  openPromise as openZipFile,
  validateFileName,
  ZipFile as ZipReader,
} from 'yauzl';
import { ZipFile as ZipWriter } from 'yazl';
import { CSV_FILES } from './binding';
import { V1P2_CSV_FILES } from './binding-v1p2';
import { MANIFEST_FILE } from './manifest';

/**
 * The zip container of a OneRoster CSV set (§8.1: the files at the root, Deflate), read
 * with yauzl and written with yazl, streamed both ways (never a whole file in memory).
 *
 * Reading an upload is where a hostile archive meets the disk, so `extractZip` enforces:
 * - only the OneRoster names are extracted (manifest.csv and the data files of 1.1 and 1.2, by
 *   their base name, so a set may sit in one enclosing folder); any other entry is skipped
 *   and named in `skipped` (the importer reports it as a warning); directory entries,
 *   `__MACOSX/` resource forks and dot files are skipped silently;
 * - an entry whose path holds `..`, is absolute (`/x`, `C:x`), has a backslash, or is a
 *   symbolic link refuses the whole archive (`unsafe_entry`), as does the same OneRoster
 *   file twice (`duplicate_entry`) and more than MAX_ENTRIES entries;
 * - the declared sizes of the extracted entries may add up to at most `maxInflatedBytes`
 *   (`archive_too_large`, checked before anything is written), and yauzl's entry-size
 *   validation stops an entry the moment it inflates past its declared size (a header
 *   that lies), as a running count of inflated bytes does for the total;
 * - every entry's CRC-32 is checked; encrypted entries and methods other than Stored and
 *   Deflate are refused (`bad_archive`).
 * Any refusal leaves the extracted files to the caller to remove (the importer removes its
 * temporary folder), and is a `ZipFormatError` with a code, never an unhandled error.
 */

export type ZipProblemCode =
  'bad_archive' | 'archive_too_large' | 'unsafe_entry' | 'duplicate_entry';

export class ZipFormatError extends Error {
  constructor(
    readonly code: ZipProblemCode,
    message: string,
  ) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

export interface ZipEntry {
  /** The entry's path in the archive, as decoded (UTF-8 flag or CP437). */
  name: string;
  compressedSize: number;
  /** The size the archive declares, checked while the entry is read. */
  size: number;
}

/** Default cap of the inflated bytes of one set (2 GiB); the platform's is CSV_MAX_INFLATED_MB. */
export const DEFAULT_MAX_INFLATED_BYTES = 2048 * 1024 * 1024;

/** A OneRoster set has at most 22 files; an archive with far more entries is not one. */
export const MAX_ENTRIES = 1000;

/** The names extracted from an archive: manifest.csv and the 1.1 and 1.2 data files. */
export const ONEROSTER_FILE_NAMES: ReadonlySet<string> = new Set([
  MANIFEST_FILE,
  ...CSV_FILES.map((f) => `${f}.csv`),
  ...V1P2_CSV_FILES.map((f) => `${f}.csv`),
]);

export interface ExtractZipOptions {
  /** Largest total of inflated bytes (default DEFAULT_MAX_INFLATED_BYTES). */
  maxInflatedBytes?: number;
}

export interface ExtractedZip {
  /** The OneRoster files written into the folder, in archive order. */
  files: string[];
  /** Paths of the entries left out because they are not OneRoster files. */
  skipped: string[];
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Opens an archive, turning yauzl's refusals into `bad_archive`. */
async function openArchive(path: string): Promise<ZipReader> {
  try {
    // Names are decoded and checked here (decodeStrings off), so that a bad one is
    // refused with our own message rather than yauzl's.
    return await openZipFile(path, {
      lazyEntries: true,
      // Entries are read after the directory is listed: we close the file ourselves.
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (e) {
    throw new ZipFormatError(
      'bad_archive',
      `not a readable zip archive: ${(e as Error).message}`,
    );
  }
}

/** Every entry of the archive, with its decoded name; refuses unsafe names and links. */
async function readEntries(
  zip: ZipReader,
): Promise<{ entry: Entry; name: string }[]> {
  if (zip.entryCount > MAX_ENTRIES)
    throw new ZipFormatError(
      'bad_archive',
      `the archive has ${zip.entryCount} entries; a OneRoster set has at most ${ONEROSTER_FILE_NAMES.size} files`,
    );
  const out: { entry: Entry; name: string }[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const name = getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const why =
        validateFileName(name) !== null
          ? 'a path outside the set (absolute, with "..", or with a backslash)'
          : name.includes('\0')
            ? 'a NUL character in a name'
            : ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK
              ? 'a symbolic link'
              : null;
      if (why)
        throw new ZipFormatError(
          'unsafe_entry',
          `the archive holds ${why}: "${name.slice(0, 200)}"; it was refused and nothing was extracted`,
        );
      out.push({ entry, name });
    }
  } catch (e) {
    if (e instanceof ZipFormatError) throw e;
    throw new ZipFormatError(
      'bad_archive',
      `not a readable zip archive: ${(e as Error).message}`,
    );
  }
  return out;
}

/** Entries a set is allowed to carry that mean nothing (folders, macOS and dot files). */
function ignorable(name: string): boolean {
  if (name.endsWith('/')) return true;
  if (name.startsWith('__MACOSX/')) return true;
  const base = posix.basename(name);
  return base === '' || base.startsWith('.');
}

/** The entries of a zip (names and declared sizes), without extracting anything. */
export async function listZip(path: string): Promise<ZipEntry[]> {
  const zip = await openArchive(path);
  try {
    return (await readEntries(zip)).map(({ entry, name }) => ({
      name,
      compressedSize: entry.compressedSize,
      size: entry.uncompressedSize,
    }));
  } finally {
    zip.close();
  }
}

/**
 * Extracts the OneRoster files of a zip into `dir` by their base names (nothing can
 * be written outside `dir`, nor under any other name), within the inflated-size cap.
 */
export async function extractZip(
  zipPath: string,
  dir: string,
  options: ExtractZipOptions = {},
): Promise<ExtractedZip> {
  const cap = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const zip = await openArchive(zipPath);
  try {
    const entries = await readEntries(zip);
    const wanted: { entry: Entry; name: string; file: string }[] = [];
    const skipped: string[] = [];
    const seen = new Map<string, string>();
    let declared = 0;
    for (const { entry, name } of entries) {
      if (ignorable(name)) continue;
      const file = posix.basename(name);
      if (!ONEROSTER_FILE_NAMES.has(file)) {
        skipped.push(name);
        continue;
      }
      const first = seen.get(file);
      if (first !== undefined)
        throw new ZipFormatError(
          'duplicate_entry',
          `the archive holds ${file} twice ("${first}" and "${name}"); a set has each file once`,
        );
      seen.set(file, name);
      if (entry.isEncrypted())
        throw new ZipFormatError(
          'bad_archive',
          `${name}: encrypted entries are not supported`,
        );
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
        throw new ZipFormatError(
          'bad_archive',
          `${name}: compression method ${entry.compressionMethod} is not supported (use Deflate)`,
        );
      declared += entry.uncompressedSize;
      wanted.push({ entry, name, file });
    }
    if (declared > cap) throw tooLarge(declared, cap);
    let inflated = 0;
    for (const { entry, name, file } of wanted) {
      let crc = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          inflated += chunk.length;
          // yauzl stops an entry past its declared size; this guards the total as well.
          if (inflated > cap) return done(tooLarge(inflated, cap));
          crc = crc32(chunk, crc);
          done(null, chunk);
        },
      });
      try {
        const stream = await zip.openReadStreamPromise(entry);
        await pipeline(stream, count, createWriteStream(join(dir, file)));
      } catch (e) {
        if (e instanceof ZipFormatError) throw e;
        throw new ZipFormatError(
          'bad_archive',
          `${name} could not be extracted: ${(e as Error).message}`,
        );
      }
      if (crc >>> 0 !== entry.crc32 >>> 0)
        throw new ZipFormatError('bad_archive', `${name}: CRC check failed`);
    }
    return { files: wanted.map((w) => w.file), skipped };
  } finally {
    zip.close();
  }
}

const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;

const tooLarge = (bytes: number, cap: number) =>
  new ZipFormatError(
    'archive_too_large',
    `the set inflates to more than ${mb(cap)} (at least ${mb(bytes)}); split it or raise CSV_MAX_INFLATED_MB`,
  );

/**
 * Writes `files` (name in the archive → path on disk) as a Deflate zip, streaming each.
 * A file that cannot be read, or an output that cannot be written, rejects the promise
 * and leaves no partial archive behind.
 */
export async function writeZip(
  zipPath: string,
  files: { name: string; path: string }[],
  now = new Date(),
): Promise<void> {
  const zip = new ZipWriter();
  // yazl reports a source's read errors on the ZipFile, not on its output stream.
  const failed = new Promise<never>((_, reject) => zip.once('error', reject));
  for (const f of files)
    zip.addFile(f.path, f.name, {
      mtime: now,
      compress: true,
    });
  zip.end();
  const output = zip.outputStream as unknown as NodeJS.ReadableStream & {
    destroy(err?: Error): void;
  };
  try {
    await Promise.race([
      pipeline(output, createWriteStream(zipPath)),
      failed.catch((e: unknown) => {
        output.destroy(e as Error);
        throw e;
      }),
    ]);
  } catch (e) {
    await rm(zipPath, { force: true });
    throw e;
  }
}
