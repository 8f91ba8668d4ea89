import type {
  ClassEntity,
  EnrollmentEntity,
  UserEntity,
} from '@oneroster/entities';
import type { RoleType } from '@oneroster/contracts';
import type { SchoolDataset } from './dataset';
import {
  CITIES_OF_BIRTH,
  FAMILY_NAMES,
  FORM_TREES,
  GIVEN_NAMES,
  PRIMARY_SUBJECTS,
  SECONDARY_SUBJECTS,
  SIXTH_FORM_SUBJECTS,
  Subject,
} from './names';
import type { SchoolPlan, TrustPlan } from './plan';
import { Random } from './random';

/*
 * Generates one school of the trust. Each school draws from its own random stream
 * (seed, school index), so a school's data does not depend on which schools were
 * generated before it, and generating them one at a time keeps memory bounded.
 *
 * UK year groups map to OneRoster grades as: Reception = KG, Year N = N zero-padded
 * ("07" for Year 7); the UK name is kept in metadata.ukYearGroup.
 */

const FORM_SIZE = 28;

export function yearGrade(year: number): string {
  return year === 0 ? 'KG' : String(year).padStart(2, '0');
}

export function yearName(year: number): string {
  return year === 0 ? 'Reception' : `Year ${year}`;
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The trust-level records every school shares: the trust org and the school calendar. */
function trustRecords(
  plan: TrustPlan,
  schoolId: string,
  ds: SchoolDataset,
): void {
  const base = {
    schoolId,
    status: 'active' as const,
    dateLastModified: plan.asOf,
    metadata: null,
  };
  const y = plan.yearStart;
  ds.orgs.push({
    ...base,
    sourcedId: plan.trustSourcedId,
    name: plan.name,
    type: 'district',
    identifier: `MAT${plan.seed % 10000}`,
    parentSourcedId: null,
  });
  const ids = plan.sessionIds;
  ds.academicSessions.push({
    ...base,
    sourcedId: ids.year,
    title: `${y}/${String(y + 1).slice(2)}`,
    type: 'schoolYear',
    startDate: isoDate(y, 9, 1),
    endDate: isoDate(y + 1, 7, 24),
    parentSourcedId: null,
    schoolYear: String(y + 1),
  });
  const terms = [
    {
      title: 'Autumn term',
      start: isoDate(y, 9, 1),
      end: isoDate(y, 12, 19),
      halves: [isoDate(y, 10, 24), isoDate(y, 11, 3)],
    },
    {
      title: 'Spring term',
      start: isoDate(y + 1, 1, 4),
      end: isoDate(y + 1, 4, 1),
      halves: [isoDate(y + 1, 2, 13), isoDate(y + 1, 2, 22)],
    },
    {
      title: 'Summer term',
      start: isoDate(y + 1, 4, 19),
      end: isoDate(y + 1, 7, 24),
      halves: [isoDate(y + 1, 5, 29), isoDate(y + 1, 6, 7)],
    },
  ];
  terms.forEach((t, i) => {
    ds.academicSessions.push({
      ...base,
      sourcedId: ids.terms[i],
      title: `${t.title} ${i === 0 ? y : y + 1}`,
      type: 'term',
      startDate: t.start,
      endDate: t.end,
      parentSourcedId: ids.year,
      schoolYear: String(y + 1),
    });
    const season = t.title.split(' ')[0];
    ds.academicSessions.push(
      {
        ...base,
        sourcedId: ids.halfTerms[i * 2],
        title: `${season} 1`,
        type: 'gradingPeriod',
        startDate: t.start,
        endDate: t.halves[0],
        parentSourcedId: ids.terms[i],
        schoolYear: String(y + 1),
      },
      {
        ...base,
        sourcedId: ids.halfTerms[i * 2 + 1],
        title: `${season} 2`,
        type: 'gradingPeriod',
        startDate: t.halves[1],
        endDate: t.end,
        parentSourcedId: ids.terms[i],
        schoolYear: String(y + 1),
      },
    );
  });
}

export function emptyDataset(): SchoolDataset {
  return {
    orgs: [],
    academicSessions: [],
    courses: [],
    classes: [],
    classTerms: [],
    users: [],
    userOrgs: [],
    userAgents: [],
    enrollments: [],
    demographics: [],
    categories: [],
    lineItems: [],
    results: [],
    resources: [],
    classResources: [],
    courseResources: [],
    userResources: [],
  };
}

export function generateSchool(
  plan: TrustPlan,
  school: SchoolPlan,
): SchoolDataset {
  const rng = new Random(plan.seed, school.index + 1);
  const ds = emptyDataset();
  const schoolId = school.schoolId;
  const now = plan.asOf;
  const base = () => ({
    schoolId,
    status: 'active' as const,
    dateLastModified: now,
    metadata: null,
  });
  trustRecords(plan, schoolId, ds);
  ds.orgs.push({
    ...base(),
    sourcedId: school.orgSourcedId,
    name: school.name,
    type: 'school',
    identifier: school.urn,
    parentSourcedId: plan.trustSourcedId,
  });

  const termIds = plan.sessionIds.terms;
  const usernames = new Set<string>();
  const newUser = (
    role: RoleType,
    given: string,
    family: string,
    extra: Partial<UserEntity> = {},
  ): UserEntity => {
    const stem = `${given[0]}${family}`.toLowerCase().replace(/[^a-z]/g, '');
    let username = stem;
    for (let n = 2; usernames.has(username); n++) username = `${stem}${n}`;
    usernames.add(username);
    const sourcedId = rng.uuid();
    const user: UserEntity = {
      ...base(),
      sourcedId,
      username,
      userIds: [{ type: 'MIS', identifier: String(100000 + ds.users.length) }],
      enabledUser: role !== 'guardian' && role !== 'parent' ? true : false,
      givenName: given,
      familyName: family,
      middleName: null,
      role,
      identifier: String(100000 + ds.users.length),
      email: `${username}@${school.domain}`,
      sms: null,
      phone: null,
      grades: null,
      password: null,
      userMasterIdentifier: null,
      preferredFirstName: null,
      preferredMiddleName: null,
      preferredLastName: null,
      pronouns: null,
      primaryOrgSourcedId: null,
      ...extra,
    };
    ds.users.push(user);
    ds.userOrgs.push({
      schoolId,
      userSourcedId: sourcedId,
      orgSourcedId: school.orgSourcedId,
      position: 0,
    });
    return user;
  };

  // Staff.
  const secondary = school.phase === 'secondary';
  const years = secondary ? [7, 8, 9, 10, 11, 12, 13] : [0, 1, 2, 3, 4, 5, 6];
  const teacherCount = Math.max(
    8,
    Math.round(school.pupils / (secondary ? 16 : 24)),
  );
  const teachers: UserEntity[] = [];
  for (let i = 0; i < teacherCount; i++) {
    teachers.push(
      newUser('teacher', rng.pick(GIVEN_NAMES), rng.pick(FAMILY_NAMES)),
    );
  }
  for (let i = 0; i < 3; i++)
    newUser('administrator', rng.pick(GIVEN_NAMES), rng.pick(FAMILY_NAMES));
  const aides = Math.max(2, Math.round(school.pupils / 60));
  for (let i = 0; i < aides; i++)
    newUser('aide', rng.pick(GIVEN_NAMES), rng.pick(FAMILY_NAMES));

  // Pupils per year group: sixth-form years are smaller.
  const weights = years.map((y) => (y >= 12 ? 0.55 : 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pupilsByYear = new Map<number, UserEntity[]>();
  let made = 0;
  years.forEach((year, i) => {
    const n =
      i === years.length - 1
        ? school.pupils - made
        : Math.round((school.pupils * weights[i]) / totalWeight);
    made += n;
    const list: UserEntity[] = [];
    for (let k = 0; k < n; k++) {
      const family = rng.pick(FAMILY_NAMES);
      const pupil = newUser('student', rng.pick(GIVEN_NAMES), family, {
        grades: [yearGrade(year)],
        middleName: rng.chance(0.3) ? rng.pick(GIVEN_NAMES) : null,
        email: null,
        metadata: { ukYearGroup: yearName(year) },
      });
      // Pupils in Year 7 and above get a school email address.
      if (year >= 7) pupil.email = `${pupil.username}@${school.domain}`;
      list.push(pupil);
      // Born between 1 September and 31 August of the cohort's year.
      const cohortStart = Date.UTC(plan.yearStart - year - 5, 8, 1);
      const birthDate = new Date(cohortStart + rng.int(0, 364) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      ds.demographics.push({
        ...base(),
        sourcedId: pupil.sourcedId,
        birthDate,
        sex: rng.chance(0.5) ? 'female' : 'male',
        americanIndianOrAlaskaNative: false,
        asian: rng.chance(0.1),
        blackOrAfricanAmerican: rng.chance(0.05),
        nativeHawaiianOrOtherPacificIslander: false,
        white: rng.chance(0.8),
        demographicRaceTwoOrMoreRaces: rng.chance(0.04),
        hispanicOrLatinoEthnicity: rng.chance(0.02),
        countryOfBirthCode: rng.chance(0.9)
          ? 'GB'
          : rng.pick(['IN', 'PL', 'NG', 'PK', 'RO', 'IE']),
        stateOfBirthAbbreviation: null,
        cityOfBirth: rng.pick(CITIES_OF_BIRTH),
        publicSchoolResidenceStatus: null,
      });
      // One or two guardians; siblings are not modelled, every pupil has their own.
      const guardianCount = rng.chance(0.6) ? 2 : 1;
      for (let g = 0; g < guardianCount; g++) {
        const guardian = newUser(
          g === 0 ? 'guardian' : 'parent',
          rng.pick(GIVEN_NAMES),
          g === 0 ? family : rng.pick(FAMILY_NAMES),
          {
            email: null,
            phone: `07${String(rng.int(100000000, 999999999))}`,
          },
        );
        guardian.email = `${guardian.username}@parents.example.org`;
        ds.userAgents.push({
          schoolId,
          userSourcedId: pupil.sourcedId,
          agentSourcedId: guardian.sourcedId,
          position: g,
        });
        ds.userAgents.push({
          schoolId,
          userSourcedId: guardian.sourcedId,
          agentSourcedId: pupil.sourcedId,
          position: 0,
        });
      }
    }
    pupilsByYear.set(year, list);
  });

  // Courses, classes and enrolments.
  let teacherCursor = 0;
  const nextTeacher = () => teachers[teacherCursor++ % teachers.length];
  const enrol = (
    cls: ClassEntity,
    user: UserEntity,
    role: 'student' | 'teacher',
    primary: boolean | null,
  ) => {
    const e: EnrollmentEntity = {
      ...base(),
      sourcedId: rng.uuid(),
      userSourcedId: user.sourcedId,
      classSourcedId: cls.sourcedId,
      schoolSourcedId: school.orgSourcedId,
      role,
      primary,
      beginDate: null,
      endDate: null,
    };
    ds.enrollments.push(e);
  };
  const addClass = (
    title: string,
    classType: 'homeroom' | 'scheduled',
    courseSourcedId: string,
    year: number,
    subject: Subject | null,
    code: string,
  ): ClassEntity => {
    const cls: ClassEntity = {
      ...base(),
      sourcedId: rng.uuid(),
      title,
      classCode: code,
      classType,
      location: subject
        ? `Room ${subject.dept}${rng.int(1, 20)}`
        : `Room ${rng.int(1, 40)}`,
      grades: [yearGrade(year)],
      subjects: subject ? [subject.name] : null,
      courseSourcedId,
      schoolSourcedId: school.orgSourcedId,
      subjectCodes: subject ? [subject.code] : null,
      periods:
        classType === 'homeroom'
          ? ['REG']
          : [String(rng.int(1, 5)), String(rng.int(1, 5) + 5)],
    };
    ds.classes.push(cls);
    termIds.forEach((t, position) =>
      ds.classTerms.push({
        schoolId,
        classSourcedId: cls.sourcedId,
        termSourcedId: t,
        position,
      }),
    );
    return cls;
  };
  const addCourse = (
    title: string,
    year: number,
    subject: Subject | null,
    code: string,
  ) => {
    const sourcedId = rng.uuid();
    ds.courses.push({
      ...base(),
      sourcedId,
      title,
      schoolYearSourcedId: plan.sessionIds.year,
      courseCode: code,
      grades: [yearGrade(year)],
      subjects: subject ? [subject.name] : null,
      orgSourcedId: school.orgSourcedId,
      subjectCodes: subject ? [subject.code] : null,
    });
    return sourcedId;
  };

  const teachingClasses: {
    cls: ClassEntity;
    subject: Subject;
    pupils: UserEntity[];
    courseId: string;
  }[] = [];
  for (const year of years) {
    const pupils = pupilsByYear.get(year) ?? [];
    const forms = Math.max(1, Math.ceil(pupils.length / FORM_SIZE));
    const regCourse = addCourse(
      `${yearName(year)} Registration`,
      year,
      null,
      `REG${yearGrade(year)}`,
    );
    for (let f = 0; f < forms; f++) {
      const formName = secondary
        ? `${year}${String.fromCharCode(65 + f)}`
        : `${yearName(year)} ${FORM_TREES[f % FORM_TREES.length]}`;
      const form = addClass(
        secondary ? `Form ${formName}` : formName,
        'homeroom',
        regCourse,
        year,
        null,
        `${yearGrade(year)}-${f + 1}`,
      );
      enrol(form, nextTeacher(), 'teacher', true);
      for (let p = f; p < pupils.length; p += forms)
        enrol(form, pupils[p], 'student', null);
    }
    const subjects = secondary
      ? year >= 12
        ? SIXTH_FORM_SUBJECTS
        : SECONDARY_SUBJECTS
      : PRIMARY_SUBJECTS;
    for (const subject of subjects) {
      const courseId = addCourse(
        `${yearName(year)} ${subject.name}`,
        year,
        subject,
        `${subject.code}${yearGrade(year)}`,
      );
      // Sixth formers take four of the A levels; everyone else takes every subject.
      const takers =
        year >= 12
          ? pupils.filter(
              (_, i) => (i + subjects.indexOf(subject)) % subjects.length < 4,
            )
          : pupils;
      if (takers.length === 0) continue;
      const sets = Math.max(1, Math.ceil(takers.length / FORM_SIZE));
      const order = rng.shuffle([...takers]);
      for (let s = 0; s < sets; s++) {
        const setPupils = order.filter((_, i) => i % sets === s);
        const cls = addClass(
          `${yearName(year)} ${subject.name} set ${s + 1}`,
          'scheduled',
          courseId,
          year,
          subject,
          `${year}${subject.code}${s + 1}`,
        );
        enrol(cls, nextTeacher(), 'teacher', true);
        for (const p of setPupils) enrol(cls, p, 'student', null);
        teachingClasses.push({ cls, subject, pupils: setPupils, courseId });
      }
    }
  }

  // Gradebook: categories, and two line items with results in every English and Mathematics set.
  const categoryIds = ['Homework', 'Classwork', 'Assessment'].map((title) => {
    const sourcedId = rng.uuid();
    ds.categories.push({ ...base(), sourcedId, title, weight: null });
    return sourcedId;
  });
  const halfTerm = plan.sessionIds.halfTerms[0];
  for (const { cls, subject, pupils } of teachingClasses) {
    if (subject.code !== 'MA' && subject.code !== 'EN') continue;
    for (const [n, title] of [
      `${subject.name} baseline assessment`,
      `${subject.name} homework 1`,
    ].entries()) {
      const lineItemId = rng.uuid();
      ds.lineItems.push({
        ...base(),
        sourcedId: lineItemId,
        title,
        description:
          n === 0 ? 'Start-of-year assessment of prior attainment.' : null,
        assignDate: new Date(Date.UTC(plan.yearStart, 8, 8 + n * 7, 9)),
        dueDate: new Date(Date.UTC(plan.yearStart, 8, 15 + n * 7, 16)),
        classSourcedId: cls.sourcedId,
        categorySourcedId: n === 0 ? categoryIds[2] : categoryIds[0],
        gradingPeriodSourcedId: halfTerm,
        resultValueMin: 0,
        resultValueMax: 100,
        scoreScaleSourcedId: null,
        learningObjectiveSet: null,
      });
      for (const pupil of pupils) {
        if (!rng.chance(0.9)) continue;
        const exempt = rng.chance(0.02);
        ds.results.push({
          ...base(),
          sourcedId: rng.uuid(),
          lineItemSourcedId: lineItemId,
          studentSourcedId: pupil.sourcedId,
          scoreStatus: exempt ? 'exempt' : 'fully graded',
          score: exempt ? 0 : rng.int(20, 100),
          scoreDate: isoDate(plan.yearStart, 9, 16 + n * 7),
          comment: rng.chance(0.1) ? 'Good progress.' : null,
          scoreScaleSourcedId: null,
          textScore: null,
          inProgress: null,
          incomplete: null,
          late: null,
          missing: null,
          learningObjectiveSet: null,
        });
      }
    }
  }

  // Resources: a few licensed products, attached to the Mathematics and English courses.
  const resources = [
    {
      title: 'Times Tables Practice',
      vendorResourceId: 'ttp-core',
      vendorId: 'numeracy-co',
    },
    {
      title: 'Reading Journal',
      vendorResourceId: 'rj-2026',
      vendorId: 'literacy-ltd',
    },
    {
      title: 'Science Lab Simulations',
      vendorResourceId: 'labsim',
      vendorId: 'sim-labs',
    },
  ].map((r) => {
    const sourcedId = rng.uuid();
    ds.resources.push({
      ...base(),
      sourcedId,
      ...r,
      roles: ['student', 'teacher'],
      importance: 'primary',
      applicationId: null,
    });
    return sourcedId;
  });
  const seenCourses = new Set<string>();
  for (const { cls, subject, courseId } of teachingClasses) {
    const resourceId =
      subject.code === 'MA'
        ? resources[0]
        : subject.code === 'EN'
          ? resources[1]
          : subject.code === 'SC'
            ? resources[2]
            : null;
    if (!resourceId) continue;
    if (!seenCourses.has(courseId)) {
      seenCourses.add(courseId);
      ds.courseResources.push({
        ...base(),
        sourcedId: rng.uuid(),
        title: null,
        courseSourcedId: courseId,
        resourceSourcedId: resourceId,
      });
    }
    if (cls.title.endsWith('set 1')) {
      ds.classResources.push({
        ...base(),
        sourcedId: rng.uuid(),
        title: null,
        classSourcedId: cls.sourcedId,
        resourceSourcedId: resourceId,
      });
    }
  }
  // OneRoster 1.2 user–resource links (userResources.csv): the resource of a class is
  // assigned to each of its students, in that class, at the school.
  const studentsOf = new Map<string, string[]>();
  for (const e of ds.enrollments)
    if (e.role === 'student')
      studentsOf.set(e.classSourcedId, [
        ...(studentsOf.get(e.classSourcedId) ?? []),
        e.userSourcedId,
      ]);
  for (const cr of ds.classResources)
    for (const userSourcedId of studentsOf.get(cr.classSourcedId) ?? [])
      ds.userResources.push({
        ...base(),
        sourcedId: rng.uuid(),
        userSourcedId,
        resourceSourcedId: cr.resourceSourcedId,
        classSourcedId: cr.classSourcedId,
        orgSourcedId: school.orgSourcedId,
      });
  return ds;
}

/** Generates the trust school by school. */
export function* generateTrust(
  plan: TrustPlan,
): Generator<{ school: SchoolPlan; data: SchoolDataset }> {
  for (const school of plan.schools)
    yield { school, data: generateSchool(plan, school) };
}
