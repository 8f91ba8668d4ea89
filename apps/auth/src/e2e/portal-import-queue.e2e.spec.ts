import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { ImportJobView } from '@oneroster/contracts';
import { exportCsv } from '@oneroster/data-access-csv';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import {
  emailWithRole,
  portalClient,
  sessionFor,
  type PortalSession,
} from './portal-support';
import { seededDatabase, startTestAuth, type TestAuth } from './support';

/**
 * With REDIS_URL set, the portal's CSV imports go to the BullMQ queue: an upload received
 * by one auth server instance is run by any, seen from every one, and kept across a
 * restart. Needs TEST_REDIS_URL (each run uses its own queue prefix).
 */
const REDIS = process.env['TEST_REDIS_URL'];
const PREFIX = process.env['TEST_REDIS_PREFIX'] || 'oneroster:test';

(REDIS ? describe.each : describe.skip.each)(
  testEngines('auth_import_queue', { sqliteFile: true }),
)('portal imports through the shared queue on $name', (engine) => {
  let ds: DataSource;
  let tmp: string;
  let env: Record<string, string>;
  let schoolA: string;
  let admin: PortalSession;
  let zip: Buffer;
  const servers: TestAuth[] = [];

  beforeAll(async () => {
    const seeded = await seededDatabase(engine);
    ds = await openDatabase(seeded.database);
    schoolA = seeded.demo.clients[0].schoolId;
    admin = await sessionFor(
      ds,
      await emailWithRole(ds, schoolA, 'school_admin'),
    );
    tmp = mkdtempSync(join(tmpdir(), 'portal-import-queue-'));
    const path = join(tmp, 'a.zip');
    await exportCsv(ds, { schoolId: schoolA, out: path });
    zip = await readFile(path);
    env = {
      REDIS_URL: REDIS as string,
      CSV_UPLOAD_DIR: join(tmp, 'shared'),
      CSV_IMPORT_QUEUE_PREFIX: `${PREFIX}:${randomUUID()}`,
    };
    for (let i = 0; i < 2; i++)
      servers.push(await startTestAuth(seeded.database, env));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    const redis = new Redis(REDIS as string);
    const keys = await redis.keys(`${env['CSV_IMPORT_QUEUE_PREFIX']}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await ds?.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  const callOn = (server: TestAuth) =>
    portalClient(server.issuer.replace(/\/oidc$/, ''));

  it('runs an upload received by one instance, seen from the other and after a restart', async () => {
    const [one, two] = servers;
    const started = await callOn(one)<ImportJobView>(
      admin,
      'POST',
      `/portal/api/schools/${schoolA}/imports?mode=validate`,
      zip,
      { headers: { 'content-type': 'application/zip' } },
    );
    expect(started.status).toBe(202);
    let job = started.body;
    for (let i = 0; i < 600 && job.finishedAt === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const seen = await callOn(two)<ImportJobView>(
        admin,
        'GET',
        `/portal/api/schools/${schoolA}/imports/${job.id}`,
      );
      expect(seen.status).toBe(200);
      job = seen.body;
    }
    expect(job).toMatchObject({ status: 'succeeded', percent: 100 });
    expect(job.report?.errors).toBe(0);
    // The upload was kept in the shared folder only while its job needed it.
    expect(readdirSync(join(tmp, 'shared'))).toEqual([]);

    // Both instances restart: the finished job and its report are still there.
    for (const s of servers.splice(0)) await s.close();
    servers.push(await startTestAuth(one.database, env));
    const list = await callOn(servers[0])<ImportJobView[]>(
      admin,
      'GET',
      `/portal/api/schools/${schoolA}/imports`,
    );
    expect(list.status).toBe(200);
    expect(list.body).toEqual([job]);
  });
});
