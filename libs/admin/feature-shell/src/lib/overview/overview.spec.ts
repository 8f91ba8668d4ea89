import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideBackendUrls } from '../backend-urls';
import { Overview } from './overview';

const API_HEALTH = 'http://api.test/health';
const AUTH_HEALTH = 'http://auth.test/health';

describe('Overview', () => {
  let fixture: ComponentFixture<Overview>;
  let http: HttpTestingController;

  /** Text of the status entry for one service, whitespace collapsed. */
  function statusOf(service: 'api' | 'auth'): string {
    const row = (fixture.nativeElement as HTMLElement).querySelector(
      `[data-service="${service}"] dd`,
    );
    return row?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  function recheckButton(): HTMLButtonElement {
    return (fixture.nativeElement as HTMLElement).querySelector(
      'button',
    ) as HTMLButtonElement;
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [Overview],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        // Trailing slash on purpose: it must not produce `//health`.
        provideBackendUrls({
          api: 'http://api.test',
          auth: 'http://auth.test/',
        }),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Overview);
    // Renders and starts both health checks; whenStable() would wait for the answers.
    fixture.detectChanges();
  });

  afterEach(() => http.verify());

  it('explains the portal to both audiences', () => {
    const text = (fixture.nativeElement as HTMLElement).textContent ?? '';
    expect(text).toContain('School administrators');
    expect(text).toContain('Integrator developers');
    http.match(() => true).forEach((request) => request.flush({}));
  });

  it('shows "checking…" for both services while the requests are open', () => {
    expect(statusOf('api')).toBe('checking…');
    expect(statusOf('auth')).toBe('checking…');
    expect(recheckButton().disabled).toBe(true);
    http.match(() => true).forEach((request) => request.flush({}));
  });

  it('shows "up" with the version, or "unreachable", per service', async () => {
    const api = http.expectOne(API_HEALTH);
    expect(api.request.method).toBe('GET');
    api.flush({ status: 'ok', service: 'api', version: '1.4.2' });
    http
      .expectOne(AUTH_HEALTH)
      .error(new ProgressEvent('error'), { status: 0, statusText: '' });
    await fixture.whenStable();

    expect(statusOf('api')).toBe('up, version 1.4.2');
    expect(statusOf('auth')).toBe('unreachable');
    expect(recheckButton().disabled).toBe(false);
  });

  it('shows "up" without a version when the answer has none', async () => {
    http.expectOne(API_HEALTH).flush({ status: 'ok' });
    http.expectOne(AUTH_HEALTH).flush(null);
    await fixture.whenStable();

    expect(statusOf('api')).toBe('up');
    expect(statusOf('auth')).toBe('up');
  });

  it('treats an HTTP error status as "unreachable"', async () => {
    http.expectOne(API_HEALTH).flush('Service Unavailable', {
      status: 503,
      statusText: 'Service Unavailable',
    });
    http.expectOne(AUTH_HEALTH).flush({ version: '0.1.0' });
    await fixture.whenStable();

    expect(statusOf('api')).toBe('unreachable');
    expect(statusOf('auth')).toBe('up, version 0.1.0');
  });

  it('checks again on request', async () => {
    http
      .expectOne(API_HEALTH)
      .error(new ProgressEvent('error'), { status: 0, statusText: '' });
    http.expectOne(AUTH_HEALTH).flush({ version: '0.1.0' });
    await fixture.whenStable();
    expect(statusOf('api')).toBe('unreachable');

    recheckButton().click();
    fixture.detectChanges();
    expect(statusOf('api')).toBe('checking…');

    http.expectOne(API_HEALTH).flush({ version: '1.0.0' });
    http.expectOne(AUTH_HEALTH).flush({ version: '0.1.0' });
    await fixture.whenStable();
    expect(statusOf('api')).toBe('up, version 1.0.0');
    expect(statusOf('auth')).toBe('up, version 0.1.0');
  });
});
