import type { DataSource } from 'typeorm';
import {
  openMigratedDatabase,
  TestEngine,
  testEngines,
} from '@oneroster/database/testing';
import type { Query } from './records';
import { readRecords } from './records';
import { TABLE_MAPS } from './tables';
import { BulkLoader, mysqlBulkLoader, TableWriter, TsvRows } from './writer';

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
      const loader: BulkLoader | undefined = bulk && {
        get state() {
          return bulk.state;
        },
        load: async (t, c, r) =>
          (loaded = (await bulk.load(t, c, r)) || loaded),
      };
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

  /** Writes `n` orgs through a TableWriter with the loader made for the transaction. */
  async function writeMany(
    n: number,
    makeLoader: (connection: unknown) => BulkLoader,
  ): Promise<void> {
    await ds.transaction(async (em) => {
      const q: Query = (sql, p) => em.query(sql, p) as Promise<unknown[]>;
      const loader = makeLoader(
        (em.queryRunner as unknown as { databaseConnection: unknown })
          .databaseConnection,
      );
      const w = new TableWriter(q, 'mysql', TABLE_MAPS.orgs, loader);
      for (let i = 0; i < n; i++)
        await w.write(
          SCHOOL,
          {
            sourcedId: `org-${i}`,
            status: 'active',
            dateLastModified: AT,
            values: { name: `Org\t${i}`, type: 'school', identifier: null },
            metadata: null,
          },
          'insert',
        );
      await w.flush();
    });
  }

  const orgNames = async () =>
    (
      (await ds.query('SELECT name FROM orgs ORDER BY name')) as {
        name: string;
      }[]
    ).map((r) => r.name);

  it('falls back to INSERTs, batch after batch, when the database refuses bulk loads', async () => {
    let tries = 0;
    const refusing = (): BulkLoader => {
      const loader: BulkLoader & { state: BulkLoader['state'] } = {
        state: 'untried',
        load: async () => {
          tries++;
          loader.state = 'refused';
          return false;
        },
      };
      return loader;
    };
    await writeMany(25001, refusing);
    const names = await orgNames();
    expect(names.length).toBe(25001);
    expect(names).toContain('Org\t25000');
    // Batches begun once the refusal was known keep values only and do not try again.
    expect(tries).toBeLessThan(3);
  });

  it('sends TSV only once the database has taken a bulk load', async () => {
    let loads = 0;
    const proven = (connection: unknown): BulkLoader => {
      const bulk = mysqlBulkLoader(connection) as BulkLoader;
      return {
        state: 'allowed',
        load: (t, c, r) => {
          loads++;
          return bulk.load(t, c, r);
        },
      };
    };
    await writeMany(3, proven);
    expect(loads).toBe(1);
    expect(await orgNames()).toEqual(['Org\t0', 'Org\t1', 'Org\t2']);
  });

  it('fails when bulk loads are refused after one was taken (no values were kept)', async () => {
    const refusedLater = (): BulkLoader => ({
      state: 'allowed',
      load: async () => false,
    });
    await expect(writeMany(3, refusedLater)).rejects.toThrow(
      /refused a bulk load after taking one/,
    );
    expect(await orgNames()).toEqual([]);
  });
});

describe('TsvRows', () => {
  it('writes LOAD DATA lines: NULL as \\N, escapes, numbers, any length and script', () => {
    const rows = new TsvRows(4);
    rows.add(['a\tb', null, 1.5, 'x\\y\nz\r']);
    rows.add(['Zoë 🦊 中文'.repeat(50), undefined, 0]);
    expect(rows.count).toBe(2);
    expect(rows.bytes().toString('utf8')).toBe(
      `a\\tb\t\\N\t1.5\tx\\\\y\\nz\\r\n${'Zoë 🦊 中文'.repeat(50)}\t\\N\t0\n`,
    );
    expect(rows.capacity).toBeGreaterThanOrEqual(rows.bytes().length);
  });
});
