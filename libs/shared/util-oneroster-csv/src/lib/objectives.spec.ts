import {
  isObjectiveSource,
  objectiveLinkOf,
  objectiveLinks,
  withObjective,
  withoutObjective,
} from './objectives';

describe('the learning objective links gathered into a learningObjectiveSet', () => {
  it("gathers a line item's rows by source, in the order of their first row, and reads them back as the same rows", () => {
    const f = 'lineItemLearningObjectiveIds';
    let list: unknown[] = [];
    for (const [source, id] of [
      ['case', 'a'],
      ['/mylist', 'x'],
      ['case', 'b'],
    ])
      list = withObjective(f, list, { source, id }).list;
    expect(list).toEqual([
      { source: 'case', learningObjectiveIds: ['a', 'b'] },
      { source: '/mylist', learningObjectiveIds: ['x'] },
    ]);
    expect(objectiveLinks(f, list)).toEqual([
      { source: 'case', id: 'a' },
      { source: 'case', id: 'b' },
      { source: '/mylist', id: 'x' },
    ]);
    // A repeated objective is kept once; the same id under another source is another one.
    const again = withObjective(f, list, { source: 'case', id: 'a' });
    expect(again).toEqual({ list, had: true });
    expect(
      withObjective(f, list, { source: 'unknown', id: 'a' }).list,
    ).toHaveLength(3);
    // Removing the last objective of a source removes the source.
    expect(withoutObjective(f, list, { source: '/mylist', id: 'x' })).toEqual([
      { source: 'case', learningObjectiveIds: ['a', 'b'] },
    ]);
    expect(
      withoutObjective(
        f,
        withoutObjective(f, list, { source: 'case', id: 'a' }),
        { source: 'case', id: 'b' },
      ),
    ).toEqual([{ source: '/mylist', learningObjectiveIds: ['x'] }]);
  });

  it("keeps a result's score and textScore per objective; a replacing row changes them, a collapsed one does not", () => {
    const f = 'resultLearningObjectiveIds';
    const a = objectiveLinkOf({
      source: 'case',
      learningObjectiveId: 'a',
      score: 3,
      textScore: '',
    });
    expect(a).toEqual({ source: 'case', id: 'a', score: 3 });
    let list = withObjective(f, null, a).list;
    list = withObjective(f, list, {
      source: 'case',
      id: 'b',
      textScore: 'met',
    }).list;
    expect(list).toEqual([
      {
        source: 'case',
        learningObjectiveResults: [
          { learningObjectiveId: 'a', score: 3 },
          { learningObjectiveId: 'b', textScore: 'met' },
        ],
      },
    ]);
    const changed = { source: 'case', id: 'a', score: 4 };
    expect(withObjective(f, list, changed).list).toEqual(list);
    expect(withObjective(f, list, changed, true).list).toEqual([
      {
        source: 'case',
        learningObjectiveResults: [
          { learningObjectiveId: 'a', score: 4 },
          { learningObjectiveId: 'b', textScore: 'met' },
        ],
      },
    ]);
    expect(objectiveLinks(f, list)).toEqual([
      { source: 'case', id: 'a', score: 3 },
      { source: 'case', id: 'b', textScore: 'met' },
    ]);
  });

  it('takes the sources the 1.2 schema allows', () => {
    expect(
      ['case', 'unknown', '/state1', '/case', '/', 'CASE', '/A', 'x'].map(
        isObjectiveSource,
      ),
    ).toEqual([true, true, true, false, false, false, false, false]);
  });
});
