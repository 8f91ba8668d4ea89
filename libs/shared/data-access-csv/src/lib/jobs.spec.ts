import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { writeZip } from '@oneroster/util-oneroster-csv';
import { schoolIdForOrg } from './import';
import { CsvImportQueueFull, type CsvImportJobsOptions } from './jobs';
import { BullMqCsvImportRunner, CSV_IMPORT_QUEUE_NAME } from './jobs/bullmq';
import { InProcessCsvImportRunner } from './jobs/in-process';
import type { CsvImportRunner } from './jobs/runner';
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

/**
 * The in-process runner always; the BullMQ runner too when TEST_REDIS_URL names a Redis
 * (each test uses a key prefix of its own under TEST_REDIS_PREFIX, default oneroster:test).
 */
const REDIS = process.env['TEST_REDIS_URL'];
const PREFIX = process.env['TEST_REDIS_PREFIX'] || 'oneroster:test';
const RUNNERS = REDIS ? ['in-process', 'BullMQ'] : ['in-process'];

/** Fast lock and stall timings, so that a dead worker is noticed within seconds. */
const FAST = {
  lockDurationMs: 1500,
  stalledIntervalMs: 500,
  busyRetryMs: 100,
  pollMs: 50,
};

function runnerOf(
  kind: string,
  ds: DataSource,
  options: CsvImportJobsOptions & {
    prefix?: string;
    uploadDir?: string;
    worker?: boolean;
    maxStalledCount?: number;
  },
): CsvImportRunner {
  if (kind === 'in-process') return new InProcessCsvImportRunner(ds, options);
  return new BullMqCsvImportRunner(ds, {
    ...FAST,
    ...options,
    redisUrl: REDIS as string,
    prefix: options.prefix as string,
    uploadDir: options.uploadDir as string,
  });
}

/** Deletes every key under `prefix` (a test's own). */
async function dropKeys(prefix: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(REDIS as string);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

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
  describe.each(RUNNERS)('with the %s runner', (kind) => {
    let ds: DataSource;
    let tmp: string;
    const school = schoolIdForOrg(SCHOOL_ORG);
    const rows = fixtureCounts('school');
    const other = '00000000-0000-4000-8000-000000000002';
    let updates: ImportJobView[];
    let jobs: CsvImportRunner;
    let prefix: string;

    beforeEach(async () => {
      ds = await openMigratedDatabase(engine);
      tmp = mkdtempSync(join(tmpdir(), 'csv-jobs-'));
      await addSchool(ds, school, SCHOOL_ORG, SCHOOL.name);
      await addSchool(ds, other, 'some-other-school-org', 'Other School');
      updates = [];
      prefix = `${PREFIX}:${randomUUID()}`;
      jobs = runnerOf(kind, ds, {
        workDir: join(tmp, 'work'),
        uploadDir: join(tmp, 'shared'),
        prefix,
        keep: 2,
        onUpdate: (v) => updates.push(v),
      });
    });
    afterEach(async () => {
      await jobs.idle();
      await jobs.close();
      if (kind !== 'in-process') await dropKeys(prefix);
      await ds.destroy();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('applies a set in the background with rising progress, then removes the zip', async () => {
      const zip = await zipOf(fixtureDir('school'), tmp);
      const started = await jobs.start({
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
      expect(done?.rowsRead).toBe(
        Object.values(rows).reduce((a, b) => a + b, 0),
      );
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
      const { id } = await jobs.start({
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
        const { id } = await jobs.start({
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
      const { id } = await jobs.start({
        schoolId: other,
        zipPath: zip,
        mode: 'apply',
      });
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
      const a = await jobs.start({
        schoolId: school,
        zipPath: await zipOf(fixtureDir('school'), tmp),
        mode: 'apply',
      });
      const b = await jobs.start({
        schoolId: school,
        zipPath: await zipOf(fixtureDir('school'), tmp),
        mode: 'validate',
      });
      const c = await jobs.start({
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
      const cDone = await jobs.get(c.id);
      expect(cDone?.status).toBe('failed');
      expect(cDone?.report?.issues[0]).toMatchObject({ severity: 'error' });
      // keep: 2 finished jobs per school, newest first.
      expect((await jobs.list(school)).map((j) => j.id)).toEqual([c.id, b.id]);
      expect(await jobs.get(a.id)).toBeUndefined();
      expect(await jobs.list(other)).toEqual([]);
    });

    it('ends a job failed, rolled back, when the database fails mid-import', async () => {
      await ds.query('DROP TABLE enrollments');
      const zip = await zipOf(fixtureDir('school'), tmp);
      const { id } = await jobs.start({
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
});

/** Several runners on one Redis: what instances of the auth server share. */
(REDIS ? describe.each : describe.skip.each)(testEngines('csv_jobs_shared'))(
  'CSV import jobs shared through BullMQ on $name',
  (engine) => {
    let ds: DataSource;
    let tmp: string;
    let prefix: string;
    let updates: { by: string; at: number; view: ImportJobView }[];
    const open: CsvImportRunner[] = [];
    const school = schoolIdForOrg(SCHOOL_ORG);

    /** An instance: its own runner (with or without a worker) on the shared Redis and folder. */
    const instance = (
      name: string,
      options: {
        worker?: boolean;
        maxStalledCount?: number;
        maxActivePerSchool?: number;
      } = {},
    ): CsvImportRunner => {
      const runner = runnerOf('BullMQ', ds, {
        workDir: join(tmp, `work-${name}`),
        uploadDir: join(tmp, 'shared'),
        prefix,
        onUpdate: (view) => updates.push({ by: name, at: Date.now(), view }),
        ...options,
      });
      open.push(runner);
      return runner;
    };
    const close = async (runner: CsvImportRunner) => {
      open.splice(open.indexOf(runner), 1);
      await runner.close();
    };
    const upload = () => zipOf(fixtureDir('school'), tmp);

    beforeEach(async () => {
      ds = await openMigratedDatabase(engine);
      tmp = mkdtempSync(join(tmpdir(), 'csv-jobs-shared-'));
      prefix = `${PREFIX}:${randomUUID()}`;
      updates = [];
      await addSchool(ds, school, SCHOOL_ORG, SCHOOL.name);
    });
    afterEach(async () => {
      for (const r of [...open]) await close(r);
      await dropKeys(prefix);
      await ds.destroy();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('runs a job queued on one instance on another, and every instance sees its progress', async () => {
      const front = instance('front', { worker: false });
      const back = instance('back');
      const zip = await upload();
      const job = await front.start({
        schoolId: school,
        zipPath: zip,
        mode: 'apply',
      });
      expect(existsSync(zip)).toBe(false);
      expect(readdirSync(join(tmp, 'shared'))).toEqual([`${job.id}.zip`]);
      // The instance without a worker sees the job move while the other runs it.
      const seen = new Set<string>();
      for (;;) {
        const v = await front.get(job.id);
        seen.add(v?.status ?? 'missing');
        if (v?.finishedAt) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen.has('validating') || seen.has('applying')).toBe(true);
      const done = await front.settled(job.id);
      expect(done).toMatchObject({ status: 'succeeded', percent: 100 });
      expect(await back.get(job.id)).toEqual(done);
      expect(updates.length).toBeGreaterThan(0);
      expect(new Set(updates.map((u) => u.by))).toEqual(new Set(['back']));
      expect(await countRows(ds, 'enrollments', school)).toBe(
        fixtureCounts('school').enrollments,
      );
      expect(readdirSync(join(tmp, 'shared'))).toEqual([]);
    });

    it('keeps queued jobs and finished reports across a restart', async () => {
      const first = instance('first', { worker: false });
      const queued = await first.start({
        schoolId: school,
        zipPath: await upload(),
        mode: 'validate',
      });
      await close(first);
      // Restarted with a worker: the job queued before the restart runs.
      const second = instance('second');
      const done = await second.settled(queued.id);
      expect(done).toMatchObject({ status: 'succeeded', mode: 'validate' });
      await close(second);
      const third = instance('third', { worker: false });
      expect(await third.get(queued.id)).toEqual(done);
      expect((await third.list(school)).map((j) => j.id)).toEqual([queued.id]);
      expect(done?.report?.counts['enrollments.csv']).toBe(
        fixtureCounts('school').enrollments,
      );
    });

    it('never runs two jobs of one school at once across instances, and keeps their order', async () => {
      const a = instance('a');
      const b = instance('b');
      const ids: string[] = [];
      for (const r of [a, b, a])
        ids.push(
          (
            await r.start({
              schoolId: school,
              zipPath: await upload(),
              mode: 'validate',
            })
          ).id,
        );
      await Promise.all(ids.map((id) => a.settled(id)));
      const spans = ids.map((id) => {
        const mine = updates.filter((u) => u.view.id === id);
        const ran = mine.filter((u) => u.view.status !== 'queued');
        return {
          id,
          by: ran[0]?.by,
          from: ran[0]?.at ?? NaN,
          to: ran[ran.length - 1]?.at ?? NaN,
        };
      });
      for (const s of spans) expect(Number.isFinite(s.from)).toBe(true);
      const byStart = [...spans].sort((x, y) => x.from - y.from);
      expect(byStart.map((s) => s.id)).toEqual(ids);
      for (let i = 1; i < byStart.length; i++)
        expect(byStart[i].from).toBeGreaterThanOrEqual(byStart[i - 1].to);
    });

    it('holds the per-school limit across instances, reservations included', async () => {
      const a = instance('a', { worker: false, maxActivePerSchool: 2 });
      const b = instance('b', { worker: false, maxActivePerSchool: 2 });
      const slot = await a.reserve(school);
      const job = await b.start({
        schoolId: school,
        zipPath: await upload(),
        mode: 'validate',
      });
      await expect(b.reserve(school)).rejects.toBeInstanceOf(
        CsvImportQueueFull,
      );
      const zip = await upload();
      await expect(
        a.start({ schoolId: school, zipPath: zip, mode: 'validate' }),
      ).rejects.toBeInstanceOf(CsvImportQueueFull);
      // Refused before it was queued, the upload stays the caller's.
      expect(existsSync(zip)).toBe(true);
      // The reservation's own upload takes its place.
      const second = await a.start(
        { schoolId: school, zipPath: zip, mode: 'validate' },
        slot,
      );
      await expect(a.reserve(school)).rejects.toBeInstanceOf(
        CsvImportQueueFull,
      );
      expect((await b.list(school)).map((j) => j.id)).toEqual([
        second.id,
        job.id,
      ]);
      // A worker frees the places as the jobs end.
      const worker = instance('worker', { maxActivePerSchool: 2 });
      await worker.settled(second.id);
      const again = await b.reserve(school);
      await again.release();
    });

    for (const [stalls, outcome] of [
      [0, 'failed'],
      [1, 'succeeded'],
    ] as const)
      it(`ends a dead worker's job ${outcome} (maxStalledCount ${stalls}), never running forever`, async () => {
        const front = instance('front', { worker: false });
        const job = await front.start({
          schoolId: school,
          zipPath: await upload(),
          mode: 'validate',
        });
        // A worker takes the job and dies: its lock is never renewed nor the job finished.
        const { Worker } = await import('bullmq');
        const { default: Redis } = await import('ioredis');
        const connection = new Redis(REDIS as string, {
          maxRetriesPerRequest: null,
        });
        const dying = new Worker(CSV_IMPORT_QUEUE_NAME, null, {
          connection,
          prefix,
          lockDuration: FAST.lockDurationMs,
          autorun: false,
        });
        const taken = await dying.getNextJob(randomUUID());
        expect(taken?.id).toBe(job.id);
        await dying.close(true);
        await connection.quit();
        expect((await front.get(job.id))?.finishedAt).toBeNull();
        // Another instance's worker notices it and ends or reruns it.
        const survivor = instance('survivor', { maxStalledCount: stalls });
        const done = await front.settled(job.id);
        expect(done).toMatchObject({ status: outcome, percent: 100 });
        expect(done?.finishedAt).not.toBeNull();
        if (outcome === 'failed')
          expect(done?.report?.issues[0]).toMatchObject({
            file: '(import)',
            message: expect.stringContaining('stalled'),
          });
        // The school is free again: its next job runs.
        const next = await front.start({
          schoolId: school,
          zipPath: await upload(),
          mode: 'validate',
        });
        expect(await survivor.settled(next.id)).toMatchObject({
          status: 'succeeded',
        });
        expect(readdirSync(join(tmp, 'shared'))).toEqual([]);
      });
  },
);

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('BullMQ runner without its Redis', () => {
  it('refuses a reservation instead of hanging, reports the errors, and closes at once', async () => {
    const errors: string[] = [];
    const ds = { options: {} } as unknown as DataSource;
    const runner = new BullMqCsvImportRunner(ds, {
      ...FAST,
      redisUrl: `redis://127.0.0.1:${await closedPort()}`,
      prefix: 'unreachable',
      uploadDir: join(tmpdir(), 'unused'),
      onError: (m) => errors.push(m),
    });
    const began = Date.now();
    await expect(runner.reserve('a-school')).rejects.toThrow();
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(errors.length).toBeGreaterThan(0);
    const closing = Date.now();
    await runner.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
  });
});
