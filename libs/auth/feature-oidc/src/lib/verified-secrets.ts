import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Remembers, for a short time, which (client, secret, stored hash) triples were verified, so a
 * client asking for a token every few seconds does not pay scrypt each time. Rules enforced:
 * - only successful verifications are remembered, as a SHA-256 digest of a per-process
 *   random salt, the client id, the presented secret and the stored hash (never the secret
 *   itself): changing or rotating the secret changes the digest, so a replaced secret is
 *   never accepted from memory;
 * - entries expire after `ttlMs` (0: nothing is remembered); at most `maxEntries` are held
 *   (the least recently used go first);
 * - client secrets carry 256 random bits, so a salted hash is as strong as the slow hash for
 *   them (the slow hash protects the database copy, not this in-memory one).
 */
export class VerifiedSecrets {
  // One-shot hash of salted input: this runs on every token request, and creating an HMAC
  // object costs several times more. The digest is only ever compared with another made
  // here, so the salt (unknown outside the process) is all the keying it needs.
  private readonly salt = randomBytes(32).toString('base64');
  // lru-cache reads a ttl of 0 as "never expires": with no lifetime there is no memory.
  private readonly entries: LRUCache<string, Buffer> | null;

  constructor(ttlMs = 60_000, maxEntries = 10_000) {
    this.entries =
      ttlMs > 0 ? new LRUCache({ max: maxEntries, ttl: ttlMs }) : null;
  }

  private digest(clientId: string, secret: string, stored: string): Buffer {
    return hash(
      'sha256',
      `${this.salt}\0${clientId}\0${secret}\0${stored}`,
      'buffer',
    );
  }

  has(clientId: string, secret: string, stored: string): boolean {
    const digest = this.entries?.get(`${clientId}\0${stored}`);
    if (!digest) return false;
    return timingSafeEqual(digest, this.digest(clientId, secret, stored));
  }

  remember(clientId: string, secret: string, stored: string): void {
    this.entries?.set(
      `${clientId}\0${stored}`,
      this.digest(clientId, secret, stored),
    );
  }
}
