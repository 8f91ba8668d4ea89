import type { KoaContextWithOIDC } from 'oidc-provider';
import { hitOrAdmit, RateLimitStore } from '@oneroster/util-rate-limit';

/**
 * The token endpoint's rate limit. Rules enforced:
 * - token requests are counted per client and IP address in any sliding minute (the address
 *   is the one `trustProxy` derives, see client-address.ts); over `limit`: 429
 *   `too_many_requests` with Retry-After;
 * - it runs before the client's secret is hashed (client-secret.ts calls it first), so a
 *   flood of guesses costs no scrypt;
 * - it fails open when Redis is unreachable, as the API does (the secret is still checked).
 */
export interface TokenRateLimitDeps {
  errors: typeof import('oidc-provider').errors;
  rateLimits: RateLimitStore;
  /** Token requests allowed per client and IP address in a minute. */
  limit: number;
}

/** Counts one token request of `clientId`; throws the 429 error when it is over the limit. */
export type TokenRateLimit = (
  ctx: KoaContextWithOIDC | undefined,
  clientId: string,
) => Promise<void>;

export function tokenRateLimit({
  errors,
  rateLimits,
  limit,
}: TokenRateLimitDeps): TokenRateLimit {
  class TooManyRequests extends errors.OIDCProviderError {
    constructor() {
      super(429, 'too_many_requests');
      Object.assign(this, {
        error_description: 'too many token requests; retry later',
      });
    }
  }
  return async (ctx, clientId) => {
    const verdict = await hitOrAdmit(
      rateLimits,
      `token:${clientId}|${ctx?.ip ?? ''}`,
      limit,
      60_000,
    );
    if (!verdict.allowed) {
      ctx?.set('Retry-After', String(verdict.retryAfterSeconds));
      throw new TooManyRequests();
    }
  };
}
