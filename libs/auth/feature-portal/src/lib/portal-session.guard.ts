import { timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
} from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { PORTAL_CSRF_HEADER } from '@oneroster/contracts';
import {
  loadActor,
  PortalProblem,
  PortalSessions,
  type PortalActor,
} from '@oneroster/data-access-portal';
import type { PortalSessionEntity } from '@oneroster/entities';
import { clientAddress } from '@oneroster/util-web-hygiene';
import { PORTAL_SESSION_COOKIE, readCookie } from './cookies';
import { PORTAL_SETTINGS, type PortalSettings } from './portal-settings';

export interface PortalRequest extends Request {
  portal?: { actor: PortalActor; session: PortalSessionEntity };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Every /portal/api route: a live session (401 `not_signed_in` otherwise) of an enabled
 * account. A state-changing request must also carry the session's CSRF token in
 * X-CSRF-Token, and its Origin header, when present, must be the admin portal's origin
 * (403 `csrf` otherwise): the SameSite=Lax cookie alone would not stop a same-site attacker.
 */
@Injectable()
export class PortalSessionGuard implements CanActivate {
  private readonly adminOrigin: string;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(PortalSessions) private readonly sessions: PortalSessions,
    @Inject(PORTAL_SETTINGS) settings: PortalSettings,
  ) {
    this.adminOrigin = new URL(settings.adminPublicUrl).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PortalRequest>();
    const session = await this.sessions.resolve(
      readCookie(req, PORTAL_SESSION_COOKIE),
    );
    const actor =
      session?.accountId &&
      (await loadActor(this.ds, session.accountId, clientAddress(req)));
    if (!session || !actor)
      throw new PortalProblem('not_signed_in', 'sign in to use the portal');
    if (!SAFE_METHODS.has(req.method)) {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== this.adminOrigin)
        throw new PortalProblem('csrf', 'request from another origin refused');
      const token = req.header(PORTAL_CSRF_HEADER);
      if (!token || !sameToken(token, session.csrfToken))
        throw new PortalProblem(
          'csrf',
          `missing or wrong ${PORTAL_CSRF_HEADER} header`,
        );
    }
    req.portal = { actor, session };
    return true;
  }
}

/** The signed-in caller of a guarded portal route. */
export const Actor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PortalActor => {
    const req = context.switchToHttp().getRequest<PortalRequest>();
    if (!req.portal)
      throw new PortalProblem('not_signed_in', 'sign in to use the portal');
    return req.portal.actor;
  },
);
