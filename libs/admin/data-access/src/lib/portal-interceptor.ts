import {
  HttpErrorResponse,
  HttpHandlerFn,
  HttpInterceptorFn,
  HttpRequest,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';
import { PORTAL_CSRF_HEADER } from '@oneroster/contracts';
import { PortalSession } from './portal-session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isPortalCall(url: string): boolean {
  return url.startsWith('/portal/');
}

/**
 * For calls to the portal API: state-changing ones carry the session's CSRF token in
 * `X-CSRF-Token` (the API refuses them otherwise), and a 401 from any of them means the
 * session ended, so the portal shows the sign-in page instead of an error.
 */
export const portalInterceptor: HttpInterceptorFn = (
  request: HttpRequest<unknown>,
  next: HttpHandlerFn,
) => {
  if (!isPortalCall(request.url)) return next(request);
  const session = inject(PortalSession);
  const token = session.csrfToken();
  const outgoing =
    !SAFE_METHODS.has(request.method) && token
      ? request.clone({ setHeaders: { [PORTAL_CSRF_HEADER]: token } })
      : request;
  return next(outgoing).pipe(
    tap({
      error: (failure: unknown) => {
        if (
          failure instanceof HttpErrorResponse &&
          failure.status === 401 &&
          !request.url.endsWith('/me')
        ) {
          session.markSignedOut();
        }
      },
    }),
  );
};
