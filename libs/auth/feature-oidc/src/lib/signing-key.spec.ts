import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { loadSigningKey, SigningKeyError } from './signing-key';

describe('loadSigningKey', () => {
  const file = () =>
    join(mkdtempSync(join(tmpdir(), 'oidc-key-')), 'sub', 'key.json');

  it('generates a key on first use and reads the same key afterwards', async () => {
    const path = file();
    const first = await loadSigningKey({
      signingKey: null,
      signingKeyFile: path,
    });
    expect(first).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = await loadSigningKey({
      signingKey: null,
      signingKeyFile: path,
    });
    expect(again).toEqual(first);
  });

  it('reads a configured PEM or JWK and ignores the file', async () => {
    const { privateKey } = await generateKeyPair('ES256', {
      extractable: true,
    });
    const pem = await exportPKCS8(privateKey);
    const fromPem = await loadSigningKey({
      signingKey: pem,
      signingKeyFile: file(),
    });
    const fromJwk = await loadSigningKey({
      signingKey: JSON.stringify({ ...fromPem, kid: 'k1' }),
      signingKeyFile: file(),
    });
    expect(fromJwk).toEqual({ ...fromPem, kid: 'k1' });
  });

  it('refuses anything but an ES256 private key', async () => {
    await expect(
      loadSigningKey({
        signingKey: '{"kty":"oct","k":"AA"}',
        signingKeyFile: file(),
      }),
    ).rejects.toThrow(SigningKeyError);
    await expect(
      loadSigningKey({ signingKey: 'not a key', signingKeyFile: file() }),
    ).rejects.toThrow(/AUTH_SIGNING_KEY/);
  });
});
