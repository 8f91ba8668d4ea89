import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Component } from '@angular/core';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import type { PortalMe } from '@oneroster/contracts';
import {
  aPortalMe,
  BrowserLocation,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { Shell } from './shell';

@Component({ template: '<p>page content</p>' })
class StubPage {}

describe('Shell', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let root: HTMLElement;
  const assign = jest.fn<void, [string]>();

  async function render(me: PortalMe | null): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          {
            path: '',
            component: Shell,
            children: [{ path: '**', component: StubPage }],
          },
        ]),
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
        { provide: BrowserLocation, useValue: { assign } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create('/overview');
    const answer = http.expectOne('/portal/api/me');
    if (me) answer.flush(me);
    else
      answer.flush(
        { statusCode: 401, error: 'not_signed_in', message: 'Sign in.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await harness.fixture.whenStable();
    harness.detectChanges();
    root = harness.fixture.nativeElement as HTMLElement;
  }

  const navLabels = () =>
    Array.from(root.querySelectorAll('nav[aria-label="Main"] a')).map((a) =>
      a.textContent?.trim(),
    );

  afterEach(() => {
    http.verify();
    assign.mockReset();
  });

  it('renders the portal name, a labelled navigation and the main landmark', async () => {
    await render(null);
    expect(root.querySelector('header')?.textContent).toContain(
      'OneRoster Exchange — admin portal',
    );
    const overview = Array.from(root.querySelectorAll('nav a')).find(
      (a) => a.textContent?.trim() === 'Overview',
    );
    expect(overview?.getAttribute('href')).toBe('/overview');
    expect(overview?.getAttribute('aria-current')).toBe('page');
    expect(root.querySelector('main')?.textContent).toContain('page content');
  });

  it('shows only public pages and no account when nobody is signed in', async () => {
    await render(null);
    expect(navLabels()).toEqual(['Home', 'Overview']);
    expect(root.querySelector('[data-testid="account"]')).toBeNull();
  });

  it('shows each role its own places', async () => {
    await render(aPortalMe().asSchoolAdmin('s1', 'Oak Academy').build());
    expect(navLabels()).toEqual(['Home', 'My school', 'Overview']);
  });

  it('shows a developer the applications and the sandbox, an operator onboarding', async () => {
    await render(aPortalMe().asDeveloper().asOperator().build());
    expect(navLabels()).toEqual([
      'Home',
      'Applications',
      'Webhooks',
      'Sandbox',
      'Onboarding',
      'Overview',
    ]);
  });

  it('shows the account and signs out through the server, then ends the session at the issuer', async () => {
    await render(aPortalMe().asSchoolAdmin('s1', 'Oak Academy').build());
    expect(
      root.querySelector('[data-testid="account"]')?.textContent,
    ).toContain('Ada Admin');
    root.querySelector<HTMLButtonElement>('button.sign-out')?.click();
    const logout = http.expectOne('/portal/auth/logout');
    expect(logout.request.method).toBe('POST');
    expect(logout.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    logout.flush({ endSessionUrl: 'http://auth.test/oidc/session/end?x=1' });
    await harness.fixture.whenStable();
    expect(assign).toHaveBeenCalledWith(
      'http://auth.test/oidc/session/end?x=1',
    );
  });

  it('goes to the sign-in page when the session ends on a role page', async () => {
    await render(aPortalMe().asSchoolAdmin('s1', 'Oak Academy').build());
    await harness.navigateByUrl('/school/s1/applications');
    TestBed.inject(PortalSession).markSignedOut();
    await harness.fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/home');
  });

  it('has a skip link that moves focus to the main landmark without navigating', async () => {
    await render(null);
    const skip = root.querySelector<HTMLAnchorElement>('a.skip-link');
    expect(skip?.textContent?.trim()).toBe('Skip to main content');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    skip?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(root.querySelector('main'));
  });
});
