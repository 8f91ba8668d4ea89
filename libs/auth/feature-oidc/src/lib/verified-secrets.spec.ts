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
});
