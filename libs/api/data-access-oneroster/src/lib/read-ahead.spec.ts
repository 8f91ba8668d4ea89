import { ReadAhead } from './read-ahead';

describe('ReadAhead', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

  it('hands a page read ahead to one request only', async () => {
    const ra = new ReadAhead();
    let loads = 0;
    ra.offer('k', 1000, async () => (loads++, rows(1000)));
    ra.offer('k', 1000, async () => (loads++, rows(1000)));
    expect(loads).toBe(1);
    await expect(ra.take('k')).resolves.toHaveLength(1000);
    expect(ra.take('k')).toBeUndefined();
  });

  it('declines offers beyond its row bound and frees room when taken', async () => {
    const ra = new ReadAhead();
    ra.offer('a', 6_000, async () => rows(1));
    ra.offer('b', 6_000, async () => rows(1));
    expect(ra.take('b')).toBeUndefined();
    await ra.take('a');
    ra.offer('b', 6_000, async () => rows(1));
    expect(ra.take('b')).toBeDefined();
  });

  it('forgets pages after their time to live', () => {
    const ra = new ReadAhead();
    ra.offer('k', 1000, async () => rows(1), 0);
    expect(ra.take('k', ReadAhead.TTL_MS + 1)).toBeUndefined();
  });

  it('drops a failed read-ahead', async () => {
    const ra = new ReadAhead();
    ra.offer('k', 1000, () => Promise.reject(new Error('db down')));
    await new Promise((r) => setTimeout(r, 0));
    expect(ra.take('k')).toBeUndefined();
  });
});
