import {
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import {
  Router,
  RouterLink,
  RouterLinkActive,
  RouterOutlet,
} from '@angular/router';
import {
  BrowserLocation,
  PortalSession,
  toPortalError,
} from '@oneroster/admin-data-access';

interface NavItem {
  readonly label: string;
  /** Relative to the route that shows the shell. */
  readonly path: string;
}

/** Pages anyone may see; every other page needs a role. */
const PUBLIC_PAGES = ['/home', '/overview'];

/**
 * Page frame of the admin portal: skip link, header with the navigation the signed-in
 * account's roles allow, the account and sign-out, and the main landmark.
 */
@Component({
  selector: 'lib-shell',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
})
export class Shell {
  private readonly session = inject(PortalSession);
  private readonly location = inject(BrowserLocation);

  protected readonly title = 'OneRoster Exchange — admin portal';
  protected readonly me = this.session.me;
  protected readonly signOutError = signal<string | null>(null);
  protected readonly navItems = computed<readonly NavItem[]>(() => {
    const roles = this.session.roles();
    const items: NavItem[] = [{ label: 'Home', path: 'home' }];
    if (roles.adminSchools.length > 0) {
      items.push({ label: 'My school', path: 'school' });
    }
    if (roles.developer) {
      items.push({ label: 'Applications', path: 'developer' });
      items.push({ label: 'Webhooks', path: 'developer/webhooks' });
      items.push({ label: 'Sandbox', path: 'developer/sandbox' });
    }
    if (roles.operator) items.push({ label: 'Onboarding', path: 'operator' });
    items.push({ label: 'Overview', path: 'overview' });
    return items;
  });

  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  constructor() {
    void this.session.ensureLoaded();
    // A session that ends while a role's page is open (expired, signed out elsewhere) leads
    // to the sign-in page rather than leaving that page's "not signed in" errors.
    const router = inject(Router);
    effect(() => {
      if (this.session.state().kind !== 'signed-out') return;
      const url = untracked(() => router.url);
      if (!PUBLIC_PAGES.some((page) => url.startsWith(page))) {
        void router.navigateByUrl('/home');
      }
    });
  }

  /**
   * A plain `href="#main-content"` would resolve against `<base href>` and reload the app
   * at `/`, so the skip link moves focus itself.
   */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }

  protected async signOut(): Promise<void> {
    this.signOutError.set(null);
    try {
      this.location.assign(await this.session.signOut());
    } catch (failure) {
      this.signOutError.set(toPortalError(failure).message);
    }
  }
}
