import type { DataSource } from 'typeorm';
import {
  openMigratedDatabase,
  TestEngine,
  testEngines,
} from '@oneroster/database';
import type { Query } from './records';
import { readRecords } from './records';
import { TABLE_MAPS } from './tables';
import { mysqlBulkLoader, TableWriter } from './writer';

const SCHOOL = '00000000-0000-4000-8000-00000000000a';
const AT = new Date('2026-09-01T08:00:00.000Z');

/** Bulk loading is MySQL/MariaDB only: these tests need TEST_DATABASE_URL. */
const engine = testEngines('csv_writer').find((e) => e.name === 'mysql');
const suite = engine ? describe : describe.skip;

suite('bulk loads on MySQL/MariaDB', () => {
  let ds: DataSource;
  beforeEach(async () => {
    ds = await openMigratedDatabase(engine as TestEngine);
  });
  afterEach(async () => {
    await ds.destroy();
  });

  /** Writes orgs through a TableWriter with the bulk loader, in one transaction. */
  async function writeOrgs(names: (string | null)[]): Promise<boolean> {
    let loaded = false;
    await ds.transaction(async (em) => {
      const q: Query = (sql, p) => em.query(sql, p) as Promise<unknown[]>;
      const conn = (
        em.queryRunner as unknown as { databaseConnection: unknown }
      ).databaseConnection;
      const bulk = mysqlBulkLoader(conn);
      expect(bulk).toBeDefined();
      const loader = bulk
        ? async (t: string, c: string[], r: unknown[][]) =>
            (loaded = (await bulk(t, c, r)) || loaded)
        : undefined;
      const w = new TableWriter(q, 'mysql', TABLE_MAPS.orgs, loader);
      let i = 0;
      for (const name of names)
        await w.write(
          SCHOOL,
          {
            sourcedId: `org-${i++}`,
            status: 'active',
            dateLastModified: AT,
            values: { name, type: 'school', identifier: null },
            metadata: i === 1 ? { note: 'tab\there' } : null,
          },
          'insert',
        );
      await w.flush();
    });
    return loaded;
  }

  it('stores every character exactly: tabs, line breaks, backslashes, \\N, quotes, emoji', async () => {
    const names = [
      'a\tb',
      'line\nbreak\r\nand CR\r',
      'back\\slash \\N \\t',
      '\\N',
      `"quoted", 'single'`,
      'Zoë 🦊 中文',
      '',
    ];
    expect(await writeOrgs(names)).toBe(true);
    const q: Query = (sql, p) => ds.query(sql, p) as Promise<unknown[]>;
    const got = new Map<string, unknown>();
    for await (const r of readRecords(q, TABLE_MAPS.orgs, SCHOOL))
      got.set(r.sourcedId, r.values['name']);
    expect(names.map((_, i) => got.get(`org-${i}`))).toEqual(names);
    const [meta] = (await ds.query(
      "SELECT metadata FROM orgs WHERE sourced_id = 'org-0'",
    )) as { metadata: unknown }[];
    expect(
      typeof meta.metadata === 'string'
        ? JSON.parse(meta.metadata)
        : meta.metadata,
    ).toEqual({ note: 'tab\there' });
  });

  it('fails the transaction, writing nothing, when the database would change a value', async () => {
    await expect(writeOrgs(['fine', 'x'.repeat(300)])).rejects.toThrow(
      /warning/,
    );
    const [row] = (await ds.query('SELECT COUNT(*) AS n FROM orgs')) as {
      n: string | number;
    }[];
    expect(Number(row.n)).toBe(0);
  });
});
