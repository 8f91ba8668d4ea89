import { TestBed } from '@angular/core/testing';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { Router } from '@angular/router';
import { App } from './app';
import { appConfig } from './app.config';

describe('App', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [...appConfig.providers, provideHttpClientTesting()],
    });
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lazy-loads the shell at the root, asks who is signed in and offers sign-in', async () => {
    const fixture = TestBed.createComponent(App);
    const router = TestBed.inject(Router);
    const http = TestBed.inject(HttpTestingController);

    await router.navigateByUrl('/');
    fixture.detectChanges();
    expect(router.url).toBe('/home');

    http
      .expectOne('/portal/api/me')
      .flush(
        { statusCode: 401, error: 'not_signed_in', message: 'Sign in.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('header')?.textContent).toContain(
      'OneRoster Exchange — admin portal',
    );
    expect(root.querySelector('main h1')?.textContent).toBe('Sign in');
  });

  it('keeps the overview reachable and checks the default back ends', async () => {
    const fixture = TestBed.createComponent(App);
    const router = TestBed.inject(Router);
    const http = TestBed.inject(HttpTestingController);

    await router.navigateByUrl('/overview');
    fixture.detectChanges();
    http.expectOne('/portal/api/me').flush({}, { status: 401, statusText: '' });
    http.expectOne('http://localhost:3000/health').flush({ version: '1.0.0' });
    http.expectOne('http://localhost:3333/health').flush({ version: '1.0.0' });
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('main h1')?.textContent).toBe('Overview');
    expect(root.querySelector('[data-service="api"]')?.textContent).toContain(
      'up',
    );
  });

  it('sends a signed-out visitor of a role page home', async () => {
    const fixture = TestBed.createComponent(App);
    const router = TestBed.inject(Router);
    const http = TestBed.inject(HttpTestingController);
    const navigated = router.navigateByUrl('/school');
    await new Promise((resolve) => setTimeout(resolve));
    http.expectOne('/portal/api/me').flush({}, { status: 401, statusText: '' });
    await navigated;
    fixture.detectChanges();
    expect(router.url).toBe('/home');
  });
});
