import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_ROUTE_METADATA } from '@oneroster/contracts';
import {
  ForbiddenError,
  UnauthorisedRequestError,
} from '@oneroster/util-oneroster-query';
import { ApprovedSchools } from './approvals';
import type { Principal } from './principal';
import { schoolsForRoute } from './school-scopes';

/**
 * Access control for every route (registered as APP_GUARD). Rules enforced:
 * - deny by default: a route needs either the public marker or `@RequireScopes(...)`;
 * - 401 when the token is missing or does not verify, 403 when it lacks every scope the
 *   route accepts (any one of them suffices);
 * - scopes are per school: the token's schools are cut down to those whose live approval of
 *   its client includes the route's scope (see `schoolsForRoute` and `ApprovedSchools`);
 *   403 when no school approves the client any more, or when every school of the token that
 *   approves it lacks the route's scope.
 */
export const SCOPES_METADATA = 'oneroster:scopes';

/** The route accepts a token holding any one of these scopes. */
export const RequireScopes = (...anyOf: string[]) =>
  SetMetadata(SCOPES_METADATA, anyOf);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    ctx.switchToHttp().getRequest<{ user: Principal }>().user,
);

const TokenGuard = AuthGuard('oneroster-token');

@Injectable()
export class OneRosterAuthGuard implements CanActivate {
  private readonly token = new TokenGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly approvals: ApprovedSchools,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets)
    )
      return true;
    const anyOf = this.reflector.getAllAndOverride<string[] | undefined>(
      SCOPES_METADATA,
      targets,
    );
    if (!anyOf) throw new ForbiddenError('This endpoint is not available');
    try {
      await this.token.canActivate(context);
    } catch {
      throw new UnauthorisedRequestError(
        'A valid bearer access token is required',
      );
    }
    const principal = context
      .switchToHttp()
      .getRequest<{ user?: Principal }>().user;
    if (!principal)
      throw new UnauthorisedRequestError(
        'A valid bearer access token is required',
      );
    const routeScopes = anyOf.join(' or ');
    if (!anyOf.some((s) => principal.scopes.includes(s)))
      throw new ForbiddenError(
        `The access token lacks the scope this endpoint needs: ${routeScopes}`,
      );
    const approvals = principal.clientId
      ? await this.approvals.approvedScopesOf(principal.clientId)
      : new Map<string, ReadonlySet<string>>();
    const decision = schoolsForRoute(principal, anyOf, approvals);
    if ('refused' in decision)
      throw new ForbiddenError(
        decision.refused === 'school-scope'
          ? `No school of the access token approves this client for the scope this endpoint needs: ${routeScopes}`
          : 'No school approves this client (its approval may have been revoked)',
      );
    principal.schoolIds = decision.served;
    return true;
  }
}
