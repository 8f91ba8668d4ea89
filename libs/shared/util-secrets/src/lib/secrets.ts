import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * Secrets and passwords at rest: scrypt (memory-hard, in Node's standard library), stored
 * as `scrypt$N$r$p$salt$hash` (base64url), compared in constant time. Generated secrets
 * carry 256 random bits.
 */

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(
  secret: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      secret,
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, N, R, P);
  return [
    'scrypt',
    N,
    R,
    P,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** True when `secret` matches `stored`. A malformed stored value never matches. */
export async function verifySecret(
  secret: string,
  stored: string,
): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20)
    return false;
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await scryptAsync(
    secret,
    Buffer.from(parts[4], 'base64url'),
    n,
    r,
    p,
  );
  return timingSafeEqual(actual, expected);
}

/** A new random secret: 32 bytes (256 bits), base64url. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
