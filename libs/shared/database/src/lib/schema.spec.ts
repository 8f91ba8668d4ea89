import type { DataSource } from 'typeorm';
import { EnrollmentEntity, OrgEntity } from '@oneroster/entities';
import { MIGRATIONS_TABLE, migrationsFor, schemaDrift } from './data-source';
import { openMigratedDatabase, testEngines } from './test-database';

const org = (schoolId: string, sourcedId: string, name: string): OrgEntity => ({
  schoolId,
  sourcedId,
  status: 'active',
  dateLastModified: new Date('2026-09-01T08:00:00.123Z'),
  metadata: { urn: '123456' },
  name,
  type: 'school',
  identifier: null,
  parentSourcedId: null,
});

describe.each(testEngines('schema'))('schema on $name', (engine) => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('applies every migration from an empty database', async () => {
    const rows: { name: string }[] = await ds.query(
      `SELECT name FROM ${MIGRATIONS_TABLE}`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(
      migrationsFor(engine.name)
        .map((m) => new m().name ?? m.name)
        .sort(),
    );
  });

  it('leaves nothing for the entities to change (migrations match entities)', async () => {
    await expect(schemaDrift(ds)).resolves.toEqual([]);
  });

  it('keeps two schools’ rows with the same sourcedId apart', async () => {
    const repo = ds.getRepository(OrgEntity);
    await repo.insert([
      org('school-a', 'org-1', 'Alpha Academy'),
      org('school-b', 'org-1', 'Beta Primary'),
    ]);
    const a = await repo.findOneByOrFail({
      schoolId: 'school-a',
      sourcedId: 'org-1',
    });
    const b = await repo.findOneByOrFail({
      schoolId: 'school-b',
      sourcedId: 'org-1',
    });
    expect([a.name, b.name]).toEqual(['Alpha Academy', 'Beta Primary']);
    expect(a.metadata).toEqual({ urn: '123456' });
    expect(a.dateLastModified.toISOString()).toBe('2026-09-01T08:00:00.123Z');
  });

  it('refuses a second row with the same (school, sourcedId)', async () => {
    const repo = ds.getRepository(OrgEntity);
    await expect(
      repo.insert(org('school-a', 'org-1', 'Duplicate')),
    ).rejects.toThrow();
    expect(
      (await repo.findOneByOrFail({ schoolId: 'school-a', sourcedId: 'org-1' }))
        .name,
    ).toBe('Alpha Academy');
  });

  it('stores dates as calendar dates and booleans as booleans', async () => {
    const repo = ds.getRepository(EnrollmentEntity);
    await repo.insert({
      schoolId: 'school-a',
      sourcedId: 'enr-1',
      status: 'tobedeleted',
      dateLastModified: new Date('2026-10-01T00:00:00Z'),
      metadata: null,
      userSourcedId: 'u1',
      classSourcedId: 'c1',
      schoolSourcedId: 'org-1',
      role: 'teacher',
      primary: true,
      beginDate: '2026-09-01',
      endDate: '2027-07-24',
    });
    const e = await repo.findOneByOrFail({
      schoolId: 'school-a',
      sourcedId: 'enr-1',
    });
    expect(e).toMatchObject({
      primary: true,
      beginDate: '2026-09-01',
      endDate: '2027-07-24',
      status: 'tobedeleted',
    });
  });
});
