import {
  CLASS_TYPES,
  ORG_TYPES,
  ROLE_TYPES,
  SCORE_STATUSES,
  SESSION_TYPES,
  STATUS_TYPES,
} from '@oneroster/contracts';
import { createHash } from 'node:crypto';
import { DATASET_KEYS, SchoolDataset } from './dataset';
import { generateSchool } from './generate';
import { planTrust } from './plan';

const digest = (data: SchoolDataset) =>
  createHash('sha256').update(JSON.stringify(data)).digest('hex');

describe('demo trust generator', () => {
  const plan = planTrust({ size: 'demo' });
  const [secondary, primary] = plan.schools;
  const sec = generateSchool(plan, secondary);
  const pri = generateSchool(plan, primary);

  it('is deterministic: same seed, same sourcedIds and values', () => {
    const again = planTrust({ size: 'demo' });
    expect(again).toEqual(plan);
    expect(digest(generateSchool(again, again.schools[0]))).toBe(digest(sec));
  });

  it('changes with the seed', () => {
    const other = planTrust({ size: 'demo', seed: 1 });
    expect(other.schools[0].schoolId).not.toBe(secondary.schoolId);
    expect(digest(generateSchool(other, other.schools[0]))).not.toBe(
      digest(sec),
    );
  });

  it('makes a secondary with Years 7-13 and a primary with Reception-Year 6', () => {
    const grades = (d: SchoolDataset) =>
      [
        ...new Set(
          d.users
            .filter((u) => u.role === 'student')
            .flatMap((u) => u.grades ?? []),
        ),
      ].sort();
    expect(grades(sec)).toEqual(['07', '08', '09', '10', '11', '12', '13']);
    expect(grades(pri)).toEqual(['01', '02', '03', '04', '05', '06', 'KG']);
    expect(sec.users.filter((u) => u.role === 'student')).toHaveLength(1000);
    expect(pri.users.filter((u) => u.role === 'student')).toHaveLength(400);
  });

  it('has staff, guardians as agents, demographics, a calendar, groups and a gradebook', () => {
    const roles = new Set(sec.users.map((u) => u.role));
    for (const r of ['teacher', 'administrator', 'aide', 'guardian', 'student'])
      expect(roles).toContain(r);
    expect(sec.demographics).toHaveLength(1000);
    const types = sec.academicSessions.map((s) => s.type);
    expect(types.filter((t) => t === 'schoolYear')).toHaveLength(1);
    expect(types.filter((t) => t === 'term')).toHaveLength(3);
    expect(types.filter((t) => t === 'gradingPeriod')).toHaveLength(6);
    expect(sec.classes.some((c) => c.classType === 'homeroom')).toBe(true);
    expect(
      sec.classes.every((c) => (c.periods?.length ?? 0) > 0 && c.location),
    ).toBe(true);
    expect(sec.lineItems.length).toBeGreaterThan(0);
    expect(sec.results.length).toBeGreaterThan(0);
    expect(sec.userAgents.length).toBeGreaterThan(0);
  });

  it('uses only valid enumeration values', () => {
    for (const d of [sec, pri]) {
      for (const key of DATASET_KEYS) {
        for (const row of d[key] as { status?: string }[]) {
          if ('status' in row) expect(STATUS_TYPES).toContain(row.status);
        }
      }
      d.orgs.forEach((o) => expect(ORG_TYPES).toContain(o.type));
      d.academicSessions.forEach((s) =>
        expect(SESSION_TYPES).toContain(s.type),
      );
      d.classes.forEach((c) => expect(CLASS_TYPES).toContain(c.classType));
      d.users.forEach((u) => expect(ROLE_TYPES).toContain(u.role));
      d.enrollments.forEach((e) =>
        expect(['student', 'teacher']).toContain(e.role),
      );
      d.results.forEach((r) => expect(SCORE_STATUSES).toContain(r.scoreStatus));
    }
  });

  it('gives every row its school and unique sourcedIds within a table', () => {
    for (const d of [sec, pri]) {
      const schoolId = d === sec ? secondary.schoolId : primary.schoolId;
      for (const key of DATASET_KEYS) {
        const rows = d[key] as { schoolId: string; sourcedId?: string }[];
        expect(rows.every((r) => r.schoolId === schoolId)).toBe(true);
        const ids = rows.map((r) => r.sourcedId).filter(Boolean);
        expect(new Set(ids).size).toBe(ids.length);
      }
    }
  });

  it('plans a large trust of about 40 schools and 50,000 pupils', () => {
    const large = planTrust({ size: 'large' });
    expect(large.schools).toHaveLength(40);
    const pupils = large.schools.reduce((n, s) => n + s.pupils, 0);
    expect(pupils).toBeGreaterThan(45_000);
    expect(pupils).toBeLessThan(55_000);
  });
});
