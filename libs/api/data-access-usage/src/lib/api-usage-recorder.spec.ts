import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { ApiUsageDailyEntity } from '@oneroster/entities';
import { ApiUsageRecorder } from './api-usage-recorder';

const CLASS = '/ims/oneroster/v1p1/classes/{id}';
const USERS = '/ims/oneroster/v1p1/users';

describe.each(testEngines('usage'))('ApiUsageRecorder on $name', (engine) => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  beforeEach(async () => {
    await ds.getRepository(ApiUsageDailyEntity).clear();
  });

  const rows = async () =>
    (
      await ds
        .getRepository(ApiUsageDailyEntity)
        .find({ order: { schoolId: 'ASC', day: 'ASC', route: 'ASC' } })
    ).map((r) => ({ ...r }));

  it('adds counts and records read per school, integrator, UTC day and route', async () => {
    const recorder = new ApiUsageRecorder(ds);
    const day1 = new Date('2026-03-01T23:59:59.999Z');
    const day2 = new Date('2026-03-02T00:00:00.000Z');
    recorder.count(['s1'], 'i1', CLASS, day1);
    recorder.count(['s1'], 'i1', CLASS, day1);
    recorder.count(['s1', 's2'], 'i1', USERS, day1);
    recorder.countRecords(['s1', 's2'], 'i1', USERS, 40, day1);
    recorder.count(['s1'], null, CLASS, day2);
    expect(recorder.pendingRequests).toBe(5);
    await expect(recorder.flush()).resolves.toBe(true);
    expect(recorder.pendingRequests).toBe(0);
    // A second flush (or another instance) adds to the same rows.
    recorder.count(['s1'], 'i1', CLASS, day1);
    recorder.countRecords(['s1'], 'i1', CLASS, 1, day1);
    await recorder.flush();
    expect(await rows()).toEqual([
      {
        schoolId: 's1',
        integratorId: 'i1',
        day: '2026-03-01',
        route: CLASS,
        requests: 3,
        records: 1,
      },
      {
        schoolId: 's1',
        integratorId: 'i1',
        day: '2026-03-01',
        route: USERS,
        requests: 1,
        records: 40,
      },
      {
        schoolId: 's1',
        integratorId: '',
        day: '2026-03-02',
        route: CLASS,
        requests: 1,
        records: 0,
      },
      {
        schoolId: 's2',
        integratorId: 'i1',
        day: '2026-03-01',
        route: USERS,
        requests: 1,
        records: 40,
      },
    ]);
  });

  it('keeps the counts of a failed flush for the next one', async () => {
    const recorder = new ApiUsageRecorder(ds);
    const day = new Date('2026-03-03T12:00:00Z');
    for (let i = 0; i < 700; i++)
      recorder.count(['s1'], 'i1', `/route/${i % 600}`, day);
    await ds.query(
      'ALTER TABLE api_usage_daily RENAME TO api_usage_daily_away',
    );
    try {
      await expect(recorder.flush()).resolves.toBe(false);
    } finally {
      await ds.query(
        'ALTER TABLE api_usage_daily_away RENAME TO api_usage_daily',
      );
    }
    expect(recorder.pendingRequests).toBe(700);
    recorder.count(['s1'], 'i1', '/route/0', day);
    await expect(recorder.flush()).resolves.toBe(true);
    const all = await rows();
    expect(all).toHaveLength(600);
    expect(all.reduce((n, r) => n + r.requests, 0)).toBe(701);
    expect(all.find((r) => r.route === '/route/0')?.requests).toBe(3);
  });

  it('serialises concurrent flushes without losing or doubling counts', async () => {
    const recorder = new ApiUsageRecorder(ds);
    const flushes: Promise<boolean>[] = [];
    for (let i = 0; i < 20; i++) {
      recorder.count(['s1'], 'i1', USERS);
      flushes.push(recorder.flush());
    }
    await Promise.all(flushes);
    expect((await rows()).map((r) => r.requests)).toEqual([20]);
  });
});
