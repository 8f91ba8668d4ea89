import type Provider from 'oidc-provider';
import {
  compileTrust,
  resolveClientAddress,
  trustsPeer,
} from '@oneroster/util-web-hygiene';
import type { OidcSettings } from '../oidc-settings';

/**
 * The client's address as the provider sees it (token rate limit, logs). Rules enforced:
 * - the address is derived as for the Express routes (@oneroster/util-web-hygiene, from
 *   `trustProxy`): an untrusted X-Forwarded-For is ignored, a trusted one read only as far
 *   as the trusted hops go (Koa's own reading would believe the first entry, which the
 *   client writes);
 * - X-Forwarded-Proto/-Host count only from a trusted peer.
 */
export function useClientAddress(
  provider: Provider,
  trustProxy: OidcSettings['trustProxy'],
): void {
  const trust = compileTrust(trustProxy);
  provider.proxy = trustProxy !== false;
  provider.use(async (ctx, next) => {
    ctx.request.ip = resolveClientAddress(ctx.req, trust);
    if (provider.proxy && !trustsPeer(ctx.req, trust)) {
      delete ctx.req.headers['x-forwarded-proto'];
      delete ctx.req.headers['x-forwarded-host'];
    }
    await next();
  });
}
