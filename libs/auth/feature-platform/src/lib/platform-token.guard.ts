import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { IntegratorApiScope } from '@oneroster/contracts';
import { findIntegratorClient } from '@oneroster/data-access-auth';
import { PlatformProblem } from '@oneroster/data-access-platform';
import {
  loadSigningKey,
  OIDC_SETTINGS,
  type OidcSettings,
} from '@oneroster/feature-oidc';
import { PLATFORM_SETTINGS, type PlatformSettings } from './platform-settings';

const SCOPE_METADATA = 'platform:scope';

/** The platform scope a route needs. */
export const RequirePlatformScope = (scope: IntegratorApiScope) =>
  SetMetadata(SCOPE_METADATA, scope);

export interface PlatformCallerContext {
  integratorId: string;
  clientId: string;
  scopes: string[];
}

export type PlatformRequest = Request & {
  platformCaller?: PlatformCallerContext;
};

/** The verified caller of a platform route. */
export const Caller = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): PlatformCallerContext =>
    ctx.switchToHttp().getRequest<PlatformRequest>()
      .platformCaller as PlatformCallerContext,
);

/**
 * Who calls the platform API. Rules enforced:
 * - a Bearer access token is required: an RFC 9068 JWT (`typ at+jwt`, ES256) signed by this
 *   server's key, of this issuer, whose `aud` is the platform API (a OneRoster API token is
 *   refused), unexpired; otherwise 401 `invalid_token` with `WWW-Authenticate: Bearer`;
 * - its client must be a live platform credential of the token's integrator, read on every
 *   request: a revoked credential's tokens stop at once (401);
 * - the route's scope must be in the token's `scope`; otherwise 403 `insufficient_scope`.
 */
@Injectable()
export class PlatformTokenGuard implements CanActivate {
  private key: Promise<CryptoKey | Uint8Array> | null = null;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(OIDC_SETTINGS) private readonly oidc: OidcSettings,
    @Inject(PLATFORM_SETTINGS) private readonly settings: PlatformSettings,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<PlatformRequest>();
    const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(
      req.headers.authorization ?? '',
    );
    if (!match)
      throw new PlatformProblem(
        'invalid_token',
        'a Bearer access token of a platform credential is required',
      );
    const jose = await import('jose');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(match[1], await this.publicKey(), {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      }));
    } catch {
      throw new PlatformProblem(
        'invalid_token',
        'the access token is invalid, expired or not for the platform API',
      );
    }
    const clientId = payload['client_id'];
    const integratorId = payload['integrator_id'];
    const client =
      typeof clientId === 'string'
        ? await findIntegratorClient(this.ds, clientId)
        : null;
    if (!client || client.integratorId !== integratorId)
      throw new PlatformProblem(
        'invalid_token',
        'the platform credential of this token is revoked',
      );
    const scopes =
      typeof payload['scope'] === 'string'
        ? payload['scope'].split(' ').filter(Boolean)
        : [];
    const needed = this.reflector.getAllAndOverride<string | undefined>(
      SCOPE_METADATA,
      [ctx.getHandler(), ctx.getClass()],
    );
    // The credential's scopes now, not only when the token was issued.
    if (needed && !(scopes.includes(needed) && client.scopes.includes(needed)))
      throw new PlatformProblem(
        'insufficient_scope',
        `the token lacks the scope ${needed}`,
      );
    req.platformCaller = {
      integratorId: client.integratorId,
      clientId: client.clientId,
      scopes,
    };
    return true;
  }

  private publicKey() {
    return (this.key ??= (async () => {
      const jose = await import('jose');
      const { kty, crv, x, y } = await loadSigningKey(this.oidc);
      return jose.importJWK({ kty, crv, x, y }, 'ES256');
    })());
  }
}
