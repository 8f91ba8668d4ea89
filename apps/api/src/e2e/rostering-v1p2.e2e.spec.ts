import type { DataSource } from 'typeorm';
import { ONEROSTER_SCOPES, ONEROSTER_V1P2_SCOPES } from '@oneroster/contracts';
import { openDatabase } from '@oneroster/database';
import { testEngines } from '@oneroster/database/testing';
import {
  V1P2_ROUTES,
  toV1p2,
  v1p2ClassDef,
  type V1p2ClassKey,
} from '@oneroster/oneroster-catalogue';
import { TestApi, startTestApi } from './support';

/*
 * The OneRoster 1.2 rostering service (/ims/oneroster/rostering/v1p2), served from the same
 * data as 1.1: every endpoint of the checklist answers what the 1.1 route of the same name
 * answers (the same objects, projected with the catalogue's toV1p2), under the 1.2 query
 * rules, scopes and status payload.
 */
const V1P1 = '/ims/oneroster/v1p1';
const V1P2 = '/ims/oneroster/rostering/v1p2';
const ROUTES = V1P2_ROUTES.filter((r) => r.service === 'rostering');
type Json = Record<string, unknown>;
type Obj = Record<string, unknown> & { sourcedId: string };

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return { raw: text };
  }
}

describe.each(testEngines('api_e2e_v1p2', { sqliteFile: true }))(
  'OneRoster 1.2 rostering API on $name',
  (engine) => {
    let api: TestApi;
    let db: DataSource;
    let tokenA: string;
    let schoolA: { id: string; org: string };
    let schoolB: { id: string; org: string };
    const ids: Record<string, string> = {};

    const one = async (sql: string, params: unknown[] = []) => {
      const rows = (await db.query(sql, params)) as Record<string, string>[];
      return rows[0] ? String(Object.values(rows[0])[0]) : '';
    };

    async function get(path: string, token: string | null = tokenA) {
      const res = await fetch(
        `${api.url}${path.startsWith('/ims') ? '' : V1P2}${path}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} },
      );
      const body = parseJson(await res.text());
      return { status: res.status, body, headers: res.headers };
    }
    const list = (body: Json, key: string) => body[key] as Obj[];
    const minor = (body: Json) =>
      (
        body['imsx_CodeMinor'] as {
          imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[];
        }
      ).imsx_codeMinorField[0].imsx_codeMinorFieldValue;
    /** A 1.2 error: the 1.2 status payload (no 1.1 message reference), with its codeMinor. */
    const expectError = (
      r: { status: number; body: Json },
      status: number,
      codeMinor: string,
    ) => {
      expect({ status: r.status, minor: minor(r.body) }).toEqual({
        status,
        minor: codeMinor,
      });
      expect(Object.keys(r.body).sort()).toEqual([
        'imsx_CodeMinor',
        'imsx_codeMajor',
        'imsx_description',
        'imsx_severity',
      ]);
      expect(r.body).toMatchObject({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
      });
    };

    /** The checklist path with the test's ids in it. */
    const pathOf = (path: string) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (name !== 'sourcedId') return encodeURIComponent(ids[name]);
        return encodeURIComponent(ids[`/${path.split('/')[1]}`]);
      });

    beforeAll(async () => {
      api = await startTestApi(engine);
      db = await openDatabase(api.database);
      const [a, b] = api.plan.schools;
      schoolA = { id: a.schoolId, org: a.orgSourcedId };
      schoolB = { id: b.schoolId, org: b.orgSourcedId };
      tokenA = await api.issuer.token({ school_ids: [schoolA.id] });
      const A = [schoolA.id];
      ids['classSourcedId'] = await one(
        "SELECT sourced_id FROM classes WHERE school_id = ? AND class_type = 'scheduled' AND status = 'active' ORDER BY sourced_id LIMIT 1",
        A,
      );
      ids['classB'] = await one(
        'SELECT sourced_id FROM classes WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        [schoolB.id],
      );
      ids['studentSourcedId'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'student' ORDER BY user_sourced_id LIMIT 1",
        [schoolA.id, ids['classSourcedId']],
      );
      ids['teacherSourcedId'] = await one(
        "SELECT user_sourced_id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'teacher' ORDER BY user_sourced_id LIMIT 1",
        [schoolA.id, ids['classSourcedId']],
      );
      ids['userSourcedId'] = ids['teacherSourcedId'];
      ids['studentB'] = await one(
        "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'student' ORDER BY sourced_id LIMIT 1",
        [schoolB.id],
      );
      ids['courseSourcedId'] = await one(
        'SELECT course_sourced_id FROM classes WHERE school_id = ? AND sourced_id = ?',
        [schoolA.id, ids['classSourcedId']],
      );
      ids['schoolSourcedId'] = schoolA.org;
      ids['termSourcedId'] = api.plan.sessionIds.terms[0];
      ids['/academicSessions'] = api.plan.sessionIds.year;
      ids['/classes'] = ids['classSourcedId'];
      ids['/courses'] = ids['courseSourcedId'];
      ids['/demographics'] = await one(
        'SELECT sourced_id FROM demographics WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        A,
      );
      ids['/enrollments'] = await one(
        'SELECT sourced_id FROM enrollments WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
        A,
      );
      ids['/gradingPeriods'] = api.plan.sessionIds.halfTerms[0];
      ids['/orgs'] = schoolA.org;
      ids['/schools'] = schoolA.org;
      ids['/students'] = ids['studentSourcedId'];
      ids['/teachers'] = ids['teacherSourcedId'];
      ids['/terms'] = ids['termSourcedId'];
      ids['/users'] = ids['studentSourcedId'];
      for (const [k, v] of Object.entries(ids))
        if (!v) throw new Error(`The demo data has no ${k}`);
    }, 240_000);

    afterAll(async () => {
      await db?.destroy();
      await api?.close();
    });

    describe('every endpoint of the checklist', () => {
      it('covers the 41 rostering endpoints', () => {
        expect(ROUTES).toHaveLength(41);
      });

      it.each(ROUTES.map((r) => [r.operationId, r]))(
        '%s answers what the 1.1 route answers, read as 1.2',
        async (_, route) => {
          const path = pathOf(route.path);
          const cls = v1p2ClassDef(route.returns as V1p2ClassKey);
          const query = route.response === 'collection' ? '?limit=10000' : '';
          const [v11, v12] = await Promise.all([
            get(`${V1P1}${path}${query}`),
            get(`${V1P2}${path}${query}`),
          ]);
          expect({ path, v11: v11.status, v12: v12.status }).toEqual({
            path,
            v11: 200,
            v12: 200,
          });
          const orgs = list(
            (await get(`${V1P1}/orgs?limit=10000&fields=sourcedId,type`)).body,
            'orgs',
          );
          // A user's resources are its active userResources.csv links (user_resources).
          const links = (await db.query(
            "SELECT DISTINCT user_sourced_id AS u, resource_sourced_id AS r FROM user_resources WHERE school_id = ? AND status = 'active' ORDER BY user_sourced_id, resource_sourced_id",
            [schoolA.id],
          )) as { u: string; r: string }[];
          const ctx = {
            origin: 'http://api.test',
            orgType: (id: string) =>
              orgs.find((o) => o.sourcedId === id)?.['type'] as
                string | undefined,
            resourcesOf: (user: Record<string, unknown>) =>
              links.filter((l) => l.u === user['sourcedId']).map((l) => l.r),
          };
          if (route.response === 'collection') {
            const old = list(v11.body, cls.collection);
            const now = list(v12.body, cls.collection);
            expect(Object.keys(v12.body)).toEqual([cls.collection]);
            expect(old.length).toBeGreaterThan(0);
            expect(v12.headers.get('x-total-count')).toBe(
              v11.headers.get('x-total-count'),
            );
            expect(now).toEqual(old.map((o) => toV1p2(cls.key, o, ctx)));
          } else {
            expect(Object.keys(v12.body)).toEqual([cls.single]);
            expect(v12.body[cls.single]).toEqual(
              toV1p2(cls.key, v11.body[cls.single] as Obj, ctx),
            );
          }
        },
        60_000,
      );
    });

    describe('access', () => {
      it('answers 401 without a token, with the 1.2 payload', async () => {
        const r = await get('/users', null);
        expectError(r, 401, 'unauthorisedrequest');
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
      });

      it('accepts 1.1 scopes and 1.2 scopes alike, keeping the core/full distinction', async () => {
        const token = (scope: string) =>
          api.issuer.token({ school_ids: [schoolA.id], scope });
        const classStudents = `/classes/${ids['classSourcedId']}/students`;
        for (const scope of [
          ONEROSTER_SCOPES.rosterCore,
          ONEROSTER_V1P2_SCOPES.rosterCore,
        ]) {
          expect((await get('/classes', await token(scope))).status).toBe(200);
          expectError(
            await get(classStudents, await token(scope)),
            403,
            'forbidden',
          );
        }
        for (const scope of [
          ONEROSTER_SCOPES.roster,
          ONEROSTER_V1P2_SCOPES.roster,
        ]) {
          expect((await get('/classes', await token(scope))).status).toBe(200);
          expect((await get(classStudents, await token(scope))).status).toBe(
            200,
          );
        }
        const gradebook = await token(ONEROSTER_SCOPES.gradebookRead);
        expectError(await get('/users', gradebook), 403, 'forbidden');
      });

      it('serves demographics only with a demographics scope of either version', async () => {
        const token = (scope: string) =>
          api.issuer.token({ school_ids: [schoolA.id], scope });
        const roster = await token(
          `${ONEROSTER_SCOPES.roster} ${ONEROSTER_SCOPES.rosterCore}`,
        );
        expectError(await get('/demographics', roster), 403, 'forbidden');
        expectError(
          await get(`/demographics/${ids['/demographics']}`, roster),
          403,
          'forbidden',
        );
        for (const scope of [
          ONEROSTER_SCOPES.rosterDemographics,
          ONEROSTER_V1P2_SCOPES.rosterDemographics,
        ]) {
          const r = await get('/demographics', await token(scope));
          expect(r.status).toBe(200);
          const d = list(r.body, 'demographics');
          expect(d.length).toBeGreaterThan(0);
          for (const o of d)
            for (const flag of [
              'americanIndianOrAlaskaNative',
              'asian',
              'blackOrAfricanAmerican',
              'nativeHawaiianOrOtherPacificIslander',
              'white',
              'demographicRaceTwoOrMoreRaces',
              'hispanicOrLatinoEthnicity',
            ])
              if (flag in o) expect(['true', 'false']).toContain(o[flag]);
        }
      });

      it('answers an unknown route under the 1.2 path with the 1.2 payload, and keeps 1.1 errors as they were', async () => {
        expectError(await get('/nothing-here'), 404, 'unknownobject');
        expectError(
          await get('/ims/oneroster/gradebook/v1p2/nothing-here'),
          404,
          'unknownobject',
        );
        const v11 = await get(`${V1P1}/nothing-here`);
        expect(v11.status).toBe(404);
        expect(v11.body).toHaveProperty('imsx_messageRefIdentifier');
      });
    });

    describe('tenancy and 404s', () => {
      it('answers 404 for another school’s ids, directly and as a parent', async () => {
        for (const path of [
          `/classes/${ids['classB']}`,
          `/classes/${ids['classB']}/students`,
          `/students/${ids['studentB']}`,
          `/students/${ids['studentB']}/classes`,
          `/schools/${schoolB.org}`,
          `/schools/${schoolB.org}/classes`,
          `/schools/${schoolA.org}/classes/${ids['classB']}/students`,
        ])
          expectError(await get(path), 404, 'unknownobject');
      });

      it('never lists another school’s records', async () => {
        const r = await get('/users?limit=10000&fields=sourcedId');
        const mine = list(r.body, 'users').map((u) => u.sourcedId);
        expect(mine).not.toContain(ids['studentB']);
        expect(Number(r.headers.get('x-total-count'))).toBe(
          Number(
            await one('SELECT COUNT(*) FROM users WHERE school_id = ?', [
              schoolA.id,
            ]),
          ),
        );
      });

      it('answers 404 for the wrong kind of object on a subtype endpoint', async () => {
        for (const path of [
          `/students/${ids['teacherSourcedId']}`,
          `/teachers/${ids['studentSourcedId']}`,
          `/terms/${ids['/gradingPeriods']}`,
          `/gradingPeriods/${ids['termSourcedId']}`,
          `/schools/${ids['classSourcedId']}`,
          `/teachers/${ids['studentSourcedId']}/classes`,
          `/terms/${ids['/gradingPeriods']}/classes`,
        ])
          expectError(await get(path), 404, 'unknownobject');
      });

      it('answers 404 for an unknown parent whatever the query', async () => {
        for (const path of [
          '/classes/nope/students',
          '/schools/nope/terms',
          '/terms/nope/gradingPeriods?fields=nope',
          '/users/nope/classes?filter=nope%3D%27x%27',
        ])
          expectError(await get(path), 404, 'unknownobject');
      });
    });

    describe('the 1.2 shape', () => {
      it('serves users with roles[] (one primary role per org), string booleans and 1.2 GUIDRefs', async () => {
        const r = await get('/users?limit=10000');
        const users = list(r.body, 'users');
        expect(users.length).toBeGreaterThan(0);
        for (const u of users) {
          expect(u).not.toHaveProperty('role');
          expect(u).not.toHaveProperty('orgs');
          expect(u).not.toHaveProperty('password');
          expect(['true', 'false']).toContain(u['enabledUser']);
          const roles = u['roles'] as {
            roleType: string;
            role: string;
            org: { href: string; sourcedId: string; type: string };
          }[];
          expect(roles.length).toBeGreaterThan(0);
          const orgs = roles.map((x) => x.org.sourcedId);
          expect(new Set(orgs).size).toBe(orgs.length);
          for (const x of roles) {
            expect(x.roleType).toBe('primary');
            expect(x.org.type).toBe('org');
            expect(x.org.href).toBe(
              `http://api.test${V1P2}/orgs/${encodeURIComponent(x.org.sourcedId)}`,
            );
          }
          if (orgs.length === 1)
            expect(u['primaryOrg']).toMatchObject({ sourcedId: orgs[0] });
          else expect(u).not.toHaveProperty('primaryOrg');
        }
        const student = users.find(
          (u) => u.sourcedId === ids['studentSourcedId'],
        );
        expect(
          (student?.['roles'] as { role: string }[]).map((x) => x.role),
        ).toContain('student');
      });

      it('serves the stored master identifier, preferred names, pronouns and primary org on 1.2 only; filters and sorts by them', async () => {
        const user = ids['studentSourcedId'];
        const v1p1Before = await get(
          `/ims/oneroster/v1p1/users/${encodeURIComponent(user)}`,
        );
        await db.query(
          'UPDATE users SET user_master_identifier = ?, preferred_first_name = ?, preferred_middle_name = ?, preferred_last_name = ?, pronouns = ?, primary_org_sourced_id = ? WHERE school_id = ? AND sourced_id = ?',
          [
            'UMI-7',
            'Sam',
            'J',
            'Lee-Smith',
            'they/them',
            schoolA.org,
            schoolA.id,
            user,
          ],
        );
        try {
          const r = await get(`/users/${encodeURIComponent(user)}`);
          expect(r.status).toBe(200);
          expect(r.body['user']).toMatchObject({
            userMasterIdentifier: 'UMI-7',
            preferredFirstName: 'Sam',
            preferredMiddleName: 'J',
            preferredLastName: 'Lee-Smith',
            pronouns: 'they/them',
            primaryOrg: {
              href: `http://api.test${V1P2}/orgs/${encodeURIComponent(schoolA.org)}`,
              sourcedId: schoolA.org,
              type: 'org',
            },
          });
          // 1.1 publishes none of them: the same object as before.
          const v1p1 = await get(
            `/ims/oneroster/v1p1/users/${encodeURIComponent(user)}`,
          );
          expect(v1p1.body).toEqual(v1p1Before.body);
          const filtered = await get(
            `/users?filter=${encodeURIComponent("pronouns='they/them' AND preferredFirstName='Sam'")}&fields=sourcedId,pronouns&limit=10000`,
          );
          expect(filtered.status).toBe(200);
          expect(list(filtered.body, 'users')).toEqual([
            { sourcedId: user, pronouns: 'they/them' },
          ]);
          const sorted = await get(
            `/users?sort=preferredFirstName&orderBy=desc&fields=sourcedId,preferredFirstName&limit=1`,
          );
          expect(list(sorted.body, 'users')).toEqual([
            { sourcedId: user, preferredFirstName: 'Sam' },
          ]);
        } finally {
          await db.query(
            'UPDATE users SET user_master_identifier = NULL, preferred_first_name = NULL, preferred_middle_name = NULL, preferred_last_name = NULL, pronouns = NULL, primary_org_sourced_id = NULL WHERE school_id = ? AND sourced_id = ?',
            [schoolA.id, user],
          );
        }
      });

      it("serves a user's stored 1.2 roles (user_roles) when it has any, else derives them; filters on the nested roles and primaryOrg", async () => {
        const user = ids['studentSourcedId'];
        const other = ids['teacherSourcedId'];
        const at = (org: string) => ({
          href: `http://api.test${V1P2}/orgs/${encodeURIComponent(org)}`,
          sourcedId: org,
          type: 'org',
        });
        const insert =
          'INSERT INTO user_roles (school_id, sourced_id, status, date_last_modified, user_sourced_id, role_type, role, org_sourced_id, user_profile_sourced_id, begin_date, end_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
        const now = '2026-09-01 00:00:00.000';
        await db.query(insert, [
          schoolA.id,
          'r-1',
          'active',
          now,
          user,
          'primary',
          'student',
          schoolA.org,
          null,
          '2026-09-01',
          null,
        ]);
        await db.query(insert, [
          schoolA.id,
          'r-2',
          'active',
          now,
          user,
          'secondary',
          'ext:coach',
          'org-elsewhere',
          'profile-1',
          '2026-10-01',
          '2027-07-31',
        ]);
        // Deleted rows and another school's rows are never served.
        await db.query(insert, [
          schoolA.id,
          'r-3',
          'tobedeleted',
          now,
          user,
          'secondary',
          'ext:former',
          schoolA.org,
          null,
          null,
          null,
        ]);
        await db.query(insert, [
          schoolB.id,
          'r-4',
          'active',
          now,
          user,
          'secondary',
          'ext:visitor',
          schoolB.org,
          null,
          null,
          null,
        ]);
        const names = async (filter: string, path = '/users') => {
          const r = await get(
            `${path}?filter=${encodeURIComponent(filter)}&fields=sourcedId&limit=10000`,
          );
          expect([filter, r.status]).toEqual([filter, 200]);
          return list(r.body, 'users').map((u) => u.sourcedId);
        };
        try {
          const expected = [
            {
              roleType: 'primary',
              role: 'student',
              org: at(schoolA.org),
              beginDate: '2026-09-01',
            },
            {
              roleType: 'secondary',
              role: 'ext:coach',
              org: at('org-elsewhere'),
              userProfile: 'profile-1',
              beginDate: '2026-10-01',
              endDate: '2027-07-31',
            },
          ];
          const single = await get(`/users/${encodeURIComponent(user)}`);
          expect((single.body['user'] as Obj)['roles']).toEqual(expected);
          // The same in a collection (looked up per batch) and on the subtype routes.
          const page = await get(
            `/students?filter=${encodeURIComponent(`sourcedId='${user}'`)}&fields=sourcedId,roles`,
          );
          expect(list(page.body, 'users')).toEqual([
            { sourcedId: user, roles: expected },
          ]);
          // A user without stored roles: derived, one primary role per org.
          const derived = await get(`/users/${encodeURIComponent(other)}`);
          const o = derived.body['user'] as Obj;
          expect(o['roles']).toEqual([
            { roleType: 'primary', role: 'teacher', org: at(schoolA.org) },
          ]);

          // Filters: a user matches when any of its roles does.
          expect(await names("roles.roleType='secondary'")).toEqual([user]);
          expect(await names("roles.role='ext:coach'")).toEqual([user]);
          expect(await names("roles.org.sourcedId='org-elsewhere'")).toEqual([
            user,
          ]);
          expect(
            await names(
              "roles.role='ext:coach' AND roles.org.sourcedId='org-elsewhere'",
              '/students',
            ),
          ).toEqual([user]);
          // Its stored roles replace the derived ones: no longer a plain student match
          // by role only through them; a teacher filter still finds the derived teacher.
          expect(await names("roles.role='teacher'")).toContain(other);
          expect(await names("roles.role='teacher'")).not.toContain(user);
          expect(await names("roles.role='ext:former'")).toEqual([]);
          expect(await names("roles.role='ext:visitor'")).toEqual([]);
          const students = await names("roles.role='student'");
          expect(students).toContain(user);
          expect(await names("roles.role!='ext:coach'")).not.toContain(user);
          expect(await names("roles.role!='ext:coach'")).toContain(other);
          expect(await names("roles.roleType='primary'")).toContain(user);
          expect(await names("roles.roleType='primary'")).toContain(other);
          expect(await names("roles.roleType~'second'")).toEqual([user]);
          expect(await names("roles.roleType!='primary'")).toEqual([]);
          // primaryOrg: stored, else the user's only org.
          expect(
            await names(`primaryOrg.sourcedId='${schoolA.org}'`),
          ).toContain(other);
          expect(
            await names(
              `primaryOrg.sourcedId='${schoolA.org}' AND sourcedId='${other}'`,
            ),
          ).toEqual([other]);
          expect(await names(`primaryOrg.sourcedId='nowhere'`)).toEqual([]);
          // Unknown nested names stay 400s.
          for (const filter of [
            "roles.nope='x'",
            "roles.beginDate='2026-09-01'",
            "userProfiles.profileType='x'",
          ])
            expectError(
              await get(`/users?filter=${encodeURIComponent(filter)}`),
              400,
              'invalid_filter_field',
            );
          // 1.1 serves the user as before: its 1.1 role.
          const v1p1 = await get(
            `/ims/oneroster/v1p1/users/${encodeURIComponent(user)}`,
          );
          expect((v1p1.body['user'] as Obj)['role']).toBe('student');
        } finally {
          await db.query(
            "DELETE FROM user_roles WHERE sourced_id IN ('r-1', 'r-2', 'r-3', 'r-4')",
          );
        }
      });

      it('answers the roles filters with the same users and totals whether the school stores 1.2 roles or not', async () => {
        // Without an active stored role in the school the filters run as their derived SQL
        // alone; a stored role equal to a user's derived one changes nothing it answers.
        const other = ids['teacherSourcedId'];
        const filters = [
          "roles.role='student'",
          "roles.role='teacher'",
          "roles.role!='student'",
          "roles.role~'teach'",
          "roles.role='siteAdministrator'",
          "roles.roleType='primary'",
          "roles.roleType!='primary'",
          `roles.org.sourcedId='${schoolA.org}'`,
          "roles.org.sourcedId='nowhere'",
          `roles.role='teacher' AND roles.org.sourcedId='${schoolA.org}'`,
        ];
        const answers = async () => {
          const out: [string, string | null, string[]][] = [];
          for (const filter of filters) {
            const r = await get(
              `/users?filter=${encodeURIComponent(filter)}&fields=sourcedId&limit=10000`,
            );
            expect([filter, r.status]).toEqual([filter, 200]);
            out.push([
              filter,
              r.headers.get('x-total-count'),
              list(r.body, 'users').map((u) => u.sourcedId),
            ]);
          }
          return out;
        };
        const insert =
          "INSERT INTO user_roles (school_id, sourced_id, status, date_last_modified, user_sourced_id, role_type, role, org_sourced_id, user_profile_sourced_id, begin_date, end_date) VALUES (?, ?, ?, '2026-09-01 00:00:00.000', ?, 'primary', 'teacher', ?, NULL, NULL, NULL)";
        // A deleted row does not count as a stored role.
        await db.query(insert, [
          schoolA.id,
          'r-same-0',
          'tobedeleted',
          other,
          schoolA.org,
        ]);
        try {
          const derived = await answers();
          expect(derived[0][2].length).toBeGreaterThan(0);
          expect(derived[1][2]).toContain(other);
          expect(derived[1][1]).toBe(String(derived[1][2].length));
          await db.query(insert, [
            schoolA.id,
            'r-same-1',
            'active',
            other,
            schoolA.org,
          ]);
          expect(await answers()).toEqual(derived);
        } finally {
          await db.query(
            "DELETE FROM user_roles WHERE sourced_id IN ('r-same-0', 'r-same-1')",
          );
        }
      });

      it("serves a user's stored profiles (user_profiles) as userProfiles[], never a password; not filterable", async () => {
        const user = ids['studentSourcedId'];
        const insert =
          'INSERT INTO user_profiles (school_id, sourced_id, status, date_last_modified, user_sourced_id, profile_type, vendor_id, application_id, description, credentials) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
        const now = '2026-09-01 00:00:00.000';
        await db.query(insert, [
          schoolA.id,
          'p-1',
          'active',
          now,
          user,
          'lms',
          'vendor-1',
          'app-1',
          'The LMS',
          JSON.stringify([
            { type: 'password', username: 'jdoe', password: 's3cret' },
          ]),
        ]);
        await db.query(insert, [
          schoolA.id,
          'p-2',
          'tobedeleted',
          now,
          user,
          'old',
          'vendor-2',
          null,
          null,
          null,
        ]);
        await db.query(insert, [
          schoolB.id,
          'p-3',
          'active',
          now,
          user,
          'elsewhere',
          'vendor-3',
          null,
          null,
          null,
        ]);
        try {
          const expected = [
            {
              profileId: 'p-1',
              profileType: 'lms',
              vendorId: 'vendor-1',
              applicationId: 'app-1',
              description: 'The LMS',
              credentials: [{ type: 'password', username: 'jdoe' }],
            },
          ];
          const single = await get(`/users/${encodeURIComponent(user)}`);
          expect((single.body['user'] as Obj)['userProfiles']).toEqual(
            expected,
          );
          expect(JSON.stringify(single.body)).not.toContain('s3cret');
          const page = await get(
            `/students?filter=${encodeURIComponent(`sourcedId='${user}'`)}&fields=sourcedId,userProfiles`,
          );
          expect(list(page.body, 'users')).toEqual([
            { sourcedId: user, userProfiles: expected },
          ]);
          // Users without profiles carry none.
          const other = await get(
            `/users/${encodeURIComponent(ids['teacherSourcedId'])}`,
          );
          expect(Object.keys(other.body['user'] as Obj)).not.toContain(
            'userProfiles',
          );
          for (const filter of [
            "userProfiles.profileType='lms'",
            "userProfiles.vendorId='vendor-1'",
            "userProfiles='x'",
          ])
            expectError(
              await get(`/users?filter=${encodeURIComponent(filter)}`),
              400,
              'invalid_filter_field',
            );
        } finally {
          await db.query(
            "DELETE FROM user_profiles WHERE sourced_id IN ('p-1', 'p-2', 'p-3')",
          );
        }
      });

      it("serves a user's resources (the active links of user_resources) on the user, per batch", async () => {
        const user = ids['studentSourcedId'];
        const insert =
          'INSERT INTO user_resources (school_id, sourced_id, status, date_last_modified, user_sourced_id, resource_sourced_id, class_sourced_id, org_sourced_id) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)';
        const now = '2026-09-01 00:00:00.000';
        const before = (await db.query(
          "SELECT DISTINCT resource_sourced_id AS r FROM user_resources WHERE school_id = ? AND user_sourced_id = ? AND status = 'active' ORDER BY resource_sourced_id",
          [schoolA.id, user],
        )) as { r: string }[];
        await db.query(insert, [
          schoolA.id,
          'ur-v1p2-1',
          'active',
          now,
          user,
          'res-x',
        ]);
        await db.query(insert, [
          schoolA.id,
          'ur-v1p2-2',
          'tobedeleted',
          now,
          user,
          'res-gone',
        ]);
        await db.query(insert, [
          schoolB.id,
          'ur-v1p2-3',
          'active',
          now,
          user,
          'res-b',
        ]);
        try {
          const expected = [...before.map((x) => x.r), 'res-x']
            .sort()
            .map((id) => ({
              href: `http://api.test/ims/oneroster/resources/v1p2/resources/${encodeURIComponent(id)}`,
              sourcedId: id,
              type: 'resource',
            }));
          const single = await get(`/users/${encodeURIComponent(user)}`);
          expect((single.body['user'] as Obj)['resources']).toEqual(expected);
          const page = await get(
            `/students?filter=${encodeURIComponent(`sourcedId='${user}'`)}&fields=sourcedId,resources`,
          );
          expect(list(page.body, 'users')).toEqual([
            { sourcedId: user, resources: expected },
          ]);
          // Every user of a page carries exactly its own active links.
          const all = await get(
            '/users?fields=sourcedId,resources&limit=10000',
          );
          const links = (await db.query(
            "SELECT user_sourced_id AS u, resource_sourced_id AS r FROM user_resources WHERE school_id = ? AND status = 'active' ORDER BY user_sourced_id, resource_sourced_id",
            [schoolA.id],
          )) as { u: string; r: string }[];
          const want = new Map<string, string[]>();
          for (const l of links)
            want.set(l.u, [...new Set([...(want.get(l.u) ?? []), l.r])]);
          for (const u of list(all.body, 'users'))
            expect([
              u.sourcedId,
              ((u['resources'] as Obj[] | undefined) ?? []).map(
                (r) => r.sourcedId,
              ),
            ]).toEqual([u.sourcedId, want.get(u.sourcedId) ?? []]);
          expectError(
            await get(
              `/users?filter=${encodeURIComponent("resources.sourcedId='res-x'")}`,
            ),
            400,
            'invalid_filter_field',
          );
        } finally {
          await db.query(
            "DELETE FROM user_resources WHERE sourced_id IN ('ur-v1p2-1', 'ur-v1p2-2', 'ur-v1p2-3')",
          );
        }
      });

      it('serves a 1.1 administrator at a school as a siteAdministrator there', async () => {
        const admin = await one(
          "SELECT sourced_id FROM users WHERE school_id = ? AND role = 'administrator' ORDER BY sourced_id LIMIT 1",
          [schoolA.id],
        );
        if (!admin) throw new Error('The demo data has no administrator');
        const r = await get(`/users/${encodeURIComponent(admin)}`);
        const roles = (r.body['user'] as Obj)['roles'] as {
          role: string;
          org: { sourcedId: string };
        }[];
        expect(roles).toContainEqual(
          expect.objectContaining({
            role: 'siteAdministrator',
            org: expect.objectContaining({ sourcedId: schoolA.org }),
          }),
        );
        const filtered = await get(
          `/users?filter=${encodeURIComponent("roles.role='siteAdministrator'")}&fields=sourcedId&limit=10000`,
        );
        expect(list(filtered.body, 'users').map((u) => u.sourcedId)).toContain(
          admin,
        );
      });

      it('sees nothing with a token naming no school it holds', async () => {
        const token = await api.issuer.token({
          school_ids: ['no-such-school'],
        });
        const r = await get('/users', token);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ users: [] });
        expect(r.headers.get('x-total-count')).toBe('0');
        expectError(
          await get(`/users/${ids['studentSourcedId']}`, token),
          404,
          'unknownobject',
        );
      });

      it('writes enrolment booleans as strings', async () => {
        const r = await get('/enrollments?limit=200');
        const e = list(r.body, 'enrollments');
        expect(e.length).toBeGreaterThan(0);
        for (const o of e) {
          if ('primary' in o) expect(['true', 'false']).toContain(o['primary']);
          expect((o['user'] as { type: string }).type).toBe('user');
        }
      });
    });

    describe('query rules', () => {
      it('refuses unknown or blank fields with 400 invalid_selection_field, on collections and single reads', async () => {
        expectError(
          await get('/users?fields=sourcedId,role'),
          400,
          'invalid_selection_field',
        );
        expectError(
          await get('/users?fields='),
          400,
          'invalid_selection_field',
        );
        expectError(
          await get(`/users/${ids['studentSourcedId']}?fields=nope`),
          400,
          'invalid_selection_field',
        );
      });

      it('applies fields on collections and single reads', async () => {
        const r = await get('/users?fields=sourcedId,roles&limit=5');
        for (const u of list(r.body, 'users'))
          expect(Object.keys(u).sort()).toEqual(['roles', 'sourcedId']);
        const s = await get(
          `/classes/${ids['classSourcedId']}?fields=title,sourcedId`,
        );
        expect(Object.keys(s.body['class'] as Obj).sort()).toEqual([
          'sourcedId',
          'title',
        ]);
        // A 1.2 field nothing stores yet is a valid name that selects nothing.
        const p = await get('/users?fields=sourcedId,pronouns&limit=5');
        expect(p.status).toBe(200);
        for (const u of list(p.body, 'users'))
          expect(Object.keys(u)).toEqual(['sourcedId']);
      });

      it('refuses unknown filter fields (1.1 names included) with 400 invalid_filter_field', async () => {
        for (const filter of [
          "role='teacher'",
          "nope='x'",
          "orgs.sourcedId='x'",
          "roles='x'",
          "roles.userProfile='x'",
        ])
          expectError(
            await get(`/users?filter=${encodeURIComponent(filter)}`),
            400,
            'invalid_filter_field',
          );
      });

      it('refuses an unknown sort field with 400 invaliddata', async () => {
        expectError(await get('/users?sort=nope'), 400, 'invaliddata');
      });

      it('filters by 1.2 names and values: roles.role, string booleans, GUIDRefs', async () => {
        const teachers = await get(
          `/users?filter=${encodeURIComponent("roles.role='teacher'")}&limit=10000`,
        );
        const all = await get('/teachers?limit=10000');
        expect(list(teachers.body, 'users').map((u) => u.sourcedId)).toEqual(
          list(all.body, 'users').map((u) => u.sourcedId),
        );
        const enabled = await get(
          `/users?filter=${encodeURIComponent("enabledUser='true'")}&limit=10000`,
        );
        expect(list(enabled.body, 'users').length).toBeGreaterThan(0);
        for (const u of list(enabled.body, 'users'))
          expect(u['enabledUser']).toBe('true');
        const inSchool = await get(
          `/users?filter=${encodeURIComponent(`roles.org.sourcedId='${schoolA.org}'`)}&limit=10000`,
        );
        expect(list(inSchool.body, 'users').length).toBeGreaterThan(0);
        for (const u of list(inSchool.body, 'users'))
          expect(
            (u['roles'] as { org: { sourcedId: string } }[]).map(
              (x) => x.org.sourcedId,
            ),
          ).toContain(schoolA.org);
        const ofClass = await get(
          `/enrollments?filter=${encodeURIComponent(`class.sourcedId='${ids['classSourcedId']}' AND role='student'`)}&limit=10000`,
        );
        expect(list(ofClass.body, 'enrollments').length).toBeGreaterThan(0);
        for (const e of list(ofClass.body, 'enrollments'))
          expect(e).toMatchObject({
            role: 'student',
            class: { sourcedId: ids['classSourcedId'] },
          });
      });

      it('pages with X-Total-Count and Link first/prev/next/last under the 1.2 path', async () => {
        const filter = "roles.role='student'";
        const r = await get(
          `/users?limit=7&offset=7&filter=${encodeURIComponent(filter)}&fields=sourcedId`,
        );
        expect(r.status).toBe(200);
        const total = Number(r.headers.get('x-total-count'));
        expect(total).toBeGreaterThan(14);
        const link = r.headers.get('link') ?? '';
        const rels = Object.fromEntries(
          [...link.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [
            m[2],
            m[1],
          ]),
        );
        expect(Object.keys(rels).sort()).toEqual([
          'first',
          'last',
          'next',
          'prev',
        ]);
        for (const url of Object.values(rels)) {
          const u = new URL(url);
          expect(u.pathname).toBe(`${V1P2}/users`);
          expect(u.searchParams.get('filter')).toBe(filter);
          expect(u.searchParams.get('fields')).toBe('sourcedId');
        }
        expect(new URL(rels['next']).searchParams.get('offset')).toBe('14');
        expect(new URL(rels['last']).searchParams.get('offset')).toBe(
          String(Math.floor((total - 1) / 7) * 7),
        );
        // Following next gives the next page, without repeating.
        const next = await get(rels['next'].replace('http://api.test', ''));
        const seen = list(r.body, 'users').map((u) => u.sourcedId);
        for (const u of list(next.body, 'users'))
          expect(seen).not.toContain(u.sourcedId);
      });

      it('serves a page of 10,000 (written as it is built) like small pages', async () => {
        const big = await get('/users?limit=10000&fields=sourcedId');
        const total = Number(big.headers.get('x-total-count'));
        expect(list(big.body, 'users')).toHaveLength(Math.min(total, 10_000));
        const small: string[] = [];
        for (let offset = 0; offset < total; offset += 500)
          small.push(
            ...list(
              (await get(`/users?limit=500&offset=${offset}&fields=sourcedId`))
                .body,
              'users',
            ).map((u) => u.sourcedId),
          );
        expect(list(big.body, 'users').map((u) => u.sourcedId)).toEqual(small);
      });
    });

    describe('Google Classroom’s 1.2 calls', () => {
      it("teachers?filter=email='…'&limit=10000 finds exactly that teacher", async () => {
        const teacher = (await get(`/teachers/${ids['teacherSourcedId']}`))
          .body['user'] as Obj;
        expect(typeof teacher['email']).toBe('string');
        const r = await get(
          `/teachers?filter=${encodeURIComponent(`email='${String(teacher['email'])}'`)}&limit=10000`,
        );
        expect(r.status).toBe(200);
        expect(list(r.body, 'users').map((u) => u.sourcedId)).toEqual([
          ids['teacherSourcedId'],
        ]);
      });

      it("teachers/{id}/classes?filter=status='active' lists the teacher's active classes", async () => {
        const path = `/teachers/${ids['teacherSourcedId']}/classes`;
        const r = await get(
          `${path}?filter=${encodeURIComponent("status='active'")}&limit=10000`,
        );
        const all = await get(`${path}?limit=10000`);
        const active = list(all.body, 'classes').filter(
          (c) => c['status'] === 'active',
        );
        expect(active.length).toBeGreaterThan(0);
        expect(list(r.body, 'classes').map((c) => c.sourcedId)).toEqual(
          active.map((c) => c.sourcedId),
        );
        expect(active.map((c) => c.sourcedId)).toContain(ids['classSourcedId']);
      });

      it('classes/{id}/students lists the enrolled students with their emails', async () => {
        const r = await get(
          `/classes/${ids['classSourcedId']}/students?limit=10000`,
        );
        const students = list(r.body, 'users');
        const enrolled = (
          (await db.query(
            "SELECT user_sourced_id AS id FROM enrollments WHERE school_id = ? AND class_sourced_id = ? AND role = 'student' AND status = 'active'",
            [schoolA.id, ids['classSourcedId']],
          )) as { id: string }[]
        )
          .map((x) => x.id)
          .sort();
        expect(students.map((s) => s.sourcedId).sort()).toEqual(enrolled);
        const emails = (
          (await db.query(
            `SELECT sourced_id AS id, email FROM users WHERE school_id = ? AND sourced_id IN (${enrolled.map(() => '?').join(', ')})`,
            [schoolA.id, ...enrolled],
          )) as { id: string; email: string | null }[]
        ).filter((x) => x.email);
        expect(emails.length).toBeGreaterThan(0);
        for (const { id, email } of emails)
          expect(students.find((s) => s.sourcedId === id)?.['email']).toBe(
            email,
          );
      });

      it('terms/{id}/gradingPeriods lists only grading periods of the term', async () => {
        const r = await get(`/terms/${ids['termSourcedId']}/gradingPeriods`);
        const periods = list(r.body, 'academicSessions');
        expect(periods.length).toBeGreaterThan(0);
        for (const p of periods)
          expect(p).toMatchObject({
            type: 'gradingPeriod',
            parent: {
              sourcedId: ids['termSourcedId'],
              type: 'academicSession',
            },
          });
      });
    });
  },
);
