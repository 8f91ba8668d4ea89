import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The auth server's token-signing key. Rules enforced:
 * - ES256 only (a P-256 private key), given as a JWK (JSON) or a PKCS#8 PEM;
 * - without a configured key, one is generated on first start and kept in a file (mode 0600,
 *   under ./data by default, which git ignores) so tokens stay valid across restarts;
 * - the key id is its RFC 7638 thumbprint unless the JWK names one.
 */
export interface SigningKeySource {
  signingKey: string | null;
  signingKeyFile: string;
}

export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export class SigningKeyError extends Error {}

export async function loadSigningKey(
  source: SigningKeySource,
): Promise<SigningJwk> {
  const jose = await import('jose');
  let jwk: Record<string, unknown>;
  if (source.signingKey) {
    const raw = source.signingKey.trim();
    if (raw.startsWith('{')) {
      try {
        jwk = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new SigningKeyError('AUTH_SIGNING_KEY is not valid JSON');
      }
    } else {
      try {
        const key = await jose.importPKCS8(raw.replace(/\\n/g, '\n'), 'ES256', {
          extractable: true,
        });
        jwk = (await jose.exportJWK(key)) as Record<string, unknown>;
      } catch {
        throw new SigningKeyError(
          'AUTH_SIGNING_KEY must be an ES256 private key as a JWK or a PKCS#8 PEM',
        );
      }
    }
  } else if (existsSync(source.signingKeyFile)) {
    jwk = JSON.parse(readFileSync(source.signingKeyFile, 'utf8')) as Record<
      string,
      unknown
    >;
  } else {
    const { privateKey } = await jose.generateKeyPair('ES256', {
      extractable: true,
    });
    jwk = (await jose.exportJWK(privateKey)) as Record<string, unknown>;
    jwk['kid'] = await jose.calculateJwkThumbprint({
      kty: 'EC',
      crv: 'P-256',
      x: jwk['x'] as string,
      y: jwk['y'] as string,
    });
    mkdirSync(dirname(source.signingKeyFile), { recursive: true });
    writeFileSync(source.signingKeyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  if (
    jwk['kty'] !== 'EC' ||
    jwk['crv'] !== 'P-256' ||
    typeof jwk['d'] !== 'string' ||
    typeof jwk['x'] !== 'string' ||
    typeof jwk['y'] !== 'string'
  )
    throw new SigningKeyError(
      'The auth signing key must be an ES256 (EC P-256) private key',
    );
  const x = jwk['x'];
  const y = jwk['y'];
  const kid =
    typeof jwk['kid'] === 'string' && jwk['kid']
      ? jwk['kid']
      : await jose.calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
  return {
    kty: 'EC',
    crv: 'P-256',
    x,
    y,
    d: jwk['d'],
    kid,
    alg: 'ES256',
    use: 'sig',
  };
}

/** A cookie-signing key derived from the signing key (every instance derives the same one). */
export function cookieKeyFrom(jwk: SigningJwk): string {
  return createHash('sha256')
    .update(`oidc-cookies:${jwk.d}`)
    .digest('base64url');
}
