import {
  createWriteStream,
  mkdirSync,
  writeFileSync,
  WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { SchoolDataset } from './dataset';
import { generateTrust } from './generate';
import type { TrustPlan } from './plan';
import {
  CSV_FILES,
  CSV_HEADERS,
  CsvCell,
  CsvFile,
  csvField,
  csvLine,
} from '@oneroster/util-oneroster-csv';

/**
 * Writes the trust as a OneRoster 1.1 bulk CSV set (CSV binding §8): manifest.csv and one
 * file per non-empty type, exact 1.1 headers in order, RFC 4180 quoting, UTF-8, no
 * status/dateLastModified values (bulk). Records the trust shares (the trust org, the
 * calendar) are written once. Schools are generated and written one at a time.
 */

// The header definitions and RFC 4180 writing are the CSV binding's own (one spelling of
// every header in the workspace).
export { CSV_FILES, CSV_HEADERS, csvField, csvLine };
export type { CsvFile };

type Cell = CsvCell;

const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

function group<T>(
  rows: T[],
  key: (r: T) => string,
  value: (r: T) => string,
): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(value(r));
    else m.set(k, [value(r)]);
  }
  return m;
}

/** The CSV rows of one school's dataset, per file, in bulk form (blank status and dateLastModified). */
export function* schoolCsvRows(
  data: SchoolDataset,
): Generator<[CsvFile, Cell[]]> {
  const b = ['', ''] as const;
  const terms = group(
    data.classTerms.slice().sort((x, y) => x.position - y.position),
    (r) => r.classSourcedId,
    (r) => r.termSourcedId,
  );
  const orgs = group(
    data.userOrgs.slice().sort((x, y) => x.position - y.position),
    (r) => r.userSourcedId,
    (r) => r.orgSourcedId,
  );
  const agents = group(
    data.userAgents.slice().sort((x, y) => x.position - y.position),
    (r) => r.userSourcedId,
    (r) => r.agentSourcedId,
  );
  for (const r of data.orgs)
    yield [
      'orgs',
      [r.sourcedId, ...b, r.name, r.type, r.identifier, r.parentSourcedId],
    ];
  for (const r of data.academicSessions)
    yield [
      'academicSessions',
      [
        r.sourcedId,
        ...b,
        r.title,
        r.type,
        r.startDate,
        r.endDate,
        r.parentSourcedId,
        r.schoolYear,
      ],
    ];
  for (const r of data.courses)
    yield [
      'courses',
      [
        r.sourcedId,
        ...b,
        r.schoolYearSourcedId,
        r.title,
        r.courseCode,
        r.grades,
        r.orgSourcedId,
        r.subjects,
        r.subjectCodes,
      ],
    ];
  for (const r of data.classes)
    yield [
      'classes',
      [
        r.sourcedId,
        ...b,
        r.title,
        r.grades,
        r.courseSourcedId,
        r.classCode,
        r.classType,
        r.location,
        r.schoolSourcedId,
        terms.get(r.sourcedId) ?? [],
        r.subjects,
        r.subjectCodes,
        r.periods,
      ],
    ];
  for (const r of data.users)
    yield [
      'users',
      [
        r.sourcedId,
        ...b,
        r.enabledUser,
        orgs.get(r.sourcedId) ?? [],
        r.role,
        r.username,
        r.userIds?.map((u) => `{${u.type}:${u.identifier}}`) ?? null,
        r.givenName,
        r.familyName,
        r.middleName,
        r.identifier,
        r.email,
        r.sms,
        r.phone,
        agents.get(r.sourcedId) ?? null,
        r.grades,
        r.password,
      ],
    ];
  for (const r of data.enrollments)
    yield [
      'enrollments',
      [
        r.sourcedId,
        ...b,
        r.classSourcedId,
        r.schoolSourcedId,
        r.userSourcedId,
        r.role,
        r.primary,
        r.beginDate,
        r.endDate,
      ],
    ];
  for (const r of data.demographics)
    yield [
      'demographics',
      [
        r.sourcedId,
        ...b,
        r.birthDate,
        r.sex,
        r.americanIndianOrAlaskaNative,
        r.asian,
        r.blackOrAfricanAmerican,
        r.nativeHawaiianOrOtherPacificIslander,
        r.white,
        r.demographicRaceTwoOrMoreRaces,
        r.hispanicOrLatinoEthnicity,
        r.countryOfBirthCode,
        r.stateOfBirthAbbreviation,
        r.cityOfBirth,
        r.publicSchoolResidenceStatus,
      ],
    ];
  for (const r of data.categories)
    yield ['categories', [r.sourcedId, ...b, r.title]];
  for (const r of data.lineItems)
    yield [
      'lineItems',
      [
        r.sourcedId,
        ...b,
        r.title,
        r.description,
        dateOnly(r.assignDate),
        dateOnly(r.dueDate),
        r.classSourcedId,
        r.categorySourcedId,
        r.gradingPeriodSourcedId,
        r.resultValueMin,
        r.resultValueMax,
      ],
    ];
  for (const r of data.results)
    yield [
      'results',
      [
        r.sourcedId,
        ...b,
        r.lineItemSourcedId,
        r.studentSourcedId,
        r.scoreStatus,
        r.score,
        r.scoreDate,
        r.comment,
      ],
    ];
  for (const r of data.resources)
    yield [
      'resources',
      [
        r.sourcedId,
        ...b,
        r.vendorResourceId,
        r.title,
        r.roles,
        r.importance,
        r.vendorId,
        r.applicationId,
      ],
    ];
  for (const r of data.classResources)
    yield [
      'classResources',
      [r.sourcedId, ...b, r.title, r.classSourcedId, r.resourceSourcedId],
    ];
  for (const r of data.courseResources)
    yield [
      'courseResources',
      [r.sourcedId, ...b, r.title, r.courseSourcedId, r.resourceSourcedId],
    ];
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function writeTrustCsv(
  plan: TrustPlan,
  dir: string,
  onProgress?: (schoolsDone: number, schoolsTotal: number) => void,
): Promise<Record<CsvFile, number>> {
  mkdirSync(dir, { recursive: true });
  const streams = new Map<CsvFile, WriteStream>();
  const counts = Object.fromEntries(CSV_FILES.map((f) => [f, 0])) as Record<
    CsvFile,
    number
  >;
  const shared = new Set<string>();
  let done = 0;
  for (const { data } of generateTrust(plan)) {
    for (const [file, cells] of schoolCsvRows(data)) {
      // The trust org and the calendar are in every school's data: write them once.
      if (file === 'orgs' || file === 'academicSessions') {
        const key = `${file}:${cells[0]}`;
        if (shared.has(key)) continue;
        shared.add(key);
      }
      let stream = streams.get(file);
      if (!stream) {
        stream = createWriteStream(join(dir, `${file}.csv`), 'utf8');
        streams.set(file, stream);
        await write(stream, csvLine(CSV_HEADERS[file]));
      }
      await write(stream, csvLine(cells));
      counts[file]++;
    }
    onProgress?.(++done, plan.schools.length);
  }
  await Promise.all(
    [...streams.values()].map(
      (s) =>
        new Promise<void>((resolve, reject) =>
          s.end((err?: Error | null) => (err ? reject(err) : resolve())),
        ),
    ),
  );
  const manifest = [
    ['propertyName', 'value'],
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.1'],
    ...CSV_FILES.map((f) => [`file.${f}`, counts[f] > 0 ? 'bulk' : 'absent']),
    ['source.systemName', 'OneRoster Exchange demo generator'],
    ['source.systemCode', `seed-${plan.seed}`],
  ];
  writeFileSync(
    join(dir, 'manifest.csv'),
    manifest.map((r) => csvLine(r)).join(''),
  );
  return counts;
}
