import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import {
  messagePage,
  originOf,
  setPageHeaders,
  signOutPage,
} from '../sign-in/pages';

/**
 * The HTML the provider itself serves. Rules enforced:
 * - RP-initiated logout (with `id_token_hint`) asks on our confirm page, whose form may post
 *   only to the requested post-logout URI's origin, and ends on our "signed out" page;
 * - browser-facing errors that cannot go back to a client (unknown client, unregistered
 *   redirect URI, expired interaction) are a page, never a redirect, without internals;
 * - oidc-provider's own HTML (the form_post response page): no framing, scripts only by
 *   hash (it adds the hash of its auto-submit script), no form-action (which would stop the
 *   post to the client's redirect URI), nosniff, no referrer.
 */

type Features = NonNullable<Configuration['features']>;

export function logoutPages(
  secure: boolean,
): NonNullable<Features['rpInitiatedLogout']> {
  return {
    enabled: true,
    logoutSource: (ctx, form) => {
      const nonce = setPageHeaders(ctx, {
        secure,
        formTargets: [
          originOf(
            (ctx.oidc.params as Record<string, unknown> | undefined)?.[
              'post_logout_redirect_uri'
            ],
          ),
        ],
      });
      ctx.type = 'html';
      ctx.body = signOutPage(nonce, form, ctx.oidc.client?.clientName ?? null);
    },
    postLogoutSuccessSource: (ctx) => {
      const nonce = setPageHeaders(ctx, { secure });
      ctx.type = 'html';
      ctx.body = messagePage(
        nonce,
        'Signed out',
        'You have signed out. You can close this window.',
      );
    },
  };
}

export function errorPage(
  secure: boolean,
): NonNullable<Configuration['renderError']> {
  return (ctx, out) => {
    const nonce = setPageHeaders(ctx, { secure });
    ctx.type = 'html';
    ctx.body = messagePage(
      nonce,
      'Sign-in error',
      `${out.error}: ${out.error_description ?? 'the request was refused'}`,
    );
  };
}

export function useResponseHeaders(provider: Provider): void {
  provider.use(async (ctx, next) => {
    ctx.set(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    await next();
  });
}
