import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { aPortalMe } from '@oneroster/admin-data-access';
import { Home } from './home';

describe('Home', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function render() {
    const fixture = TestBed.createComponent(Home);
    fixture.detectChanges();
    return fixture;
  }

  it('offers sign-in through the portal server when nobody is signed in', async () => {
    const fixture = await render();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.textContent).toContain('Checking whether you are signed in…');
    http
      .expectOne('/portal/api/me')
      .flush(
        { statusCode: 401, error: 'not_signed_in', message: 'Sign in.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await fixture.whenStable();
    const signIn = root.querySelector('[data-testid="sign-in"]');
    expect(signIn?.getAttribute('href')).toBe(
      '/portal/auth/login?returnTo=%2Fhome',
    );
  });

  it('says when the server cannot tell, and asks again on request', async () => {
    const fixture = await render();
    const root = fixture.nativeElement as HTMLElement;
    http.expectOne('/portal/api/me').error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'could not reach the server',
    );
    root.querySelector<HTMLButtonElement>('[role="alert"] button')?.click();
    http
      .expectOne('/portal/api/me')
      .flush(aPortalMe().asSchoolAdmin('s1', 'Oak Academy').build());
    await fixture.whenStable();
    const link = root.querySelector('a[href="/school/s1/home"]');
    expect(link?.textContent).toContain('Oak Academy');
  });
});
