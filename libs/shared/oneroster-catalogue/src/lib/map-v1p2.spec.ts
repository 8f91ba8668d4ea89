import {
  ORG_TYPES,
  ROLE_TYPES,
  V1P2_ENROLLMENT_ROLES,
  V1P2_ROLE_TYPES,
  isV1p2ExtensionValue,
} from '@oneroster/contracts';
import {
  V1p2MappingError,
  fromV1p2,
  toV1p2,
  v1p1EnrollmentRoleToV1p2,
  v1p1RoleToV1p2,
  v1p2EnrollmentRoleToV1p1,
  v1p2RoleToV1p1,
  v1p1Ref,
  type V1p2MapContext,
} from './map-v1p2';
import { CATALOGUE } from './catalogue';
import { CATALOGUE_V1P2, V1P2_OBJECTS } from './catalogue-v1p2';
import { restFields, v1p2StoredFields } from './derive';
import {
  V1P2_BASE_PATHS,
  V1P2_CLASS_KEYS,
  type ClassDef,
  type ClassKey,
  type V1p2ClassDef,
  type V1p2ClassKey,
  type V1p2FieldDef,
} from './model';

const ORIGIN = 'https://or.example.test';
const ORG_TYPE: Record<string, string> = {
  s1: 'school',
  s2: 'school',
  d1: 'district',
};
const ctx: V1p2MapContext = {
  origin: ORIGIN,
  orgType: (id) => ORG_TYPE[id],
  schoolOfClass: (id) => (id === 'c1' ? 's1' : undefined),
  classOfLineItem: (id) => (id === 'li1' ? 'c1' : undefined),
};
const ref11 = (collection: string, type: string, sourcedId: string) => ({
  href: `${ORIGIN}/ims/oneroster/v1p1/${collection}/${sourcedId}`,
  sourcedId,
  type,
});
const ref12 = (path: string, type: string, sourcedId: string) => ({
  href: `${ORIGIN}/ims/oneroster/${path}/${sourcedId}`,
  sourcedId,
  type,
});
const base = {
  sourcedId: 'u1',
  status: 'active',
  dateLastModified: '2026-01-02T03:04:05.000Z',
};

describe('OneRoster 1.1 → 1.2 mapping', () => {
  const user11 = {
    ...base,
    username: 'jdoe',
    userIds: [{ type: 'MIS', identifier: '42' }],
    enabledUser: true,
    givenName: 'Jane',
    familyName: 'Doe',
    role: 'teacher',
    identifier: 'T42',
    email: 'jdoe@example.test',
    agents: [],
    orgs: [ref11('orgs', 'org', 's1'), ref11('orgs', 'org', 's2')],
    grades: [],
    password: 'secret',
  };

  it('reads a user\u2019s role as its primary role at each of its orgs, booleans as strings', () => {
    const u = toV1p2('user', user11, ctx);
    expect(u['roles']).toEqual([
      {
        roleType: 'primary',
        role: 'teacher',
        org: ref12('rostering/v1p2/orgs', 'org', 's1'),
      },
      {
        roleType: 'primary',
        role: 'teacher',
        org: ref12('rostering/v1p2/orgs', 'org', 's2'),
      },
    ]);
    expect(u['enabledUser']).toBe('true');
    expect(u['username']).toBe('jdoe');
    expect(u['userIds']).toEqual([{ type: 'MIS', identifier: '42' }]);
    expect(u).not.toHaveProperty('role');
    expect(u).not.toHaveProperty('orgs');
    expect(u).not.toHaveProperty('password');
    expect(u).not.toHaveProperty('primaryOrg');
    expect(u).not.toHaveProperty('preferredFirstName');
    expect(Object.keys(u).slice(0, 3)).toEqual([
      'sourcedId',
      'status',
      'dateLastModified',
    ]);
  });

  it('names the primary org only when a user has exactly one org', () => {
    const u = toV1p2(
      'user',
      { ...user11, orgs: [ref11('orgs', 'org', 'd1')] },
      ctx,
    );
    expect(u['primaryOrg']).toEqual(ref12('rostering/v1p2/orgs', 'org', 'd1'));
  });

  it('translates 1.1 administrator by the type of each org', () => {
    const u = toV1p2(
      'user',
      {
        ...user11,
        role: 'administrator',
        orgs: [
          ref11('orgs', 'org', 's1'),
          ref11('orgs', 'org', 'd1'),
          ref11('orgs', 'org', 'x9'),
        ],
      },
      ctx,
    );
    expect((u['roles'] as Array<{ role: string }>).map((r) => r.role)).toEqual([
      'siteAdministrator',
      'districtAdministrator',
      'ext:administrator',
    ]);
  });

  it('gives every 1.1 role at every org type a valid 1.2 role that reads back as itself', () => {
    for (const role of ROLE_TYPES)
      for (const type of [...ORG_TYPES, undefined]) {
        const r = v1p1RoleToV1p2(role, type);
        expect(
          (V1P2_ROLE_TYPES as readonly string[]).includes(r) ||
            isV1p2ExtensionValue(r),
        ).toBe(true);
        expect(v1p2RoleToV1p1(r)).toBe(role);
      }
  });

  it('carries the 1.1 enrolment roles 1.2 lacks as ext: values, and back exactly', () => {
    for (const role of ROLE_TYPES) {
      const r = v1p1EnrollmentRoleToV1p2(role);
      expect(
        (V1P2_ENROLLMENT_ROLES as readonly string[]).includes(r) ||
          isV1p2ExtensionValue(r),
      ).toBe(true);
      expect(v1p2EnrollmentRoleToV1p1(r)).toBe(role);
    }
    const e = toV1p2(
      'enrollment',
      {
        ...base,
        user: ref11('users', 'user', 'u1'),
        class: ref11('classes', 'class', 'c1'),
        school: ref11('orgs', 'org', 's1'),
        role: 'aide',
        primary: false,
      },
      ctx,
    );
    expect(e['role']).toBe('ext:aide');
    expect(e['primary']).toBe('false');
    expect(e['class']).toEqual(ref12('rostering/v1p2/classes', 'class', 'c1'));
  });

  it('reads demographics flags as "true"/"false" (from JSON or string booleans) and keeps the 1.1 sexes', () => {
    const d = toV1p2(
      'demographics',
      {
        ...base,
        sex: 'female',
        asian: true,
        white: 'false',
        birthDate: '2010-05-06',
        cityOfBirth: '',
      },
      ctx,
    );
    expect(d).toEqual({
      ...base,
      birthDate: '2010-05-06',
      sex: 'female',
      asian: 'true',
      white: 'false',
      cityOfBirth: '',
    });
  });

  it('gives a line item its class\u2019s school and its grading period as academicSession', () => {
    const li = toV1p2(
      'lineItem',
      {
        ...base,
        title: 'Essay',
        assignDate: '2026-01-01T00:00:00.000Z',
        dueDate: '2026-01-08T00:00:00.000Z',
        class: ref11('classes', 'class', 'c1'),
        category: ref11('categories', 'category', 'k1'),
        gradingPeriod: ref11('academicSessions', 'academicSession', 'gp1'),
        resultValueMin: 0,
        resultValueMax: 10,
      },
      ctx,
    );
    expect(li['school']).toEqual(ref12('rostering/v1p2/orgs', 'org', 's1'));
    expect(li['category']).toEqual(
      ref12('gradebook/v1p2/categories', 'category', 'k1'),
    );
    expect(li['academicSession']).toEqual(
      ref12('rostering/v1p2/academicSessions', 'academicSession', 'gp1'),
    );
    expect(li['gradingPeriod']).toEqual(li['academicSession']);
    expect(() =>
      toV1p2(
        'lineItem',
        { ...base, class: ref11('classes', 'class', 'c404') },
        ctx,
      ),
    ).toThrow(V1p2MappingError);
  });

  it('gives a result its line item\u2019s class', () => {
    const r = toV1p2(
      'result',
      {
        ...base,
        lineItem: ref11('lineItems', 'lineItem', 'li1'),
        student: ref11('students', 'student', 'u1'),
        scoreStatus: 'fully graded',
        score: 7,
        scoreDate: '2026-01-09',
      },
      ctx,
    );
    expect(r['class']).toEqual(ref12('rostering/v1p2/classes', 'class', 'c1'));
    expect(r['student']).toEqual(ref12('rostering/v1p2/users', 'user', 'u1'));
    expect(r).not.toHaveProperty('inProgress');
  });

  it('has no 1.1 object to read for the classes new in 1.2', () => {
    expect(() => toV1p2('scoreScale', base, ctx)).toThrow(
      /new in OneRoster 1.2/,
    );
  });
});

describe('OneRoster 1.2 → 1.1 mapping', () => {
  const user12 = {
    ...base,
    enabledUser: 'false',
    givenName: 'Jane',
    familyName: 'Doe',
    preferredFirstName: 'Jay',
    primaryOrg: ref12('rostering/v1p2/orgs', 'org', 's2'),
    roles: [
      {
        roleType: 'primary',
        role: 'teacher',
        org: ref12('rostering/v1p2/orgs', 'org', 's1'),
      },
      {
        roleType: 'secondary',
        role: 'counselor',
        org: ref12('rostering/v1p2/orgs', 'org', 's1'),
      },
      {
        roleType: 'primary',
        role: 'siteAdministrator',
        org: ref12('rostering/v1p2/orgs', 'org', 's2'),
      },
    ],
  };

  it('reads the primary role at the primary org as the 1.1 role, every role\u2019s org as orgs, and says what is lost', () => {
    const { value, lost } = fromV1p2('user', user12, ctx);
    expect(value['role']).toBe('administrator');
    expect(value['orgs']).toEqual([
      ref11('orgs', 'org', 's1'),
      ref11('orgs', 'org', 's2'),
    ]);
    expect(value['enabledUser']).toBe(false);
    expect(value).not.toHaveProperty('roles');
    // Stored for 1.2 only (the 1.1 catalogue's `v1p2` fields), so not lost.
    expect(value['preferredFirstName']).toBe('Jay');
    expect(value['primaryOrg']).toEqual(ref11('orgs', 'org', 's2'));
    expect(lost.some((l) => l.startsWith('preferredFirstName:'))).toBe(false);
    expect(lost.some((l) => l.includes('teacher at org s1'))).toBe(true);
    expect(lost.some((l) => l.includes('counselor at org s1'))).toBe(true);
    expect(lost.some((l) => l.startsWith('primaryOrg:'))).toBe(false);
    // And served back as given.
    const back = toV1p2('user', value, ctx);
    expect(back['preferredFirstName']).toBe('Jay');
    expect(back['primaryOrg']).toEqual(user12.primaryOrg);
  });

  it('keeps a primary org that is the user\u2019s only org implied (1.1 \u2192 1.2 serves it anyway)', () => {
    const org = ref12('rostering/v1p2/orgs', 'org', 's1');
    const { value, lost } = fromV1p2(
      'user',
      {
        ...base,
        enabledUser: 'true',
        givenName: 'A',
        familyName: 'B',
        primaryOrg: org,
        roles: [{ roleType: 'primary', role: 'student', org }],
      },
      ctx,
    );
    expect(value).not.toHaveProperty('primaryOrg');
    expect(lost).toEqual([]);
    expect(toV1p2('user', value, ctx)['primaryOrg']).toEqual(org);
  });

  it('reports a secondary role even when it names the same role, and keeps a user whose roles agree intact', () => {
    const org = (id: string) => ref12('rostering/v1p2/orgs', 'org', id);
    const same = fromV1p2(
      'user',
      {
        ...user12,
        preferredFirstName: undefined,
        primaryOrg: undefined,
        roles: [
          { roleType: 'primary', role: 'student', org: org('s1') },
          { roleType: 'primary', role: 'student', org: org('s2') },
        ],
      },
      ctx,
    );
    expect(same.value['role']).toBe('student');
    expect(same.lost).toEqual([]);
    const secondary = fromV1p2(
      'user',
      {
        ...user12,
        preferredFirstName: undefined,
        primaryOrg: undefined,
        roles: [
          { roleType: 'primary', role: 'student', org: org('s1') },
          { roleType: 'secondary', role: 'student', org: org('s2') },
        ],
      },
      ctx,
    );
    expect(secondary.lost).toEqual([
      'roles: secondary role student at org s2 (1.1 keeps one role, student, for every org)',
    ]);
  });

  it('falls back to the first primary role, and refuses a role 1.1 cannot hold', () => {
    const { value } = fromV1p2(
      'user',
      { ...user12, primaryOrg: undefined },
      ctx,
    );
    expect(value['role']).toBe('teacher');
    expect(v1p2RoleToV1p1('counselor')).toBe('aide');
    expect(() =>
      fromV1p2(
        'user',
        {
          ...user12,
          roles: [
            {
              roleType: 'primary',
              role: 'ext:mentor',
              org: { sourcedId: 's1' },
            },
          ],
        },
        ctx,
      ),
    ).toThrow(V1p2MappingError);
    expect(() => fromV1p2('user', { ...user12, roles: [] }, ctx)).toThrow(
      V1p2MappingError,
    );
  });

  it('drops 1.2-only sexes with a note, reads string booleans, and rejects non-booleans', () => {
    const { value, lost } = fromV1p2(
      'demographics',
      { ...base, sex: 'other', asian: 'true' },
      ctx,
    );
    expect(value['asian']).toBe(true);
    expect(value).not.toHaveProperty('sex');
    expect(lost).toEqual(['sex: other has no OneRoster 1.1 counterpart']);
    expect(() =>
      fromV1p2('demographics', { ...base, asian: 'yes' }, ctx),
    ).toThrow(V1p2MappingError);
  });

  it('refuses an ext: value in a field 1.1 requires', () => {
    expect(() =>
      fromV1p2(
        'org',
        { ...base, name: 'Trust', type: 'ext:trust', identifier: '' },
        ctx,
      ),
    ).toThrow(/type: ext:trust has no OneRoster 1.1 counterpart/);
  });

  it('drops an ext: element of an optional list with a note, and refuses one where 1.1 requires the field', () => {
    const { value, lost } = fromV1p2(
      'resource',
      { ...base, vendorResourceId: 'v1', roles: ['student', 'ext:mentor'] },
      ctx,
    );
    expect(value['roles']).toEqual(['student']);
    expect(lost).toEqual([
      'roles: ext:mentor has no OneRoster 1.1 counterpart',
    ]);
    expect(() =>
      fromV1p2(
        'class',
        { ...base, title: 'Maths', classType: 'ext:club' },
        ctx,
      ),
    ).toThrow(/classType/);
  });

  it('reads a line item\u2019s academicSession as its grading period and notes a school that is not its class\u2019s', () => {
    const { value, lost } = fromV1p2(
      'lineItem',
      {
        ...base,
        title: 'Essay',
        class: ref12('rostering/v1p2/classes', 'class', 'c1'),
        school: ref12('rostering/v1p2/orgs', 'org', 's2'),
        category: ref12('gradebook/v1p2/categories', 'category', 'k1'),
        academicSession: ref12(
          'rostering/v1p2/academicSessions',
          'academicSession',
          'gp1',
        ),
        scoreScale: ref12('gradebook/v1p2/scoreScales', 'scoreScale', 'ss1'),
      },
      ctx,
    );
    expect(value['gradingPeriod']).toEqual(
      ref11('academicSessions', 'academicSession', 'gp1'),
    );
    expect(value['class']).toEqual(ref11('classes', 'class', 'c1'));
    expect(value).not.toHaveProperty('school');
    // Stored for 1.2 only, as the score scale's sourcedId.
    expect(value['scoreScale']).toBe('ss1');
    expect(lost).toEqual([
      'school: s2 (1.1 takes the school of the line item\u2019s class)',
    ]);
  });

  it('keeps a result without a score and its 1.2-only fields (stored for 1.2), losing only what nothing stores', () => {
    const { value, lost } = fromV1p2(
      'result',
      {
        ...base,
        lineItem: ref12('gradebook/v1p2/lineItems', 'lineItem', 'li1'),
        student: ref12('rostering/v1p2/users', 'user', 'u1'),
        class: ref12('rostering/v1p2/classes', 'class', 'c1'),
        scoreStatus: 'submitted',
        scoreDate: '2026-01-09',
        textScore: 'B+',
        late: 'true',
        missing: 'false',
        scoreScale: ref12('gradebook/v1p2/scoreScales', 'scoreScale', 'ss1'),
        learningObjectiveSet: [
          {
            source: 'case',
            learningObjectiveResults: [
              { learningObjectiveId: 'lo1', textScore: 'met' },
            ],
          },
        ],
      },
      ctx,
    );
    expect(value['student']).toEqual(ref11('users', 'user', 'u1'));
    expect(value).not.toHaveProperty('score');
    expect(value).toMatchObject({
      textScore: 'B+',
      late: true,
      missing: false,
      scoreScale: 'ss1',
      // Kept whole, as JSON (results.learning_objective_set).
      learningObjectiveSet: [
        {
          source: 'case',
          learningObjectiveResults: [
            { learningObjectiveId: 'lo1', textScore: 'met' },
          ],
        },
      ],
    });
    expect(value).not.toHaveProperty('inProgress');
    expect(lost).toEqual([]);
  });

  it('refuses a result flag that is not "true" or "false" (a 1.2 string boolean)', () => {
    expect(() =>
      fromV1p2(
        'result',
        {
          ...base,
          lineItem: ref12('gradebook/v1p2/lineItems', 'lineItem', 'li1'),
          student: ref12('rostering/v1p2/users', 'user', 'u1'),
          scoreStatus: 'submitted',
          scoreDate: '2026-01-09',
          inProgress: 'yes',
        },
        ctx,
      ),
    ).toThrow(new V1p2MappingError('inProgress', 'must be "true" or "false"'));
  });

  it('serves the gradebook fields stored for 1.2 and reads them back exactly', () => {
    const category = { ...base, title: 'Homework', weight: 0.25 };
    const c12 = toV1p2('category', category, ctx);
    expect(c12['weight']).toBe(0.25);
    expect(fromV1p2('category', c12, ctx)).toEqual({
      value: category,
      lost: [],
    });
    const result = {
      ...base,
      lineItem: ref11('lineItems', 'lineItem', 'li1'),
      student: ref11('users', 'user', 'u1'),
      scoreStatus: 'fully graded',
      score: 7,
      scoreDate: '2026-01-09',
      scoreScale: 'ss1',
      textScore: 'B',
      inProgress: false,
      incomplete: true,
      late: false,
      missing: true,
    };
    const r12 = toV1p2('result', result, ctx);
    expect(r12).toMatchObject({
      scoreScale: {
        href: `${ORIGIN}/ims/oneroster/gradebook/v1p2/scoreScales/ss1`,
        sourcedId: 'ss1',
        type: 'scoreScale',
      },
      textScore: 'B',
      inProgress: 'false',
      incomplete: 'true',
      late: 'false',
      missing: 'true',
    });
    expect(fromV1p2('result', r12, ctx).value).toEqual(result);
  });

  it('reads a 1.2 enrolment with an ext: 1.1 role exactly, and what 1.1 served comes back unchanged', () => {
    const e11 = {
      ...base,
      user: ref11('users', 'user', 'u1'),
      class: ref11('classes', 'class', 'c1'),
      school: ref11('orgs', 'org', 's1'),
      role: 'guardian',
      primary: true,
      beginDate: '2026-01-01',
    };
    const { value, lost } = fromV1p2(
      'enrollment',
      toV1p2('enrollment', e11, ctx),
      ctx,
    );
    expect(value).toEqual(e11);
    expect(lost).toEqual([]);
  });
});

/*
 * Every mapped class, with objects built from the 1.1 catalogue itself: every REST field
 * filled, each vocabulary run through value by value.
 */
describe('OneRoster 1.1 ↔ 1.2 mapping of every class', () => {
  const OLD: Record<ClassKey, ClassDef> = CATALOGUE;
  const full: V1p2MapContext = {
    origin: ORIGIN,
    orgType: () => 'school',
    schoolOfClass: () => 'school-of-class',
    classOfLineItem: () => 'class-of-line-item',
  };
  const sample = (cls: ClassDef, i: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    // The 1.1 JSON the 1.2 routes read: the REST fields and the scalar fields stored for 1.2
    // only (primaryOrg: see the 1.2 → 1.1 tests).
    const stored = v1p2StoredFields(cls).filter((f) => f.type !== 'guidRef');
    for (const f of [...restFields(cls), ...stored]) {
      const one = (): unknown => {
        switch (f.type) {
          case 'string':
            return `${f.name}-${i}`;
          case 'year':
            return '2026';
          case 'date':
            return '2026-01-02';
          case 'dateTime':
            return '2026-01-02T03:04:05.000Z';
          case 'enum':
            return (f.values ?? [])[i % (f.values ?? []).length];
          case 'guidRef':
            return v1p1Ref(full, f.ref as ClassKey, `${f.name}-${i}`);
          case 'boolean':
            return i % 2 === 0;
          case 'number':
            return 3.5 + i;
          case 'userId':
            return { type: 'MIS', identifier: `${i}` };
          case 'metadata':
            // A nested 1.2 list kept whole (a line item's or result's learningObjectiveSet).
            if (f.name === 'learningObjectiveSet')
              return cls.key === 'result'
                ? [
                    {
                      source: 'case',
                      learningObjectiveResults: [
                        { learningObjectiveId: `lo-${i}`, score: i },
                      ],
                    },
                  ]
                : [{ source: 'unknown', learningObjectiveIds: [`lo-${i}`] }];
            return { note: `n${i}` };
        }
      };
      o[f.name] = f.list ? [one()] : one();
    }
    if (cls.key === 'lineItem')
      o['class'] = v1p1Ref(full, 'class', 'class-of-line-item');
    return o;
  };
  const mapped = V1P2_CLASS_KEYS.filter((k) => CATALOGUE_V1P2[k].from);
  const runs = 12; // more than the longest vocabulary (8 roles)

  it('serves only 1.2 fields, every required one, with valid vocabularies and 1.2 GUIDRefs', () => {
    const problems: string[] = [];
    for (const k of mapped) {
      const c: V1p2ClassDef = CATALOGUE_V1P2[k];
      for (let i = 0; i < runs; i++) {
        const out = toV1p2(k, sample(OLD[c.from as ClassKey], i), full);
        const check = (
          owner: string,
          fields: readonly V1p2FieldDef[],
          obj: Record<string, unknown>,
        ) => {
          for (const key of Object.keys(obj))
            if (!fields.some((f) => f.name === key && f.rest !== false))
              problems.push(`${owner}.${key}: not a served 1.2 field`);
          for (const f of fields) {
            const v = obj[f.name];
            if (v === undefined) {
              if (f.required && f.from.kind !== 'new')
                problems.push(`${owner}.${f.name}: missing`);
              continue;
            }
            for (const x of f.list ? (v as unknown[]) : [v]) {
              if (f.type === 'enum' || f.type === 'stringBoolean') {
                const ok =
                  (f.values ?? []).includes(x as string) ||
                  (!!f.extensible && isV1p2ExtensionValue(String(x)));
                if (!ok) problems.push(`${owner}.${f.name}: ${String(x)}`);
              }
              if (f.type === 'guidRef') {
                const target = CATALOGUE_V1P2[f.ref as V1p2ClassKey];
                const r = x as {
                  href: string;
                  type: string;
                  sourcedId: string;
                };
                if (
                  r.type !== f.ref ||
                  r.href !==
                    `${ORIGIN}${V1P2_BASE_PATHS[target.service]}/${target.collection}/${r.sourcedId}`
                )
                  problems.push(`${owner}.${f.name}: ${JSON.stringify(r)}`);
              }
              if (f.type === 'object' && f.of)
                check(
                  `${owner}.${f.name}`,
                  V1P2_OBJECTS[f.of].fields,
                  x as Record<string, unknown>,
                );
            }
          }
        };
        check(k, c.fields, out);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('reads back exactly what 1.1 served, losing nothing, for every class', () => {
    const problems: string[] = [];
    for (const k of mapped) {
      const old = OLD[CATALOGUE_V1P2[k].from as ClassKey];
      for (let i = 0; i < runs; i++) {
        const o = sample(old, i);
        const back = fromV1p2(k, toV1p2(k, o, full), full);
        if (
          JSON.stringify(Object.entries(back.value).sort()) !==
          JSON.stringify(Object.entries(o).sort())
        )
          problems.push(
            `${k} #${i}: ${JSON.stringify(back.value)} vs ${JSON.stringify(o)}`,
          );
        if (back.lost.length)
          problems.push(`${k} #${i}: lost ${back.lost.join('; ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
