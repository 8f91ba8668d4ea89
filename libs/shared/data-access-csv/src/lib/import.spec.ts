import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database';
import { planTrust, writeTrustCsv } from '@oneroster/demo-data';
import { CsvImportService, schoolIdForOrg } from './import';
import { exportCsv } from './export';
import {
  copySample,
  countRows,
  dumpSchool,
  editLines,
  samplesAvailable,
  SAMPLES,
  setManifest,
} from './testing/csv-sets';

const MEDIUM_SCHOOL_ORG = 'f1cb440b-97af-4ab6-b729-ec329f7e42de';
const T0 = new Date('2026-09-02T10:00:00.000Z');
const T1 = new Date('2026-09-03T10:00:00.000Z');

jest.setTimeout(120_000);

const suite = samplesAvailable ? describe : describe.skip;

suite.each(testEngines('csv_import'))('CSV import on $name', (engine) => {
  let ds: DataSource;
  let service: CsvImportService;
  beforeEach(async () => {
    ds = await openMigratedDatabase(engine);
    service = new CsvImportService(ds);
  });
  afterEach(async () => {
    await ds.destroy();
  });

  it('imports the medium school sample with a warning for the filled bulk columns', async () => {
    const report = await service.importSet(join(SAMPLES, 'school-medium'), {
      now: T0,
    });
    expect(report.ok).toBe(true);
    expect(report.committed).toBe(true);
    expect(report.errors).toEqual([]);
    expect(new Set(report.warnings.map((w) => w.code))).toEqual(
      new Set(['bulk_status_filled']),
    );
    const school = schoolIdForOrg(MEDIUM_SCHOOL_ORG);
    expect(report.schools).toEqual([
      {
        schoolId: school,
        orgSourcedId: MEDIUM_SCHOOL_ORG,
        name: 'Plum Larkspur Middle School',
        created: true,
      },
    ]);
    const counts = Object.fromEntries(
      Object.entries(report.files).map(([f, s]) => [f, s?.inserted]),
    );
    expect(counts).toEqual({
      orgs: 1,
      academicSessions: 2,
      courses: 21,
      classes: 42,
      users: 112,
      demographics: 105,
      enrollments: 777,
    });
    expect(await countRows(ds, 'enrollments', school)).toBe(777);
    expect(await countRows(ds, 'class_terms', school)).toBe(42);
    expect(await countRows(ds, 'user_orgs', school)).toBe(112);
    const [row] = (await ds.query(
      'SELECT status, date_last_modified AS d FROM users WHERE school_id = ? LIMIT 1',
      [school],
    )) as { status: string; d: unknown }[];
    expect(row.status).toBe('active');
  });

  it('splits the district sample per school, copying shared records where they are used', async () => {
    const report = await service.importSet(join(SAMPLES, 'district-large'), {
      now: T0,
    });
    expect(report.errors).toEqual([]);
    expect(report.schools).toHaveLength(20);
    expect(report.files.users?.rows).toBe(4441);
    expect(report.files.classes?.rows).toBe(1470);
    expect(report.files.enrollments?.rows).toBe(31045);
    // Each class and enrollment lands in exactly one school.
    expect(await countRows(ds, 'classes')).toBe(1470);
    expect(await countRows(ds, 'enrollments')).toBe(31045);
    expect(await countRows(ds, 'schools')).toBe(20);
    // Every school holds its own org and the district.
    expect(await countRows(ds, 'orgs')).toBe(40);
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
    // A district course is copied only into the schools whose classes use it.
    expect(
      await dangling(
        'SELECT COUNT(*) AS n FROM courses k WHERE NOT EXISTS (SELECT 1 FROM classes c WHERE c.school_id = k.school_id AND c.course_sourced_id = k.sourced_id)',
      ),
    ).toBe(0);
    // Users all land somewhere, once per school they belong to.
    const users = (await ds.query(
      'SELECT COUNT(DISTINCT sourced_id) AS n FROM users',
    )) as { n: number }[];
    expect(Number(users[0].n)).toBe(4441);
  });

  it('reports crafted errors with file, line, column and value, and writes nothing', async () => {
    const dir = copySample('school-medium');
    try {
      editLines(dir, 'orgs.csv', (l) => [
        l[0].replace(',identifier,', ',Identifier,'),
        ...l.slice(1),
      ]);
      editLines(dir, 'academicSessions.csv', (l) => {
        l[2] = l[2].replace('2026-08-15', '2026-02-30');
        return l;
      });
      editLines(dir, 'users.csv', (l) => {
        l[3] = l[3].replace(',student,', ',pupil,');
        return l;
      });
      editLines(dir, 'enrollments.csv', (l) => {
        const flag = l[5].split(',');
        flag[7] = 'yes';
        l[5] = flag.join(',');
        const dup = l[10].split(',');
        dup[0] = l[9].split(',')[0];
        l[10] = dup.join(',');
        const ghost = l[l.length - 1].split(',');
        ghost[5] = 'no-such-user';
        l[l.length - 1] = ghost.join(',');
        return l;
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
        ['orgs.csv', 1, 'Identifier', undefined, 'unknown_header'],
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
      const dir2 = copySample('school-medium');
      editLines(dir2, 'enrollments.csv', (l) => {
        const ghost = l[l.length - 1].split(',');
        ghost[5] = 'no-such-user';
        l[l.length - 1] = ghost.join(',');
        return l;
      });
      const report2 = await service.importSet(dir2, { now: T0 });
      expect(
        report2.errors.map((e) => [e.file, e.line, e.column, e.value, e.code]),
      ).toEqual([
        [
          'enrollments.csv',
          778,
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
    await service.importSet(join(SAMPLES, 'school-medium'), { now: T0 });
    const school = schoolIdForOrg(MEDIUM_SCHOOL_ORG);
    const before = await dumpSchool(ds, school);
    const dir = copySample('school-medium');
    try {
      // Change the first user, drop an enrollment, and spoil the very last enrollment row.
      editLines(dir, 'users.csv', (l) => [
        l[0],
        l[1].replace(',Tariq,', ',Tarik,'),
        ...l.slice(2),
      ]);
      editLines(dir, 'enrollments.csv', (l) => {
        const last = l[l.length - 1].split(',');
        last[6] = 'headteacher';
        return [l[0], ...l.slice(2, -1), last.join(',')];
      });
      const refused = await service.importSet(dir, { now: T1 });
      expect(
        refused.errors.map((e) => [e.file, e.line, e.column, e.code]),
      ).toEqual([['enrollments.csv', 777, 'role', 'bad_enum']]);
      expect(await dumpSchool(ds, school)).toEqual(before);

      // Valid again, but the write fails on the last file: the transaction rolls back.
      editLines(dir, 'enrollments.csv', (l) => {
        const last = l[l.length - 1].split(',');
        last[6] = 'student';
        return [...l.slice(0, -1), last.join(',')];
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
    await service.importSet(join(SAMPLES, 'school-medium'), { now: T0 });
    const school = schoolIdForOrg(MEDIUM_SCHOOL_ORG);
    const dir = copySample('school-medium');
    let removed = '';
    let changed = '';
    try {
      editLines(dir, 'users.csv', (l) => {
        changed = l[1].split(',')[0];
        return [l[0], l[1].replace(',Tariq,', ',Tarik,'), ...l.slice(2)];
      });
      editLines(dir, 'enrollments.csv', (l) => {
        removed = l[1].split(',')[0];
        return [l[0], ...l.slice(2)];
      });
      const report = await service.importSet(dir, { now: T1 });
      expect(report.errors).toEqual([]);
      expect(report.files.users).toMatchObject({
        updated: 1,
        unchanged: 111,
        inserted: 0,
        deleted: 0,
      });
      expect(report.files.enrollments).toMatchObject({
        updated: 0,
        unchanged: 776,
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
      ).toHaveLength(111);

      // Delta: an upsert and a deletion, each with its own dateLastModified.
      setManifest(dir, {
        orgs: 'absent',
        academicSessions: 'absent',
        courses: 'absent',
        classes: 'absent',
        demographics: 'absent',
        enrollments: 'absent',
        users: 'delta',
      });
      editLines(dir, 'users.csv', (l) => {
        const a = l[2].split(',');
        a[1] = 'tobedeleted';
        a[2] = '2026-09-04T09:00:00.000Z';
        const b = l[3].split(',');
        b[1] = 'active';
        b[2] = '2026-09-04T09:30:00Z';
        b[8] = 'Renamed';
        return [l[0], a.join(','), b.join(',')];
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
      expect(d.users).toHaveLength(112);
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
      service.importSet(join(SAMPLES, 'school-medium'), { now: T0 }),
      service.importSet(join(SAMPLES, 'school-medium'), { now: T1 }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    // One ran first and inserted; the other, after it, found everything unchanged.
    const users = [a, b].map((r) => [
      r.files.users?.inserted,
      r.files.users?.unchanged,
    ]);
    expect(users.sort()).toEqual([
      [0, 112],
      [112, 0],
    ]);
    expect([a, b].filter((r) => r.schools[0]?.created)).toHaveLength(1);
  });

  it('round trip: importing an export reproduces the school exactly', async () => {
    const out = mkdtempSync(join(tmpdir(), 'or-csv-rt-'));
    try {
      const demo = join(out, 'demo-trust');
      await writeTrustCsv(planTrust({ size: 'demo' }), demo);
      for (const set of [
        join(SAMPLES, 'school-medium'),
        join(SAMPLES, 'district-large'),
        demo,
      ]) {
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
      expect(schools).toHaveLength(23);
      const demoOrgs = new Set(
        planTrust({ size: 'demo' }).schools.map((x) => x.orgSourcedId),
      );
      const target = await openMigratedDatabase(engine);
      try {
        const copy = new CsvImportService(target);
        for (const [i, s] of schools.entries()) {
          // Every school of the medium sample and the demo trust, a sample of the district's.
          if (
            i % 7 !== 0 &&
            s.org !== MEDIUM_SCHOOL_ORG &&
            !demoOrgs.has(s.org)
          )
            continue;
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
