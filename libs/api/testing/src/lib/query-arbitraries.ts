import fc from 'fast-check';

/**
 * fast-check generators for the OneRoster query language (1.1 §3.2–3.5), for fuzzing the
 * API: filters that are valid, nearly valid (one token off) or garbage, and parameter
 * values from the unpleasant corners (unicode, huge numbers, lengths, escapes).
 */

const FIELDS = [
  'sourcedId',
  'status',
  'dateLastModified',
  'familyName',
  'givenName',
  'role',
  'email',
  'username',
  'title',
  'classType',
  'grades',
  'subjects',
  'orgs',
  'course.sourcedId',
  'class',
  'type',
  'schoolYear',
  'startDate',
  'score',
  'scoreStatus',
  'enabledUser',
  'metadata.ukYearGroup',
];
const OPERATORS = ['=', '!=', '>', '>=', '<', '<=', '~'];

const unicode = fc.string({ unit: 'binary', maxLength: 24 });

/** Values a query parameter should never choke on. */
export function queryValueArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 30 }),
    unicode,
    fc.integer().map(String),
    fc.double().map(String),
    fc.bigInt().map(String),
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-1',
      '1.5',
      '1e3',
      '0x10',
      '10000',
      '10001',
      '99999999999999999999999999',
      '-0',
      'Infinity',
      'NaN',
      'null',
      'sourcedId,sourcedId',
      ',,,',
      'givenName,,familyName',
      "'",
      '\u0000',
      '\uFEFFsourcedId',
      'ﬁeld',
      '𝔰𝔬𝔲𝔯𝔠𝔢𝔡𝔌𝔡',
      'a'.repeat(2000),
    ),
  );
}

const value = fc.oneof(
  fc.string({ maxLength: 20 }),
  unicode,
  fc.constantFrom(
    '2026-09-01',
    '2026-09-01T08:00:00Z',
    '2026-13-45',
    'true',
    'false',
    'student',
    'active',
    'tobedeleted',
    '',
    "it''s",
    '%',
    '_',
    '\\',
    '07',
  ),
);

const quoted = value.map((v) => `'${v.replace(/'/g, "''")}'`);
const clause = fc
  .tuple(
    fc.oneof({ arbitrary: fc.constantFrom(...FIELDS), weight: 5 }, unicode),
    fc.oneof(
      { arbitrary: fc.constantFrom(...OPERATORS), weight: 5 },
      fc.constantFrom('==', '=~', '<>', '', ' = ', '!'),
    ),
    fc.oneof({ arbitrary: quoted, weight: 4 }, value),
  )
  .map(([f, op, v]) => `${f}${op}${v}`);

/**
 * Filters: well-formed clause chains joined by AND/OR in any letter case, and the same with
 * one mutation (a quote dropped, a connector doubled, parentheses, a cut in the middle).
 */
export function filterArbitrary(): fc.Arbitrary<string> {
  const chain = fc
    .tuple(
      clause,
      fc.array(
        fc.tuple(
          fc.constantFrom(' AND ', ' OR ', ' and ', ' Or ', ' AND AND ', ' '),
          clause,
        ),
        { maxLength: 4 },
      ),
    )
    .map(([first, rest]) => first + rest.map(([c, x]) => c + x).join(''));
  return fc.oneof(
    { arbitrary: chain, weight: 4 },
    fc
      .tuple(chain, fc.nat(), fc.constantFrom('drop', 'cut', 'paren', 'dup'))
      .map(([f, at, how]) => {
        const i = f.length ? at % f.length : 0;
        if (how === 'drop') return f.slice(0, i) + f.slice(i + 1);
        if (how === 'cut') return f.slice(0, i);
        if (how === 'paren') return `(${f}) OR (${f}`;
        return `${f} ${f}`;
      }),
    fc
      .array(clause, { minLength: 50, maxLength: 120 })
      .map((cs) => cs.join(' OR ')),
  );
}
