import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { planTrust, seedDemoIfEmpty } from '@oneroster/demo-data';
import {
  checkQuery,
  parseCollectionQuery,
} from '@oneroster/util-oneroster-query';
import { GradebookChangeEntity } from '@oneroster/entities';
import { GradebookWriter } from './gradebook-writer';
import { RosterReader } from './reader';
import {
  ACADEMIC_SESSION_RESOURCE,
  CATEGORY_RESOURCE,
  CLASS_RESOURCE,
  COURSE_RESOURCE,
  DEMOGRAPHICS_RESOURCE,
  ENROLLMENT_RESOURCE,
  LINE_ITEM_RESOURCE,
  ORG_RESOURCE,
  RESOURCE_RESOURCE,
  RESULT_RESOURCE,
  USER_RESOURCE,
} from './resources';
import { fieldCatalogue } from './sql';

const RESOURCES = [
  ORG_RESOURCE,
  ACADEMIC_SESSION_RESOURCE,
  COURSE_RESOURCE,
  CLASS_RESOURCE,
  USER_RESOURCE,
  ENROLLMENT_RESOURCE,
  DEMOGRAPHICS_RESOURCE,
  CATEGORY_RESOURCE,
  LINE_ITEM_RESOURCE,
  RESULT_RESOURCE,
  RESOURCE_RESOURCE,
];

describe.each(testEngines('reader'))('RosterReader on $name', (engine) => {
  let ds: DataSource;
  let reader: RosterReader;
  const plan = planTrust({ size: 'demo' });
  const scope = { schoolIds: [plan.schools[1].schoolId] };
  const query = (raw: Record<string, string>, resource = USER_RESOURCE) =>
    checkQuery(parseCollectionQuery(raw), fieldCatalogue(resource));

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
    await seedDemoIfEmpty(ds, {
      size: 'demo',
      password: 'pw',
      sandboxClientSecret: 's',
    });
    reader = new RosterReader(ds, 'https://api.example.org/ims/oneroster/v1p1');
  }, 180_000);

  afterAll(async () => {
    await ds?.destroy();
  });

  it.each(RESOURCES.map((r) => [r.name, r] as const))(
    'reads %s with every field of its definition',
    async (_name, resource) => {
      const page = await reader.list(
        scope,
        resource,
        query({ limit: '500' }, resource),
      );
      expect(page.records.length).toBeGreaterThan(0);
      const names = new Set(page.records.flatMap((r) => Object.keys(r)));
      for (const name of names)
        expect(resource.fields.map((f) => f.name)).toContain(name);
      expect(names).toContain('sourcedId');
      expect(names).toContain('dateLastModified');
    },
  );

  it('reads date-times as the database stores them (UTC, milliseconds)', async () => {
    const [row] = (await ds.query(
      'SELECT sourced_id, date_last_modified FROM enrollments WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
      [scope.schoolIds[0]],
    )) as { sourced_id: string; date_last_modified: Date | string }[];
    const stored = row.date_last_modified;
    const expected =
      stored instanceof Date
        ? stored.toISOString()
        : `${stored.replace(' ', 'T')}Z`;
    const page = await reader.list(
      scope,
      ENROLLMENT_RESOURCE,
      query(
        { limit: '1', filter: `sourcedId='${row.sourced_id}'` },
        ENROLLMENT_RESOURCE,
      ),
    );
    expect(page.records[0]['dateLastModified']).toBe(expected);
    expect(expected).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('pages by keyset after the first page exactly as by offset', async () => {
    const all = (
      await reader.list(
        scope,
        ENROLLMENT_RESOURCE,
        query({ limit: '10000' }, ENROLLMENT_RESOURCE),
      )
    ).records;
    const fresh = new RosterReader(
      ds,
      'https://api.example.org/ims/oneroster/v1p1',
    );
    // Keyset seeks behind the offsets, in pages smaller and larger than a batch.
    for (const limit of [333, 1000]) {
      const paged: unknown[] = [];
      for (let offset = 0; offset < all.length; offset += limit) {
        const page = await fresh.list(
          scope,
          ENROLLMENT_RESOURCE,
          query(
            { limit: String(limit), offset: String(offset) },
            ENROLLMENT_RESOURCE,
          ),
        );
        expect(page.total).toBe(all.length);
        paged.push(...page.records);
      }
      expect(paged).toEqual(all);
    }
    const desc = await fresh.list(
      scope,
      ENROLLMENT_RESOURCE,
      query({ limit: '333', orderBy: 'desc' }, ENROLLMENT_RESOURCE),
    );
    const descNext = await fresh.list(
      scope,
      ENROLLMENT_RESOURCE,
      query(
        { limit: '333', offset: '333', orderBy: 'desc' },
        ENROLLMENT_RESOURCE,
      ),
    );
    expect([...desc.records, ...descNext.records]).toEqual(
      [...all].reverse().slice(0, 666),
    );
  });

  it('frees a large page that is discarded, or left after one batch', async () => {
    const big = query({ limit: '10000' }, ENROLLMENT_RESOURCE);
    // More pages than the database pool has connections: one kept would starve the rest.
    for (let i = 0; i < 12; i++) {
      const page = await reader.listLazy(scope, ENROLLMENT_RESOURCE, big);
      await page.discard?.();
    }
    for (let i = 0; i < 12; i++) {
      const page = await reader.listLazy(scope, ENROLLMENT_RESOURCE, big);
      for await (const batch of page.batches()) {
        expect(batch.length).toBeGreaterThan(0);
        break;
      }
    }
    const all = await reader.list(scope, ENROLLMENT_RESOURCE, big);
    expect(all.records.length).toBe(Math.min(all.total, 10000));
  });

  it('reads one field of the objects named, only among the schools in scope', async () => {
    const classes = (
      await reader.list(
        scope,
        CLASS_RESOURCE,
        query({ limit: '3' }, CLASS_RESOURCE),
      )
    ).records;
    const other = { schoolIds: [plan.schools[0].schoolId] };
    const [elsewhere] = (
      await reader.list(
        other,
        CLASS_RESOURCE,
        query({ limit: '1' }, CLASS_RESOURCE),
      )
    ).records;
    const ids = [
      ...classes.map((c) => String(c['sourcedId'])),
      String(elsewhere['sourcedId']),
      'no-such-class',
    ];
    const schools = await reader.fieldOf(scope, CLASS_RESOURCE, 'school', ids);
    expect(Object.fromEntries(schools)).toEqual(
      Object.fromEntries(
        classes.map((c) => [
          c['sourcedId'],
          (c['school'] as { sourcedId: string }).sourcedId,
        ]),
      ),
    );
    const [org] = (
      await reader.list(
        scope,
        ORG_RESOURCE,
        query({ limit: '1' }, ORG_RESOURCE),
      )
    ).records;
    expect(
      await reader.fieldOf(scope, ORG_RESOURCE, 'type', [
        String(org['sourcedId']),
      ]),
    ).toEqual(new Map([[org['sourcedId'], org['type']]]));
    expect(
      (await reader.fieldOf({ schoolIds: [] }, ORG_RESOURCE, 'type', ids)).size,
    ).toBe(0);
  });

  it('sees no row of a school outside the scope', async () => {
    const none = await reader.list({ schoolIds: [] }, USER_RESOURCE, query({}));
    expect(none).toEqual({ records: [], total: 0 });
    const other = await reader.list(
      { schoolIds: ['not-a-school'] },
      USER_RESOURCE,
      query({}),
    );
    expect(other.total).toBe(0);
  });

  it('answers a gradebook write, and logs it, exactly as a read serves the object', async () => {
    const schoolId = scope.schoolIds[0];
    const [term] = (await ds.query(
      'SELECT class_sourced_id AS c FROM class_terms WHERE school_id = ? ORDER BY class_sourced_id LIMIT 1',
      [schoolId],
    )) as { c: string }[];
    const [student] = (await ds.query(
      "SELECT sourced_id AS s FROM users WHERE school_id = ? AND role = 'student' AND status = 'active' ORDER BY sourced_id LIMIT 1",
      [schoolId],
    )) as { s: string }[];
    const writer = new GradebookWriter(
      ds,
      'https://api.example.org/ims/oneroster/v1p1',
    );
    const actor = { clientId: 'c', integratorId: null, userId: null };
    // A sourcedId that must be encoded in hrefs, metadata, a description and dates.
    const lineItem = await writer.putLineItem(scope, actor, 'li 1/ä', {
      title: 'Essay',
      description: 'First draft',
      assignDate: new Date('2026-09-01T08:00:00.123Z'),
      dueDate: null,
      classSourcedId: term.c,
      categorySourcedId: null,
      gradingPeriodSourcedId: null,
      resultValueMin: null,
      resultValueMax: 20,
      metadata: { 'ext.weight': 2 },
    });
    const result = await writer.putResult(scope, actor, 'result-1', {
      lineItemSourcedId: 'li 1/ä',
      studentSourcedId: student.s,
      scoreStatus: 'fully graded',
      score: 17.5,
      scoreDate: '2026-09-02',
      comment: null,
      metadata: null,
    });
    expect(lineItem.object).toEqual(
      await reader.get(scope, LINE_ITEM_RESOURCE, 'li 1/ä'),
    );
    expect(result.object).toEqual(
      await reader.get(scope, RESULT_RESOURCE, 'result-1'),
    );
    expect(Object.keys(lineItem.object)).toEqual(
      Object.keys(await reader.get(scope, LINE_ITEM_RESOURCE, 'li 1/ä')),
    );
    expect(
      (lineItem.object['class'] as { href: string }).href.endsWith(
        `/classes/${encodeURIComponent(term.c)}`,
      ),
    ).toBe(true);
    const [category] = (
      await reader.list(
        scope,
        CATEGORY_RESOURCE,
        query({ filter: "sourcedId='uncategorised'" }, CATEGORY_RESOURCE),
      )
    ).records;
    const changes = await ds.getRepository(GradebookChangeEntity).find({
      where: { schoolId },
      order: { id: 'ASC' },
    });
    expect(changes.map((c) => c.after)).toEqual(
      expect.arrayContaining([lineItem.object, result.object]),
    );
    expect(category['title']).toBe('Uncategorised');
  });
});
