import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import { App } from './app';
import { appRoutes } from './app.routes';

describe('App', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideRouter(
          appRoutes({ api: 'http://api.test', auth: 'http://auth.test' }),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lazy-loads the shell at the root, lands on the overview and checks the given back ends', async () => {
    const fixture = TestBed.createComponent(App);
    const router = TestBed.inject(Router);

    await router.navigateByUrl('/');
    fixture.detectChanges();

    expect(router.url).toBe('/overview');
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('header')?.textContent).toContain(
      'OneRoster Exchange — admin portal',
    );
    expect(root.querySelector('main h1')?.textContent).toBe('Overview');

    const http = TestBed.inject(HttpTestingController);
    http.expectOne('http://api.test/health').flush({ version: '1.0.0' });
    http.expectOne('http://auth.test/health').flush({ version: '1.0.0' });
    await fixture.whenStable();
    expect(root.querySelector('[data-service="api"]')?.textContent).toContain(
      'up',
    );
  });
});
