import type { DataSource } from 'typeorm';
import {
  PORTAL_SESSION_COOKIE,
  type AuditEventView,
} from '@oneroster/contracts';
import { DatabaseConfig } from '@oneroster/config';
import { testEngines } from '@oneroster/database/testing';
// The portal's own session service opens the school administrator's session, as its
// sign-in callback does (these tests span the auth server and the API).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PortalSessions } from '@oneroster/data-access-portal';
import {
  DemoCredentials,
  MIS_APPLICATION_NAME,
  planTrust,
} from '@oneroster/demo-data';
import { AccountEntity } from '@oneroster/entities';
import { AuthAndApi, startAuthAndApi } from './auth-and-api';
import { clientToken, sandboxClientOf, seedDemoDatabase } from './support';

/*
 * The gradebook change feed in the school's audit trail: an integrator writes results
 * back, the school's MIS connector collects them with its own credential from the real
 * authorization server, and the school administrator reads the collection in the portal's
 * audit trail with the MIS client as actor.
 */
const SECRET = 'gradebook-audit-secret';
const BASE = '/ims/oneroster/v1p1';
const FEED = '/platform/v1/gradebook/changes';
type Json = Record<string, unknown>;

describe.each(testEngines('gradebook_audit', { sqliteFile: true }))(
  'gradebook change feed in the audit trail, on $name',
  (engine) => {
    let database: DatabaseConfig;
    let demo: DemoCredentials;
    let ds: DataSource;
    let stack: AuthAndApi;
    let integrator: string;
    let mis: string;
    let misClientId: string;
    let classId: string;
    const school = planTrust({ size: 'demo' }).schools[0];

    beforeAll(async () => {
      ({ database, ds, demo } = await seedDemoDatabase(engine, SECRET));
      // The test's own connections come from loopback: trusted as the proxy in front.
      stack = await startAuthAndApi(
        database,
        { API_TRUST_PROXY: 'loopback' },
        (s) => s,
        { portal: true },
      );
      const tokenUrl = `${stack.authUrl}/oidc/token`;
      misClientId = demo.misClients.find((c) => c.schoolId === school.schoolId)
        ?.clientId as string;
      integrator = await clientToken(
        tokenUrl,
        sandboxClientOf(demo, school.schoolId),
        SECRET,
      );
      mis = await clientToken(tokenUrl, misClientId, SECRET);
      const rows: { id: string }[] = await ds.query(
        "SELECT sourced_id AS id FROM classes WHERE school_id = ? AND class_type = 'scheduled' ORDER BY sourced_id LIMIT 1",
        [school.schoolId],
      );
      classId = rows[0].id;
    }, 180_000);

    afterAll(async () => {
      await stack?.close();
      await ds?.destroy();
    });

    async function api(path: string, token: string, body?: unknown) {
      const res = await fetch(
        `${stack.apiUrl}${path.startsWith('/platform') ? '' : BASE}${path}`,
        {
          method: body === undefined ? 'GET' : 'PUT',
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
      );
      return {
        status: res.status,
        headers: res.headers,
        body: (await res.json()) as Json,
      };
    }

    const collected = async (): Promise<
      { actorType: string; actorClientId: string; details: unknown }[]
    > =>
      ds.query(
        `SELECT actor_type AS actorType, actor_client_id AS actorClientId, details
         FROM audit_events WHERE school_id = ? AND action = 'gradebook.changes_collected'
         ORDER BY id`,
        [school.schoolId],
      );

    const cursorNow = async () => {
      const rows: { id: number | null }[] = await ds.query(
        'SELECT MAX(id) AS id FROM gradebook_changes WHERE school_id = ?',
        [school.schoolId],
      );
      return Number(rows[0]?.id ?? 0);
    };

    async function writeLineItems(prefix: string, n: number) {
      for (let i = 0; i < n; i++) {
        const r = await api(`/lineItems/${prefix}-${i}`, integrator, {
          lineItem: { title: `Audit ${prefix} ${i}`, class: classId },
        });
        expect(r.status).toBe(201);
      }
    }

    it('records each non-empty page the MIS collects, with the MIS client as actor, and no empty poll', async () => {
      const start = await cursorNow();
      await writeLineItems('li-audit', 3);
      const before = (await collected()).length;

      const first = await api(`${FEED}?after=${start}&limit=2`, mis);
      expect(first.status).toBe(200);
      const page1 = first.body['changes'] as Json[];
      expect(page1.map((c) => c['sourcedId'])).toEqual([
        'li-audit-0',
        'li-audit-1',
      ]);
      const second = await api(`${FEED}?after=${first.body['next']}`, mis);
      const page2 = second.body['changes'] as Json[];
      expect(page2.map((c) => c['sourcedId'])).toEqual(['li-audit-2']);
      // Nothing new: the poll is answered and not recorded.
      const empty = await api(`${FEED}?after=${second.body['next']}`, mis);
      expect(empty.body).toEqual({ changes: [], next: second.body['next'] });

      const events = (await collected()).slice(before);
      expect(events).toHaveLength(2);
      expect(events.map((e) => [e.actorType, e.actorClientId])).toEqual([
        ['client', misClientId],
        ['client', misClientId],
      ]);
      const details = events.map((e) =>
        typeof e.details === 'string'
          ? (JSON.parse(e.details) as Json)
          : e.details,
      );
      expect(details).toEqual([
        {
          count: 2,
          firstChangeId: page1[0]['id'],
          lastChangeId: page1[1]['id'],
          after: start,
          next: first.body['next'],
        },
        {
          count: 1,
          firstChangeId: page2[0]['id'],
          lastChangeId: page2[0]['id'],
          after: first.body['next'],
          next: second.body['next'],
        },
      ]);

      // The school administrator's audit trail names the MIS by its application.
      const admin = demo.schoolAdmins.find(
        (a) => a.school === school.name,
      )?.email;
      const account = await ds
        .getRepository(AccountEntity)
        .findOneByOrFail({ email: admin });
      const { cookie } = await new PortalSessions(ds).create(account.id, null);
      const trail = await fetch(
        `${stack.authUrl}/portal/api/schools/${school.schoolId}/audit?limit=5`,
        {
          headers: {
            cookie: `${PORTAL_SESSION_COOKIE}=${encodeURIComponent(cookie)}`,
          },
        },
      );
      expect(trail.status).toBe(200);
      const [newest] = (await trail.json()) as AuditEventView[];
      expect(newest).toMatchObject({
        action: 'gradebook.changes_collected',
        actorType: 'client',
        actor: null,
        actorClient: { clientId: misClientId, name: MIS_APPLICATION_NAME },
        schoolId: school.schoolId,
        targetType: 'gradebook_changes',
        details: { count: 1, next: second.body['next'] },
      });
    }, 60_000);

    it('records the client address its trusted proxy forwarded (API_TRUST_PROXY)', async () => {
      const start = await cursorNow();
      await writeLineItems('li-audit-ip', 1);
      const res = await fetch(`${stack.apiUrl}${FEED}?after=${start}`, {
        headers: {
          authorization: `Bearer ${mis}`,
          'x-forwarded-for': '203.0.113.9',
        },
      });
      expect(res.status).toBe(200);
      const rows: { ip: string | null }[] = await ds.query(
        `SELECT actor_ip AS ip FROM audit_events WHERE school_id = ? AND action = 'gradebook.changes_collected'
         ORDER BY id DESC LIMIT 1`,
        [school.schoolId],
      );
      expect(rows[0].ip).toBe('203.0.113.9');
    });

    it('answers 503 without the page when the audit event cannot be written, and the same page on retry', async () => {
      const start = await cursorNow();
      await writeLineItems('li-audit-fault', 1);
      const before = (await collected()).length;
      // A real refusal by the database: every insert into the audit trail fails.
      await ds.query(
        engine.name === 'sqlite'
          ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
          : "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit refused'",
      );
      let refused;
      try {
        refused = await api(`${FEED}?after=${start}`, mis);
      } finally {
        await ds.query('DROP TRIGGER refuse_audit');
      }
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).not.toHaveProperty('changes');
      expect(JSON.stringify(refused.body)).toContain('server_busy');
      expect(await collected()).toHaveLength(before);

      const retry = await api(`${FEED}?after=${start}`, mis);
      expect(retry.status).toBe(200);
      expect(
        (retry.body['changes'] as Json[]).map((c) => c['sourcedId']),
      ).toEqual(['li-audit-fault-0']);
      expect(await collected()).toHaveLength(before + 1);
    }, 60_000);
  },
);
