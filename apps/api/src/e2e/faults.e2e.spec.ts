import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES } from '@oneroster/contracts';
import { DatabaseConfig, parseDatabaseUrl } from '@oneroster/config';
import { openDatabase } from '@oneroster/database';
import { freePort } from '@oneroster/testing-browser';
import { TestApi, startTestApi } from './support';

/*
 * Database faults. A private MariaDB (own data directory under the temp folder, own port and
 * socket; never the shared server) serves the API under a steady load of reads and
 * gradebook writes; the test stops it with SIGTERM for about 3 s and starts it again.
 * Checked: every call during the outage answers 503 with a OneRoster payload, quickly; health
 * says the database is down; the API serves again within 5 s of the database's return with
 * no restart; every gradebook PUT is applied whole (result and change log entry) or not at
 * all. Runs only where `mariadbd` and `mariadb-install-db` exist.
 */
const BASE = '/ims/oneroster/v1p1';
const S = ONEROSTER_SCOPES;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findBinary(name: string): string | null {
  for (const dir of [
    ...(process.env['PATH'] ?? '').split(':'),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/bin',
  ])
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  return null;
}

const MARIADBD = findBinary('mariadbd');
const INSTALL_DB = findBinary('mariadb-install-db');

/** A throwaway MariaDB server: its own data directory, port and socket. */
class PrivateMariaDb {
  private process: ChildProcess | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivateMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'oneroster-faults-mariadb-'));
    const db = new PrivateMariaDb(dir, await freePort());
    const install = spawnSync(
      INSTALL_DB as string,
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...db.userArgs(),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (install.status !== 0)
      throw new Error(`mariadb-install-db failed: ${install.stderr}`);
    return db;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/oneroster_faults`;
  }

  private userArgs(): string[] {
    return process.getuid?.() === 0 ? ['--user=root'] : [];
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    this.process = spawn(
      MARIADBD as string,
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${join(this.dir, 'mysqld.pid')}`,
        `--log-error=${join(this.dir, 'error.log')}`,
        '--skip-grant-tables',
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_bin',
        ...this.userArgs(),
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await this.accepts()) return;
      if (this.process.exitCode !== null)
        throw new Error(`mariadbd exited with ${this.process.exitCode}`);
      await sleep(100);
    }
    throw new Error('mariadbd did not start within 60 s');
  }

  /** Whether a client can connect and run a query now. */
  async accepts(): Promise<boolean> {
    const { createConnection } = await import('mysql2/promise');
    try {
      const conn = await createConnection({
        host: '127.0.0.1',
        port: this.port,
        user: 'root',
        connectTimeout: 1000,
      });
      await conn.query('SELECT 1');
      await conn.end();
      return true;
    } catch {
      return false;
    }
  }

  async createDatabase(): Promise<void> {
    const { createConnection } = await import('mysql2/promise');
    const conn = await createConnection({
      host: '127.0.0.1',
      port: this.port,
      user: 'root',
    });
    await conn.query(
      'CREATE DATABASE oneroster_faults CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    );
    await conn.end();
  }

  /** SIGTERM, then waits for the process to end (SIGKILL after 30 s). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.process;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const ended = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(signal);
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    await ended;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Sample {
  at: number;
  ms: number;
  status: number;
  minor: string | null;
}

(MARIADBD && INSTALL_DB ? describe : describe.skip)(
  'API during a database outage (private MariaDB)',
  () => {
    let mariadb: PrivateMariaDb;
    let api: TestApi;
    let token: string;
    let schoolId: string;
    let students: string[];

    beforeAll(async () => {
      mariadb = await PrivateMariaDb.create();
      await mariadb.start();
      await mariadb.createDatabase();
      const database: DatabaseConfig = parseDatabaseUrl(mariadb.url);
      api = await startTestApi({ name: 'mysql', config: async () => database });
      schoolId = api.plan.schools[0].schoolId;
      token = await api.issuer.token({
        school_ids: [schoolId],
        scope: [S.roster, S.gradebookRead, S.gradebookCreatePut].join(' '),
      });
      const db = await openDatabase(database);
      try {
        const rows = (await db.query(
          "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'student' ORDER BY sourced_id LIMIT 40",
          [schoolId],
        )) as { sourced_id: string }[];
        students = rows.map((r) => r.sourced_id);
        const [cls] = (await db.query(
          'SELECT sourced_id FROM classes WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
          [schoolId],
        )) as { sourced_id: string }[];
        const li = await call('PUT', '/lineItems/li-fault', {
          lineItem: {
            title: 'Outage quiz',
            class: { sourcedId: cls.sourced_id },
            assignDate: '2026-09-14T09:00:00Z',
            dueDate: '2026-09-21T16:00:00Z',
            resultValueMin: 0,
            resultValueMax: 100,
          },
        });
        expect(li.status).toBe(201);
      } finally {
        await db.destroy();
      }
    }, 600_000);

    afterAll(async () => {
      await api?.close();
      await mariadb?.destroy();
    }, 120_000);

    async function call(
      method: string,
      path: string,
      body?: unknown,
    ): Promise<Sample> {
      const started = Date.now();
      try {
        const res = await fetch(
          `${api.url}${path.startsWith('/health') ? '' : BASE}${path}`,
          {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
            signal: AbortSignal.timeout(15_000),
          },
        );
        const text = await res.text();
        let minor: string | null = null;
        try {
          const json = JSON.parse(text) as {
            imsx_CodeMinor?: {
              imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
            };
          };
          minor =
            json.imsx_CodeMinor?.imsx_codeMinorField[0]
              ?.imsx_codeMinorFieldValue ?? null;
        } catch {
          minor = 'not-json';
        }
        return {
          at: started,
          ms: Date.now() - started,
          status: res.status,
          minor,
        };
      } catch {
        return {
          at: started,
          ms: Date.now() - started,
          status: 0,
          minor: null,
        };
      }
    }

    it('answers 503 while the database is down, recovers within 5 s of its return, and applies writes whole or not at all', async () => {
      const reads: Sample[] = [];
      const health: Sample[] = [];
      const writes: { id: string; score: number; sample: Sample }[] = [];
      let running = true;
      const readers = Array.from({ length: 3 }, (_, w) =>
        (async () => {
          for (let i = 0; running; i++) {
            const path =
              i % 3 === 0
                ? `/classes?limit=5&offset=${(i * 7 + w) % 50}`
                : i % 3 === 1
                  ? `/users?limit=5&filter=${encodeURIComponent("role='student'")}`
                  : `/lineItems/li-fault`;
            reads.push(await call('GET', path));
            await sleep(20);
          }
        })(),
      );
      const healthProbe = (async () => {
        while (running) {
          health.push(await call('GET', '/health'));
          await sleep(100);
        }
      })();
      const writer = (async () => {
        for (let n = 0; running; n++) {
          const id = `res-fault-${n}`;
          const score = n % 101;
          const sample = await call('PUT', `/results/${id}`, {
            result: {
              lineItem: { sourcedId: 'li-fault' },
              student: { sourcedId: students[n % students.length] },
              scoreStatus: 'fully graded',
              score,
              scoreDate: '2026-09-22',
            },
          });
          writes.push({ id, score, sample });
          await sleep(30);
        }
      })();

      await sleep(2000);
      const downAt = Date.now();
      await mariadb.stop('SIGTERM');
      const stoppedAt = Date.now();
      await sleep(3000);
      const restartAt = Date.now();
      await mariadb.start();
      const backAt = Date.now();
      // Keep the load on until the API has served for a while again.
      let recoveredAt: number | null = null;
      while (Date.now() - backAt < 15_000) {
        const probe = await call('GET', '/classes?limit=1');
        if (probe.status === 200) {
          recoveredAt ??= Date.now();
          if (Date.now() - recoveredAt > 2000) break;
        } else recoveredAt = null;
        await sleep(50);
      }
      running = false;
      await Promise.all([...readers, healthProbe, writer]);

      // During the outage (after the server had stopped, before it was back): 503s only.
      const outage = (s: Sample) =>
        s.at > stoppedAt + 200 && s.at + s.ms < restartAt;
      const duringReads = reads.filter(outage);
      expect(duringReads.length).toBeGreaterThan(10);
      expect(
        duringReads.filter(
          (s) => s.status !== 503 || s.minor !== 'server_busy',
        ),
      ).toEqual([]);
      // Bounded: no call hangs while the database is away.
      expect(Math.max(...duringReads.map((s) => s.ms))).toBeLessThan(2000);
      const duringHealth = health.filter(outage);
      expect(duringHealth.length).toBeGreaterThan(5);
      expect(duringHealth.every((s) => s.status === 503)).toBe(true);
      // Never a 500 or a dropped connection, at any time.
      expect(
        [...reads, ...health, ...writes.map((w) => w.sample)].filter(
          (s) => s.status === 0 || (s.status >= 500 && s.status !== 503),
        ),
      ).toEqual([]);

      expect(recoveredAt).not.toBeNull();
      const recoveryMs = (recoveredAt as number) - backAt;
      expect(recoveryMs).toBeLessThan(5000);
      // After recovery every call succeeds again.
      expect(
        reads.filter((s) => s.at > (recoveredAt as number) && s.status !== 200),
      ).toEqual([]);
      process.stdout.write(
        `faults: outage ${restartAt - downAt} ms (stop ${stoppedAt - downAt} ms), database back ${backAt - restartAt} ms after restart, API recovered ${recoveryMs} ms after the database; ` +
          `${reads.length} reads (${duringReads.length} during the outage, max ${Math.max(...duringReads.map((s) => s.ms))} ms), ${writes.length} writes (${writes.filter((w) => w.sample.status === 201 || w.sample.status === 200).length} applied)\n`,
      );

      // Writes: each PUT is all or nothing, and every answered one is really there.
      const db: DataSource = await openDatabase(api.database);
      try {
        const results = new Map(
          (
            (await db.query(
              "SELECT sourced_id, score FROM results WHERE school_id = ? AND sourced_id LIKE 'res-fault-%'",
              [schoolId],
            )) as { sourced_id: string; score: number }[]
          ).map((r) => [r.sourced_id, Number(r.score)]),
        );
        const logged = new Map<string, number>();
        for (const r of (await db.query(
          "SELECT sourced_id FROM gradebook_changes WHERE school_id = ? AND object_type = 'result' AND sourced_id LIKE 'res-fault-%'",
          [schoolId],
        )) as { sourced_id: string }[])
          logged.set(r.sourced_id, (logged.get(r.sourced_id) ?? 0) + 1);
        expect(writes.some((w) => w.sample.status === 503)).toBe(true);
        for (const w of writes) {
          const applied = results.has(w.id);
          // Whole: the result exists exactly when its one change entry does.
          expect({ id: w.id, logged: logged.get(w.id) ?? 0 }).toEqual({
            id: w.id,
            logged: applied ? 1 : 0,
          });
          if (w.sample.status === 201) expect(results.get(w.id)).toBe(w.score);
          else
            expect({ id: w.id, status: w.sample.status }).toEqual({
              id: w.id,
              status: 503,
            });
        }
        // No result or change entry that no request asked for.
        const asked = new Set(writes.map((w) => w.id));
        expect([...results.keys()].filter((id) => !asked.has(id))).toEqual([]);
        expect([...logged.keys()].filter((id) => !asked.has(id))).toEqual([]);
      } finally {
        await db.destroy();
      }
    }, 180_000);
  },
);
