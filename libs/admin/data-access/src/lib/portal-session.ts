import {
  computed,
  inject,
  Injectable,
  PendingTasks,
  signal,
} from '@angular/core';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import type { PortalError, PortalMe } from '@oneroster/contracts';
import { toPortalError } from './portal-error';
import { portalUrls } from './portal-urls';

/** `loading` until `GET /portal/api/me` answered; then signed in, signed out, or failed. */
export type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'signed-in'; readonly me: PortalMe }
  | { readonly kind: 'error'; readonly error: PortalError };

/** What the signed-in account may see: drives navigation and route guards. */
export interface PortalRoles {
  readonly operator: boolean;
  readonly developer: boolean;
  /** Schools where the account is a school administrator. */
  readonly adminSchools: readonly { id: string; name: string }[];
}

/**
 * Who is signed in. The browser never holds a token: the session is an HttpOnly cookie the
 * portal API set, and this service keeps only what `GET /portal/api/me` said, including the
 * CSRF token every state-changing call must echo.
 */
@Injectable({ providedIn: 'root' })
export class PortalSession {
  private readonly http = inject(HttpClient);
  // The app is not stable until the session is known (tests and `whenStable` wait for it).
  private readonly pendingTasks = inject(PendingTasks);
  private readonly stateSignal = signal<SessionState>({ kind: 'loading' });
  private loaded: Promise<SessionState> | null = null;

  readonly state = this.stateSignal.asReadonly();
  readonly me = computed(() => {
    const s = this.stateSignal();
    return s.kind === 'signed-in' ? s.me : null;
  });
  readonly csrfToken = computed(() => this.me()?.csrfToken ?? null);
  readonly roles = computed<PortalRoles>(() => {
    const me = this.me();
    return {
      operator: me?.operator ?? false,
      developer: !!me?.integrator,
      adminSchools: (me?.schools ?? [])
        .filter((school) => school.roles.includes('school_admin'))
        .map(({ id, name }) => ({ id, name })),
    };
  });

  /** Asks the server once (later calls share the answer); `reload()` asks again. */
  ensureLoaded(): Promise<SessionState> {
    this.loaded ??= this.tracked();
    return this.loaded;
  }

  reload(): Promise<SessionState> {
    this.loaded = this.tracked();
    return this.loaded;
  }

  /** Called when any portal call answered 401: the session ended on the server. */
  markSignedOut(): void {
    this.stateSignal.set({ kind: 'signed-out' });
    this.loaded = Promise.resolve(this.stateSignal());
  }

  /** Where the sign-in button goes; the server redirects back to `returnTo` afterwards. */
  signInUrl(returnTo: string): string {
    // Only a path of this site: `//host` or a full URL would make the sign-in an open redirect.
    const local = /^\/(?![/\\])/.test(returnTo);
    return portalUrls.login(local ? returnTo : '/');
  }

  /** Ends the session on the server; answers the authorization server's end-session URL. */
  async signOut(): Promise<string> {
    const answer = await firstValueFrom(
      this.http.post<{ endSessionUrl: string }>(portalUrls.logout, null),
    );
    this.markSignedOut();
    return answer.endSessionUrl;
  }

  private tracked(): Promise<SessionState> {
    const answer = this.fetch();
    void this.pendingTasks.run(() => answer);
    return answer;
  }

  private async fetch(): Promise<SessionState> {
    this.stateSignal.set({ kind: 'loading' });
    let next: SessionState;
    try {
      const me = await firstValueFrom(this.http.get<PortalMe>(portalUrls.me));
      next = { kind: 'signed-in', me };
    } catch (failure) {
      next =
        failure instanceof HttpErrorResponse && failure.status === 401
          ? { kind: 'signed-out' }
          : { kind: 'error', error: toPortalError(failure) };
    }
    this.stateSignal.set(next);
    return next;
  }
}
