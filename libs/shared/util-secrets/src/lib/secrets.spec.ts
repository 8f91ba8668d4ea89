import { generateSecret, hashSecret, verifySecret } from './secrets';

describe('secrets', () => {
  it('verifies the right secret and rejects a wrong one', async () => {
    const stored = await hashSecret('correct horse');
    expect(stored.startsWith('scrypt$16384$8$1$')).toBe(true);
    await expect(verifySecret('correct horse', stored)).resolves.toBe(true);
    await expect(verifySecret('correct hors', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashSecret('same')).not.toEqual(await hashSecret('same'));
  });

  it('never matches a malformed stored value', async () => {
    await expect(verifySecret('x', 'plain-text')).resolves.toBe(false);
    await expect(verifySecret('x', 'scrypt$99999999$8$1$AA$AA')).resolves.toBe(
      false,
    );
  });

  it('generates 256-bit secrets', () => {
    const s = generateSecret();
    expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toEqual(s);
  });
});
