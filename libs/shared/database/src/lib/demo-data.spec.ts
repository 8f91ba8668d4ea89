import type { DataSource } from 'typeorm';
import { ONEROSTER_ENTITIES, SchoolEntity } from '@oneroster/entities';
import { planTrust, seedDemoIfEmpty, writeTrust } from '@oneroster/demo-data';
import { openMigratedDatabase, testEngines } from './test-database';

/** Every reference column of the OneRoster tables and the table it must resolve in, per school. */
const REFERENCES: [table: string, column: string, target: string][] = [
  ['orgs', 'parent_sourced_id', 'orgs'],
  ['academic_sessions', 'parent_sourced_id', 'academic_sessions'],
  ['courses', 'org_sourced_id', 'orgs'],
  ['courses', 'school_year_sourced_id', 'academic_sessions'],
  ['classes', 'course_sourced_id', 'courses'],
  ['classes', 'school_sourced_id', 'orgs'],
  ['class_terms', 'class_sourced_id', 'classes'],
  ['class_terms', 'term_sourced_id', 'academic_sessions'],
  ['user_orgs', 'user_sourced_id', 'users'],
  ['user_orgs', 'org_sourced_id', 'orgs'],
  ['user_agents', 'user_sourced_id', 'users'],
  ['user_agents', 'agent_sourced_id', 'users'],
  ['enrollments', 'user_sourced_id', 'users'],
  ['enrollments', 'class_sourced_id', 'classes'],
  ['enrollments', 'school_sourced_id', 'orgs'],
  ['demographics', 'sourced_id', 'users'],
  ['line_items', 'class_sourced_id', 'classes'],
  ['line_items', 'category_sourced_id', 'categories'],
  ['line_items', 'grading_period_sourced_id', 'academic_sessions'],
  ['results', 'line_item_sourced_id', 'line_items'],
  ['results', 'student_sourced_id', 'users'],
  ['class_resources', 'class_sourced_id', 'classes'],
  ['class_resources', 'resource_sourced_id', 'resources'],
  ['course_resources', 'course_sourced_id', 'courses'],
  ['course_resources', 'resource_sourced_id', 'resources'],
  ['user_resources', 'user_sourced_id', 'users'],
  ['user_resources', 'resource_sourced_id', 'resources'],
  ['user_resources', 'class_sourced_id', 'classes'],
  ['user_resources', 'org_sourced_id', 'orgs'],
];

describe.each(testEngines('demo'))('demo trust written to $name', (engine) => {
  let ds: DataSource;
  const plan = planTrust({ size: 'demo' });

  beforeAll(async () => {
    ds = await openMigratedDatabase(engine);
    await seedDemoIfEmpty(ds, {
      size: 'demo',
      password: 'pw-for-tests',
      sandboxClientSecret: 'secret-for-tests',
    });
  }, 120_000);

  afterAll(async () => {
    await ds?.destroy();
  });

  it('holds a secondary of about 1,000 pupils and a primary of about 400', async () => {
    const rows: { school_id: string; n: number | string }[] = await ds.query(
      "SELECT school_id, COUNT(*) AS n FROM users WHERE role = 'student' GROUP BY school_id",
    );
    const bySchool = new Map(rows.map((r) => [r.school_id, Number(r.n)]));
    const [secondary, primary] = plan.schools;
    expect(secondary.phase).toBe('secondary');
    expect(bySchool.get(secondary.schoolId)).toBe(1000);
    expect(bySchool.get(primary.schoolId)).toBe(400);
  });

  it.each(REFERENCES)(
    'every %s.%s resolves in %s of the same school',
    async (table, column, target) => {
      const orphans: { n: number | string }[] = await ds.query(
        `SELECT COUNT(*) AS n FROM ${table} t WHERE t.${column} IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM ${target} r WHERE r.school_id = t.school_id AND r.sourced_id = t.${column})`,
      );
      expect(Number(orphans[0].n)).toBe(0);
    },
  );

  it("assigns a class's resource to its students (OneRoster 1.2 user–resource links)", async () => {
    const n = async (sql: string) =>
      Number(((await ds.query(sql)) as { n: number | string }[])[0].n);
    expect(await n('SELECT COUNT(*) AS n FROM user_resources')).toBeGreaterThan(
      0,
    );
    expect(
      await n(
        `SELECT COUNT(*) AS n FROM user_resources u WHERE NOT EXISTS (
         SELECT 1 FROM enrollments e JOIN class_resources c ON c.school_id = e.school_id AND c.class_sourced_id = e.class_sourced_id
         WHERE e.school_id = u.school_id AND e.user_sourced_id = u.user_sourced_id AND e.class_sourced_id = u.class_sourced_id
           AND e.role = 'student' AND c.resource_sourced_id = u.resource_sourced_id)`,
      ),
    ).toBe(0);
  });

  it('gives every OneRoster row a school that exists', async () => {
    for (const entity of ONEROSTER_ENTITIES) {
      const table = ds.getMetadata(entity).tableName;
      const orphans: { n: number | string }[] = await ds.query(
        `SELECT COUNT(*) AS n FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM schools s WHERE s.id = t.school_id)`,
      );
      expect({ table, orphans: Number(orphans[0].n) }).toEqual({
        table,
        orphans: 0,
      });
    }
  });

  it('copies the trust org and calendar into each school under the same sourcedIds', async () => {
    const rows: { n: number | string }[] = await ds.query(
      'SELECT COUNT(*) AS n FROM orgs WHERE sourced_id = ?',
      [plan.trustSourcedId],
    );
    expect(Number(rows[0].n)).toBe(plan.schools.length);
  });

  it('gives each school its administrator and its teacher, by their email addresses', async () => {
    const rows: { email: string; role: string; school: string }[] =
      await ds.query(
        `SELECT a.email AS email, r.role AS role, s.name AS school
         FROM account_school_roles r
         JOIN accounts a ON a.id = r.account_id
         JOIN schools s ON s.id = r.school_id
         ORDER BY a.email`,
      );
    expect(rows).toHaveLength(2 * plan.schools.length);
    for (const row of rows) {
      const expected = row.email.startsWith('admin@')
        ? 'school_admin'
        : 'teacher';
      expect({ email: row.email, role: row.role }).toEqual({
        email: row.email,
        role: expected,
      });
    }
  });

  it('does not seed twice', async () => {
    await expect(
      seedDemoIfEmpty(ds, {
        size: 'demo',
        password: 'x',
        sandboxClientSecret: 'y',
      }),
    ).resolves.toBeNull();
    await expect(ds.getRepository(SchoolEntity).count()).resolves.toBe(
      plan.schools.length,
    );
  });

  it('writes a larger trust school by school', async () => {
    const other = await openMigratedDatabase(engine);
    try {
      const progress: number[] = [];
      const rows = await writeTrust(
        other,
        planTrust({ size: 'large', schools: 3, seed: 7 }),
        {
          onProgress: (p) => progress.push(p.schoolsDone),
        },
      );
      expect(progress).toEqual([1, 2, 3]);
      expect(rows).toBeGreaterThan(50_000);
    } finally {
      await other.destroy();
    }
  }, 180_000);
});
