import type { Logger } from '@nestjs/common';
import type Provider from 'oidc-provider';
import { prop } from './client-metadata';

/**
 * The provider's events. Rules enforced:
 * - every issued token and every refused grant or authorization is logged, with client,
 *   school or account, jti, scope and the client's address (client-address.ts), never a
 *   secret or a token; a revoked grant (code or refresh token reused) is a warning;
 * - `iss` is in every authorization response (RFC 9207 lets a server leave it out when the
 *   response carries an ID token, as in hybrid; it is always sent, so a client that checks
 *   only the parameter is protected from mix-ups too).
 */
export function onProviderEvents(
  provider: Provider,
  issuer: string,
  logger: Logger,
): void {
  // The event gets the response parameters before they are sent.
  // (This event is missing from oidc-provider's type definitions.)
  (provider as unknown as NodeJS.EventEmitter).on(
    'authorization.success',
    (_ctx: unknown, out: Record<string, unknown>) => {
      if (out['iss'] === undefined) out['iss'] = issuer;
    },
  );
  provider.on('client_credentials.issued', (token) => {
    logger.log(
      `access token issued: client=${token.clientId} school=${prop(token.client, 'school_id') ?? '-'} ` +
        `jti=${token.jti} scope="${token.scope ?? ''}"`,
    );
  });
  provider.on('access_token.issued', (token) => {
    logger.log(
      `user access token issued: client=${token.clientId} account=${token.accountId ?? '-'} ` +
        `jti=${token.jti} scope="${token.scope ?? ''}"`,
    );
  });
  provider.on('grant.revoked', (_ctx, grantId) => {
    logger.warn(`grant revoked (code or refresh token reused): ${grantId}`);
  });
  provider.on('end_session.success', (ctx) => {
    logger.log(`signed out: client=${ctx.oidc.client?.clientId ?? '-'}`);
  });
  provider.on('grant.error', (ctx, err) => {
    logger.warn(
      `token refused: client=${ctx.oidc?.client?.clientId ?? '-'} ip=${ctx.ip} ` +
        `error=${err.message} ${(err as { error_description?: string }).error_description ?? ''}`.trim(),
    );
  });
  provider.on('authorization.error', (ctx, err) => {
    logger.warn(
      `authorization refused: client=${ctx.oidc?.client?.clientId ?? '-'} ip=${ctx.ip} ` +
        `error=${err.message} ${(err as { error_description?: string }).error_description ?? ''}`.trim(),
    );
  });
  provider.on('server_error', (_ctx, err) => {
    logger.error(`authorization server error: ${err.message}`);
  });
}
