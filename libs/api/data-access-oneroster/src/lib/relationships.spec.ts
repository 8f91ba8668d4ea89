import type { DataSource } from 'typeorm';
import { openMigratedDatabase, testEngines } from '@oneroster/database/testing';
import { planTrust, seedDemoIfEmpty } from '@oneroster/demo-data';
import {
  checkQuery,
  parseCollectionQuery,
} from '@oneroster/util-oneroster-query';
import { OneRosterObject, RosterReader } from './reader';
import {
  Intent,
  classesOfTerm,
  classesOfUser,
  gradingPeriodsOfTerm,
  studentsOfClass,
  teachersOfClass,
  termsOfSchool,
  usersOfSchool,
  visibleSchools,
} from './relationships';
import {
  ACADEMIC_SESSION_RESOURCE,
  CLASS_RESOURCE,
  ENROLLMENT_RESOURCE,
  ORG_RESOURCE,
  ResourceDef,
  USER_RESOURCE,
} from './resources';
import { fieldCatalogue } from './sql';

type Ref = { sourcedId: string };
const ids = (records: OneRosterObject[]) =>
  records.map((r) => r['sourcedId'] as string).sort();

describe.each(testEngines('relationships'))(
  'relationship intents on $name',
  (engine) => {
    let ds: DataSource;
    let reader: RosterReader;
    const plan = planTrust({ size: 'demo' });
    const scope = { schoolIds: [plan.schools[1].schoolId] };
    /** The school's org (sourcedId), as its classes name it. */
    let schoolId: string;
    const all = async (resource: ResourceDef, intent: Intent = []) =>
      (
        await reader.list(
          scope,
          resource,
          checkQuery(
            parseCollectionQuery({ limit: '10000' }),
            fieldCatalogue(resource),
          ),
          intent,
        )
      ).records;

    beforeAll(async () => {
      ds = await openMigratedDatabase(engine);
      await seedDemoIfEmpty(ds, {
        size: 'demo',
        password: 'pw',
        sandboxClientSecret: 's',
      });
      reader = new RosterReader(
        ds,
        'https://api.example.org/ims/oneroster/v1p1',
      );
      schoolId = ((await all(CLASS_RESOURCE))[0]['school'] as Ref).sourcedId;
    }, 180_000);

    afterAll(async () => {
      await ds?.destroy();
    });

    it('studentsOfClass and teachersOfClass follow the active enrolments of the class', async () => {
      const enrollments = (await all(ENROLLMENT_RESOURCE)).filter(
        (e) => e['status'] === 'active',
      );
      const classId = (enrollments[0]['class'] as Ref).sourcedId;
      const of = (role: string) =>
        [
          ...new Set(
            enrollments
              .filter(
                (e) =>
                  (e['class'] as Ref).sourcedId === classId &&
                  e['role'] === role,
              )
              .map((e) => (e['user'] as Ref).sourcedId),
          ),
        ].sort();
      expect(of('student').length).toBeGreaterThan(0);
      expect(ids(await all(USER_RESOURCE, studentsOfClass(classId)))).toEqual(
        of('student'),
      );
      expect(ids(await all(USER_RESOURCE, teachersOfClass(classId)))).toEqual(
        of('teacher'),
      );
      expect(
        await all(USER_RESOURCE, studentsOfClass(classId, 'no-such-school')),
      ).toEqual([]);
    });

    it('classesOfUser gives the classes of the user’s active enrolments', async () => {
      const enrollments = (await all(ENROLLMENT_RESOURCE)).filter(
        (e) => e['status'] === 'active' && e['role'] === 'student',
      );
      const userId = (enrollments[0]['user'] as Ref).sourcedId;
      const expected = [
        ...new Set(
          enrollments
            .filter((e) => (e['user'] as Ref).sourcedId === userId)
            .map((e) => (e['class'] as Ref).sourcedId),
        ),
      ].sort();
      expect(ids(await all(CLASS_RESOURCE, classesOfUser(userId)))).toEqual(
        expected,
      );
      expect(
        await all(CLASS_RESOURCE, classesOfUser(userId, 'teacher')),
      ).toEqual([]);
    });

    it('classesOfTerm, termsOfSchool and gradingPeriodsOfTerm agree with the classes and sessions', async () => {
      const classes = await all(CLASS_RESOURCE);
      const sessions = await all(ACADEMIC_SESSION_RESOURCE);
      const termId = (classes[0]['terms'] as Ref[])[0].sourcedId;
      expect(ids(await all(CLASS_RESOURCE, classesOfTerm(termId)))).toEqual(
        ids(
          classes.filter((c) =>
            (c['terms'] as Ref[]).some((t) => t.sourcedId === termId),
          ),
        ),
      );
      const termsUsed = new Set(
        classes
          .filter(
            (c) =>
              c['status'] === 'active' &&
              (c['school'] as Ref).sourcedId === schoolId,
          )
          .flatMap((c) => (c['terms'] as Ref[]).map((t) => t.sourcedId)),
      );
      expect(termsUsed.size).toBeGreaterThan(0);
      expect(
        ids(await all(ACADEMIC_SESSION_RESOURCE, termsOfSchool(schoolId))),
      ).toEqual(
        ids(
          sessions.filter(
            (s) =>
              s['type'] === 'term' && termsUsed.has(s['sourcedId'] as string),
          ),
        ),
      );
      expect(
        ids(await all(ACADEMIC_SESSION_RESOURCE, gradingPeriodsOfTerm(termId))),
      ).toEqual(
        ids(
          sessions.filter(
            (s) =>
              s['type'] === 'gradingPeriod' &&
              (s['parent'] as Ref | undefined)?.sourcedId === termId,
          ),
        ),
      );
    });

    it('usersOfSchool follows user.orgs and the role; visibleSchools is the school itself', async () => {
      const users = await all(USER_RESOURCE);
      expect(
        (await all(USER_RESOURCE, usersOfSchool(schoolId, 'teacher'))).length,
      ).toBeGreaterThan(0);
      expect(
        ids(await all(USER_RESOURCE, usersOfSchool(schoolId, 'teacher'))),
      ).toEqual(
        ids(
          users.filter(
            (u) =>
              u['role'] === 'teacher' &&
              (u['orgs'] as Ref[]).some((o) => o.sourcedId === schoolId),
          ),
        ),
      );
      expect(ids(await all(ORG_RESOURCE, visibleSchools()))).toEqual([
        schoolId,
      ]);
    });
  },
);
