import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { ZipFile as ZipWriter } from 'yazl';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import {
  CSV_FILES,
  CSV_HEADERS,
  CsvFile,
  CsvImportReport,
  csvLine,
  V1P2_CSV_FILES,
  V1P2_CSV_HEADERS,
} from '@oneroster/util-oneroster-csv';
import { exportCsv } from './export';
import { CsvImportService } from './import';
import { CsvImportJobs, CsvImportQueueFull } from './jobs';

/**
 * What an upload may not do: fill the disk (inflated-size cap, per-school queue cap),
 * smuggle files in (only the OneRoster names are extracted, duplicates refused), or learn
 * about another school (references are looked up in the target school only). Sets are
 * built here, a few rows each.
 */

jest.setTimeout(60_000);

const MB = 1024 * 1024;
const SCHOOL_A = '00000000-0000-4000-8000-00000000000a';
const SCHOOL_B = '00000000-0000-4000-8000-00000000000b';

type Rows = Record<string, string>[];

/** A set folder: manifest.csv declaring `files` bulk (others absent) and their rows. */
function writeSet(dir: string, files: Partial<Record<CsvFile, Rows>>): string {
  mkdirSync(dir, { recursive: true });
  const manifest = [
    ['propertyName', 'value'],
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.1'],
    ...CSV_FILES.map((f) => [`file.${f}`, files[f] ? 'bulk' : 'absent']),
  ];
  writeFileSync(
    join(dir, 'manifest.csv'),
    manifest.map((r) => csvLine(r)).join(''),
  );
  for (const [file, rows] of Object.entries(files) as [CsvFile, Rows][]) {
    const header = CSV_HEADERS[file];
    writeFileSync(
      join(dir, `${file}.csv`),
      [header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]
        .map((r) => csvLine(r))
        .join(''),
    );
  }
  return dir;
}

const org = (sourcedId: string): Record<string, string> => ({
  sourcedId,
  name: `School ${sourcedId}`,
  type: 'school',
});
const user = (sourcedId: string, orgId: string): Record<string, string> => ({
  sourcedId,
  enabledUser: 'true',
  orgSourcedIds: orgId,
  role: 'student',
  username: sourcedId,
  givenName: 'Ada',
  familyName: 'Lovelace',
});

/** A zip written by yazl: entries from files on disk or from content. */
async function zipOf(
  path: string,
  entries: [string, string | Buffer | Readable][],
): Promise<string> {
  const zip = new ZipWriter();
  for (const [name, content] of entries)
    if (content instanceof Readable) zip.addReadStream(content, name);
    else zip.addBuffer(Buffer.from(content), name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

const zeros = (megabytes: number) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < megabytes; i++) yield Buffer.alloc(MB);
    })(),
  );

/** The entries of a set folder, for a zip. */
const entriesOf = (dir: string): [string, Buffer][] =>
  readdirSync(dir).map((n) => [n, readFileSync(join(dir, n))]);

const codes = (r: CsvImportReport) => r.errors.map((e) => [e.file, e.code]);

describe.each(testEngines('csv_uploads'))('CSV uploads on $name', (engine) => {
  let ds: DataSource;
  let tmp: string;
  let service: CsvImportService;
  const count = async (table: string, school?: string) =>
    Number(
      (
        (await ds.query(
          `SELECT COUNT(*) AS n FROM ${table}${school ? ' WHERE school_id = ?' : ''}`,
          school ? [school] : [],
        )) as { n: number }[]
      )[0].n,
    );

  beforeEach(async () => {
    ds = await openMigratedDatabase(engine);
    service = new CsvImportService(ds);
    tmp = mkdtempSync(join(tmpdir(), 'csv-uploads-'));
    for (const [id, o] of [
      [SCHOOL_A, 'org-a'],
      [SCHOOL_B, 'org-b'],
    ])
      await ds.query(
        'INSERT INTO schools (id, name, org_sourced_id, identifier, sandbox, created_at) VALUES (?, ?, ?, NULL, 0, ?)',
        [id, `School ${o}`, o, '2026-09-01 08:00:00.000'],
      );
    // School B holds a user and its org; school A holds its org only.
    const b = await service.importSet(
      writeSet(join(tmp, 'b'), {
        orgs: [org('org-b')],
        users: [user('pupil-of-b', 'org-b')],
      }),
      { schoolId: SCHOOL_B },
    );
    expect(b.errors).toEqual([]);
    const a = await service.importSet(
      writeSet(join(tmp, 'a'), { orgs: [org('org-a')] }),
      { schoolId: SCHOOL_A },
    );
    expect(a.errors).toEqual([]);
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('references of a school import', () => {
    /** A set for school A whose demographics and users refer to `userId` and `orgId`. */
    const setReferring = (name: string, userId: string, orgId: string) =>
      writeSet(join(tmp, name), {
        orgs: [org('org-a')],
        users: [user('pupil-of-a', 'org-a'), user('pupil-2-of-a', orgId)],
        demographics: [{ sourcedId: userId }],
      });
    /** The report with the ids taken out: what it says about them. */
    const shape = (r: CsvImportReport) => ({
      ok: r.ok,
      committed: r.committed,
      errorCount: r.errorCount,
      errors: r.errors.map((e) => ({ ...e, value: '<id>' })),
      warnings: r.warnings,
      files: r.files,
    });

    for (const mode of ['validate', 'apply'] as const)
      it(`${mode}: an id held only by another school reads exactly as one that exists nowhere`, async () => {
        const options = {
          schoolId: SCHOOL_A,
          strictSchool: true,
          validateOnly: mode === 'validate',
        };
        const other = await service.importSet(
          setReferring('other', 'pupil-of-b', 'org-b'),
          options,
        );
        const nowhere = await service.importSet(
          setReferring('nowhere', 'no-such-pupil', 'no-such-org'),
          options,
        );
        expect(nowhere.errors.map((e) => [e.file, e.column, e.value])).toEqual([
          ['users.csv', 'orgSourcedIds', 'no-such-org'],
          ['demographics.csv', 'sourcedId', 'no-such-pupil'],
        ]);
        expect(other.errors.map((e) => [e.file, e.column, e.value])).toEqual([
          ['users.csv', 'orgSourcedIds', 'org-b'],
          ['demographics.csv', 'sourcedId', 'pupil-of-b'],
        ]);
        expect(shape(other)).toEqual(shape(nowhere));
        expect(await count('users', SCHOOL_A)).toBe(0);
        expect(await count('demographics')).toBe(0);
      });

    it('still accepts references to records the school itself holds', async () => {
      await service.importSet(
        writeSet(join(tmp, 'a-users'), {
          orgs: [org('org-a')],
          users: [user('pupil-of-a', 'org-a')],
        }),
        { schoolId: SCHOOL_A },
      );
      const report = await service.importSet(
        writeSet(join(tmp, 'a-demo'), {
          demographics: [{ sourcedId: 'pupil-of-a' }],
        }),
        { schoolId: SCHOOL_A, validateOnly: true },
      );
      expect(report.errors).toEqual([]);
      expect(report.ok).toBe(true);
    });

    it('a validation job of school A reports the id of school B as unknown', async () => {
      const jobs = new CsvImportJobs(ds, { workDir: join(tmp, 'work') });
      const reports = [];
      for (const [name, id] of [
        ['other', 'pupil-of-b'],
        ['nowhere', 'no-such-pupil'],
      ]) {
        const zip = await zipOf(
          join(tmp, `${name}.zip`),
          entriesOf(setReferring(name, id, 'org-a')),
        );
        const view = jobs.start({
          schoolId: SCHOOL_A,
          zipPath: zip,
          mode: 'validate',
        });
        reports.push((await jobs.settled(view.id))?.report);
      }
      const [other, nowhere] = reports;
      expect(nowhere?.errors).toBe(1);
      expect(other).toEqual({
        ...nowhere,
        issues: nowhere?.issues.map((i) =>
          i.value === 'no-such-pupil' ? { ...i, value: 'pupil-of-b' } : i,
        ),
      });
    });
  });

  describe('archives', () => {
    const valid = () =>
      entriesOf(
        writeSet(join(tmp, 'valid'), {
          orgs: [org('org-a')],
          users: [user('pupil-of-a', 'org-a')],
        }),
      );
    const work = () => join(tmp, 'work');
    const importZip = async (
      name: string,
      entries: [string, string | Buffer | Readable][],
      options: { maxInflatedBytes?: number } = {},
    ) => {
      mkdirSync(work(), { recursive: true });
      const report = await service.importSet(
        await zipOf(join(tmp, name), entries),
        { schoolId: SCHOOL_A, workDir: work(), ...options },
      );
      // Nothing extracted is left behind, whatever the outcome.
      expect(readdirSync(work())).toEqual([]);
      return report;
    };

    it('refuses a set that inflates past the cap, writing nothing', async () => {
      const report = await importZip(
        'bomb.zip',
        [...valid(), ['enrollments.csv', zeros(64)]],
        { maxInflatedBytes: 16 * MB },
      );
      expect(codes(report)).toEqual([['(archive)', 'archive_too_large']]);
      expect(report.errors[0].message).toMatch(/more than 16 MB/);
      expect(report.committed).toBe(false);
      expect(await count('users', SCHOOL_A)).toBe(0);
    });

    it('refuses a OneRoster file given twice', async () => {
      const entries = valid();
      const report = await importZip('dup.zip', [
        ...entries,
        ['copy/users.csv', 'sourcedId\n'],
      ]);
      expect(codes(report)).toEqual([['(archive)', 'duplicate_entry']]);
      expect(report.errors[0].message).toContain('copy/users.csv');
      expect(await count('users', SCHOOL_A)).toBe(0);
    });

    it('imports the OneRoster files and warns about the others, which are not extracted', async () => {
      const report = await importZip('extra.zip', [
        ...valid(),
        ['readme.txt', 'hello'],
        ['pupils.csv', 'sourcedId\n'],
        ['tools/run.sh', '#!/bin/sh\n'],
      ]);
      expect(report.errors).toEqual([]);
      expect(
        report.warnings
          .filter((w) => w.code === 'unknown_file')
          .map((w) => w.file),
      ).toEqual(['readme.txt', 'pupils.csv', 'tools/run.sh']);
      expect(report.committed).toBe(true);
      expect(await count('users', SCHOOL_A)).toBe(1);
    });

    it('a job imports a OneRoster 1.2 zip through the same path, leaving nothing in the work folder', async () => {
      const v1p2: Record<string, string[][]> = {
        orgs: [['org-a', '', '', 'School org-a', 'school', '', '']],
        users: [
          ['pupil-1p2', '', '', 'true', 'pupil-1p2', '', 'Ada', 'Lovelace'],
        ],
        roles: [
          [
            'r1',
            '',
            '',
            'pupil-1p2',
            'primary',
            'student',
            '',
            '',
            'org-a',
            '',
          ],
        ],
      };
      const rows = (file: string) =>
        [
          V1P2_CSV_HEADERS[file as 'orgs'],
          ...v1p2[file].map((r) =>
            V1P2_CSV_HEADERS[file as 'orgs'].map((_, i) => r[i] ?? ''),
          ),
        ]
          .map((r) => csvLine(r))
          .join('');
      const manifest = [
        ['propertyName', 'value'],
        ['manifest.version', '1.0'],
        ['oneroster.version', '1.2'],
        ...V1P2_CSV_FILES.map((f) => [
          `file.${f}`,
          v1p2[f] ? 'bulk' : 'absent',
        ]),
      ]
        .map((r) => csvLine(r))
        .join('');
      const zip = await zipOf(join(tmp, 'v1p2.zip'), [
        ['manifest.csv', manifest],
        ...Object.keys(v1p2).map((f): [string, string] => [
          `${f}.csv`,
          rows(f),
        ]),
      ]);
      mkdirSync(work(), { recursive: true });
      const jobs = new CsvImportJobs(ds, { workDir: work() });
      const view = jobs.start({
        schoolId: SCHOOL_A,
        zipPath: zip,
        mode: 'apply',
      });
      const done = await jobs.settled(view.id);
      expect(done?.report?.errors).toBe(0);
      expect(done?.status).not.toBe('failed');
      expect(await count('users', SCHOOL_A)).toBe(1);
      expect(readdirSync(work())).toEqual([]);
    });

    it('a job of a refused archive fails with the reason, deletes the upload and writes nothing', async () => {
      const jobs = new CsvImportJobs(ds, {
        workDir: work(),
        maxInflatedBytes: 16 * MB,
      });
      const zip = await zipOf(join(tmp, 'bomb.zip'), [
        ...valid(),
        ['enrollments.csv', zeros(64)],
      ]);
      const view = jobs.start({
        schoolId: SCHOOL_A,
        zipPath: zip,
        mode: 'apply',
      });
      const done = await jobs.settled(view.id);
      expect(done).toMatchObject({ status: 'failed', percent: 100 });
      expect(done?.report?.issues).toEqual([
        expect.objectContaining({
          severity: 'error',
          file: '(archive)',
          message: expect.stringMatching(
            /inflates to more than 16 MB.*\(archive_too_large\)$/,
          ),
        }),
      ]);
      expect(existsSync(zip)).toBe(false);
      expect(readdirSync(work())).toEqual([]);
      expect(await count('users', SCHOOL_A)).toBe(0);
    });
  });

  describe('queue', () => {
    it('refuses one job more than the cap for a school, counting reserved uploads, not other schools', async () => {
      const jobs = new CsvImportJobs(ds, {
        workDir: join(tmp, 'work'),
        maxActivePerSchool: 2,
      });
      const zips: string[] = [];
      for (let i = 0; i < 4; i++)
        zips.push(
          await zipOf(
            join(tmp, `q${i}.zip`),
            entriesOf(writeSet(join(tmp, `q${i}`), { orgs: [org('org-a')] })),
          ),
        );
      const input = (i: number, schoolId = SCHOOL_A) => ({
        schoolId,
        zipPath: zips[i],
        mode: 'validate' as const,
      });
      // start answers at once: both jobs are queued or running when the third comes.
      const first = jobs.start(input(0));
      const slot = jobs.reserve(SCHOOL_A);
      expect(jobs.active(SCHOOL_A)).toBe(2);
      expect(() => jobs.start(input(1))).toThrow(CsvImportQueueFull);
      expect(() => jobs.reserve(SCHOOL_A)).toThrow(
        /already has 2 import\(s\) queued or running/,
      );
      // The refused upload is still the caller's; nothing was queued for it.
      expect(existsSync(zips[1])).toBe(true);
      expect(jobs.list(SCHOOL_A)).toHaveLength(1);
      // Another school has its own places.
      const elsewhere = jobs.start(input(2, SCHOOL_B));
      // The reserved place is taken by its upload's job.
      const second = jobs.start(input(3), slot);
      expect(jobs.active(SCHOOL_A)).toBe(2);
      await jobs.idle();
      for (const j of [first, second, elsewhere])
        expect((await jobs.settled(j.id))?.status).toMatch(/succeeded|failed/);
      // Finished jobs free their places; a released reservation too.
      expect(jobs.active(SCHOOL_A)).toBe(0);
      jobs.reserve(SCHOOL_A).release();
      const again = jobs.start(input(1));
      expect((await jobs.settled(again.id))?.status).toBe('succeeded');
    });
  });

  it('export: a file that cannot be written rejects the export instead of being lost', async () => {
    const out = join(tmp, 'export');
    mkdirSync(join(out, 'orgs.csv'), { recursive: true }); // a folder where the file goes
    await expect(exportCsv(ds, { schoolId: SCHOOL_B, out })).rejects.toThrow(
      /EISDIR/,
    );
    // Into a zip whose folder does not exist: rejected, nothing left behind.
    const zip = join(tmp, 'no-such-folder', 'b.zip');
    await expect(
      exportCsv(ds, { schoolId: SCHOOL_B, out: zip }),
    ).rejects.toThrow(/ENOENT/);
    expect(existsSync(zip)).toBe(false);
  });
});
