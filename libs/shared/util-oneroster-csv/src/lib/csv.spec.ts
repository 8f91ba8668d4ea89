import fc from 'fast-check';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_FILES, CSV_HEADERS, CsvFile } from './binding';
import { V1P2_CSV_FILES } from './binding-v1p2';
import { readManifest } from './manifest';
import { CsvRecord, parseCsv } from './parser';
import { IssueCollector } from './report';
import {
  isCalendarDate,
  isGuid,
  readHeader,
  readRow,
  reportFileNotes,
  RowContext,
} from './rows';
import { csvField } from './writer';
import { extractZip, listZip, writeZip } from './zip';

async function parse(...chunks: (string | Buffer)[]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of parseCsv(chunks)) out.push(r);
  return out;
}

describe('parseCsv', () => {
  it('reads RFC 4180 with a BOM, CRLF, quotes and line breaks split across chunks', async () => {
    const records = await parse(
      Buffer.from([0xef, 0xbb, 0xbf]),
      'a,b,c\r\n1,"x, ""y""",3\r',
      '\n\r\n2,"line\nbreak",',
      '\n3,é,\n',
    );
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, "y"', '3'] },
      { line: 4, fields: ['2', 'line\nbreak', ''] },
      { line: 6, fields: ['3', 'é', ''] },
    ]);
  });

  it('keeps a multi-byte character split between two buffers', async () => {
    const bytes = Buffer.from('x,é\n');
    expect(await parse(bytes.subarray(0, 3), bytes.subarray(3))).toEqual([
      { line: 1, fields: ['x', 'é'] },
    ]);
  });

  it('reads whole plain lines as the character rules do, however the input is cut', async () => {
    // One chunk lets plain lines be split at once; chunks of a few characters mostly do
    // not. (A CRLF is never cut in two: inside quotes, its lines are counted per chunk.)
    const cut = (t: string, size: number): string[] => {
      const out: string[] = [];
      for (let i = 0; i < t.length;) {
        let end = Math.min(i + size, t.length);
        if (t[end - 1] === '\r' && t[end] === '\n') end++;
        out.push(t.slice(i, end));
        i = end;
      }
      return out;
    };
    const text = fc
      .array(
        fc.constantFrom('a', 'bc', ',', '"', '""', '\r', '\n', '\r\n', 'é'),
        { maxLength: 60 },
      )
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 9 }), async (t, size) =>
        expect(await parse(...cut(t, size))).toEqual(await parse(t)),
      ),
      { numRuns: 1000, seed: 4242 },
    );
    expect(await parse('a,b\r\n\nc,,d\n\r\ne,"f"\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['c', '', 'd'] },
      { line: 5, fields: ['e', 'f'] },
    ]);
  });

  it('reports malformed quoting on the record instead of throwing', async () => {
    const [a, b] = await parse('a"b,c\n"open,d');
    expect(a.problem).toContain('not quoted');
    expect(b.problem).toContain('not closed');
  });
});

describe('headers and rows', () => {
  const ctx = (fields: string[], mode: 'bulk' | 'delta' = 'bulk') => {
    const issues = new IssueCollector();
    const header = readHeader('enrollments', { line: 1, fields }, issues);
    const c: RowContext = {
      file: 'enrollments',
      mode,
      header,
      issues,
      bulkFilled: { count: 0, firstLine: 0 },
    };
    return c;
  };

  it('validates every column and reads typed values', () => {
    const c = ctx([...CSV_HEADERS.enrollments, 'metadata.room']);
    const row = readRow(c, {
      line: 2,
      fields: [
        'e1',
        '',
        '',
        'c1',
        's1',
        'u1',
        'teacher',
        'true',
        '2026-09-01',
        '',
        'R1',
      ],
    });
    expect(row).toEqual({
      line: 2,
      sourcedId: 'e1',
      status: null,
      dateLastModified: null,
      values: {
        classSourcedId: 'c1',
        schoolSourcedId: 's1',
        userSourcedId: 'u1',
        role: 'teacher',
        primary: true,
        beginDate: '2026-09-01',
        endDate: null,
      },
      metadata: { room: 'R1' },
    });
    expect(c.issues.errorCount + c.issues.warningCount).toBe(0);
  });

  it('names the file, line, column and value of each problem', () => {
    const c = ctx([...CSV_HEADERS.enrollments], 'delta');
    expect(
      readRow(c, {
        line: 7,
        fields: [
          'e 1',
          'gone',
          '2026-09-01',
          'c1',
          's1',
          'u1',
          'head',
          'yes',
          '2026-13-01',
          '',
        ],
      }),
    ).toBeNull();
    expect(
      c.issues.errors.map((e) => [e.file, e.line, e.column, e.value, e.code]),
    ).toEqual([
      ['enrollments.csv', 7, 'sourcedId', 'e 1', 'bad_id'],
      ['enrollments.csv', 7, 'status', 'gone', 'bad_enum'],
      ['enrollments.csv', 7, 'dateLastModified', '2026-09-01', 'bad_datetime'],
      ['enrollments.csv', 7, 'role', 'head', 'bad_enum'],
      ['enrollments.csv', 7, 'primary', 'yes', 'bad_boolean'],
      ['enrollments.csv', 7, 'beginDate', '2026-13-01', 'bad_date'],
    ]);
  });

  it('errs on unknown and missing required headers, warns on order', () => {
    const issues = new IssueCollector();
    const h = readHeader(
      'orgs',
      {
        line: 1,
        fields: [
          'sourcedId',
          'status',
          'dateLastModified',
          'type',
          'name',
          'identifer',
        ],
      },
      issues,
    );
    expect(h.ok).toBe(false);
    expect(issues.errors.map((e) => [e.code, e.column])).toEqual([
      ['unknown_header', 'identifer'],
    ]);
    expect(issues.errors[0].message).toContain('metadata.<name>');
    expect(issues.warnings.map((w) => [w.code, w.column])).toEqual([
      ['missing_header', 'identifier'],
      ['missing_header', 'parentSourcedId'],
      ['header_order', undefined],
    ]);
  });
});

describe('liberal reading: variants real exports write, normalised with a warning', () => {
  const ctx = (
    file: CsvFile,
    fields: string[],
    mode: 'bulk' | 'delta' = 'bulk',
  ): RowContext => {
    const issues = new IssueCollector();
    const header = readHeader(file, { line: 1, fields }, issues);
    return {
      file,
      mode,
      header,
      issues,
      bulkFilled: { count: 0, firstLine: 0 },
    };
  };
  /** Reads one value of a column into a row that is otherwise valid. */
  const rowOf = (file: CsvFile, valid: string[]) => {
    const c = ctx(file, [...CSV_HEADERS[file]]);
    let line = 1;
    const read = (column: string, value: string) => {
      const fields = [...valid];
      fields[CSV_HEADERS[file].indexOf(column)] = value;
      return readRow(c, { line: ++line, fields })?.values[column];
    };
    return { c, read };
  };
  const warnings = (c: RowContext) => {
    reportFileNotes(c);
    return c.issues.warnings.map((w) => [
      w.file,
      w.line,
      w.column,
      w.value,
      w.code,
    ]);
  };
  const codes = (c: RowContext) =>
    c.issues.errors.map((e) => [e.line, e.value, e.code]);
  const enrollment = [
    'e1',
    '',
    '',
    'c1',
    's1',
    'u1',
    'teacher',
    'true',
    '',
    '',
  ];

  it('reads TRUE, False, 1 and 0 as booleans, one warning per column with a count, and refuses yes', () => {
    const { c, read } = rowOf('enrollments', enrollment);
    expect(
      ['TRUE', 'False', '1', '0', ' true', 'yes', 'Y'].map((v) =>
        read('primary', v),
      ),
    ).toEqual([true, false, true, false, true, undefined, undefined]);
    expect(codes(c)).toEqual([
      [7, 'yes', 'bad_boolean'],
      [8, 'Y', 'bad_boolean'],
    ]);
    expect(warnings(c)).toEqual([
      ['enrollments.csv', 2, 'primary', 'TRUE', 'normalised_boolean'],
    ]);
    expect(c.issues.warnings[0].message).toBe(
      'read as true (booleans are written true or false); 5 in this file, the first here',
    );
  });

  it('reads vocabulary values in another case or spacing (Scheduled, Student, Active, fully_graded) and refuses unknown ones', () => {
    const { c, read } = rowOf('enrollments', enrollment);
    expect(read('role', 'Student')).toBe('student');
    expect(read('role', 'TEACHER')).toBe('teacher');
    expect(read('role', 'pupil')).toBeUndefined();
    expect(codes(c)).toEqual([[4, 'pupil', 'bad_enum']]);
    expect(warnings(c)).toEqual([
      ['enrollments.csv', 2, 'role', 'Student', 'normalised_value'],
    ]);

    const classes = rowOf('classes', [
      'k1',
      '',
      '',
      'Maths',
      '',
      'co1',
      '',
      'homeroom',
      '',
      's1',
      't1',
      '',
      '',
      '',
    ]);
    expect(classes.read('classType', 'Scheduled')).toBe('scheduled');
    expect(warnings(classes.c)).toEqual([
      ['classes.csv', 2, 'classType', 'Scheduled', 'normalised_value'],
    ]);

    const results = rowOf('results', [
      'r1',
      '',
      '',
      'li1',
      'u1',
      'submitted',
      '1',
      '2026-09-01',
      '',
    ]);
    expect(results.read('scoreStatus', 'fully_graded')).toBe('fully graded');
    expect(results.read('scoreStatus', 'Not Submitted')).toBe('not submitted');

    const delta = ctx('enrollments', [...CSV_HEADERS.enrollments], 'delta');
    const row = readRow(delta, {
      line: 2,
      fields: [
        'e1',
        'Active',
        '2026-09-01T08:00:00Z',
        'c1',
        's1',
        'u1',
        'student',
        'false',
        '',
        '',
      ],
    });
    expect(row?.status).toBe('active');
    expect(warnings(delta)).toEqual([
      ['enrollments.csv', 2, 'status', 'Active', 'normalised_value'],
    ]);
  });

  it('reads schoolYear 2026-2027 and 2026/27 as the ending year 2027, and refuses 2026-2028', () => {
    const { c, read } = rowOf('academicSessions', [
      'y1',
      '',
      '',
      '2026-2027',
      'schoolYear',
      '2026-09-01',
      '2027-07-31',
      '',
      '2027',
    ]);
    expect(
      ['2026-2027', '2026/27', '2099-00', '2026-2028', '26-27'].map((v) =>
        read('schoolYear', v),
      ),
    ).toEqual(['2027', '2027', '2100', undefined, undefined]);
    expect(codes(c)).toEqual([
      [5, '2026-2028', 'bad_year'],
      [6, '26-27', 'bad_year'],
    ]);
    expect(warnings(c)).toEqual([
      [
        'academicSessions.csv',
        2,
        'schoolYear',
        '2026-2027',
        'normalised_school_year',
      ],
    ]);
  });

  it('reads a date with a midnight UTC time part as the date, and refuses another time of day', () => {
    const { c, read } = rowOf('enrollments', enrollment);
    expect(
      [
        '2026-09-01T00:00:00Z',
        '2026-09-01T00:00:00.000+00:00',
        '2026-09-01 00:00',
        '2026-08-31T23:00:00Z',
        '2026-09-01T00:00:00+01:00',
      ].map((v) => read('beginDate', v)),
    ).toEqual(['2026-09-01', '2026-09-01', '2026-09-01', undefined, undefined]);
    expect(codes(c)).toEqual([
      [5, '2026-08-31T23:00:00Z', 'bad_date'],
      [6, '2026-09-01T00:00:00+01:00', 'bad_date'],
    ]);
    expect(c.issues.errors[0].message).toContain('depends on the time zone');
    expect(warnings(c)).toEqual([
      [
        'enrollments.csv',
        2,
        'beginDate',
        '2026-09-01T00:00:00Z',
        'normalised_date',
      ],
    ]);
  });

  it('reads headers in another case or with surrounding spaces; two that become one are an error', () => {
    const fields = [...CSV_HEADERS.orgs];
    fields[3] = ' Name ';
    fields[5] = 'IDENTIFIER';
    const c = ctx('orgs', [...fields, 'Metadata.urn']);
    expect(c.header.ok).toBe(true);
    expect(c.header.index['name']).toBe(3);
    expect(c.header.metadata).toEqual([['urn', 7]]);
    expect(
      c.issues.warnings.map((w) => [w.line, w.column, w.value, w.code]),
    ).toEqual([
      [1, 'name', ' Name ', 'header_normalised'],
      [1, 'identifier', 'IDENTIFIER', 'header_normalised'],
      [1, 'metadata.urn', 'Metadata.urn', 'header_normalised'],
    ]);
    const twice = ctx('orgs', [...CSV_HEADERS.orgs, 'Name']);
    expect(twice.header.ok).toBe(false);
    expect(twice.issues.errors.map((e) => [e.column, e.code])).toEqual([
      ['name', 'duplicate_header'],
    ]);
  });

  it('ignores empty columns and fields after the last header, and skips rows of empty fields; a value there is an error', () => {
    const c = ctx('enrollments', [...CSV_HEADERS.enrollments, '', '']);
    expect(c.header.ok).toBe(true);
    const read = (line: number, fields: string[]) =>
      readRow(c, { line, fields });
    expect(read(2, [...enrollment, '', ''])?.sourcedId).toBe('e1');
    expect(read(3, [...enrollment])?.sourcedId).toBe('e1');
    expect(read(4, [...enrollment, '', '', '', ''])?.sourcedId).toBe('e1');
    expect(read(5, [...enrollment, 'x'])).toBeNull();
    expect(read(6, Array(12).fill(''))).toBeNull();
    expect(read(7, enrollment.slice(0, 9))).toBeNull();
    expect(codes(c)).toEqual([
      [5, undefined, 'field_count'],
      [7, undefined, 'field_count'],
    ]);
    expect(warnings(c)).toEqual([
      ['enrollments.csv', 1, undefined, undefined, 'trailing_columns'],
      ['enrollments.csv', 4, undefined, undefined, 'trailing_fields'],
      ['enrollments.csv', 6, undefined, ',,,,,,,,,,,', 'blank_row'],
    ]);
  });
});

describe('isCalendarDate', () => {
  it('accepts real dates only, leap years included', () => {
    const dates = [
      '2024-02-29',
      '2000-02-29',
      '2026-12-31',
      '2023-02-29',
      '1900-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-9-01',
      '2026-01-1x',
      '2O26-01-01',
      '2026/01/01',
      '2026-01-01 ',
      '\u0662026-01-01',
    ];
    expect(dates.filter(isCalendarDate)).toEqual([
      '2024-02-29',
      '2000-02-29',
      '2026-12-31',
    ]);
  });
});

describe('isGuid', () => {
  it('accepts 0-9 a-z A-Z . - _ / @ only, and not an empty id', () => {
    const ids = [
      '5e0f61d8-82ae-40d1-bb4b-393fbe871861',
      'a.b_c/d@E-9',
      '',
      'a b',
      'a,b',
      'é',
      'a\u0000',
      'x~',
    ];
    expect(ids.filter(isGuid)).toEqual([
      '5e0f61d8-82ae-40d1-bb4b-393fbe871861',
      'a.b_c/d@E-9',
    ]);
  });
});

describe('readManifest', () => {
  it('needs version 1.1 and a mode for every file', async () => {
    const issues = new IssueCollector();
    const m = readManifest(
      await parse(
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,sometimes\n',
      ),
      issues,
    );
    expect(m.modes.users).toBe('bulk');
    expect(
      issues.errors.map((e) => [e.code, e.line ?? null, e.value ?? null]),
    ).toEqual([
      ['bad_enum', 5, 'sometimes'],
      ...Array.from({ length: 11 }, () => ['missing_property', null, null]),
    ]);
  });
});

describe('readManifest of a OneRoster 1.2 set', () => {
  it('reads oneroster.version 1.2 with the 21 files of the 1.2 binding', async () => {
    const issues = new IssueCollector();
    const m = readManifest(
      await parse(
        `propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n${V1P2_CSV_FILES.map((f) => `file.${f},${f === 'roles' || f === 'users' ? 'bulk' : 'absent'}`).join('\n')}\n`,
      ),
      issues,
    );
    expect(issues.errors).toEqual([]);
    expect(issues.warnings).toEqual([]);
    expect(m.version).toBe('1.2');
    expect(m.modes.roles).toBe('bulk');
    expect(m.modes.users).toBe('bulk');
    expect(m.modes.orgs).toBe('absent');
  });

  it('requires every 1.2 file property, and refuses a set without a version it reads', async () => {
    const issues = new IssueCollector();
    readManifest(
      await parse(
        `propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n${CSV_FILES.map((f) => `file.${f},absent`).join('\n')}\n`,
      ),
      issues,
    );
    expect(issues.errors.map((e) => e.message).sort()).toEqual(
      V1P2_CSV_FILES.filter(
        (f) => !(CSV_FILES as readonly string[]).includes(f),
      )
        .map((f) => `file.${f} is required (absent, bulk or delta)`)
        .sort(),
    );
    for (const versions of [
      'manifest.version,1.2\n',
      'manifest.version,1.0\noneroster.version,1.3\n',
    ]) {
      const none = new IssueCollector();
      readManifest(
        await parse(`propertyName,value\n${versions}file.users,bulk\n`),
        none,
      );
      expect(none.errors.map((e) => e.code)).toContain('unsupported_version');
    }
  });

  it('reads a header and modes in another case with a warning', async () => {
    const issues = new IssueCollector();
    const m = readManifest(
      await parse(
        `PropertyName, Value\nmanifest.version,1.0\noneroster.version,1.1\n${CSV_FILES.map((f) => `file.${f},${f === 'users' ? 'Bulk' : 'absent'}`).join('\n')}\n`,
      ),
      issues,
    );
    expect(issues.errors).toEqual([]);
    expect(m.modes.users).toBe('bulk');
    expect(issues.warnings.map((w) => [w.line, w.value, w.code])).toEqual([
      [1, 'PropertyName, Value', 'header_normalised'],
      [4 + CSV_FILES.indexOf('users'), 'Bulk', 'normalised_value'],
    ]);
  });
});

describe('zip', () => {
  it('writes and reads back a Deflate archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'or-zip-'));
    try {
      const big =
        'sourcedId,title\n' +
        Array.from(
          { length: 20000 },
          (_, i) => `id${i},${csvField(`Title, ${i}`)}`,
        ).join('\n');
      writeFileSync(join(dir, 'users.csv'), big);
      writeFileSync(join(dir, 'orgs.csv'), '');
      await writeZip(join(dir, 'set.zip'), [
        { name: 'users.csv', path: join(dir, 'users.csv') },
        { name: 'orgs.csv', path: join(dir, 'orgs.csv') },
      ]);
      expect((await listZip(join(dir, 'set.zip'))).map((e) => e.name)).toEqual([
        'users.csv',
        'orgs.csv',
      ]);
      const out = join(dir, 'out');
      mkdirSync(out);
      expect((await extractZip(join(dir, 'set.zip'), out)).files).toEqual([
        'users.csv',
        'orgs.csv',
      ]);
      expect(readFileSync(join(out, 'users.csv'), 'utf8')).toBe(big);
      expect(readFileSync(join(out, 'orgs.csv'), 'utf8')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
