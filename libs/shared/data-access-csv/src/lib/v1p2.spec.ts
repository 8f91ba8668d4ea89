import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import {
  CSV_HEADERS,
  csvLine,
  IssueCollector,
  v1p1SetToV1p2,
  V1P2_CSV_FILES,
  V1P2_CSV_HEADERS,
  V1P2_NOT_STORED_FILES,
} from '@oneroster/util-oneroster-csv';
import { CsvImportService } from './import';
import { exportCsv } from './export';
import {
  countRows,
  copyFixture,
  dumpSchool,
  editCsv,
  editLines,
  fixtureDir,
  splitCsv,
} from './testing/csv-sets';
import { fixturePlan } from './testing/fixture-sets';

const T0 = new Date('2026-09-02T10:00:00.000Z');
const T1 = new Date('2026-09-03T10:00:00.000Z');
const TRUST = fixturePlan('trust');

jest.setTimeout(180_000);

type School = { id: string; name: string; org: string };

async function schoolsOf(ds: DataSource): Promise<School[]> {
  return (await ds.query(
    'SELECT id, name, org_sourced_id AS org FROM schools ORDER BY id',
  )) as School[];
}

async function addSchool(ds: DataSource, s: School): Promise<void> {
  await ds.query(
    'INSERT INTO schools (id, name, org_sourced_id, identifier, sandbox, created_at) VALUES (?, ?, ?, NULL, 0, ?)',
    [s.id, s.name, s.org, '2026-01-01 00:00:00.000'],
  );
}

/** Every file of a folder, by name, as text. */
/**
 * A school's dump without the stored 1.2 roles and profiles (a 1.1 source derives the
 * roles and has no profiles).
 */
function withoutRoles<T extends Record<string, unknown>>(dump: T): T {
  return { ...dump, roles: [], userProfiles: [] };
}

function readSet(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

describe.each(testEngines('csv_v1p2'))(
  'OneRoster 1.2 CSV on $name',
  (engine) => {
    // The database a set is imported into again (on MySQL another database than `ds`'s).
    const copyEngine = testEngines('csv_v1p2_copy').find(
      (e) => e.name === engine.name,
    ) as typeof engine;
    let ds: DataSource;
    let service: CsvImportService;
    let work: string;
    beforeEach(async () => {
      ds = await openMigratedDatabase(engine);
      service = new CsvImportService(ds);
      work = mkdtempSync(join(tmpdir(), 'or-csv-v1p2-'));
    });
    afterEach(async () => {
      await ds.destroy();
      rmSync(work, { recursive: true, force: true });
    });

    it('exports a 1.2 set with the 1.2 headers, roles.csv and manifest version 1.2', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const out = join(work, 'v1p2');
      const res = await exportCsv(ds, {
        schoolId: school.id,
        out,
        version: '1.2',
      });
      const set = readSet(out);
      const manifest = splitCsv(set['manifest.csv']);
      expect(manifest).toContainEqual(['oneroster.version', '1.2']);
      expect(manifest).toContainEqual(['file.roles', 'bulk']);
      for (const f of V1P2_NOT_STORED_FILES) {
        expect(manifest).toContainEqual([`file.${f}`, 'absent']);
        expect(set[`${f}.csv`]).toBeUndefined();
      }
      expect(splitCsv(set['users.csv'])[0]).toEqual([
        ...V1P2_CSV_HEADERS.users,
      ]);
      expect(splitCsv(set['lineItems.csv'])[0]).toEqual([
        ...V1P2_CSV_HEADERS.lineItems,
      ]);
      const roles = splitCsv(set['roles.csv']);
      expect(roles[0]).toEqual([...V1P2_CSV_HEADERS.roles]);
      // One primary role per org of each user.
      const users = splitCsv(set['users.csv']).slice(1);
      expect(res.files.users).toBe(users.length);
      expect(roles.length - 1).toBe(res.files.roles);
      expect(roles.length - 1).toBeGreaterThanOrEqual(users.length);
      const roleTypes = new Set(roles.slice(1).map((r) => r[4]));
      expect(roleTypes).toEqual(new Set(['primary']));
      // Enrolment roles outside 1.2's four are extensions; none is a bare 1.1-only value.
      const enr = splitCsv(set['enrollments.csv']);
      const role = enr[0].indexOf('role');
      for (const r of enr.slice(1))
        expect(r[role]).toMatch(
          /^(administrator|proctor|student|teacher|ext:\w+)$/,
        );
    });

    it('round trip: a 1.1 set imported, exported as 1.2 and imported again gives the same tables (bulk and delta)', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const schools = await schoolsOf(ds);
      expect(schools).toHaveLength(TRUST.schools.length);
      const target = await openMigratedDatabase(copyEngine);
      try {
        const copy = new CsvImportService(target);
        for (const s of schools) {
          await addSchool(target, s);
          const original = await dumpSchool(ds, s.id);
          const zip = join(work, `${s.id}.zip`);
          await exportCsv(ds, { schoolId: s.id, out: zip, version: '1.2' });
          const bulk = await copy.importSet(zip, { schoolId: s.id, now: T0 });
          expect(bulk.errors).toEqual([]);
          expect(bulk.warnings).toEqual([]);
          expect(bulk.committed).toBe(true);
          // The 1.2 set's roles.csv is stored as given: the derived roles, one primary role
          // per org of each user, each with the exported sourcedId.
          const plain = join(work, `${s.id}-plain`);
          await exportCsv(ds, { schoolId: s.id, out: plain, version: '1.2' });
          const roles = splitCsv(
            readFileSync(join(plain, 'roles.csv'), 'utf8'),
          );
          const stored = await target.query(
            "SELECT sourced_id AS id, user_sourced_id AS u, role_type AS t, role AS r, org_sourced_id AS o FROM user_roles WHERE school_id = ? AND status = 'active' ORDER BY sourced_id",
            [s.id],
          );
          expect(stored.length).toBe(roles.length - 1);
          expect(stored.length).toBeGreaterThan(0);
          expect(
            [...stored].map((x: Record<string, string>) => [
              x['id'],
              x['u'],
              x['t'],
              x['r'],
              x['o'],
            ]),
          ).toEqual(
            roles
              .slice(1)
              .map((r) => [r[0], r[3], r[4], r[5], r[8]])
              .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
          );
          expect(withoutRoles(await dumpSchool(target, s.id))).toEqual(
            withoutRoles(original),
          );
          const deltaDir = join(work, `${s.id}-delta`);
          await exportCsv(ds, {
            schoolId: s.id,
            out: deltaDir,
            since: new Date(0),
            version: '1.2',
          });
          expect(
            splitCsv(readFileSync(join(deltaDir, 'manifest.csv'), 'utf8')),
          ).toContainEqual(['file.roles', 'delta']);
          const delta = await copy.importSet(deltaDir, {
            schoolId: s.id,
            now: T1,
          });
          expect(delta.errors).toEqual([]);
          expect(withoutRoles(await dumpSchool(target, s.id))).toEqual(
            withoutRoles(original),
          );
          // The copy's 1.2 export (its roles stored) is the source's (roles derived).
          const again = join(work, `${s.id}-again`);
          const first = join(work, `${s.id}-first`);
          await exportCsv(target, {
            schoolId: s.id,
            out: again,
            version: '1.2',
          });
          await exportCsv(ds, { schoolId: s.id, out: first, version: '1.2' });
          expect(readSet(again)).toEqual(readSet(first));
        }
      } finally {
        await target.destroy();
      }
    });

    it('round trip: a 1.2 set from the demo data, imported and exported as 1.1, equals the 1.1 export of the same data', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const schools = await schoolsOf(ds);
      const target = await openMigratedDatabase(copyEngine);
      try {
        const copy = new CsvImportService(target);
        // The whole trust as one 1.2 set per school, imported split per school as 1.1 is.
        for (const s of schools) {
          const v1p2 = join(work, `${s.id}-v1p2`);
          await exportCsv(ds, { schoolId: s.id, out: v1p2, version: '1.2' });
          const report = await copy.importSet(v1p2, { now: T0 });
          expect(report.errors).toEqual([]);
          expect(report.schools.map((x) => x.orgSourcedId)).toContain(s.org);
        }
        for (const s of schools) {
          const a = join(work, `${s.id}-a`);
          const b = join(work, `${s.id}-b`);
          await exportCsv(ds, { schoolId: s.id, out: a });
          const id = (await schoolsOf(target)).find((x) => x.org === s.org)?.id;
          expect(id).toBeDefined();
          await exportCsv(target, { schoolId: id as string, out: b });
          const left = readSet(a);
          const right = readSet(b);
          // The manifest names the school (source.systemCode): the same id on both sides.
          expect(right).toEqual(left);
        }
      } finally {
        await target.destroy();
      }
    });

    it('accepts what 1.1 cannot store with not_stored warnings naming the file and column, and stores the rest', async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      let firstUser = '';
      let firstOrg = '';
      editCsv(set, 'users.csv', (rows, col) => {
        firstUser = rows[1][col('sourcedId')];
        rows[1][col('userMasterIdentifier')] = 'UMI-1';
        rows[1][col('pronouns')] = 'they/them';
        return rows;
      });
      editCsv(set, 'roles.csv', (rows, col) => {
        const r = rows.find((x) => x[col('userSourcedId')] === firstUser);
        firstOrg = (r as string[])[col('orgSourcedId')];
        return [
          ...rows,
          [
            'extra-role',
            '',
            '',
            firstUser,
            'secondary',
            'proctor',
            '',
            '',
            firstOrg,
            '',
          ],
        ];
      });
      writeFileSync(
        join(set, 'userProfiles.csv'),
        V1P2_CSV_HEADERS.userProfiles.join(',') +
          `\np1,,,${firstUser},app,vendor-1,,,portal,user1,secret\n`,
      );
      editLines(set, 'manifest.csv', (l) =>
        l.map((x) =>
          x === 'file.userProfiles,absent' ? 'file.userProfiles,bulk' : x,
        ),
      );
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const report = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.errors).toEqual([]);
        expect(report.committed).toBe(true);
        const notStored = report.warnings
          .filter((w) => w.code === 'not_stored')
          .map((w) => [w.file, w.column ?? null]);
        // roles.csv and userProfiles.csv are stored as given (user_roles, user_profiles):
        // nothing of them is reported lost.
        expect(
          notStored.filter(
            ([f]) => f === 'roles.csv' || f === 'userProfiles.csv',
          ),
        ).toEqual([]);
        expect(
          await target.query(
            'SELECT user_sourced_id AS u, profile_type AS t, vendor_id AS v, application_id AS a, credentials AS c FROM user_profiles WHERE school_id = ? AND sourced_id = ?',
            [school.id, 'p1'],
          ),
        ).toEqual([
          {
            u: firstUser,
            t: 'app',
            v: 'vendor-1',
            a: null,
            c: JSON.stringify([
              { type: 'portal', username: 'user1', password: 'secret' },
            ]),
          },
        ]);
        expect(
          await target.query(
            'SELECT user_sourced_id AS u, role_type AS t, role AS r, org_sourced_id AS o FROM user_roles WHERE school_id = ? AND sourced_id = ?',
            [school.id, 'extra-role'],
          ),
        ).toEqual([
          { u: firstUser, t: 'secondary', r: 'proctor', o: firstOrg },
        ]);
        // Stored for 1.2 (users' 1.2-only columns): not reported.
        expect(notStored).not.toContainEqual(['users.csv', 'pronouns']);
        expect(notStored).not.toContainEqual([
          'users.csv',
          'userMasterIdentifier',
        ]);
        expect(
          await target.query(
            'SELECT user_master_identifier AS umi, pronouns FROM users WHERE school_id = ? AND sourced_id = ?',
            [school.id, firstUser],
          ),
        ).toEqual([{ umi: 'UMI-1', pronouns: 'they/them' }]);
        // Everything else as in the source.
        await ds.query(
          'UPDATE users SET user_master_identifier = ?, pronouns = ? WHERE school_id = ? AND sourced_id = ?',
          ['UMI-1', 'they/them', school.id, firstUser],
        );
        // Everything else as in the source (which holds no 1.2 roles).
        expect(withoutRoles(await dumpSchool(target, school.id))).toEqual(
          withoutRoles(await dumpSchool(ds, school.id)),
        );
      } finally {
        await target.destroy();
      }
    });

    it('round trip: a 1.2 set with master identifiers, preferred names, pronouns and primary orgs, imported and exported as 1.2 (bulk and delta), gives the same users.csv and roles.csv; 1.1 export unchanged', async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const orgs = splitCsv(readFileSync(join(set, 'orgs.csv'), 'utf8'));
      const orgIds = orgs.slice(1).map((r) => r[0]);
      expect(orgIds.length).toBeGreaterThan(1);
      const edited: string[] = [];
      let twoOrgs = '';
      let other = '';
      editCsv(set, 'users.csv', (rows, col) => {
        rows.slice(1, 6).forEach((r, i) => {
          edited.push(r[col('sourcedId')]);
          r[col('userMasterIdentifier')] = `UMI-${i}`;
          r[col('preferredGivenName')] = `Pref ${i}`;
          if (i % 2 === 0) r[col('preferredMiddleName')] = `Mid ${i}`;
          r[col('preferredFamilyName')] = `Fam, "${i}"`;
          r[col('pronouns')] = i === 0 ? 'they/them' : 'she/her';
        });
        return rows;
      });
      // The first user gets a second primary role at another org, which is its primary org.
      twoOrgs = edited[0];
      editCsv(set, 'roles.csv', (rows, col) => {
        const r = rows.find(
          (x) => x[col('userSourcedId')] === twoOrgs,
        ) as string[];
        other = orgIds.find((o) => o !== r[col('orgSourcedId')]) as string;
        const extra = [...r];
        extra[col('sourcedId')] = `${twoOrgs}/${other}`;
        extra[col('orgSourcedId')] = other;
        return [...rows, extra];
      });
      editCsv(set, 'users.csv', (rows, col) => {
        const r = rows.find((x) => x[col('sourcedId')] === twoOrgs) as string[];
        r[col('primaryOrgSourcedId')] = other;
        return rows;
      });
      const before = readSet(set);
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const copy = new CsvImportService(target);
        const report = await copy.importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.errors).toEqual([]);
        expect(report.warnings).toEqual([]);
        expect(
          await target.query(
            'SELECT user_master_identifier AS umi, preferred_first_name AS f, preferred_middle_name AS m, preferred_last_name AS l, pronouns AS p, primary_org_sourced_id AS o FROM users WHERE school_id = ? AND sourced_id = ?',
            [school.id, twoOrgs],
          ),
        ).toEqual([
          {
            umi: 'UMI-0',
            f: 'Pref 0',
            m: 'Mid 0',
            l: 'Fam, "0"',
            p: 'they/them',
            o: other,
          },
        ]);
        const out = join(work, 'out');
        await exportCsv(target, {
          schoolId: school.id,
          out,
          version: '1.2',
        });
        const after = readSet(out);
        expect(after['users.csv']).toEqual(before['users.csv']);
        expect(splitCsv(after['roles.csv']).slice(1).sort()).toEqual(
          splitCsv(before['roles.csv']).slice(1).sort(),
        );
        expect(after).toEqual({ ...before, 'roles.csv': after['roles.csv'] });
        // The delta export carries them too, and imports to the same tables.
        const delta = join(work, 'delta');
        await exportCsv(target, {
          schoolId: school.id,
          out: delta,
          since: new Date(0),
          version: '1.2',
        });
        const third = await openMigratedDatabase(
          testEngines('csv_v1p2_third').find(
            (e) => e.name === engine.name,
          ) as typeof engine,
        );
        try {
          await addSchool(third, school);
          const r3 = await new CsvImportService(third).importSet(delta, {
            schoolId: school.id,
            now: T0,
          });
          expect(r3.errors).toEqual([]);
          expect(await dumpSchool(third, school.id)).toEqual(
            await dumpSchool(target, school.id),
          );
        } finally {
          await third.destroy();
        }
        // 1.1 export: byte-identical to the source's but for the added org of the user.
        const a = join(work, 'v1p1-a');
        const b = join(work, 'v1p1-b');
        await exportCsv(ds, { schoolId: school.id, out: a });
        await exportCsv(target, { schoolId: school.id, out: b });
        const left = readSet(a);
        const right = readSet(b);
        expect(splitCsv(right['users.csv'])[0]).toEqual([...CSV_HEADERS.users]);
        expect({ ...right, 'users.csv': '' }).toEqual({
          ...left,
          'users.csv': '',
        });
        const changed = splitCsv(right['users.csv']).filter(
          (r, i) => r.join() !== splitCsv(left['users.csv'])[i]?.join(),
        );
        expect(changed.map((r) => r[0])).toEqual([twoOrgs]);
        // A 1.1 set describes the whole record: importing it clears the 1.2-only columns.
        const v1p1 = await copy.importSet(b, { schoolId: school.id, now: T1 });
        expect(v1p1.errors).toEqual([]);
        const [left12] = (await target.query(
          'SELECT COUNT(*) AS n FROM users WHERE school_id = ? AND (pronouns IS NOT NULL OR user_master_identifier IS NOT NULL OR primary_org_sourced_id IS NOT NULL)',
          [school.id],
        )) as { n: number | string }[];
        expect(Number(left12.n)).toBe(0);
      } finally {
        await target.destroy();
      }
    });

    it("round trip: a 1.2 set with categories' weights and results' textScore and flags, imported and exported as 1.2 (bulk and delta); 1.1 export unchanged, a 1.1 import clears them", async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      let category = '';
      editCsv(set, 'categories.csv', (rows, col) => {
        expect(rows.length).toBeGreaterThan(2);
        category = rows[1][col('sourcedId')];
        rows[1][col('weight')] = '0.25';
        rows[2][col('weight')] = '2';
        return rows;
      });
      const edited: string[] = [];
      editCsv(set, 'results.csv', (rows, col) => {
        expect(rows.length).toBeGreaterThan(4);
        rows.slice(1, 4).forEach((r, i) => {
          edited.push(r[col('sourcedId')]);
          r[col('textScore')] = i === 0 ? 'B+' : `Level, "${i}"`;
          r[col('inProgress')] = i === 0 ? 'true' : 'false';
          r[col('incomplete')] = 'false';
          if (i !== 1) r[col('late')] = 'true';
          r[col('missing')] = i === 2 ? 'true' : '';
        });
        return rows;
      });
      const before = readSet(set);
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const copy = new CsvImportService(target);
        const report = await copy.importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.errors).toEqual([]);
        expect(report.warnings).toEqual([]);
        const [cat] = (await target.query(
          'SELECT weight FROM categories WHERE school_id = ? AND sourced_id = ?',
          [school.id, category],
        )) as { weight: number }[];
        expect(Number(cat.weight)).toBe(0.25);
        const [first] = (await target.query(
          'SELECT text_score AS t, in_progress AS p, incomplete AS i, late AS l, missing AS m FROM results WHERE school_id = ? AND sourced_id = ?',
          [school.id, edited[0]],
        )) as Record<string, unknown>[];
        expect({
          ...first,
          p: Number(first['p']),
          i: Number(first['i']),
          l: Number(first['l']),
        }).toEqual({ t: 'B+', p: 1, i: 0, l: 1, m: null });
        const out = join(work, 'out');
        await exportCsv(target, { schoolId: school.id, out, version: '1.2' });
        const after = readSet(out);
        expect(after['categories.csv']).toEqual(before['categories.csv']);
        expect(after['results.csv']).toEqual(before['results.csv']);
        expect(after).toEqual({ ...before, 'roles.csv': after['roles.csv'] });
        // The delta export carries them too, and imports to the same tables.
        const delta = join(work, 'delta');
        await exportCsv(target, {
          schoolId: school.id,
          out: delta,
          since: new Date(0),
          version: '1.2',
        });
        const third = await openMigratedDatabase(
          testEngines('csv_v1p2_third').find(
            (e) => e.name === engine.name,
          ) as typeof engine,
        );
        try {
          await addSchool(third, school);
          const r3 = await new CsvImportService(third).importSet(delta, {
            schoolId: school.id,
            now: T0,
          });
          expect(r3.errors).toEqual([]);
          expect(await dumpSchool(third, school.id)).toEqual(
            await dumpSchool(target, school.id),
          );
        } finally {
          await third.destroy();
        }
        // 1.1 export: byte-identical to the source's.
        const a = join(work, 'v1p1-a');
        const b = join(work, 'v1p1-b');
        await exportCsv(ds, { schoolId: school.id, out: a });
        await exportCsv(target, { schoolId: school.id, out: b });
        expect(readSet(b)).toEqual(readSet(a));
        // A 1.1 set describes the whole record: importing it clears the 1.2-only columns.
        const v1p1 = await copy.importSet(b, { schoolId: school.id, now: T1 });
        expect(v1p1.errors).toEqual([]);
        const [left12] = (await target.query(
          'SELECT (SELECT COUNT(*) FROM categories WHERE school_id = ? AND weight IS NOT NULL) + (SELECT COUNT(*) FROM results WHERE school_id = ? AND (text_score IS NOT NULL OR in_progress IS NOT NULL OR late IS NOT NULL)) AS n',
          [school.id, school.id],
        )) as { n: number | string }[];
        expect(Number(left12.n)).toBe(0);
      } finally {
        await target.destroy();
      }
    });

    it('reports a result flag that is not a 1.2 boolean, or a weight that is not a number, at its 1.2 file and column, and writes nothing', async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      editCsv(set, 'results.csv', (rows, col) => {
        rows[1][col('late')] = 'maybe';
        return rows;
      });
      editCsv(set, 'categories.csv', (rows, col) => {
        rows[1][col('weight')] = 'heavy';
        return rows;
      });
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const report = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.committed).toBe(false);
        expect(report.errors.map((e) => [e.file, e.line, e.column])).toEqual(
          expect.arrayContaining([
            ['results.csv', 2, 'late'],
            ['categories.csv', 2, 'weight'],
          ]),
        );
        const [n] = (await target.query(
          'SELECT COUNT(*) AS n FROM results WHERE school_id = ?',
          [school.id],
        )) as { n: number | string }[];
        expect(Number(n.n)).toBe(0);
      } finally {
        await target.destroy();
      }
    });

    /** Adds scoreScales.csv (declared `mode`) to a 1.2 set: one scale per class of `classes`. */
    function addScoreScales(
      set: string,
      mode: 'bulk' | 'delta',
      rows: string[][],
    ): void {
      writeFileSync(
        join(set, 'scoreScales.csv'),
        [V1P2_CSV_HEADERS.scoreScales, ...rows].map((r) => csvLine(r)).join(''),
      );
      editLines(set, 'manifest.csv', (l) =>
        l.map((x) =>
          x === 'file.scoreScales,absent' ? `file.scoreScales,${mode}` : x,
        ),
      );
    }

    /** The data rows of a CSV file as objects by header (blank cells left out). */
    function rowsOf(path: string): Record<string, string>[] {
      const [header, ...rows] = splitCsv(readFileSync(path, 'utf8'));
      return rows.map((r) =>
        Object.fromEntries(
          header.map((h, i) => [h, r[i]]).filter(([, v]) => v !== ''),
        ),
      );
    }

    it('round trip: a 1.2 set with scoreScales.csv imported, exported as 1.2 (bulk and delta), gives the same score scales', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const schools = await schoolsOf(ds);
      const [school] = schools;
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const classes = rowsOf(join(set, 'classes.csv'));
      const [c1, c2] = classes;
      addScoreScales(set, 'bulk', [
        [
          'ss-1',
          '',
          '',
          'Letters',
          'letter',
          '',
          c1['courseSourcedId'],
          c1['sourcedId'],
          '{A:Excellent},{B: Good, well done},{C:Pass: just}',
        ],
        [
          'ss-2',
          '',
          '',
          'Pass/fail',
          'binary',
          '',
          '',
          c2['sourcedId'],
          '{1:Pass},{0:Fail}',
        ],
      ]);
      const target = await openMigratedDatabase(copyEngine);
      try {
        // Split per school (no --school): each scale goes to its class's school only.
        const report = await new CsvImportService(target).importSet(set, {
          now: T0,
        });
        expect(report.errors).toEqual([]);
        expect(report.warnings).toEqual([]);
        expect(report.files.scoreScales).toMatchObject({
          mode: 'bulk',
          rows: 2,
          inserted: 2,
        });
        const [copied] = (await schoolsOf(target)).filter(
          (x) => x.org === school.org,
        );
        expect(await countRows(target, 'score_scales')).toBe(2);
        expect(await countRows(target, 'score_scales', copied.id)).toBe(2);
        const stored = (await target.query(
          'SELECT sourced_id AS id, score_scale_value AS v FROM score_scales ORDER BY sourced_id',
        )) as { id: string; v: unknown }[];
        const value = (v: unknown) =>
          typeof v === 'string' ? JSON.parse(v) : v;
        expect(value(stored[0].v)).toEqual([
          { itemValueLHS: 'A', itemValueRHS: 'Excellent' },
          { itemValueLHS: 'B', itemValueRHS: 'Good, well done' },
          { itemValueLHS: 'C', itemValueRHS: 'Pass: just' },
        ]);

        const out = join(work, 'out.zip');
        const res = await exportCsv(target, {
          schoolId: copied.id,
          out: join(work, 'out'),
          version: '1.2',
        });
        expect(res.files.scoreScales).toBe(2);
        await exportCsv(target, { schoolId: copied.id, out, version: '1.2' });
        const manifest = splitCsv(
          readFileSync(join(work, 'out', 'manifest.csv'), 'utf8'),
        );
        expect(manifest).toContainEqual(['file.scoreScales', 'bulk']);
        expect(rowsOf(join(work, 'out', 'scoreScales.csv'))).toEqual(
          rowsOf(join(set, 'scoreScales.csv')).map((r) => ({
            ...r,
            scoreScaleValue: r['scoreScaleValue'].replace(': ', ':'),
          })),
        );

        // The exported set imported again (zip, into the school) changes nothing.
        const again = await new CsvImportService(target).importSet(out, {
          schoolId: copied.id,
          now: T1,
        });
        expect(again.errors).toEqual([]);
        expect(again.files.scoreScales).toMatchObject({ unchanged: 2 });

        // A bulk set without ss-2 marks it tobedeleted; a delta export carries that.
        editCsv(join(work, 'out'), 'scoreScales.csv', (rows) =>
          rows.filter((r) => r[0] !== 'ss-2'),
        );
        const bulk = await new CsvImportService(target).importSet(
          join(work, 'out'),
          { schoolId: copied.id, now: T1 },
        );
        expect(bulk.errors).toEqual([]);
        expect(bulk.files.scoreScales).toMatchObject({ deleted: 1 });
        const delta = join(work, 'delta');
        await exportCsv(target, {
          schoolId: copied.id,
          out: delta,
          since: new Date(T0.getTime() + 1),
          version: '1.2',
        });
        expect(
          splitCsv(readFileSync(join(delta, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.scoreScales', 'delta']);
        expect(rowsOf(join(delta, 'scoreScales.csv'))).toEqual([
          expect.objectContaining({
            sourcedId: 'ss-2',
            status: 'tobedeleted',
            dateLastModified: T1.toISOString(),
          }),
        ]);
        // The delta set, imported into a fresh copy of the school, deletes it there too.
        const before = await dumpSchool(target, copied.id);
        const d = await new CsvImportService(target).importSet(delta, {
          schoolId: copied.id,
          now: T1,
        });
        expect(d.errors).toEqual([]);
        expect(await dumpSchool(target, copied.id)).toEqual(before);
      } finally {
        await target.destroy();
      }
    });

    it('checks scoreScales.csv as the other files: values, duplicates, references; nothing written on error', async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const [c1] = rowsOf(join(set, 'classes.csv'));
      const orgs = rowsOf(join(set, 'orgs.csv'));
      addScoreScales(set, 'bulk', [
        [
          'ss-1',
          '',
          '',
          'Letters',
          'letter',
          orgs[0]['sourcedId'],
          '',
          c1['sourcedId'],
          '{A:Top}',
        ],
        ['ss-2', '', '', 'Bad', 'letter', '', '', c1['sourcedId'], 'A=Top'],
        ['ss-1', '', '', 'Again', 'letter', '', '', c1['sourcedId'], '{A:Top}'],
        [
          'ss-3',
          '',
          '',
          'Lost',
          'letter',
          '',
          'no-such-course',
          'no-such-class',
          '{A:Top}',
        ],
      ]);
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const report = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.ok).toBe(false);
        // Values and duplicates first; references are looked up once those are right.
        expect(
          report.errors.map((e) => [e.file, e.line, e.column, e.code]),
        ).toEqual([
          ['scoreScales.csv', 3, 'scoreScaleValue', 'bad_pairs'],
          ['scoreScales.csv', 4, 'sourcedId', 'duplicate_sourced_id'],
        ]);
        expect(await countRows(target, 'users')).toBe(0);
        editCsv(set, 'scoreScales.csv', (rows) =>
          rows.filter((r, i) => i !== 2 && i !== 3),
        );
        const refs = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(
          refs.errors.map((e) => [e.file, e.line, e.column, e.code]),
        ).toEqual([
          ['scoreScales.csv', 3, 'courseSourcedId', 'unknown_reference'],
          ['scoreScales.csv', 3, 'classSourcedId', 'unknown_reference'],
        ]);
        expect(
          refs.warnings
            .filter((w) => w.code === 'not_stored')
            .map((w) => [w.file, w.line, w.column]),
        ).toEqual([['scoreScales.csv', 2, 'orgSourcedId']]);
        expect(await countRows(target, 'users')).toBe(0);
        expect(await countRows(target, 'score_scales')).toBe(0);
        editCsv(set, 'scoreScales.csv', (rows) =>
          rows.filter((r) => r[0] !== 'ss-3'),
        );
        // Another school's class reads as one that exists nowhere.
        const other = { id: 'other-school', name: 'Other', org: 'other-org' };
        await addSchool(target, other);
        const ok = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(ok.errors).toEqual([]);
        expect(await countRows(target, 'score_scales', school.id)).toBe(1);
        // A delta set naming only the scale: its class is looked up in the school only.
        const delta = join(work, 'delta');
        mkdirSync(delta);
        writeFileSync(
          join(delta, 'manifest.csv'),
          [
            ['propertyName', 'value'],
            ['manifest.version', '1.0'],
            ['oneroster.version', '1.2'],
            ...V1P2_CSV_FILES.map((f) => [
              `file.${f}`,
              f === 'scoreScales' ? 'delta' : 'absent',
            ]),
          ]
            .map((r) => csvLine(r))
            .join(''),
        );
        writeFileSync(
          join(delta, 'scoreScales.csv'),
          [
            V1P2_CSV_HEADERS.scoreScales,
            [
              'ss-9',
              'active',
              T1.toISOString(),
              'Nine',
              'x',
              '',
              '',
              c1['sourcedId'],
              '{9:Nine}',
            ],
          ]
            .map((r) => csvLine(r))
            .join(''),
        );
        const wrong = await new CsvImportService(target).importSet(delta, {
          schoolId: other.id,
          now: T1,
        });
        expect(wrong.errors.map((e) => [e.file, e.column, e.code])).toEqual([
          ['scoreScales.csv', 'classSourcedId', 'unknown_reference'],
        ]);
        const right = await new CsvImportService(target).importSet(delta, {
          schoolId: school.id,
          now: T1,
        });
        expect(right.errors).toEqual([]);
        expect(await countRows(target, 'score_scales', school.id)).toBe(2);
        expect(await countRows(target, 'score_scales', other.id)).toBe(0);
      } finally {
        await target.destroy();
      }
    });

    /** Adds a 1.2 file (declared `mode`) with these rows to a set. */
    function addFile(
      set: string,
      file: (typeof V1P2_CSV_FILES)[number],
      mode: 'bulk' | 'delta',
      rows: string[][],
    ): void {
      writeFileSync(
        join(set, `${file}.csv`),
        [V1P2_CSV_HEADERS[file], ...rows].map((r) => csvLine(r)).join(''),
      );
      editLines(set, 'manifest.csv', (l) =>
        l.map((x) =>
          x === `file.${file},absent` ? `file.${file},${mode}` : x,
        ),
      );
    }

    /** The score scale column of some line items or results of a school, by sourcedId. */
    async function scalesOf(
      target: DataSource,
      table: 'line_items' | 'results',
      schoolId: string,
    ): Promise<Record<string, string>> {
      const rows = (await target.query(
        `SELECT sourced_id AS id, score_scale_sourced_id AS s FROM ${table} WHERE school_id = ? AND score_scale_sourced_id IS NOT NULL ORDER BY sourced_id`,
        [schoolId],
      )) as { id: string; s: string }[];
      return Object.fromEntries(rows.map((r) => [r.id, r.s]));
    }

    it("round trip: a 1.2 set's score scale links imported into line_items and results, exported as 1.2 (bulk and delta); 1.1 export unchanged", async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const v1p1Before = join(work, 'v1p1-before');
      await exportCsv(ds, { schoolId: school.id, out: v1p1Before });
      const [li1, li2] = rowsOf(join(set, 'lineItems.csv'));
      const [r1] = rowsOf(join(set, 'results.csv'));
      const cls = li1['classSourcedId'];
      addScoreScales(set, 'bulk', [
        ['ss-1', '', '', 'Letters', 'letter', '', '', cls, '{A:Good}'],
        ['ss-2', '', '', 'Pass/fail', 'binary', '', '', cls, '{1:Pass}'],
      ]);
      addFile(set, 'lineItemScoreScales', 'bulk', [
        ['link-1', '', '', 'Term grades', li1['sourcedId'], 'ss-1'],
      ]);
      addFile(set, 'resultScoreScales', 'bulk', [
        ['link-2', '', '', '', r1['sourcedId'], 'ss-2'],
      ]);
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const report = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.errors).toEqual([]);
        // The link's title is not kept; nothing else is reported (no file is not_stored).
        expect(
          report.warnings.map((w) => [w.file, w.line, w.column, w.code]),
        ).toEqual([['lineItemScoreScales.csv', 2, 'title', 'not_stored']]);
        expect(report.files.lineItemScoreScales).toMatchObject({
          mode: 'bulk',
          rows: 1,
        });
        expect(await scalesOf(target, 'line_items', school.id)).toEqual({
          [li1['sourcedId']]: 'ss-1',
        });
        expect(await scalesOf(target, 'results', school.id)).toEqual({
          [r1['sourcedId']]: 'ss-2',
        });

        // Exported as 1.2: one link per line item or result, named by its object.
        const out = join(work, 'out');
        const res = await exportCsv(target, {
          schoolId: school.id,
          out,
          version: '1.2',
        });
        expect(res.files.lineItemScoreScales).toBe(1);
        const manifest = splitCsv(
          readFileSync(join(out, 'manifest.csv'), 'utf8'),
        );
        expect(manifest).toContainEqual(['file.lineItemScoreScales', 'bulk']);
        expect(manifest).toContainEqual(['file.resultScoreScales', 'bulk']);
        expect(
          splitCsv(
            readFileSync(join(out, 'lineItemScoreScales.csv'), 'utf8'),
          )[0],
        ).toEqual([...V1P2_CSV_HEADERS.lineItemScoreScales]);
        expect(rowsOf(join(out, 'lineItemScoreScales.csv'))).toEqual([
          {
            sourcedId: li1['sourcedId'],
            lineItemSourcedId: li1['sourcedId'],
            scoreScaleSourcedId: 'ss-1',
          },
        ]);
        expect(rowsOf(join(out, 'resultScoreScales.csv'))).toEqual([
          {
            sourcedId: r1['sourcedId'],
            resultSourcedId: r1['sourcedId'],
            scoreScaleSourcedId: 'ss-2',
          },
        ]);
        // The 1.1 export knows nothing of them: byte for byte the export before.
        const v1p1After = join(work, 'v1p1-after');
        await exportCsv(target, { schoolId: school.id, out: v1p1After });
        expect(readSet(v1p1After)).toEqual(readSet(v1p1Before));

        // The exported set imported again changes nothing.
        const again = await new CsvImportService(target).importSet(out, {
          schoolId: school.id,
          now: T1,
        });
        expect(again.errors).toEqual([]);
        expect(again.warnings).toEqual([]);
        expect(again.files.lineItems).toMatchObject({ updated: 0, deleted: 0 });
        expect(again.files.lineItemScoreScales).toMatchObject({ unchanged: 1 });
        expect(again.files.resultScoreScales).toMatchObject({ unchanged: 1 });
        expect(await scalesOf(target, 'line_items', school.id)).toEqual({
          [li1['sourcedId']]: 'ss-1',
        });

        // A delta set of links alone: a tobedeleted link clears its line item's scale, an
        // active one sets another's (the line items are the school's, not the set's).
        const delta = join(work, 'delta');
        mkdirSync(delta);
        writeFileSync(
          join(delta, 'manifest.csv'),
          [
            ['propertyName', 'value'],
            ['manifest.version', '1.0'],
            ['oneroster.version', '1.2'],
            ...V1P2_CSV_FILES.map((f) => [`file.${f}`, 'absent']),
          ]
            .map((r) => csvLine(r))
            .join(''),
        );
        addFile(delta, 'lineItemScoreScales', 'delta', [
          [
            'x-1',
            'tobedeleted',
            T1.toISOString(),
            '',
            li1['sourcedId'],
            'ss-1',
          ],
          ['x-2', 'active', T1.toISOString(), '', li2['sourcedId'], 'ss-2'],
        ]);
        const d = await new CsvImportService(target).importSet(delta, {
          schoolId: school.id,
          now: T1,
        });
        expect(d.errors).toEqual([]);
        expect(d.files.lineItemScoreScales).toMatchObject({
          inserted: 1,
          deleted: 1,
        });
        expect(await scalesOf(target, 'line_items', school.id)).toEqual({
          [li2['sourcedId']]: 'ss-2',
        });
        // The delta export since then carries both line items and the one link left.
        const since = join(work, 'since');
        await exportCsv(target, {
          schoolId: school.id,
          out: since,
          since: new Date(T0.getTime() + 1),
          version: '1.2',
        });
        expect(
          rowsOf(join(since, 'lineItems.csv')).map((r) => r['sourcedId']),
        ).toEqual([li1['sourcedId'], li2['sourcedId']].sort());
        expect(rowsOf(join(since, 'lineItemScoreScales.csv'))).toEqual([
          {
            sourcedId: li2['sourcedId'],
            status: 'active',
            dateLastModified: T1.toISOString(),
            lineItemSourcedId: li2['sourcedId'],
            scoreScaleSourcedId: 'ss-2',
          },
        ]);
        expect(
          splitCsv(readFileSync(join(since, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.resultScoreScales', 'absent']);

        // The bulk export imported again restores li1's link and drops li2's: the file
        // holds every link.
        const bulk = await new CsvImportService(target).importSet(out, {
          schoolId: school.id,
          now: T1,
        });
        expect(bulk.errors).toEqual([]);
        expect(await scalesOf(target, 'line_items', school.id)).toEqual({
          [li1['sourcedId']]: 'ss-1',
        });
      } finally {
        await target.destroy();
      }
    });

    it('checks the score scale links: one active link per object, the object and the scale in the set or the school; nothing written on error', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const [li1, li2] = rowsOf(join(set, 'lineItems.csv'));
      const [r1] = rowsOf(join(set, 'results.csv'));
      addScoreScales(set, 'bulk', [
        [
          'ss-1',
          '',
          '',
          'Letters',
          'letter',
          '',
          '',
          li1['classSourcedId'],
          '{A:Good}',
        ],
      ]);
      addFile(set, 'lineItemScoreScales', 'bulk', [
        ['l-1', '', '', '', li1['sourcedId'], 'ss-1'],
        ['l-2', '', '', '', li1['sourcedId'], 'ss-1'],
        ['l-3', '', '', '', 'no-such-line-item', 'ss-1'],
        ['l-4', '', '', '', li2['sourcedId'], 'no-such-scale'],
      ]);
      addFile(set, 'resultScoreScales', 'bulk', [
        ['r-1', '', '', '', r1['sourcedId'], 'no-such-scale'],
      ]);
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const first = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        // A second active link of one line item is refused when the set is read.
        expect(
          first.errors.map((e) => [e.file, e.line, e.column, e.code]),
        ).toEqual([
          ['lineItemScoreScales.csv', 3, 'lineItemSourcedId', 'duplicate_link'],
        ]);
        expect(first.committed).toBe(false);
        editCsv(set, 'lineItemScoreScales.csv', (rows) =>
          rows.filter((r) => r[0] !== 'l-2'),
        );
        const second = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(
          second.errors.map((e) => [e.file, e.line, e.column, e.value, e.code]),
        ).toEqual([
          [
            'lineItemScoreScales.csv',
            3,
            'lineItemSourcedId',
            'no-such-line-item',
            'unknown_reference',
          ],
          [
            'lineItemScoreScales.csv',
            4,
            'scoreScaleSourcedId',
            'no-such-scale',
            'unknown_reference',
          ],
          [
            'resultScoreScales.csv',
            2,
            'scoreScaleSourcedId',
            'no-such-scale',
            'unknown_reference',
          ],
        ]);
        expect(second.committed).toBe(false);
        expect(await countRows(target, 'line_items', school.id)).toBe(0);
        expect(await countRows(target, 'score_scales', school.id)).toBe(0);
      } finally {
        await target.destroy();
      }
    });

    /** An empty 1.2 set: a manifest declaring every file absent (files added by `addFile`). */
    function emptyV1p2Set(dir: string): string {
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'manifest.csv'),
        [
          ['propertyName', 'value'],
          ['manifest.version', '1.0'],
          ['oneroster.version', '1.2'],
          ...V1P2_CSV_FILES.map((f) => [`file.${f}`, 'absent']),
        ]
          .map((r) => csvLine(r))
          .join(''),
      );
      return dir;
    }

    /** The learning objective sets of a school's line items or results, by sourcedId. */
    async function objectivesOf(
      target: DataSource,
      table: 'line_items' | 'results',
      schoolId: string,
    ): Promise<Record<string, unknown>> {
      const rows = (await target.query(
        `SELECT sourced_id AS id, learning_objective_set AS v FROM ${table} WHERE school_id = ? AND learning_objective_set IS NOT NULL ORDER BY sourced_id`,
        [schoolId],
      )) as { id: string; v: string }[];
      return Object.fromEntries(rows.map((r) => [r.id, JSON.parse(r.v)]));
    }

    /** A line item's LearningObjectiveSetDType[] from `[source, ids]` pairs. */
    const ids = (...sets: [string, string[]][]) =>
      sets.map(([source, learningObjectiveIds]) => ({
        source,
        learningObjectiveIds,
      }));

    it("round trip: a 1.2 set's learning objective links gathered into line_items' and results' learning_objective_set, exported as 1.2 (bulk and delta); 1.1 export unchanged", async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const v1p1Before = join(work, 'v1p1-before');
      await exportCsv(ds, { schoolId: school.id, out: v1p1Before });
      const [li1, li2] = rowsOf(join(set, 'lineItems.csv')).map(
        (r) => r['sourcedId'],
      );
      expect([li1, li2]).toEqual([li1, li2].sort());
      const r1 = rowsOf(join(set, 'results.csv'))[0]['sourcedId'];
      addFile(set, 'lineItemLearningObjectiveIds', 'bulk', [
        ['lo-1', '', '', li1, 'case', 'A'],
        ['lo-2', '', '', li1, '/state', 'S1'],
        ['lo-3', '', '', li1, 'case', 'B'],
        ['lo-4', '', '', li1, 'case', 'A'],
        ['lo-5', '', '', li2, 'unknown', 'U'],
      ]);
      addFile(set, 'resultLearningObjectiveIds', 'bulk', [
        ['ro-1', '', '', r1, 'case', 'A', '3', ''],
        ['ro-2', '', '', r1, 'case', 'B', '', 'met'],
      ]);
      const stored = {
        [li1]: ids(['case', ['A', 'B']], ['/state', ['S1']]),
        [li2]: ids(['unknown', ['U']]),
      };
      const scores = {
        [r1]: [
          {
            source: 'case',
            learningObjectiveResults: [
              { learningObjectiveId: 'A', score: 3 },
              { learningObjectiveId: 'B', textScore: 'met' },
            ],
          },
        ],
      };
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const report = await new CsvImportService(target).importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.errors).toEqual([]);
        // A repeated objective of one line item is kept once, with a warning.
        expect(
          report.warnings.map((w) => [w.file, w.line, w.column, w.code]),
        ).toEqual([
          [
            'lineItemLearningObjectiveIds.csv',
            5,
            'learningObjectiveId',
            'duplicate_link',
          ],
        ]);
        expect(await objectivesOf(target, 'line_items', school.id)).toEqual(
          stored,
        );
        expect(await objectivesOf(target, 'results', school.id)).toEqual(
          scores,
        );

        // Exported as 1.2: one row per objective, named by its object and position.
        const out = join(work, 'out');
        const res = await exportCsv(target, {
          schoolId: school.id,
          out,
          version: '1.2',
        });
        expect(res.files.lineItemLearningObjectiveIds).toBe(4);
        expect(
          splitCsv(readFileSync(join(out, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.resultLearningObjectiveIds', 'bulk']);
        const link = (
          id: string,
          n: number,
          source: string,
          lo: string,
          more: Record<string, string> = {},
        ) => ({
          sourcedId: `${id}.${n}`,
          ...more,
          source,
          learningObjectiveId: lo,
        });
        expect(rowsOf(join(out, 'lineItemLearningObjectiveIds.csv'))).toEqual([
          { ...link(li1, 1, 'case', 'A'), lineItemSourcedId: li1 },
          { ...link(li1, 2, 'case', 'B'), lineItemSourcedId: li1 },
          { ...link(li1, 3, '/state', 'S1'), lineItemSourcedId: li1 },
          { ...link(li2, 1, 'unknown', 'U'), lineItemSourcedId: li2 },
        ]);
        expect(rowsOf(join(out, 'resultLearningObjectiveIds.csv'))).toEqual([
          { ...link(r1, 1, 'case', 'A', {}), resultSourcedId: r1, score: '3' },
          {
            ...link(r1, 2, 'case', 'B'),
            resultSourcedId: r1,
            textScore: 'met',
          },
        ]);
        // The 1.1 export knows nothing of them: byte for byte the export before.
        const v1p1After = join(work, 'v1p1-after');
        await exportCsv(target, { schoolId: school.id, out: v1p1After });
        expect(readSet(v1p1After)).toEqual(readSet(v1p1Before));

        // The exported set imported again changes nothing.
        const again = await new CsvImportService(target).importSet(out, {
          schoolId: school.id,
          now: T1,
        });
        expect([again.errors, again.warnings]).toEqual([[], []]);
        expect(again.files.lineItems).toMatchObject({ updated: 0, deleted: 0 });
        expect(again.files.lineItemLearningObjectiveIds).toMatchObject({
          unchanged: 4,
        });
        expect(await objectivesOf(target, 'line_items', school.id)).toEqual(
          stored,
        );

        // A delta set of links alone: a tobedeleted link removes that objective, an active
        // one adds one (or gives a result's objective its new score).
        const delta = emptyV1p2Set(join(work, 'delta'));
        const at = T1.toISOString();
        addFile(delta, 'lineItemLearningObjectiveIds', 'delta', [
          ['x-1', 'tobedeleted', at, li1, 'case', 'A'],
          ['x-2', 'tobedeleted', at, li1, '/state', 'S1'],
          ['x-3', 'active', at, li2, 'case', 'Z'],
        ]);
        addFile(delta, 'resultLearningObjectiveIds', 'delta', [
          ['y-1', 'active', at, r1, 'case', 'A', '5', ''],
        ]);
        const d = await new CsvImportService(target).importSet(delta, {
          schoolId: school.id,
          now: T1,
        });
        expect(d.errors).toEqual([]);
        expect(await objectivesOf(target, 'line_items', school.id)).toEqual({
          [li1]: ids(['case', ['B']]),
          [li2]: ids(['unknown', ['U']], ['case', ['Z']]),
        });
        expect(
          (
            (await objectivesOf(target, 'results', school.id))[r1] as {
              learningObjectiveResults: unknown[];
            }[]
          )[0].learningObjectiveResults[0],
        ).toEqual({ learningObjectiveId: 'A', score: 5 });
        // The delta export since then carries the line items' whole lists.
        const since = join(work, 'since');
        await exportCsv(target, {
          schoolId: school.id,
          out: since,
          since: new Date(T0.getTime() + 1),
          version: '1.2',
        });
        expect(
          rowsOf(join(since, 'lineItemLearningObjectiveIds.csv')).map((r) => [
            r['sourcedId'],
            r['status'],
            r['dateLastModified'],
            r['learningObjectiveId'],
          ]),
        ).toEqual([
          [`${li1}.1`, 'active', at, 'B'],
          [`${li2}.1`, 'active', at, 'U'],
          [`${li2}.2`, 'active', at, 'Z'],
        ]);
        // That delta set imported into a third database gives the same lists.
        const third = await openMigratedDatabase(
          testEngines('csv_v1p2_third').find(
            (e) => e.name === engine.name,
          ) as typeof engine,
        );
        try {
          await addSchool(third, school);
          const r3 = await new CsvImportService(third).importSet(out, {
            schoolId: school.id,
            now: T0,
          });
          expect(r3.errors).toEqual([]);
          const r4 = await new CsvImportService(third).importSet(since, {
            schoolId: school.id,
            now: T1,
          });
          expect(r4.errors).toEqual([]);
          expect(await objectivesOf(third, 'line_items', school.id)).toEqual(
            await objectivesOf(target, 'line_items', school.id),
          );
        } finally {
          await third.destroy();
        }

        // A bulk file of links alone holds every link: li2, which it lacks, loses its list.
        const bulk = emptyV1p2Set(join(work, 'bulk'));
        addFile(bulk, 'lineItemLearningObjectiveIds', 'bulk', [
          ['b-1', '', '', li1, 'case', 'C'],
        ]);
        const b = await new CsvImportService(target).importSet(bulk, {
          schoolId: school.id,
          now: T1,
        });
        expect(b.errors).toEqual([]);
        expect(await objectivesOf(target, 'line_items', school.id)).toEqual({
          [li1]: ids(['case', ['C']]),
        });
      } finally {
        await target.destroy();
      }
    });

    it('checks the learning objective links: the object in the set or the school, a source of the 1.2 schema, a sourcedId once; nothing written on error', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const all = join(work, 'all');
      await exportCsv(ds, { schoolId: school.id, out: all, version: '1.2' });
      const [li1] = rowsOf(join(all, 'lineItems.csv')).map(
        (r) => r['sourcedId'],
      );
      const set = emptyV1p2Set(join(work, 'bad'));
      addFile(set, 'lineItemLearningObjectiveIds', 'bulk', [
        ['lo-1', '', '', li1, 'case', 'A'],
        ['lo-2', '', '', 'no-such-line-item', 'case', 'B'],
        ['lo-3', '', '', li1, 'CASE', 'C'],
        ['lo-1', '', '', li1, 'case', 'D'],
      ]);
      const conv = await service.importSet(set, {
        schoolId: school.id,
        now: T1,
      });
      expect(conv.committed).toBe(false);
      expect(conv.errors.map((e) => [e.line, e.column, e.code])).toEqual([
        [4, 'source', 'bad_enum'],
        [5, 'sourcedId', 'duplicate_id'],
      ]);
      // The conversion's checks passed: the object is checked when written.
      editLines(set, 'lineItemLearningObjectiveIds.csv', (l) => l.slice(0, 3));
      const report = await service.importSet(set, {
        schoolId: school.id,
        now: T1,
      });
      expect(report.committed).toBe(false);
      expect(report.errors.map((e) => [e.line, e.column, e.code])).toEqual([
        [3, 'lineItemSourcedId', 'unknown_reference'],
      ]);
      expect(await objectivesOf(ds, 'line_items', school.id)).toEqual({});
    });

    it('round trip: a 1.2 set with userResources.csv imported into user_resources, exported as 1.2 (bulk and delta)', async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      expect(V1P2_CSV_HEADERS.userResources).toEqual([
        'sourcedId',
        'status',
        'dateLastModified',
        'userSourcedId',
        'orgSourcedId',
        'classSourcedId',
        'resourceSourcedId',
      ]);
      const [u1, u2] = rowsOf(join(set, 'users.csv'));
      const [r1, r2] = rowsOf(join(set, 'resources.csv'));
      const [c1] = rowsOf(join(set, 'classes.csv'));
      expect(r2).toBeDefined();
      const links = [
        [
          'ur-1',
          '',
          '',
          u1['sourcedId'],
          school.org,
          c1['sourcedId'],
          r1['sourcedId'],
        ],
        ['ur-2', '', '', u1['sourcedId'], '', '', r2['sourcedId']],
        ['ur-3', '', '', u2['sourcedId'], '', '', r1['sourcedId']],
      ];
      writeFileSync(
        join(set, 'userResources.csv'),
        [V1P2_CSV_HEADERS.userResources, ...links]
          .map((r) => csvLine(r))
          .join(''),
      );
      editLines(set, 'manifest.csv', (l) =>
        l.map((x) =>
          x === 'file.userResources,absent' ? 'file.userResources,bulk' : x,
        ),
      );
      const target = await openMigratedDatabase(copyEngine);
      try {
        const report = await new CsvImportService(target).importSet(set, {
          now: T0,
        });
        expect(report.errors).toEqual([]);
        expect(report.warnings).toEqual([]);
        expect(report.files.userResources).toMatchObject({
          mode: 'bulk',
          rows: 3,
          inserted: 3,
        });
        const [copied] = (await schoolsOf(target)).filter(
          (x) => x.org === school.org,
        );
        expect(await countRows(target, 'user_resources', copied.id)).toBe(3);
        const stored = (await target.query(
          'SELECT sourced_id AS id, user_sourced_id AS u, resource_sourced_id AS r, class_sourced_id AS c, org_sourced_id AS o FROM user_resources ORDER BY sourced_id',
        )) as Record<string, string | null>[];
        expect(stored).toEqual([
          {
            id: 'ur-1',
            u: u1['sourcedId'],
            r: r1['sourcedId'],
            c: c1['sourcedId'],
            o: school.org,
          },
          {
            id: 'ur-2',
            u: u1['sourcedId'],
            r: r2['sourcedId'],
            c: null,
            o: null,
          },
          {
            id: 'ur-3',
            u: u2['sourcedId'],
            r: r1['sourcedId'],
            c: null,
            o: null,
          },
        ]);

        const out = join(work, 'out');
        const res = await exportCsv(target, {
          schoolId: copied.id,
          out,
          version: '1.2',
        });
        expect(res.files.userResources).toBe(3);
        expect(
          splitCsv(readFileSync(join(out, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.userResources', 'bulk']);
        expect(rowsOf(join(out, 'userResources.csv'))).toEqual(
          rowsOf(join(set, 'userResources.csv')),
        );
        const again = await new CsvImportService(target).importSet(out, {
          schoolId: copied.id,
          now: T1,
        });
        expect(again.errors).toEqual([]);
        expect(again.files.userResources).toMatchObject({ unchanged: 3 });

        // A bulk set without ur-3 marks it tobedeleted; a delta export carries that.
        editCsv(out, 'userResources.csv', (rows) =>
          rows.filter((r) => r[0] !== 'ur-3'),
        );
        const bulk = await new CsvImportService(target).importSet(out, {
          schoolId: copied.id,
          now: T1,
        });
        expect(bulk.errors).toEqual([]);
        expect(bulk.files.userResources).toMatchObject({ deleted: 1 });
        const delta = join(work, 'delta');
        await exportCsv(target, {
          schoolId: copied.id,
          out: delta,
          since: new Date(T0.getTime() + 1),
          version: '1.2',
        });
        expect(
          splitCsv(readFileSync(join(delta, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.userResources', 'delta']);
        expect(rowsOf(join(delta, 'userResources.csv'))).toEqual([
          expect.objectContaining({
            sourcedId: 'ur-3',
            status: 'tobedeleted',
            dateLastModified: T1.toISOString(),
          }),
        ]);
        const before = await dumpSchool(target, copied.id);
        const d = await new CsvImportService(target).importSet(delta, {
          schoolId: copied.id,
          now: T1,
        });
        expect(d.errors).toEqual([]);
        expect(await dumpSchool(target, copied.id)).toEqual(before);
      } finally {
        await target.destroy();
      }
    });

    it('round trip: a 1.2 set with secondary roles, dates and user profiles, stored in user_roles, exported as 1.2 (bulk and delta); a 1.1 users import replaces them', async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      const [u1] = rowsOf(join(set, 'users.csv'));
      const user = u1['sourcedId'];
      const primary = rowsOf(join(set, 'roles.csv')).find(
        (r) => r['userSourcedId'] === user,
      ) as Record<string, string>;
      const org = primary['orgSourcedId'];
      editCsv(set, 'roles.csv', (rows, col) => [
        ...rows.map((r) =>
          r[col('userSourcedId')] === user
            ? Object.assign([...r], {
                [col('beginDate')]: '2026-09-01',
                [col('endDate')]: '2027-07-31',
              })
            : r,
        ),
        [
          'role-2',
          '',
          '',
          user,
          'secondary',
          'aide',
          '2026-10-01',
          '',
          org,
          'profile-1',
        ],
      ]);
      const profiles = [
        V1P2_CSV_HEADERS.userProfiles,
        [
          'profile-1',
          '',
          '',
          user,
          'lms',
          'vendor-1',
          'app-1',
          'The LMS, with a comma',
          'password',
          'jdoe',
          's3cret',
        ],
        [
          'profile-2',
          '',
          '',
          user,
          'sis',
          'vendor-2',
          '',
          '',
          'sso',
          'jdoe2',
          '',
        ],
      ];
      writeFileSync(
        join(set, 'userProfiles.csv'),
        profiles.map((r) => csvLine(r)).join(''),
      );
      editLines(set, 'manifest.csv', (l) =>
        l.map((x) =>
          x === 'file.userProfiles,absent' ? 'file.userProfiles,bulk' : x,
        ),
      );
      const sortRows = (rows: Record<string, string>[]) =>
        [...rows].sort((a, b) =>
          a['sourcedId'] < b['sourcedId']
            ? -1
            : a['sourcedId'] > b['sourcedId']
              ? 1
              : 0,
        );
      const target = await openMigratedDatabase(copyEngine);
      try {
        await addSchool(target, school);
        const copy = new CsvImportService(target);
        const report = await copy.importSet(set, {
          schoolId: school.id,
          now: T0,
        });
        expect(report.errors).toEqual([]);
        expect(report.warnings).toEqual([]);
        const roles = rowsOf(join(set, 'roles.csv'));
        expect(report.files.roles).toMatchObject({
          mode: 'bulk',
          inserted: roles.length,
        });
        expect(
          await target.query(
            'SELECT sourced_id AS id, role_type AS t, role AS r, org_sourced_id AS o, user_profile_sourced_id AS p, begin_date AS b, end_date AS e FROM user_roles WHERE school_id = ? AND user_sourced_id = ? ORDER BY sourced_id',
            [school.id, user],
          ),
        ).toEqual(
          [
            {
              id: primary['sourcedId'],
              t: 'primary',
              r: primary['role'],
              o: org,
              p: null,
              b: '2026-09-01',
              e: '2027-07-31',
            },
            {
              id: 'role-2',
              t: 'secondary',
              r: 'aide',
              o: org,
              p: 'profile-1',
              b: '2026-10-01',
              e: null,
            },
          ].sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
        // The 1.1 role stays the primary one.
        expect(
          await target.query(
            'SELECT role FROM users WHERE school_id = ? AND sourced_id = ?',
            [school.id, user],
          ),
        ).toEqual(
          await ds.query(
            'SELECT role FROM users WHERE school_id = ? AND sourced_id = ?',
            [school.id, user],
          ),
        );

        // Bulk export: the same roles.csv; imported again, nothing changes.
        const out = join(work, 'out');
        const res = await exportCsv(target, {
          schoolId: school.id,
          out,
          version: '1.2',
        });
        expect(res.files.roles).toBe(roles.length);
        expect(sortRows(rowsOf(join(out, 'roles.csv')))).toEqual(
          sortRows(roles),
        );
        // userProfiles.csv: stored in user_profiles, written back with its passwords.
        expect(rowsOf(join(out, 'userProfiles.csv'))).toEqual(
          rowsOf(join(set, 'userProfiles.csv')),
        );
        expect(
          await target.query(
            'SELECT credentials AS c FROM user_profiles WHERE school_id = ? ORDER BY sourced_id',
            [school.id],
          ),
        ).toEqual([
          {
            c: JSON.stringify([
              { type: 'password', username: 'jdoe', password: 's3cret' },
            ]),
          },
          { c: JSON.stringify([{ type: 'sso', username: 'jdoe2' }]) },
        ]);
        const again = await copy.importSet(out, {
          schoolId: school.id,
          now: T1,
        });
        expect(again.errors).toEqual([]);
        expect(again.files.userProfiles).toMatchObject({ unchanged: 2 });
        expect(again.files.roles).toMatchObject({ unchanged: roles.length });

        // Delta export: every role with its status and dateLastModified.
        const delta = join(work, 'delta');
        await exportCsv(target, {
          schoolId: school.id,
          out: delta,
          since: new Date(0),
          version: '1.2',
        });
        expect(
          splitCsv(readFileSync(join(delta, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.roles', 'delta']);
        expect(
          splitCsv(readFileSync(join(delta, 'manifest.csv'), 'utf8')),
        ).toContainEqual(['file.userProfiles', 'delta']);
        expect(
          rowsOf(join(delta, 'userProfiles.csv')).map((r) => [
            r['sourcedId'],
            r['status'],
            r['password'],
          ]),
        ).toEqual([
          ['profile-1', 'active', 's3cret'],
          ['profile-2', 'active', undefined],
        ]);
        const deltaRoles = rowsOf(join(delta, 'roles.csv'));
        expect(deltaRoles).toHaveLength(roles.length);
        expect(
          deltaRoles.find((r) => r['sourcedId'] === 'role-2'),
        ).toMatchObject({
          status: 'active',
          dateLastModified: T0.toISOString(),
          roleType: 'secondary',
          role: 'aide',
          userProfileSourcedId: 'profile-1',
        });

        // A role at an unknown org: refused at its line, nothing written.
        const bad = join(work, 'bad');
        await exportCsv(target, {
          schoolId: school.id,
          out: bad,
          version: '1.2',
        });
        editCsv(bad, 'roles.csv', (rows, col) =>
          rows.map((r) =>
            r[0] === 'role-2'
              ? Object.assign([...r], { [col('orgSourcedId')]: 'no-such-org' })
              : r,
          ),
        );
        const refused = await copy.importSet(bad, {
          schoolId: school.id,
          now: T1,
        });
        expect(refused.committed).toBe(false);
        expect(refused.errors).toContainEqual(
          expect.objectContaining({
            code: 'unknown_reference',
            value: 'no-such-org',
          }),
        );
        expect(await countRows(target, 'user_roles', school.id)).toBe(
          roles.length,
        );

        // A role's user profile must be one of the set's userProfiles.csv or the school's:
        // a set without userProfiles.csv may name profile-1 (the school has it), not an
        // unknown one.
        const noProfiles = join(work, 'no-profiles');
        await exportCsv(target, {
          schoolId: school.id,
          out: noProfiles,
          version: '1.2',
        });
        rmSync(join(noProfiles, 'userProfiles.csv'));
        editLines(noProfiles, 'manifest.csv', (l) =>
          l.map((x) =>
            x === 'file.userProfiles,bulk' ? 'file.userProfiles,absent' : x,
          ),
        );
        const known = await copy.importSet(noProfiles, {
          schoolId: school.id,
          now: T1,
          validateOnly: true,
        });
        expect(known.errors).toEqual([]);
        let roleLine = 0;
        editCsv(noProfiles, 'roles.csv', (rows, col) =>
          rows.map((r, i) => {
            if (r[0] !== 'role-2') return r;
            roleLine = i + 1;
            return Object.assign([...r], {
              [col('userProfileSourcedId')]: 'no-such-profile',
            });
          }),
        );
        const unknown = await copy.importSet(noProfiles, {
          schoolId: school.id,
          now: T1,
        });
        expect(unknown.committed).toBe(false);
        expect(
          unknown.errors.map((e) => [
            e.file,
            e.line,
            e.column,
            e.value,
            e.code,
          ]),
        ).toEqual([
          [
            'roles.csv',
            roleLine,
            'userProfileSourcedId',
            'no-such-profile',
            'unknown_reference',
          ],
        ]);
        expect(
          await target.query(
            'SELECT user_profile_sourced_id AS p FROM user_roles WHERE school_id = ? AND sourced_id = ?',
            [school.id, 'role-2'],
          ),
        ).toEqual([{ p: 'profile-1' }]);

        // A 1.1 users import replaces the user's 1.2 roles: they are derived again.
        const v1p1 = join(work, 'v1p1');
        await exportCsv(target, { schoolId: school.id, out: v1p1 });
        const plain = await copy.importSet(v1p1, {
          schoolId: school.id,
          now: T1,
        });
        expect(plain.errors).toEqual([]);
        expect(
          Number(
            (
              (await target.query(
                "SELECT COUNT(*) AS n FROM user_roles WHERE school_id = ? AND status = 'active'",
                [school.id],
              )) as { n: number | string }[]
            )[0].n,
          ),
        ).toBe(0);
        // Profiles have no 1.1 counterpart: a 1.1 import keeps them.
        expect(await countRows(target, 'user_profiles', school.id)).toBe(2);
        const derived = join(work, 'derived');
        const source = join(work, 'source');
        await exportCsv(target, {
          schoolId: school.id,
          out: derived,
          version: '1.2',
        });
        await exportCsv(ds, {
          schoolId: school.id,
          out: source,
          version: '1.2',
        });
        expect(readFileSync(join(derived, 'roles.csv'), 'utf8')).toEqual(
          readFileSync(join(source, 'roles.csv'), 'utf8'),
        );
        // A delta export since then names the retired roles as tobedeleted.
        const since = join(work, 'since');
        await exportCsv(target, {
          schoolId: school.id,
          out: since,
          since: new Date(T1.getTime() - 1),
          version: '1.2',
        });
        expect(
          rowsOf(join(since, 'roles.csv')).find(
            (r) => r['sourcedId'] === 'role-2',
          ),
        ).toMatchObject({ status: 'tobedeleted' });
      } finally {
        await target.destroy();
      }
    });

    it("places each userResources.csv link in its user's school, checks its references, and writes nothing on error", async () => {
      expect(
        (await service.importSet(fixtureDir('trust'), { now: T0 })).errors,
      ).toEqual([]);
      const [a, b] = await schoolsOf(ds);
      const firstId = async (sql: string, p: unknown[]) =>
        String(((await ds.query(sql, p)) as { id: string }[])[0].id);
      // A user of one school only, and a resource, in each of two schools.
      const userOnlyIn = (s: School) =>
        firstId(
          'SELECT u.sourced_id AS id FROM users u WHERE u.school_id = ? AND NOT EXISTS (SELECT 1 FROM users v WHERE v.sourced_id = u.sourced_id AND v.school_id <> u.school_id) ORDER BY u.sourced_id LIMIT 1',
          [s.id],
        );
      const resourceOf = (s: School) =>
        firstId(
          'SELECT sourced_id AS id FROM resources WHERE school_id = ? ORDER BY sourced_id LIMIT 1',
          [s.id],
        );
      const ua = await userOnlyIn(a);
      const ub = await userOnlyIn(b);
      const ra = await resourceOf(a);
      const rb = await resourceOf(b);
      // The whole trust as one 1.2 set, imported split per school (no school given).
      const set = join(work, 'trust-v1p2');
      const issues = new IssueCollector();
      mkdirSync(set);
      await v1p1SetToV1p2(fixtureDir('trust'), set, issues);
      expect(issues.errors).toEqual([]);
      const link = (id: string, user: string, res: string) => [
        id,
        '',
        '',
        user,
        '',
        '',
        res,
      ];
      const withLinks = (rows: string[][]) => {
        writeFileSync(
          join(set, 'userResources.csv'),
          [V1P2_CSV_HEADERS.userResources, ...rows]
            .map((r) => csvLine(r))
            .join(''),
        );
        editLines(set, 'manifest.csv', (l) =>
          l.map((x) =>
            x === 'file.userResources,absent' ? 'file.userResources,bulk' : x,
          ),
        );
        return set;
      };
      const target = await openMigratedDatabase(copyEngine);
      try {
        const copy = new CsvImportService(target);
        // Values and duplicates first; references once those are right.
        const first = await copy.importSet(
          withLinks([
            link('ur-a', ua, ra),
            link('ur-x', '', ra),
            link('ur-a', ub, rb),
          ]),
          { now: T0 },
        );
        expect(
          first.errors.map((e) => [e.file, e.line, e.column, e.code]),
        ).toEqual([
          ['userResources.csv', 3, 'userSourcedId', 'required'],
          ['userResources.csv', 4, 'sourcedId', 'duplicate_sourced_id'],
        ]);
        const second = await copy.importSet(
          withLinks([
            link('ur-a', ua, ra),
            link('ur-b', 'no-such-user', rb),
            link('ur-c', ub, 'no-such-resource'),
          ]),
          { now: T0 },
        );
        expect(
          second.errors.map((e) => [e.file, e.line, e.column, e.code]),
        ).toEqual([
          ['userResources.csv', 3, 'userSourcedId', 'unknown_reference'],
          ['userResources.csv', 4, 'resourceSourcedId', 'unknown_reference'],
        ]);
        expect(await countRows(target, 'schools')).toBe(0);
        expect(await countRows(target, 'user_resources')).toBe(0);
        // Each link goes to its user's school, and only there.
        const third = await copy.importSet(
          withLinks([link('ur-a', ua, ra), link('ur-b', ub, rb)]),
          { now: T0 },
        );
        expect(third.errors).toEqual([]);
        expect(third.files.userResources).toMatchObject({
          rows: 2,
          inserted: 2,
        });
        const schoolOf = new Map(
          (await schoolsOf(target)).map((s) => [s.id, s.org]),
        );
        const placed = (
          (await target.query(
            'SELECT school_id AS s, sourced_id AS id FROM user_resources ORDER BY sourced_id, school_id',
          )) as { s: string; id: string }[]
        ).map((p) => [p.id, schoolOf.get(p.s)]);
        expect(placed).toEqual([
          ['ur-a', a.org],
          ['ur-b', b.org],
        ]);
        // Into one school: another school's user reads as one that exists nowhere.
        const [ta] = (await schoolsOf(target)).filter((s) => s.org === a.org);
        const delta = join(work, 'delta');
        mkdirSync(delta);
        writeFileSync(
          join(delta, 'manifest.csv'),
          [
            ['propertyName', 'value'],
            ['manifest.version', '1.0'],
            ['oneroster.version', '1.2'],
            ...V1P2_CSV_FILES.map((f) => [
              `file.${f}`,
              f === 'userResources' ? 'delta' : 'absent',
            ]),
          ]
            .map((r) => csvLine(r))
            .join(''),
        );
        const deltaRow = (id: string, user: string) =>
          csvLine([id, 'active', T1.toISOString(), user, '', '', ra]);
        writeFileSync(
          join(delta, 'userResources.csv'),
          csvLine([...V1P2_CSV_HEADERS.userResources]) + deltaRow('ur-z', ub),
        );
        const wrong = await copy.importSet(delta, {
          schoolId: ta.id,
          now: T1,
        });
        expect(wrong.errors.map((e) => [e.file, e.column, e.code])).toEqual([
          ['userResources.csv', 'userSourcedId', 'unknown_reference'],
        ]);
        writeFileSync(
          join(delta, 'userResources.csv'),
          csvLine([...V1P2_CSV_HEADERS.userResources]) + deltaRow('ur-z', ua),
        );
        const right = await copy.importSet(delta, {
          schoolId: ta.id,
          now: T1,
        });
        expect(right.errors).toEqual([]);
        expect(await countRows(target, 'user_resources', ta.id)).toBe(2);
        expect(await countRows(target, 'user_resources')).toBe(3);
      } finally {
        await target.destroy();
      }
    });

    it('reports a bad 1.2 value at its file, line and column, and writes nothing', async () => {
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      editCsv(set, 'roles.csv', (rows, col) => {
        rows[3][col('role')] = 'headteacher';
        return rows;
      });
      editCsv(set, 'enrollments.csv', (rows, col) => {
        rows[2][col('role')] = 'ext:mentor';
        return rows;
      });
      editCsv(set, 'lineItems.csv', (rows, col) => {
        rows[2][col('academicSessionSourcedId')] = 'no-such-session';
        return rows;
      });
      const target = await openMigratedDatabase(copyEngine);
      try {
        const first = await new CsvImportService(target).importSet(set, {
          now: T0,
        });
        expect(first.ok).toBe(false);
        expect(
          first.errors.map((e) => [e.file, e.line, e.column, e.code]),
        ).toEqual(
          expect.arrayContaining([
            ['roles.csv', 4, 'role', 'bad_enum'],
            ['enrollments.csv', 3, 'role', 'not_representable'],
          ]),
        );
        // The user of the refused role row has no role left: said too.
        expect(
          first.errors.filter((e) => e.code === 'missing_role'),
        ).toHaveLength(1);
        expect(await countRows(target, 'schools')).toBe(0);
        editCsv(set, 'roles.csv', (rows, col) => {
          rows[3][col('role')] = 'student';
          return rows;
        });
        editCsv(set, 'enrollments.csv', (rows, col) => {
          rows[2][col('role')] = 'ext:aide';
          return rows;
        });
        // The 1.1 importer's reference check, reported at the 1.2 column.
        const third = await new CsvImportService(target).importSet(set, {
          now: T0,
        });
        expect(third.errors.map((e) => [e.file, e.line, e.column])).toEqual([
          ['lineItems.csv', 3, 'academicSessionSourcedId'],
        ]);
        expect(await countRows(target, 'schools')).toBe(0);
        expect(await countRows(target, 'users')).toBe(0);
      } finally {
        await target.destroy();
      }
    });

    it('refuses a set whose manifest version and headers disagree, at the manifest', async () => {
      // 1.1 files under a 1.2 manifest.
      const v1p1 = copyFixture('school');
      try {
        editLines(v1p1, 'manifest.csv', (l) =>
          l.map((x) =>
            x.replace(/^oneroster\.version,1\.1$/, 'oneroster.version,1.2'),
          ),
        );
        const report = await service.importSet(v1p1, { now: T0 });
        expect(report.ok).toBe(false);
        expect(
          report.errors
            .filter((e) => e.code !== 'missing_property')
            .map((e) => [e.file, e.column, e.value, e.code]),
        ).toEqual(
          expect.arrayContaining([
            ['manifest.csv', 'value', '1.2', 'version_mismatch'],
          ]),
        );
        expect(
          report.errors
            .filter((e) => e.code === 'version_mismatch')
            .map((e) => e.message)
            .join('\n'),
        ).toContain(
          'users.csv has the OneRoster 1.1 column(s) orgSourcedIds, role',
        );
        expect(await countRows(ds, 'schools')).toBe(0);
      } finally {
        rmSync(v1p1, { recursive: true, force: true });
      }
      // 1.2 files under a 1.1 manifest.
      expect(
        (await service.importSet(fixtureDir('school'), { now: T0 })).errors,
      ).toEqual([]);
      const [school] = await schoolsOf(ds);
      const set = join(work, 'set');
      await exportCsv(ds, { schoolId: school.id, out: set, version: '1.2' });
      editLines(set, 'manifest.csv', (l) =>
        l.map((x) =>
          x.replace(/^oneroster\.version,1\.2$/, 'oneroster.version,1.1'),
        ),
      );
      const target = await openMigratedDatabase(copyEngine);
      try {
        const report = await new CsvImportService(target).importSet(set, {
          now: T0,
        });
        expect(report.ok).toBe(false);
        const mismatch = report.errors.filter(
          (e) => e.code === 'version_mismatch',
        );
        expect(mismatch.map((e) => [e.file, e.value])).toContainEqual([
          'manifest.csv',
          '1.1',
        ]);
        expect(mismatch.map((e) => e.message).join('\n')).toContain(
          'roles.csv',
        );
        expect(await countRows(target, 'schools')).toBe(0);
      } finally {
        await target.destroy();
      }
      expect(CSV_HEADERS.users).toContain('orgSourcedIds');
    });
  },
);
