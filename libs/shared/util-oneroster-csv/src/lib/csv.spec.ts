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
import { CSV_HEADERS } from './binding';
import { readManifest } from './manifest';
import { CsvRecord, parseCsv } from './parser';
import { IssueCollector } from './report';
import {
  isCalendarDate,
  isGuid,
  readHeader,
  readRow,
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
          'Identifier',
        ],
      },
      issues,
    );
    expect(h.ok).toBe(false);
    expect(issues.errors.map((e) => [e.code, e.column])).toEqual([
      ['unknown_header', 'Identifier'],
    ]);
    expect(issues.errors[0].message).toContain('did you mean identifier');
    expect(issues.warnings.map((w) => [w.code, w.column])).toEqual([
      ['missing_header', 'identifier'],
      ['missing_header', 'parentSourcedId'],
      ['header_order', undefined],
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
