import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { ZipFile as ZipWriter } from 'yazl';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  extractZip,
  listZip,
  writeZip,
  ZipFormatError,
} from './zip';

const MB = 1024 * 1024;

interface RawEntry {
  name: string;
  /** Raw Deflate data (method 8) or the bytes themselves (method 0). */
  data: Buffer;
  method?: 0 | 8;
  /** What the headers declare; may lie. */
  size: number;
  crc?: number;
  /** Unix mode (the high 16 bits of the external attributes). */
  mode?: number;
}

/**
 * A zip written byte by byte, for archives a well-behaved writer refuses to produce
 * (lying sizes, `..` names, links). Layout per APPNOTE 4.3: local headers with their data,
 * the central directory, the end record.
 */
function rawZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method ?? 8;
    const crc = e.crc ?? 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: the external attributes are a mode
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, e.data);
    offset += local.length + name.length + e.data.length;
    central.push(cd, name);
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, end]);
}

/**
 * A Deflate bomb: one self-contained Deflate block of 1 MB of zeros (a full flush resets
 * the dictionary and aligns to a byte), repeated `megabytes` times, then a final empty
 * block. About 1 KB of data per MB it inflates to.
 */
function zeroBomb(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MB), {
    finishFlush: constants.Z_FULL_FLUSH,
  });
  return Buffer.concat([
    ...Array.from({ length: megabytes }, () => block),
    deflateRawSync(Buffer.alloc(0)),
  ]);
}

const deflated = (text: string): RawEntry => ({
  name: '',
  data: deflateRawSync(Buffer.from(text)),
  size: Buffer.byteLength(text),
  crc: crc32(Buffer.from(text)),
});

/** A zip written by yazl from buffers (name → content). */
async function yazlZip(
  path: string,
  files: [string, Buffer | string][],
): Promise<void> {
  const zip = new ZipWriter();
  for (const [name, content] of files)
    zip.addBuffer(Buffer.from(content), name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

async function refusal(p: Promise<unknown>): Promise<ZipFormatError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ZipFormatError);
  return e as ZipFormatError;
}

describe('zip container', () => {
  let tmp: string;
  let out: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'or-zip-'));
    out = join(tmp, 'out');
    mkdirSync(out);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('builds a real Deflate bomb: 1 KB of data per MB inflated', () => {
    const bomb = zeroBomb(4);
    expect(bomb.length).toBeLessThan(8 * 1024);
    expect(inflateRawSync(bomb).length).toBe(4 * MB);
  });

  it('refuses a bomb whose header declares 3 GB before inflating a byte (default cap)', async () => {
    const path = join(tmp, 'bomb.zip');
    // 3,072 MB of zeros in about 3 MB of archive, far within the upload limit.
    writeFileSync(
      path,
      rawZip([
        { ...deflated('propertyName,value\n'), name: 'manifest.csv' },
        { name: 'users.csv', data: zeroBomb(3072), size: 3072 * MB },
      ]),
    );
    expect(statSync(path).size).toBeLessThan(4 * MB);
    expect(3072 * MB).toBeGreaterThan(DEFAULT_MAX_INFLATED_BYTES);
    const e = await refusal(extractZip(path, out));
    expect(e.code).toBe('archive_too_large');
    expect(e.message).toMatch(/more than 2048 MB/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses a yazl archive that inflates past a configured cap, writing nothing', async () => {
    const path = join(tmp, 'zeros.zip');
    const zip = new ZipWriter();
    zip.addReadStream(
      Readable.from(
        (function* () {
          for (let i = 0; i < 64; i++) yield Buffer.alloc(MB);
        })(),
      ),
      'enrollments.csv',
    );
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(path));
    expect(statSync(path).size).toBeLessThan(MB);
    expect((await listZip(path))[0].size).toBe(64 * MB);
    const e = await refusal(
      extractZip(path, out, { maxInflatedBytes: 8 * MB }),
    );
    expect(e.code).toBe('archive_too_large');
    expect(readdirSync(out)).toEqual([]);
    // Within the cap, the same archive extracts.
    await extractZip(path, out, { maxInflatedBytes: 64 * MB });
    expect(statSync(join(out, 'enrollments.csv')).size).toBe(64 * MB);
  });

  it('counts every extracted file towards the cap', async () => {
    const path = join(tmp, 'many.zip');
    await yazlZip(path, [
      ['users.csv', Buffer.alloc(3 * MB)],
      ['orgs.csv', Buffer.alloc(3 * MB)],
      ['classes.csv', Buffer.alloc(3 * MB)],
    ]);
    const e = await refusal(
      extractZip(path, out, { maxInflatedBytes: 8 * MB }),
    );
    expect(e.code).toBe('archive_too_large');
    expect(readdirSync(out)).toEqual([]);
  });

  it('stops an entry that inflates past the size its header declares (a lying header)', async () => {
    const path = join(tmp, 'liar.zip');
    // Declares 1,000 bytes; inflates to 1 GB.
    writeFileSync(
      path,
      rawZip([{ name: 'users.csv', data: zeroBomb(1024), size: 1000 }]),
    );
    const e = await refusal(extractZip(path, out));
    expect(e.code).toBe('bad_archive');
    expect(e.message).toMatch(/users\.csv/);
    // Stopped at once: at most the declared size reached the disk.
    const written = existsSync(join(out, 'users.csv'))
      ? statSync(join(out, 'users.csv')).size
      : 0;
    expect(written).toBeLessThanOrEqual(1000);
  });

  it('refuses the same OneRoster file twice, in the same or another folder', async () => {
    for (const [n, names] of [
      ['same', ['users.csv', 'users.csv']],
      ['folder', ['set/users.csv', 'other/users.csv']],
      ['mixed', ['users.csv', 'set/users.csv']],
    ] as const) {
      const path = join(tmp, `${n}.zip`);
      writeFileSync(
        path,
        rawZip(names.map((name) => ({ ...deflated('a\n'), name }))),
      );
      const e = await refusal(extractZip(path, out));
      expect(e.code).toBe('duplicate_entry');
      expect(e.message).toContain(names[1]);
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it('extracts only the OneRoster 1.1 names and lists the others as skipped', async () => {
    const path = join(tmp, 'mixed.zip');
    await yazlZip(path, [
      ['set/manifest.csv', 'propertyName,value\n'],
      ['set/users.csv', 'sourcedId\n'],
      ['set/notes.txt', 'hello'],
      ['set/pupils.csv', 'x'],
      ['set/Users.csv', 'x'],
      ['set/run.sh', '#!/bin/sh'],
      ['__MACOSX/set/._users.csv', 'x'],
      ['set/.DS_Store', 'x'],
    ]);
    const got = await extractZip(path, out);
    expect(got.files).toEqual(['manifest.csv', 'users.csv']);
    expect(got.skipped).toEqual([
      'set/notes.txt',
      'set/pupils.csv',
      'set/Users.csv',
      'set/run.sh',
    ]);
    expect(readdirSync(out).sort()).toEqual(['manifest.csv', 'users.csv']);
    expect(readFileSync(join(out, 'users.csv'), 'utf8')).toBe('sourcedId\n');
  });

  it('refuses names that leave the set (.., absolute, backslash) and symbolic links', async () => {
    mkdirSync(join(tmp, 'deep', 'er'), { recursive: true });
    const inner = join(tmp, 'deep', 'er');
    for (const [i, entry] of [
      { name: '../users.csv' },
      { name: 'set/../../users.csv' },
      { name: '../' },
      { name: '/tmp/users.csv' },
      { name: 'C:/users.csv' },
      { name: '..\\users.csv' },
      { name: 'users.csv', mode: 0o120777 },
    ].entries()) {
      const path = join(tmp, `bad-${i}.zip`);
      writeFileSync(
        path,
        rawZip([
          { ...deflated('propertyName,value\n'), name: 'manifest.csv' },
          { ...deflated('evil\n'), ...entry },
        ]),
      );
      const e = await refusal(extractZip(path, inner));
      expect([i, e.code]).toEqual([i, 'unsafe_entry']);
      expect(e.message).toContain(entry.name);
      // Nothing at all was written, inside the folder or around it.
      expect(readdirSync(inner)).toEqual([]);
      expect(readdirSync(dirname(inner))).toEqual(['er']);
    }
  });

  it('refuses a CRC mismatch, an archive of too many entries and a file that is no zip', async () => {
    const crc = join(tmp, 'crc.zip');
    writeFileSync(
      crc,
      rawZip([{ ...deflated('sourcedId\n'), name: 'users.csv', crc: 12345 }]),
    );
    expect((await refusal(extractZip(crc, out))).message).toMatch(/CRC/);

    const many = join(tmp, 'many.zip');
    await yazlZip(
      many,
      Array.from(
        { length: 1001 },
        (_, i) => [`f${i}.txt`, ''] as [string, string],
      ),
    );
    const e = await refusal(extractZip(many, out));
    expect(e.code).toBe('bad_archive');
    expect(e.message).toMatch(/1001 entries/);

    const junk = join(tmp, 'junk.zip');
    writeFileSync(junk, 'this is not a zip archive at all');
    expect((await refusal(extractZip(junk, out))).code).toBe('bad_archive');
  });

  it('writes a Deflate archive that reads back', async () => {
    const text = 'sourcedId,title\n' + 'x,"a, b"\n'.repeat(50_000);
    writeFileSync(join(tmp, 'users.csv'), text);
    writeFileSync(join(tmp, 'manifest.csv'), 'propertyName,value\n');
    const path = join(tmp, 'set.zip');
    await writeZip(path, [
      { name: 'manifest.csv', path: join(tmp, 'manifest.csv') },
      { name: 'users.csv', path: join(tmp, 'users.csv') },
    ]);
    expect(statSync(path).size).toBeLessThan(text.length / 10);
    expect((await extractZip(path, out)).files).toEqual([
      'manifest.csv',
      'users.csv',
    ]);
    expect(readFileSync(join(out, 'users.csv'), 'utf8')).toBe(text);
  });

  it('rejects when a file cannot be read, leaving no partial archive', async () => {
    writeFileSync(join(tmp, 'manifest.csv'), 'propertyName,value\n');
    const path = join(tmp, 'set.zip');
    await expect(
      writeZip(path, [
        { name: 'manifest.csv', path: join(tmp, 'manifest.csv') },
        { name: 'users.csv', path: join(tmp, 'gone.csv') },
      ]),
    ).rejects.toThrow(/ENOENT|gone\.csv/);
    expect(existsSync(path)).toBe(false);
    // A folder where a file should be fails as well.
    await expect(
      writeZip(path, [{ name: 'users.csv', path: tmp }]),
    ).rejects.toThrow(/not a file/);
    expect(existsSync(path)).toBe(false);
  });

  it('rejects when the archive cannot be written', async () => {
    writeFileSync(join(tmp, 'users.csv'), 'sourcedId\n');
    await expect(
      writeZip(join(tmp, 'no-such-folder', 'set.zip'), [
        { name: 'users.csv', path: join(tmp, 'users.csv') },
      ]),
    ).rejects.toThrow(/ENOENT/);
  });
});
