import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { planTrust, writeTrustCsv } from '@oneroster/demo-data';
import { CSV_FILES } from '@oneroster/util-oneroster-csv';
import { CsvImportService, schoolIdForOrg } from './import';
import { exportCsv } from './export';
import {
  copyFixture,
  countRows,
  dumpSchool,
  editCsv,
  editLines,
  fixtureCounts,
  fixtureDir,
  nonEmptyCounts,
  setManifest,
  splitCsv,
} from './testing/csv-sets';
import { fixturePlan } from './testing/fixture-sets';

const SCHOOL = fixturePlan('school').schools[0];
const SCHOOL_ORG = SCHOOL.orgSourcedId;
const TRUST = fixturePlan('trust');
const T0 = new Date('2026-09-02T10:00:00.000Z');
const T1 = new Date('2026-09-03T10:00:00.000Z');

jest.setTimeout(120_000);

/** The number of items of a list column over a file (GUIDRef lists become link rows). */
function listItems(dir: string, file: string, column: string): number {
  const [header, ...rows] = splitCsv(readFileSync(join(dir, file), 'utf8'));
  const i = header.indexOf(column);
  return rows.reduce((n, r) => n + r[i].split(',').filter(Boolean).length, 0);
}

describe.each(testEngines('csv_import'))('CSV import on $name', (engine) => {
  let ds: DataSource;
  let service: CsvImportService;
  beforeEach(async () => {
    ds = await openMigratedDatabase(engine);
    service = new CsvImportService(ds);
  });
  afterEach(async () => {
    await ds.destroy();
  });

  it('imports a one-school set written as exports write it, with a warning for the filled bulk columns', async () => {
    const report = await service.importSet(fixtureDir('school'), {
      now: T0,
    });
    expect(report.ok).toBe(true);
    expect(report.committed).toBe(true);
    expect(report.errors).toEqual([]);
    expect(new Set(report.warnings.map((w) => w.code))).toEqual(
      new Set(['bulk_status_filled']),
    );
    const school = schoolIdForOrg(SCHOOL_ORG);
    expect(report.schools).toEqual([
      {
        schoolId: school,
        orgSourcedId: SCHOOL_ORG,
        name: SCHOOL.name,
        created: true,
      },
    ]);
    const counts = Object.fromEntries(
      Object.entries(report.files).map(([f, s]) => [f, s?.inserted]),
    );
    // One school: every record of the set goes into it once.
    expect(counts).toEqual(nonEmptyCounts('school'));
    const rows = fixtureCounts('school');
    expect(await countRows(ds, 'enrollments', school)).toBe(rows.enrollments);
    expect(await countRows(ds, 'class_terms', school)).toBe(
      listItems(fixtureDir('school'), 'classes.csv', 'termSourcedIds'),
    );
    expect(await countRows(ds, 'user_orgs', school)).toBe(
      listItems(fixtureDir('school'), 'users.csv', 'orgSourcedIds'),
    );
    const [row] = (await ds.query(
      'SELECT status, date_last_modified AS d FROM users WHERE school_id = ? LIMIT 1',
      [school],
    )) as { status: string; d: unknown }[];
    expect(row.status).toBe('active');
  });

  it('splits a trust set per school, copying shared records where they are used', async () => {
    const dir = copyFixture('trust');
    const rows = fixtureCounts('trust');
    const catalogue = 'trust-catalogue-course';
    let classSchool = '';
    try {
      // A trust catalogue course (owned by the trust org) that one new class of one school uses.
      editCsv(dir, 'courses.csv', (r, col) => {
        const course = [...r[1]];
        course[col('sourcedId')] = catalogue;
        course[col('orgSourcedId')] = TRUST.trustSourcedId;
        return [...r, course];
      });
      editCsv(dir, 'classes.csv', (r, col) => {
        const cls = [...r[1]];
        cls[col('sourcedId')] = 'class-of-the-catalogue-course';
        cls[col('courseSourcedId')] = catalogue;
        classSchool = cls[col('schoolSourcedId')];
        return [...r, cls];
      });
      const report = await service.importSet(dir, { now: T0 });
      expect(report.errors).toEqual([]);
      expect(report.schools).toHaveLength(TRUST.schools.length);
      expect(report.files.users?.rows).toBe(rows.users);
      expect(report.files.classes?.rows).toBe(rows.classes + 1);
      expect(report.files.enrollments?.rows).toBe(rows.enrollments);
      // Each class and enrollment lands in exactly one school.
      expect(await countRows(ds, 'classes')).toBe(rows.classes + 1);
      expect(await countRows(ds, 'enrollments')).toBe(rows.enrollments);
      expect(await countRows(ds, 'schools')).toBe(TRUST.schools.length);
      // Every school holds its own org and the trust's.
      expect(await countRows(ds, 'orgs')).toBe(2 * TRUST.schools.length);
      // The catalogue course is copied only into the school whose class uses it.
      expect(
        await ds.query(
          'SELECT school_id AS s FROM courses WHERE sourced_id = ?',
          [catalogue],
        ),
      ).toEqual([{ s: schoolIdForOrg(classSchool) }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Nothing dangles inside a school: courses, terms, users and schools of every row exist there.
    const dangling = async (sql: string) =>
      Number(((await ds.query(sql)) as { n: number }[])[0].n);
    expect(
      await dangling(
        'SELECT COUNT(*) AS n FROM classes c LEFT JOIN courses k ON k.school_id = c.school_id AND k.sourced_id = c.course_sourced_id WHERE k.sourced_id IS NULL',
      ),
    ).toBe(0);
    expect(
      await dangling(
        'SELECT COUNT(*) AS n FROM enrollments e LEFT JOIN users u ON u.school_id = e.school_id AND u.sourced_id = e.user_sourced_id WHERE u.sourced_id IS NULL',
      ),
    ).toBe(0);
    expect(
      await dangling(
        'SELECT COUNT(*) AS n FROM class_terms t LEFT JOIN academic_sessions s ON s.school_id = t.school_id AND s.sourced_id = t.term_sourced_id WHERE s.sourced_id IS NULL',
      ),
    ).toBe(0);
    expect(
      await dangling(
        'SELECT COUNT(*) AS n FROM user_orgs t LEFT JOIN orgs o ON o.school_id = t.school_id AND o.sourced_id = t.org_sourced_id WHERE o.sourced_id IS NULL',
      ),
    ).toBe(0);
    // A course is only where a class uses it.
    expect(
      await dangling(
        'SELECT COUNT(*) AS n FROM courses k WHERE NOT EXISTS (SELECT 1 FROM classes c WHERE c.school_id = k.school_id AND c.course_sourced_id = k.sourced_id)',
      ),
    ).toBe(0);
    // Users all land somewhere, once per school they belong to.
    const users = (await ds.query(
      'SELECT COUNT(DISTINCT sourced_id) AS n FROM users',
    )) as { n: number }[];
    expect(Number(users[0].n)).toBe(rows.users);
  });

  it('accepts the variants real exports write, normalised to what the exact set holds, each warned with file, line and column', async () => {
    const exact = await service.importSet(fixtureDir('school'), { now: T0 });
    expect(exact.errors).toEqual([]);
    const dir = copyFixture('school');
    try {
      editCsv(dir, 'users.csv', (r, col) => {
        const [enabled, role] = [col('enabledUser'), col('role')];
        for (const row of r.slice(1)) {
          row[enabled] = row[enabled] === 'true' ? 'TRUE' : '0';
          if (row[role] === 'student') row[role] = 'Student';
        }
        r[0][col('givenName')] = ' GivenName';
        return r;
      });
      editCsv(dir, 'classes.csv', (r, col) => {
        for (const row of r.slice(1))
          if (row[col('classType')] === 'scheduled')
            row[col('classType')] = 'Scheduled';
        return r;
      });
      editCsv(dir, 'academicSessions.csv', (r, col) => {
        for (const row of r.slice(1))
          row[col('schoolYear')] =
            `${Number(row[col('schoolYear')]) - 1}-${row[col('schoolYear')]}`;
        return r;
      });
      editCsv(dir, 'results.csv', (r, col) => {
        for (const row of r.slice(1)) row[col('scoreDate')] += 'T00:00:00Z';
        return r;
      });
      // A spreadsheet's empty last column, and its empty row at the end.
      editCsv(dir, 'enrollments.csv', (r) => [
        ...r.map((row) => [...row, '']),
        Array(r[0].length + 1).fill(''),
      ]);
      setManifest(dir, { users: 'Bulk' });
      const users = join(dir, 'users.csv');
      writeFileSync(users, '\ufeff' + readFileSync(users, 'utf8') + '\r\n\r\n');

      const report = await service.importSet(dir, { now: T1 });
      expect(report.errors).toEqual([]);
      // Every record reads exactly as in the exact set: nothing inserted, changed or removed
      // (the empty row of enrollments.csv is read, and skipped).
      for (const [file, n] of Object.entries(nonEmptyCounts('school')))
        expect([file, report.files[file as keyof typeof report.files]]).toEqual(
          [
            file,
            expect.objectContaining({
              rows: file === 'enrollments' ? n + 1 : n,
              unchanged: n,
              inserted: 0,
              updated: 0,
              deleted: 0,
            }),
          ],
        );
      const warned = report.warnings.map((w) => [
        w.file,
        w.line,
        w.column,
        w.value,
        w.code,
      ]);
      expect(warned).toEqual(
        expect.arrayContaining([
          [
            'manifest.csv',
            expect.any(Number),
            'value',
            'Bulk',
            'normalised_value',
          ],
          ['users.csv', 1, 'givenName', ' GivenName', 'header_normalised'],
          [
            'users.csv',
            2,
            'enabledUser',
            expect.stringMatching(/^(TRUE|0)$/),
            'normalised_boolean',
          ],
          [
            'users.csv',
            expect.any(Number),
            'role',
            'Student',
            'normalised_value',
          ],
          [
            'classes.csv',
            expect.any(Number),
            'classType',
            'Scheduled',
            'normalised_value',
          ],
          [
            'academicSessions.csv',
            2,
            'schoolYear',
            expect.stringMatching(/^\d{4}-\d{4}$/),
            'normalised_school_year',
          ],
          [
            'results.csv',
            2,
            'scoreDate',
            expect.stringMatching(/T00:00:00Z$/),
            'normalised_date',
          ],
          ['enrollments.csv', 1, undefined, undefined, 'trailing_columns'],
          [
            'enrollments.csv',
            fixtureCounts('school').enrollments + 2,
            undefined,
            expect.any(String),
            'blank_row',
          ],
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses 1.1 files under a OneRoster 1.2 manifest at the manifest, and writes nothing', async () => {
    const dir = copyFixture('school');
    try {
      editLines(dir, 'manifest.csv', (l) =>
        l.map((x) =>
          x.replace(/^oneroster\.version,1\.1$/, 'oneroster.version,1.2'),
        ),
      );
      const report = await service.importSet(dir, { now: T0 });
      expect(report.ok).toBe(false);
      expect(
        new Set(report.errors.map((e) => [e.file, e.code].join(' '))),
      ).toEqual(
        new Set([
          'manifest.csv missing_property',
          'manifest.csv version_mismatch',
        ]),
      );
      expect(
        report.errors.find((e) => e.code === 'version_mismatch')?.message,
      ).toContain('set oneroster.version to 1.1');
      expect(await countRows(ds, 'schools')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports crafted errors with file, line, column and value, and writes nothing', async () => {
    const dir = copyFixture('school');
    const ghostLine = fixtureCounts('school').enrollments + 1;
    const ghost = (rows: string[][], col: (n: string) => number) => {
      rows[rows.length - 1][col('userSourcedId')] = 'no-such-user';
      return rows;
    };
    try {
      editCsv(dir, 'orgs.csv', (r, col) => {
        r[0][col('identifier')] = 'identifer';
        return r;
      });
      editCsv(dir, 'academicSessions.csv', (r, col) => {
        r[2][col('startDate')] = '2026-02-30';
        return r;
      });
      editCsv(dir, 'users.csv', (r, col) => {
        r[3][col('role')] = 'pupil';
        return r;
      });
      editCsv(dir, 'enrollments.csv', (r, col) => {
        r[5][col('primary')] = 'yes';
        r[10][col('sourcedId')] = r[9][col('sourcedId')];
        return ghost(r, col);
      });
      const report = await service.importSet(dir, { now: T0 });
      expect(report.ok).toBe(false);
      expect(report.committed).toBe(false);
      const got = report.errors.map((e) => [
        e.file,
        e.line,
        e.column,
        e.value,
        e.code,
      ]);
      expect(got).toEqual([
        ['orgs.csv', 1, 'identifer', undefined, 'unknown_header'],
        ['academicSessions.csv', 3, 'startDate', '2026-02-30', 'bad_date'],
        ['users.csv', 4, 'role', 'pupil', 'bad_enum'],
        ['enrollments.csv', 6, 'primary', 'yes', 'bad_boolean'],
        [
          'enrollments.csv',
          11,
          'sourcedId',
          expect.any(String),
          'duplicate_sourced_id',
        ],
      ]);
      expect(report.errors[1].message).toContain('YYYY-MM-DD');
      expect(await countRows(ds, 'schools')).toBe(0);
      expect(await countRows(ds, 'users')).toBe(0);

      // With the format errors fixed, the reference to a user that exists nowhere remains.
      const dir2 = copyFixture('school');
      editCsv(dir2, 'enrollments.csv', ghost);
      const report2 = await service.importSet(dir2, { now: T0 });
      expect(
        report2.errors.map((e) => [e.file, e.line, e.column, e.value, e.code]),
      ).toEqual([
        [
          'enrollments.csv',
          ghostLine,
          'userSourcedId',
          'no-such-user',
          'unknown_reference',
        ],
      ]);
      rmSync(dir2, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is all or nothing: a bad last row, or a failure while writing, leaves the database as it was', async () => {
    await service.importSet(fixtureDir('school'), { now: T0 });
    const school = schoolIdForOrg(SCHOOL_ORG);
    const before = await dumpSchool(ds, school);
    const dir = copyFixture('school');
    let role = '';
    try {
      // Change the first user, drop an enrollment, and spoil the very last enrollment row.
      editCsv(dir, 'users.csv', (r, col) => {
        r[1][col('givenName')] = 'Renamed';
        return r;
      });
      editCsv(dir, 'enrollments.csv', (r, col) => {
        const last = r[r.length - 1];
        role = last[col('role')];
        last[col('role')] = 'headteacher';
        return [r[0], ...r.slice(2)];
      });
      const refused = await service.importSet(dir, { now: T1 });
      expect(
        refused.errors.map((e) => [e.file, e.line, e.column, e.code]),
      ).toEqual([
        [
          'enrollments.csv',
          fixtureCounts('school').enrollments,
          'role',
          'bad_enum',
        ],
      ]);
      expect(await dumpSchool(ds, school)).toEqual(before);

      // Valid again, but the write fails on the last file: the transaction rolls back.
      editCsv(dir, 'enrollments.csv', (r, col) => {
        r[r.length - 1][col('role')] = role;
        return r;
      });
      await expect(
        service.importSet(dir, {
          now: T1,
          onProgress: (p) => {
            if (p.phase === 'write' && p.file === 'enrollments' && p.done)
              throw new Error('disk full');
          },
        }),
      ).rejects.toThrow('disk full');
      expect(await dumpSchool(ds, school)).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bulk then bulk: missing records become tobedeleted, changed ones get the import time, others keep theirs', async () => {
    await service.importSet(fixtureDir('school'), { now: T0 });
    const school = schoolIdForOrg(SCHOOL_ORG);
    const rows = fixtureCounts('school');
    const dir = copyFixture('school');
    let removed = '';
    let changed = '';
    try {
      editCsv(dir, 'users.csv', (r, col) => {
        changed = r[1][col('sourcedId')];
        r[1][col('givenName')] = 'Renamed';
        return r;
      });
      editCsv(dir, 'enrollments.csv', (r, col) => {
        removed = r[1][col('sourcedId')];
        return [r[0], ...r.slice(2)];
      });
      const report = await service.importSet(dir, { now: T1 });
      expect(report.errors).toEqual([]);
      expect(report.files.users).toMatchObject({
        updated: 1,
        unchanged: rows.users - 1,
        inserted: 0,
        deleted: 0,
      });
      expect(report.files.enrollments).toMatchObject({
        updated: 0,
        unchanged: rows.enrollments - 1,
        deleted: 1,
      });
      const after = await dumpSchool(ds, school);
      const gone = after.enrollments.find((r) => r.sourcedId === removed);
      expect(gone).toMatchObject({
        status: 'tobedeleted',
        dateLastModified: T1.toISOString(),
      });
      expect(
        after.users.find((r) => r.sourcedId === changed)?.dateLastModified,
      ).toBe(T1.toISOString());
      expect(
        after.users.filter((r) => r.dateLastModified === T0.toISOString()),
      ).toHaveLength(rows.users - 1);

      // Delta: an upsert and a deletion, each with its own dateLastModified.
      setManifest(
        dir,
        Object.fromEntries(
          CSV_FILES.map((f) => [f, f === 'users' ? 'delta' : 'absent']),
        ),
      );
      editCsv(dir, 'users.csv', (r, col) => {
        const [a, b] = [r[2], r[3]];
        a[col('status')] = 'tobedeleted';
        a[col('dateLastModified')] = '2026-09-04T09:00:00.000Z';
        b[col('status')] = 'active';
        b[col('dateLastModified')] = '2026-09-04T09:30:00Z';
        b[col('givenName')] = 'Renamed again';
        return [r[0], a, b];
      });
      const delta = await service.importSet(dir, {
        now: new Date('2026-09-05T00:00:00Z'),
      });
      expect(delta.errors).toEqual([]);
      expect(delta.schools.map((s) => s.schoolId)).toEqual([school]);
      expect(delta.files.users).toMatchObject({
        mode: 'delta',
        rows: 2,
        updated: 1,
        deleted: 1,
      });
      const d = await dumpSchool(ds, school);
      const users = new Map(d.users.map((u) => [u.sourcedId, u]));
      const ids = after.users.map((u) => u.sourcedId);
      expect(d.users).toHaveLength(rows.users);
      const [deleted] = d.users.filter((u) => u.status === 'tobedeleted');
      expect(deleted.dateLastModified).toBe('2026-09-04T09:00:00.000Z');
      expect(
        [...users.values()].filter(
          (u) => u.dateLastModified === '2026-09-04T09:30:00.000Z',
        ),
      ).toHaveLength(1);
      expect(ids).toContain(deleted.sourcedId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serialises imports of the same school', async () => {
    const [a, b] = await Promise.all([
      service.importSet(fixtureDir('school'), { now: T0 }),
      service.importSet(fixtureDir('school'), { now: T1 }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    // One ran first and inserted; the other, after it, found everything unchanged.
    const users = [a, b].map((r) => [
      r.files.users?.inserted,
      r.files.users?.unchanged,
    ]);
    const n = fixtureCounts('school').users;
    expect(users.sort()).toEqual([
      [0, n],
      [n, 0],
    ]);
    expect([a, b].filter((r) => r.schools[0]?.created)).toHaveLength(1);
  });

  it('round trip: importing an export reproduces the school exactly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'or-csv-rt-'));
    try {
      const demo = join(out, 'demo-trust');
      await writeTrustCsv(planTrust({ size: 'demo' }), demo);
      for (const set of [fixtureDir('school'), fixtureDir('trust'), demo]) {
        const report = await service.importSet(set, { now: T0 });
        expect(report.errors).toEqual([]);
      }
      const schools = (await ds.query(
        'SELECT id, name, org_sourced_id AS org FROM schools ORDER BY id',
      )) as {
        id: string;
        name: string;
        org: string;
      }[];
      expect(schools).toHaveLength(
        1 + TRUST.schools.length + planTrust({ size: 'demo' }).schools.length,
      );
      const target = await openMigratedDatabase(engine);
      try {
        const copy = new CsvImportService(target);
        for (const s of schools) {
          await target.query(
            'INSERT INTO schools (id, name, org_sourced_id, identifier, sandbox, created_at) VALUES (?, ?, ?, NULL, 0, ?)',
            [s.id, s.name, s.org, '2026-01-01 00:00:00.000'],
          );
          const original = await dumpSchool(ds, s.id);
          // Bulk: everything but dateLastModified (the import time of a bulk set).
          const zip = join(out, `${s.id}.zip`);
          await exportCsv(ds, { schoolId: s.id, out: zip });
          const bulk = await copy.importSet(zip, { schoolId: s.id, now: T0 });
          expect(bulk.errors).toEqual([]);
          expect(await dumpSchool(target, s.id)).toEqual(original);
          // Delta since the beginning: status and dateLastModified too.
          const deltaDir = join(out, s.id);
          await exportCsv(ds, {
            schoolId: s.id,
            out: deltaDir,
            since: new Date(0),
          });
          const delta = await copy.importSet(deltaDir, {
            schoolId: s.id,
            now: T1,
          });
          expect(delta.errors).toEqual([]);
          expect(await dumpSchool(target, s.id)).toEqual(original);
        }
      } finally {
        await target.destroy();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
