import { inject } from '@angular/core';
import { CanMatchFn, Router } from '@angular/router';
import { PortalRoles, PortalSession } from './portal-session';

/**
 * A route guard that waits for the session and lets the route match only for accounts with
 * the role; others land on the home page (which shows sign-in when nobody is signed in).
 */
export function requireRole(
  allowed: (roles: PortalRoles) => boolean,
): CanMatchFn {
  return async () => {
    const session = inject(PortalSession);
    const router = inject(Router);
    const state = await session.ensureLoaded();
    if (state.kind === 'signed-in' && allowed(session.roles())) return true;
    return router.parseUrl('/home');
  };
}

export const requireSchoolAdmin = requireRole(
  (roles) => roles.adminSchools.length > 0,
);
export const requireDeveloper = requireRole((roles) => roles.developer);
export const requireOperator = requireRole((roles) => roles.operator);
export const requireSignedIn = requireRole(() => true);
