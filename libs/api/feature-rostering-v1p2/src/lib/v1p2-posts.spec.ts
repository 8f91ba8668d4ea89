import {
  InvalidDataError,
  PayloadTooLargeError,
  UnprocessableDataError,
} from '@oneroster/util-oneroster-query';
import { MAX_POST_ELEMENTS, postParentOf, readPostBody } from './v1p2-posts';

describe('postParentOf', () => {
  it('reads the parent of each of the four POSTs from its path parameters', () => {
    expect(
      postParentOf('postLineItemsForClass', { classSourcedId: 'c1' }),
    ).toEqual({
      kind: 'lineItem',
      parent: { kind: 'class', classSourcedId: 'c1' },
    });
    expect(
      postParentOf('postLineItemsForSchool', { schoolSourcedId: 's1' }),
    ).toEqual({
      kind: 'lineItem',
      parent: { kind: 'school', schoolSourcedId: 's1' },
    });
    expect(
      postParentOf('postResultsForLineItem', { lineItemSourcedId: 'l1' }),
    ).toEqual({
      kind: 'result',
      parent: { kind: 'lineItem', lineItemSourcedId: 'l1' },
    });
    expect(
      postParentOf('postResultsForAcademicSessionForClass', {
        classSourcedId: 'c1',
        academicSessionSourcedId: 'a1',
      }),
    ).toEqual({
      kind: 'result',
      parent: {
        kind: 'classSession',
        classSourcedId: 'c1',
        academicSessionSourcedId: 'a1',
      },
    });
    expect(() => postParentOf('putLineItem', {})).toThrow(/not a OneRoster/);
  });
});

describe('readPostBody', () => {
  const forClass = { kind: 'class', classSourcedId: 'c1' } as const;

  it('fills the reference the path fixes and keeps the supplied sourcedIds in order', () => {
    const read = readPostBody(
      'lineItem',
      {
        lineItems: [
          { sourcedId: 'a', title: 'A' },
          { sourcedId: 'b', title: 'B', class: { sourcedId: 'c1' } },
        ],
      },
      forClass,
    );
    expect(read).toEqual([
      {
        at: 'lineItems[0]',
        supplied: 'a',
        object: { sourcedId: 'a', title: 'A', class: { sourcedId: 'c1' } },
        problems: [],
      },
      {
        at: 'lineItems[1]',
        supplied: 'b',
        object: { sourcedId: 'b', title: 'B', class: { sourcedId: 'c1' } },
        problems: [],
      },
    ]);
  });

  it('accepts the bare list too', () => {
    const read = readPostBody('result', [{ sourcedId: 'r' }], {
      kind: 'lineItem',
      lineItemSourcedId: 'l1',
    });
    expect(read[0].object).toEqual({
      sourcedId: 'r',
      lineItem: { sourcedId: 'l1' },
    });
  });

  it('lists every element’s problems with its index: another parent, missing, duplicate and non-string sourcedIds, non-objects', () => {
    const read = readPostBody(
      'lineItem',
      {
        lineItems: [
          { sourcedId: 'a', class: { sourcedId: 'other' } },
          { title: 'no id' },
          { sourcedId: 'a' },
          { sourcedId: 7 },
          'nope',
        ],
      },
      forClass,
    );
    expect(read.map((e) => e.problems)).toEqual([
      ['lineItems[0].class: names class other but the path names class c1'],
      [
        'lineItems[1].sourcedId: required (the supplied sourcedId the answer pairs with the allocated one)',
      ],
      ['lineItems[2].sourcedId: "a" is also the sourcedId of lineItems[0]'],
      ['lineItems[3].sourcedId: must be a string'],
      ['lineItems[4]: expected a JSON object'],
    ]);
  });

  it('checks each route’s own fixed reference: school, line item, class of a session', () => {
    expect(
      readPostBody(
        'lineItem',
        { lineItems: [{ sourcedId: 'a', school: 'other' }] },
        { kind: 'school', schoolSourcedId: 's1' },
      )[0].problems,
    ).toEqual([
      'lineItems[0].school: names school other but the path names school s1',
    ]);
    expect(
      readPostBody(
        'result',
        { results: [{ sourcedId: 'r', lineItem: { sourcedId: 'l2' } }] },
        { kind: 'lineItem', lineItemSourcedId: 'l1' },
      )[0].problems,
    ).toEqual([
      'results[0].lineItem: names line item l2 but the path names line item l1',
    ]);
    expect(
      readPostBody(
        'result',
        { results: [{ sourcedId: 'r', class: { sourcedId: 'c2' } }] },
        {
          kind: 'classSession',
          classSourcedId: 'c1',
          academicSessionSourcedId: 'a1',
        },
      )[0].problems,
    ).toEqual(['results[0].class: names class c2 but the path names class c1']);
  });

  it('refuses a body of another shape (400), an empty set (422) and more than the limit (413)', () => {
    for (const body of [null, {}, { lineItem: {} }, { lineItems: {} }, 'x'])
      expect(() => readPostBody('lineItem', body, forClass)).toThrow(
        InvalidDataError,
      );
    expect(() => readPostBody('lineItem', { lineItems: [] }, forClass)).toThrow(
      UnprocessableDataError,
    );
    const many = Array.from({ length: MAX_POST_ELEMENTS + 1 }, (_, i) => ({
      sourcedId: `x${i}`,
    }));
    expect(() =>
      readPostBody('lineItem', { lineItems: many }, forClass),
    ).toThrow(PayloadTooLargeError);
    expect(
      readPostBody(
        'lineItem',
        { lineItems: many.slice(0, MAX_POST_ELEMENTS) },
        forClass,
      ),
    ).toHaveLength(MAX_POST_ELEMENTS);
  });
});
