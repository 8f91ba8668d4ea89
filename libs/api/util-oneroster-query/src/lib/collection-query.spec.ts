import {
  checkQuery,
  checkSingleQuery,
  parseCollectionQuery,
  parseSingleQuery,
} from './collection-query';
import {
  BlankSelectionFieldError,
  InvalidDataError,
  InvalidFilterFieldError,
} from './errors';

const catalogue = {
  filterable: new Set(['sourcedId', 'status', 'familyName']),
  sortable: new Set(['sourcedId', 'familyName']),
  selectable: new Set(['sourcedId', 'familyName', 'givenName']),
};

describe('parseCollectionQuery', () => {
  it('applies the defaults', () => {
    expect(parseCollectionQuery({})).toEqual({
      limit: 100,
      offset: 0,
      sort: null,
      orderBy: 'asc',
      fields: null,
      filter: null,
    });
  });

  it('clamps a huge limit to the maximum', () => {
    expect(parseCollectionQuery({ limit: '50000' }).limit).toBe(10000);
    expect(parseCollectionQuery({ limit: '10000' }).limit).toBe(10000);
  });

  it.each(['0', '-1', 'ten', '1e3', '2.5', ''])('refuses limit=%s', (limit) => {
    expect(() => parseCollectionQuery({ limit })).toThrow(InvalidDataError);
  });

  it.each(['-1', 'x', '1.5'])('refuses offset=%s', (offset) => {
    expect(() => parseCollectionQuery({ offset })).toThrow(InvalidDataError);
  });

  it('refuses a repeated parameter', () => {
    expect(() => parseCollectionQuery({ limit: ['1', '2'] })).toThrow(
      /more than once/,
    );
  });

  it('reads orderBy, tolerating the 1.1 OpenAPI typo acs', () => {
    expect(parseCollectionQuery({ orderBy: 'desc' }).orderBy).toBe('desc');
    expect(parseCollectionQuery({ orderBy: 'acs' }).orderBy).toBe('asc');
    expect(() => parseCollectionQuery({ orderBy: 'up' })).toThrow(
      InvalidDataError,
    );
  });

  it('treats blank fields as an invalid request', () => {
    expect(() => parseCollectionQuery({ fields: '' })).toThrow(
      BlankSelectionFieldError,
    );
    expect(() => parseCollectionQuery({ fields: ' , ' })).toThrow(
      BlankSelectionFieldError,
    );
  });
});

describe('checkQuery', () => {
  it('refuses an unknown filter field, naming it', () => {
    const q = parseCollectionQuery({ filter: "shoeSize='9'" });
    expect(() => checkQuery(q, catalogue)).toThrow(InvalidFilterFieldError);
    expect(() => checkQuery(q, catalogue)).toThrow(/shoeSize/);
  });

  it('turns unknown sort and selection fields into warnings', () => {
    const q = checkQuery(
      parseCollectionQuery({ sort: 'shoeSize', fields: 'familyName,shoeSize' }),
      catalogue,
    );
    expect(q.sort).toBeNull();
    expect(q.fields).toBeNull();
    expect(q.warnings).toEqual([
      {
        codeMinor: 'invalid_sort_field',
        description: 'Invalid sort field: shoeSize',
      },
      {
        codeMinor: 'invalid_selection_field',
        description: 'Invalid selection field: shoeSize',
      },
    ]);
  });

  it('keeps known sort and fields', () => {
    const q = checkQuery(
      parseCollectionQuery({
        sort: 'familyName',
        fields: 'sourcedId,givenName',
      }),
      catalogue,
    );
    expect(q).toMatchObject({
      sort: 'familyName',
      fields: ['sourcedId', 'givenName'],
      warnings: [],
    });
  });
});

describe('single-object query', () => {
  it('reads fields as a collection does, and nothing else', () => {
    expect(
      parseSingleQuery({ fields: ' sourcedId , givenName ', limit: 'x' }),
    ).toEqual({ fields: ['sourcedId', 'givenName'] });
    expect(parseSingleQuery({})).toEqual({ fields: null });
    expect(() => parseSingleQuery({ fields: ' , ' })).toThrow(
      BlankSelectionFieldError,
    );
    expect(() => parseSingleQuery({ fields: ['a', 'b'] })).toThrow(
      InvalidDataError,
    );
  });

  it('gives the collection warning for unknown fields, and every field', () => {
    const raw = { fields: 'familyName,shoeSize' };
    const single = checkSingleQuery(parseSingleQuery(raw), catalogue);
    expect(single).toEqual({
      fields: null,
      warnings: [
        {
          codeMinor: 'invalid_selection_field',
          description: 'Invalid selection field: shoeSize',
        },
      ],
    });
    expect(single.warnings).toEqual(
      checkQuery(parseCollectionQuery(raw), catalogue).warnings,
    );
    expect(checkSingleQuery({ fields: ['sourcedId'] }, catalogue)).toEqual({
      fields: ['sourcedId'],
      warnings: [],
    });
  });
});
