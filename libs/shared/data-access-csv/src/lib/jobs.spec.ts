import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { writeZip } from '@oneroster/util-oneroster-csv';
import { schoolIdForOrg } from './import';
import { CsvImportJobs } from './jobs';
import {
  copyFixture,
  countRows,
  editCsv,
  fixtureCounts,
  fixtureDir,
} from './testing/csv-sets';
import { fixturePlan } from './testing/fixture-sets';

const SCHOOL = fixturePlan('school').schools[0];
const SCHOOL_ORG = SCHOOL.orgSourcedId;

jest.setTimeout(180_000);

/** A zip of a set folder, as an upload endpoint would store it. */
async function zipOf(dir: string, into: string): Promise<string> {
  const path = join(mkdtempSync(join(into, 'upload-')), 'set.zip');
  await writeZip(
    path,
    readdirSync(dir).map((name) => ({ name, path: join(dir, name) })),
  );
  return path;
}

async function addSchool(
  ds: DataSource,
  id: string,
  org: string,
  name: string,
) {
  await ds.query(
    'INSERT INTO schools (id, name, org_sourced_id, identifier, sandbox, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    [id, name, org, null, 0, '2026-09-01 08:00:00.000'],
  );
}

describe.each(testEngines('csv_jobs'))('CSV import jobs on $name', (engine) => {
  let ds: DataSource;
  let tmp: string;
  const school = schoolIdForOrg(SCHOOL_ORG);
  const rows = fixtureCounts('school');
  const other = '00000000-0000-4000-8000-000000000002';
  let updates: ImportJobView[];
  let jobs: CsvImportJobs;

  beforeEach(async () => {
    ds = await openMigratedDatabase(engine);
    tmp = mkdtempSync(join(tmpdir(), 'csv-jobs-'));
    await addSchool(ds, school, SCHOOL_ORG, SCHOOL.name);
    await addSchool(ds, other, 'some-other-school-org', 'Other School');
    updates = [];
    jobs = new CsvImportJobs(ds, {
      workDir: join(tmp, 'work'),
      keep: 2,
      onUpdate: (v) => updates.push(v),
    });
  });
  afterEach(async () => {
    await jobs.idle();
    await ds.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('applies a set in the background with rising progress, then removes the zip', async () => {
    const zip = await zipOf(fixtureDir('school'), tmp);
    const started = jobs.start({
      schoolId: school,
      zipPath: zip,
      mode: 'apply',
    });
    expect(started).toMatchObject({
      schoolId: school,
      mode: 'apply',
      status: 'queued',
      percent: 0,
      finishedAt: null,
      report: null,
    });
    const done = await jobs.settled(started.id);
    expect(done).toMatchObject({ status: 'succeeded', percent: 100 });
    expect(done?.report).toMatchObject({ errors: 0 });
    expect(done?.report?.counts).toEqual(
      Object.fromEntries(
        Object.entries(rows)
          .filter(([, n]) => n > 0)
          .map(([f, n]) => [`${f}.csv`, n]),
      ),
    );
    expect(done?.rowsRead).toBe(Object.values(rows).reduce((a, b) => a + b, 0));
    expect(await countRows(ds, 'enrollments', school)).toBe(rows.enrollments);
    expect(existsSync(zip)).toBe(false);
    expect(readdirSync(join(tmp, 'work'))).toEqual([]);

    const mine = updates.filter((u) => u.id === started.id);
    const percents = mine.map((u) => u.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(
      new Set(percents.filter((p) => p > 0 && p < 100)).size,
    ).toBeGreaterThan(5);
    expect(mine.map((u) => u.phase)).toEqual(
      expect.arrayContaining([
        'validating enrollments.csv',
        'writing enrollments.csv',
      ]),
    );
    const statuses = [...new Set(mine.map((u) => u.status))];
    expect(statuses).toEqual(['validating', 'applying', 'succeeded']);
  });

  it('validate mode checks everything and writes nothing', async () => {
    const zip = await zipOf(fixtureDir('school'), tmp);
    const { id } = jobs.start({
      schoolId: school,
      zipPath: zip,
      mode: 'validate',
    });
    const done = await jobs.settled(id);
    expect(done).toMatchObject({ status: 'succeeded', mode: 'validate' });
    expect(done?.report?.counts['enrollments.csv']).toBe(rows.enrollments);
    expect(await countRows(ds, 'enrollments')).toBe(0);
    expect(await countRows(ds, 'users')).toBe(0);
    expect(existsSync(zip)).toBe(false);
  });

  it('reports bad input by file, line, column and value, and writes nothing', async () => {
    const dir = copyFixture('school');
    try {
      editCsv(dir, 'users.csv', (r, col) => {
        r[4][col('role')] = 'pupil';
        return r;
      });
      const zip = await zipOf(dir, tmp);
      const { id } = jobs.start({
        schoolId: school,
        zipPath: zip,
        mode: 'apply',
      });
      const done = await jobs.settled(id);
      expect(done?.status).toBe('failed');
      expect(done?.percent).toBe(100);
      expect(done?.report?.errors).toBe(1);
      expect(done?.report?.issues).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          file: 'users.csv',
          line: 5,
          column: 'role',
          value: 'pupil',
        }),
      );
      expect(await countRows(ds, 'users')).toBe(0);
      expect(existsSync(zip)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a set about another school', async () => {
    const zip = await zipOf(fixtureDir('school'), tmp);
    const { id } = jobs.start({ schoolId: other, zipPath: zip, mode: 'apply' });
    const done = await jobs.settled(id);
    expect(done?.status).toBe('failed');
    const errors = (done?.report?.issues ?? []).filter(
      (i) => i.severity === 'error',
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((i) => i.message.endsWith('(wrong_school)'))).toBe(
      true,
    );
    expect(done?.report?.issues).toContainEqual(
      expect.objectContaining({ file: 'orgs.csv', value: SCHOOL_ORG }),
    );
    expect(done?.report?.issues).toContainEqual(
      expect.objectContaining({
        file: 'classes.csv',
        line: 2,
        column: 'schoolSourcedId',
        value: SCHOOL_ORG,
      }),
    );
    expect(await countRows(ds, 'orgs')).toBe(0);
    expect(await countRows(ds, 'users')).toBe(0);
    expect(existsSync(zip)).toBe(false);
  });

  it('runs jobs of one school one at a time, in order, and keeps the last ones', async () => {
    const a = jobs.start({
      schoolId: school,
      zipPath: await zipOf(fixtureDir('school'), tmp),
      mode: 'apply',
    });
    const b = jobs.start({
      schoolId: school,
      zipPath: await zipOf(fixtureDir('school'), tmp),
      mode: 'validate',
    });
    const c = jobs.start({
      schoolId: school,
      zipPath: join(tmp, 'missing.zip'),
      mode: 'apply',
    });
    await jobs.idle();
    // While one job of the school ran, the later ones were still queued.
    const running = (u: ImportJobView) =>
      u.status === 'validating' || u.status === 'applying';
    const last = new Map<string, ImportJobView>();
    for (const u of updates) {
      last.set(u.id, u);
      const active = [...last.values()].filter(running);
      expect(active.length).toBeLessThanOrEqual(1);
    }
    const order = updates.filter((u) => u.finishedAt).map((u) => u.id);
    expect(order).toEqual([a.id, b.id, c.id]);
    // The second import of the same data changes nothing (it ran after the first).
    const bDone = updates.find((u) => u.id === b.id && u.finishedAt);
    expect(bDone?.status).toBe('succeeded');
    // A missing archive fails the job with a report, not an unhandled rejection.
    const cDone = jobs.get(c.id);
    expect(cDone?.status).toBe('failed');
    expect(cDone?.report?.issues[0]).toMatchObject({ severity: 'error' });
    // keep: 2 finished jobs per school, newest first.
    expect(jobs.list(school).map((j) => j.id)).toEqual([c.id, b.id]);
    expect(jobs.get(a.id)).toBeUndefined();
    expect(jobs.list(other)).toEqual([]);
  });

  it('ends a job failed, rolled back, when the database fails mid-import', async () => {
    await ds.query('DROP TABLE enrollments');
    const zip = await zipOf(fixtureDir('school'), tmp);
    const { id } = jobs.start({
      schoolId: school,
      zipPath: zip,
      mode: 'apply',
    });
    const done = await jobs.settled(id);
    expect(done?.status).toBe('failed');
    expect(done?.report?.issues[0]).toMatchObject({
      severity: 'error',
      file: '(import)',
    });
    expect(await countRows(ds, 'users')).toBe(0);
    expect(existsSync(zip)).toBe(false);
  });
});
