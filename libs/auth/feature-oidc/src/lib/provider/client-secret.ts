import type Provider from 'oidc-provider';
import { verifySecret } from '@oneroster/util-secrets';
import { VerifiedSecrets } from '../verified-secrets';
import { prop } from './client-metadata';
import type { TokenRateLimit } from './token-rate-limit';

/**
 * The client-secret check, patched into oidc-provider's `Client.prototype.compareClientSecret`
 * (its own compares the registered secret as plain text; ours are stored hashed). Rules
 * enforced:
 * - the presented secret is checked against the scrypt hash and, until it expires, the
 *   previous hash (both always computed, each comparison constant-time);
 * - a verified secret is remembered for a minute (VerifiedSecrets), for this stored hash pair
 *   only: a rotated or replaced secret is never accepted from memory;
 * - the token rate limit is counted before anything is hashed;
 * - the provider does not start if the method to replace is missing or takes other
 *   arguments than the presented secret (a changed oidc-provider).
 * oidc-provider calls the method for client_secret_basic and client_secret_post (in
 * lib/shared/client_auth.js); client-secret.spec.ts fails if it stops doing so, renames the
 * method or changes its signature.
 */

/** The method of oidc-provider's Client that this unit replaces. */
export const PATCHED_METHOD = 'compareClientSecret';

export interface ClientSecretCheckDeps {
  /** The provider class: its static `ctx` is the request being served. */
  ProviderClass: typeof Provider;
  /** Counted before the secret is hashed; throws to refuse the request. */
  rateLimit: TokenRateLimit;
  verified?: VerifiedSecrets;
}

export function installClientSecretCheck(
  provider: Provider,
  {
    ProviderClass,
    rateLimit,
    verified = new VerifiedSecrets(),
  }: ClientSecretCheckDeps,
): void {
  const clientPrototype = provider.Client.prototype as unknown as Record<
    typeof PATCHED_METHOD,
    (this: unknown, actual: string) => Promise<boolean>
  >;
  const original = clientPrototype[PATCHED_METHOD];
  if (typeof original !== 'function' || original.length !== 1)
    throw new Error(
      `oidc-provider's Client.prototype.${PATCHED_METHOD}(actual) is not there to replace`,
    );
  clientPrototype[PATCHED_METHOD] = async function (actual: string) {
    const clientId = prop(this, 'client_id') ?? '';
    await rateLimit(ProviderClass.ctx, clientId);
    const previous = prop(this, 'previous_secret_hash') ?? null;
    const stored = prop(this, 'client_secret') ?? '';
    const storedKey = previous ? `${stored} ${previous}` : stored;
    if (verified.has(clientId, actual, storedKey)) return true;
    const [current, old] = await Promise.all([
      verifySecret(actual, stored),
      previous ? verifySecret(actual, previous) : Promise.resolve(false),
    ]);
    if (current || old) verified.remember(clientId, actual, storedKey);
    return current || old;
  };
}
