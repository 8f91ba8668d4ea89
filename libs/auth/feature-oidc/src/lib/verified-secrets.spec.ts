import { VerifiedSecrets } from './verified-secrets';

describe('VerifiedSecrets', () => {
  it('accepts only the remembered secret for the same stored hash', () => {
    const cache = new VerifiedSecrets();
    cache.remember('c', 'right', 'hash-1');
    expect(cache.has('c', 'right', 'hash-1')).toBe(true);
    expect(cache.has('c', 'wrong', 'hash-1')).toBe(false);
    expect(cache.has('c', 'right', 'hash-2')).toBe(false);
    expect(cache.has('other', 'right', 'hash-1')).toBe(false);
  });

  it('forgets after the TTL', async () => {
    const cache = new VerifiedSecrets(20);
    cache.remember('c', 's', 'h');
    await new Promise((r) => setTimeout(r, 30));
    expect(cache.has('c', 's', 'h')).toBe(false);
  });

  it('holds at most maxEntries, forgetting the least recently used first', () => {
    const cache = new VerifiedSecrets(60_000, 2);
    cache.remember('a', 's', 'h');
    cache.remember('b', 's', 'h');
    expect(cache.has('a', 's', 'h')).toBe(true);
    cache.remember('c', 's', 'h');
    expect(cache.has('a', 's', 'h')).toBe(true);
    expect(cache.has('b', 's', 'h')).toBe(false);
    expect(cache.has('c', 's', 'h')).toBe(true);
  });

  it('remembers nothing with no lifetime', () => {
    const cache = new VerifiedSecrets(0);
    cache.remember('c', 's', 'h');
    expect(cache.has('c', 's', 'h')).toBe(false);
  });
});
