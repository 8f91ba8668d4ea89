import { readStoredV1p2Body } from './v1p2-bodies';

describe('readStoredV1p2Body', () => {
  it('reads a 1.2 score scale in its envelope: GUIDRefs as sourcedIds, server fields dropped', () => {
    expect(
      readStoredV1p2Body(
        'scoreScale',
        {
          scoreScale: {
            sourcedId: 's1',
            status: 'active',
            title: 'Letters',
            type: 'letter',
            class: { sourcedId: 'c1', href: 'x', type: 'class' },
            scoreScaleValue: [{ itemValueLHS: 'A', itemValueRHS: '90' }],
          },
        },
        's1',
      ),
    ).toEqual({
      title: 'Letters',
      type: 'letter',
      class: 'c1',
      scoreScaleValue: [{ itemValueLHS: 'A', itemValueRHS: '90' }],
    });
  });

  it('reads booleans, extension vocabularies and dates of an assessment result', () => {
    expect(
      readStoredV1p2Body(
        'assessmentResult',
        {
          assessmentLineItem: 'a1',
          student: { sourcedId: 'u1' },
          scoreStatus: 'ext:retake',
          scoreDate: '2026-02-28',
          late: 'false',
        },
        'r1',
      ),
    ).toEqual({
      assessmentLineItem: 'a1',
      student: 'u1',
      scoreStatus: 'ext:retake',
      scoreDate: '2026-02-28',
      late: false,
    });
  });

  it('lists every problem in one 422, nested elements included', () => {
    let message = '';
    try {
      readStoredV1p2Body(
        'assessmentLineItem',
        {
          title: 5,
          resultValueMax: '10',
          learningObjectiveSet: [{ source: 'nope', learningObjectiveIds: [] }],
        },
        'a1',
      );
    } catch (e) {
      message = (e as Error).message;
    }
    for (const path of [
      'assessmentLineItem.title',
      'assessmentLineItem.resultValueMax',
      'assessmentLineItem.learningObjectiveSet[0].source',
      'assessmentLineItem.learningObjectiveSet[0].learningObjectiveIds',
    ])
      expect([path, message.includes(path)]).toEqual([path, true]);
  });

  it('refuses a body naming another sourcedId and an impossible date', () => {
    expect(() =>
      readStoredV1p2Body('scoreScale', { sourcedId: 'other' }, 's1'),
    ).toThrow(/path names s1/);
    expect(() =>
      readStoredV1p2Body(
        'assessmentResult',
        {
          assessmentLineItem: 'a',
          student: 'u',
          scoreStatus: 'submitted',
          scoreDate: '2026-02-30',
        },
        'r',
      ),
    ).toThrow(/scoreDate: expected a date/);
  });
});
