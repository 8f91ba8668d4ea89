import { IdIndex, IntList, RecordDigests } from './id-set';

describe('IdIndex', () => {
  it('numbers ids in the order they are added and refuses a duplicate', () => {
    const ids = new IdIndex();
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(ids.add(`user-${i}`)).toBe(i);
    expect(ids.size).toBe(n);
    expect(ids.add('user-123')).toBe(-1);
    expect(ids.get('user-49999')).toBe(49_999);
    expect(ids.get('user-50000')).toBe(-1);
    expect(ids.has('user-0')).toBe(true);
    // Anagrams and prefixes are different ids.
    expect(ids.add('resu-0')).toBe(n);
    expect(ids.add('user-')).toBe(n + 1);
  });
});

describe('IntList', () => {
  it('grows, and fills gaps with -1', () => {
    const l = new IntList();
    for (let i = 0; i < 3000; i++) l.push(i * 2);
    expect(l.length).toBe(3000);
    expect(l.at(2999)).toBe(5998);
    l.set(3005, 7);
    expect(l.get(3002)).toBe(-1);
    expect(l.get(3005)).toBe(7);
    expect(l.get(9999)).toBe(-1);
  });
});

describe('RecordDigests', () => {
  it('tells absent, unchanged and changed records apart, and which were not seen', () => {
    const d = new RecordDigests();
    for (let i = 0; i < 5000; i++)
      d.set('school-a', `r${i}`, `content ${i}`, i % 10 !== 0);
    d.set('school-b', 'r1', 'content 1', true);
    expect(d.visit('school-a', 'r1', () => 'content 1')).toBe('unchanged');
    expect(d.visit('school-a', 'r2', () => 'content two')).toBe('changed');
    // Inactive records are rewritten even when their content is the same.
    expect(d.visit('school-a', 'r10', () => 'content 10')).toBe('changed');
    expect(d.visit('school-a', 'r5000', () => 'new')).toBe('absent');
    expect(d.visit('school-c', 'r1', () => 'content 1')).toBe('absent');
    // Seen, or inactive already: not missing. Active and not seen: missing.
    expect(d.missing('school-a', 'r1')).toBe(false);
    expect(d.missing('school-a', 'r20')).toBe(false);
    expect(d.missing('school-a', 'r3')).toBe(true);
    expect(d.missing('school-b', 'r1')).toBe(true);
    expect(d.missing('school-a', 'r5000')).toBe(false);
    expect(d.hasMissing('school-a')).toBe(true);
    expect(d.hasMissing('school-c')).toBe(false);
    const all = new RecordDigests();
    all.set('s', 'a', 'x', true);
    all.set('s', 'b', 'y', false);
    expect(all.hasMissing('s')).toBe(true);
    all.visit('s', 'a', () => 'x');
    all.visit('s', 'a', () => 'x');
    expect(all.hasMissing('s')).toBe(false);
  });
});
