import { InvalidDataError } from './errors';
import { filterClauses, formatFilter, parseFilter } from './filter';

describe('parseFilter', () => {
  it('reads one clause with each predicate', () => {
    for (const p of ['=', '!=', '>', '>=', '<', '<=', '~']) {
      expect(parseFilter(`familyName${p}'Jones'`)).toEqual({
        kind: 'clause',
        field: 'familyName',
        predicate: p,
        value: 'Jones',
      });
    }
  });

  it('reads AND and OR, AND binding tighter', () => {
    expect(parseFilter("a='1' OR b='2' AND c='3'")).toEqual({
      kind: 'or',
      operands: [
        { kind: 'clause', field: 'a', predicate: '=', value: '1' },
        {
          kind: 'and',
          operands: [
            { kind: 'clause', field: 'b', predicate: '=', value: '2' },
            { kind: 'clause', field: 'c', predicate: '=', value: '3' },
          ],
        },
      ],
    });
  });

  it('keeps spaces, commas and operators inside quoted values', () => {
    expect(parseFilter("givenName='Colin Robert AND x=1'")).toMatchObject({
      value: 'Colin Robert AND x=1',
    });
    expect(parseFilter("familyName='O''Brien'")).toMatchObject({
      value: "O'Brien",
    });
    expect(parseFilter("title=''")).toMatchObject({ value: '' });
  });

  it('is lenient about spaces, letter case of AND/OR and unquoted values', () => {
    expect(
      filterClauses(parseFilter("  status = 'active'  and role='student' ")),
    ).toHaveLength(2);
    expect(parseFilter('status=active')).toMatchObject({
      field: 'status',
      value: 'active',
    });
    expect(
      parseFilter("dateLastModified>'2026-09-01T00:00:00Z'"),
    ).toMatchObject({ predicate: '>' });
    expect(parseFilter("orgs.sourcedId='x'")).toMatchObject({
      field: 'orgs.sourcedId',
    });
  });

  it.each([
    ["familyName'Jones'", /expected one of/],
    ["familyName='Jones", /unterminated/],
    ["='x'", /expected a field name/],
    ["a='1' XOR b='2'", /expected AND or OR/],
    ["a='1' AND", /expected a field name/],
    ["a='1'b='2'", /expected AND or OR/],
    ["familyName=='x'", /unknown operator "=="/],
    ["familyName=<'x'", /unknown operator "=<"/],
    ["familyName=>'x'", /unknown operator "=>"/],
    ["familyName==='x'", /unknown operator "==="/],
    ["familyName~~'x'", /unknown operator "~~"/],
    ["familyName<>'x'", /unknown operator "<>"/],
    ["familyName!'x'", /unknown operator "!"/],
    ["familyName= ='x'", /unknown operator after "familyName="/],
    ["familyName=='x' AND givenName='y'", /unknown operator "=="/],
  ])('refuses %s', (input, message) => {
    expect(() => parseFilter(input)).toThrow(InvalidDataError);
    expect(() => parseFilter(input)).toThrow(message);
  });

  it('refuses absurdly long filters', () => {
    const many = Array.from({ length: 21 }, (_, i) => `a='${i}'`).join(' AND ');
    expect(() => parseFilter(many)).toThrow(/more than 20 clauses/);
  });
});

describe('formatFilter', () => {
  it.each([
    "familyName='Jones'",
    "status = 'active'  and  dateLastModified>'2026-09-01T00:00:00Z'",
    "a='1' OR b!='2' AND c~'it''s' or d<=3",
    'grades=07',
  ])(
    'writes a filter that parses back to the same expression (%s)',
    (input) => {
      const parsed = parseFilter(input);
      const text = formatFilter(parsed);
      expect(parseFilter(text)).toEqual(parsed);
      expect(formatFilter(parseFilter(text))).toBe(text);
    },
  );

  it('writes AND and OR in capitals with quoted values', () => {
    expect(formatFilter(parseFilter("a=1 and b='x' or c~y"))).toBe(
      "a='1' AND b='x' OR c~'y'",
    );
  });
});
