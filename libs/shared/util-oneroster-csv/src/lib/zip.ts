import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createDeflateRaw, createInflateRaw, crc32 } from 'node:zlib';

/**
 * The zip container of a OneRoster CSV set (§8.1: files at the root, Deflate). Entries are
 * streamed in and out, never held whole in memory. Zip64 (archives over 4 GB or 65,535
 * entries) and encryption are not supported: a CSV set has at most 14 files.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

export class ZipFormatError extends Error {}

export async function listZip(path: string): Promise<ZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tail = Math.min(size, 65557);
    const buf = Buffer.alloc(tail);
    await fh.read(buf, 0, tail, size - tail);
    let eocd = -1;
    for (let i = tail - 22; i >= 0; i--)
      if (buf.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    if (eocd < 0) throw new ZipFormatError('not a zip file');
    const count = buf.readUInt16LE(eocd + 10);
    const cdSize = buf.readUInt32LE(eocd + 12);
    const cdOffset = buf.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff)
      throw new ZipFormatError('Zip64 archives are not supported');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (cd.readUInt32LE(p) !== 0x02014b50)
        throw new ZipFormatError('corrupt central directory');
      const flags = cd.readUInt16LE(p + 8);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      if (flags & 1)
        throw new ZipFormatError('encrypted entries are not supported');
      entries.push({
        method: cd.readUInt16LE(p + 10),
        crc: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localOffset: cd.readUInt32LE(p + 42),
        name: cd.toString('utf8', p + 46, p + 46 + nameLen),
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Streams one entry to `dest`, checking its CRC-32. */
export async function extractEntry(
  zipPath: string,
  entry: ZipEntry,
  dest: string,
): Promise<void> {
  const fh = await open(zipPath, 'r');
  const local = Buffer.alloc(30);
  try {
    await fh.read(local, 0, 30, entry.localOffset);
  } finally {
    await fh.close();
  }
  if (local.readUInt32LE(0) !== 0x04034b50)
    throw new ZipFormatError(`corrupt entry ${entry.name}`);
  const start =
    entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipFormatError(
      `${entry.name}: compression method ${entry.method} is not supported`,
    );
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
  });
  const input = createReadStream(zipPath, {
    start,
    end: start + entry.compressedSize - 1,
  });
  const steps =
    entry.compressedSize === 0
      ? [input, check, createWriteStream(dest)]
      : entry.method === 8
        ? [input, createInflateRaw(), check, createWriteStream(dest)]
        : [input, check, createWriteStream(dest)];
  await (pipeline as (...s: unknown[]) => Promise<void>)(...steps);
  if (crc >>> 0 !== entry.crc >>> 0)
    throw new ZipFormatError(`${entry.name}: CRC check failed`);
}

/**
 * Extracts the entries of a zip into `dir` by their base names (a set may sit in one
 * enclosing folder; nothing can be written outside `dir`). Returns the names extracted.
 */
export async function extractZip(
  zipPath: string,
  dir: string,
): Promise<string[]> {
  const names: string[] = [];
  for (const e of await listZip(zipPath)) {
    if (e.name.endsWith('/') || e.name.startsWith('__MACOSX/')) continue;
    const name = basename(e.name);
    if (!name || name.startsWith('.')) continue;
    await extractEntry(zipPath, e, join(dir, name));
    names.push(name);
  }
  return names;
}

function dosDateTime(d: Date): [number, number] {
  const time =
    (d.getUTCHours() << 11) |
    (d.getUTCMinutes() << 5) |
    (d.getUTCSeconds() >> 1);
  const date =
    ((d.getUTCFullYear() - 1980) << 9) |
    ((d.getUTCMonth() + 1) << 5) |
    d.getUTCDate();
  return [time, date];
}

/** Writes `files` (name in the archive → path on disk) as a Deflate zip, streaming each. */
export async function writeZip(
  zipPath: string,
  files: { name: string; path: string }[],
  now = new Date(),
): Promise<void> {
  const out = createWriteStream(zipPath);
  let offset = 0;
  const write = (b: Buffer) =>
    new Promise<void>((resolve, reject) => {
      offset += b.length;
      out.write(b, (err) => (err ? reject(err) : resolve()));
    });
  const [time, date] = dosDateTime(now);
  const central: Buffer[] = [];
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const start = offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt16LE(name.length, 26);
    await write(Buffer.concat([local, name]));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const deflate = createDeflateRaw();
    const source = createReadStream(f.path);
    source.on('data', (chunk) => {
      const b = chunk as Buffer;
      crc = crc32(b, crc);
      size += b.length;
    });
    source.pipe(deflate);
    for await (const chunk of deflate) {
      compressed += (chunk as Buffer).length;
      await write(chunk as Buffer);
    }
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(crc >>> 0, 4);
    desc.writeUInt32LE(compressed, 8);
    desc.writeUInt32LE(size, 12);
    await write(desc);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0808, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt16LE(time, 12);
    cd.writeUInt16LE(date, 14);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(compressed, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(start, 42);
    central.push(cd, name);
  }
  const cdStart = offset;
  const cdBuf = Buffer.concat(central);
  await write(cdBuf);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}
