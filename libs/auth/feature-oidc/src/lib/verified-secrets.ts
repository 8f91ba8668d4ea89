import {
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Remembers, for a short time, which (client, secret, stored hash) triples were verified, so a
 * client asking for a token every few seconds does not pay scrypt each time. Rules enforced:
 * - only successful verifications are remembered, keyed by an HMAC (per-process random key)
 *   of the client id, the presented secret and the stored hash: changing or rotating the
 *   secret changes the key, so a replaced secret is never accepted from memory;
 * - entries expire after `ttlMs`; the map is bounded (cleared when full);
 * - client secrets carry 256 random bits, so a keyed hash is as strong as the slow hash for
 *   them (the slow hash protects the database copy, not this in-memory one).
 */
export class VerifiedSecrets {
  // A KeyObject: a raw Buffer key is imported again on every createHmac call (~6× slower).
  private readonly key = createSecretKey(randomBytes(32));
  private readonly entries = new Map<
    string,
    { digest: Buffer; expires: number }
  >();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  private digest(clientId: string, secret: string, stored: string): Buffer {
    return createHmac('sha256', this.key)
      .update(clientId)
      .update('\0')
      .update(secret)
      .update('\0')
      .update(stored)
      .digest();
  }

  has(clientId: string, secret: string, stored: string): boolean {
    const entry = this.entries.get(`${clientId}\0${stored}`);
    if (!entry || entry.expires <= Date.now()) return false;
    return timingSafeEqual(entry.digest, this.digest(clientId, secret, stored));
  }

  remember(clientId: string, secret: string, stored: string): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(`${clientId}\0${stored}`, {
      digest: this.digest(clientId, secret, stored),
      expires: Date.now() + this.ttlMs,
    });
  }
}
