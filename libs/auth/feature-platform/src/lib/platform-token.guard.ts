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
import {
  isSchoolPlatformScope,
  type IntegratorApiScope,
  type SchoolPlatformScope,
} from '@oneroster/contracts';
import {
  findIntegratorClient,
  findStoredClient,
  isIntegratorClientId,
} from '@oneroster/data-access-auth';
import { PlatformProblem } from '@oneroster/data-access-platform';
import {
  loadSigningKey,
  OIDC_SETTINGS,
  type OidcSettings,
} from '@oneroster/feature-oidc';
import { PLATFORM_SETTINGS, type PlatformSettings } from './platform-settings';

const SCOPE_METADATA = 'platform:scope';

/** The platform scope a route needs: an integrator's, or a school's (its MIS). */
export const RequirePlatformScope = (
  scope: IntegratorApiScope | SchoolPlatformScope,
) => SetMetadata(SCOPE_METADATA, scope);

export interface PlatformCallerContext {
  /** `integrator`: a platform credential; `school`: a school's own client (its MIS). */
  kind: 'integrator' | 'school';
  /** The integrator of the credential, or of the school client's application. */
  integratorId: string;
  clientId: string;
  /** The client's name (the integrator's, or the school client's application's). */
  clientName: string;
  /** The school of a school client; null for an integrator's credential. */
  schoolId: string | null;
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
 * - its client must be a live platform credential of the token's integrator, or a live
 *   school client of the token's `school_id` whose school approves its application (a
 *   school's MIS), read on every request: a revoked credential's or client's tokens, and a
 *   school client's once its application is revoked, stop at once (401);
 * - the route's scope must be in the token's `scope` and still held by the client now (a
 *   school client: the platform scopes its school granted it); integrator scopes are for
 *   integrator credentials, school scopes for school clients; otherwise 403
 *   `insufficient_scope`.
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
    const caller = await this.callerOf(payload);
    const needed = this.reflector.getAllAndOverride<string | undefined>(
      SCOPE_METADATA,
      [ctx.getHandler(), ctx.getClass()],
    );
    const scopes =
      typeof payload['scope'] === 'string'
        ? payload['scope'].split(' ').filter(Boolean)
        : [];
    // The client's scopes now, not only when the token was issued; and each kind of caller
    // its own kind of scope.
    if (
      needed &&
      !(
        scopes.includes(needed) &&
        caller.held.includes(needed) &&
        isSchoolPlatformScope(needed) === (caller.kind === 'school')
      )
    )
      throw new PlatformProblem(
        'insufficient_scope',
        `the token lacks the scope ${needed}`,
      );
    req.platformCaller = { ...caller.context, kind: caller.kind, scopes };
    return true;
  }

  /** The live client behind a verified token, and the scopes it holds now. */
  private async callerOf(payload: Record<string, unknown>): Promise<{
    kind: 'integrator' | 'school';
    held: string[];
    context: Omit<PlatformCallerContext, 'kind' | 'scopes'>;
  }> {
    const clientId = payload['client_id'];
    const revoked = () =>
      new PlatformProblem(
        'invalid_token',
        'the platform credential of this token is revoked',
      );
    if (typeof clientId !== 'string') throw revoked();
    if (isIntegratorClientId(clientId)) {
      const client = await findIntegratorClient(this.ds, clientId);
      if (!client || client.integratorId !== payload['integrator_id'])
        throw revoked();
      return {
        kind: 'integrator',
        held: client.scopes,
        context: {
          integratorId: client.integratorId,
          clientId: client.clientId,
          clientName: client.integratorName,
          schoolId: null,
        },
      };
    }
    // A school client (its MIS): live, of the token's school, its application approved.
    const client = await findStoredClient(this.ds, clientId);
    if (
      !client ||
      !client.schoolId ||
      client.schoolId !== payload['school_id'] ||
      client.approvalStatus !== 'approved'
    )
      throw revoked();
    return {
      kind: 'school',
      held: client.platformScopes,
      context: {
        integratorId: client.integratorId,
        clientId: client.clientId,
        clientName: client.applicationName,
        schoolId: client.schoolId,
      },
    };
  }

  private publicKey() {
    return (this.key ??= (async () => {
      const jose = await import('jose');
      const { kty, crv, x, y } = await loadSigningKey(this.oidc);
      return jose.importJWK({ kty, crv, x, y }, 'ES256');
    })());
  }
}
