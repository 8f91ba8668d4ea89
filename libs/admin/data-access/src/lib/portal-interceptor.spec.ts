import { TestBed } from '@angular/core/testing';
import {
  HttpClient,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { firstValueFrom } from 'rxjs';
import type { PortalMe } from '@oneroster/contracts';
import { aPortalMe } from './testing/builders';
import { portalInterceptor } from './portal-interceptor';
import { PortalSession } from './portal-session';
import { PortalApi } from './portal-api';
import { toPortalError } from './portal-error';

describe('portal session and interceptor', () => {
  let http: HttpTestingController;
  let session: PortalSession;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    session = TestBed.inject(PortalSession);
  });

  afterEach(() => http.verify());

  async function signIn(me: PortalMe): Promise<void> {
    const loaded = session.ensureLoaded();
    http.expectOne('/portal/api/me').flush(me);
    await loaded;
  }

  it('is signed out when /me answers 401, and signed in with roles otherwise', async () => {
    const loaded = session.ensureLoaded();
    expect(session.state().kind).toBe('loading');
    http
      .expectOne('/portal/api/me')
      .flush(
        { statusCode: 401, error: 'not_signed_in', message: 'Sign in.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    expect((await loaded).kind).toBe('signed-out');

    const again = session.reload();
    http
      .expectOne('/portal/api/me')
      .flush(
        aPortalMe()
          .asOperator()
          .asSchoolAdmin('s1', 'One')
          .asSchoolAdmin('s2', 'Two', ['teacher'])
          .build(),
      );
    expect((await again).kind).toBe('signed-in');
    expect(session.roles()).toEqual({
      operator: true,
      developer: false,
      adminSchools: [{ id: 's1', name: 'One' }],
    });
  });

  it('reports a server failure of /me as an error, not as signed out', async () => {
    const loaded = session.ensureLoaded();
    http.expectOne('/portal/api/me').flush('<html>bad gateway</html>', {
      status: 502,
      statusText: 'Bad Gateway',
    });
    const state = await loaded;
    expect(state).toEqual({
      kind: 'error',
      error: expect.objectContaining({ statusCode: 502 }),
    });
  });

  it('adds the CSRF header to state-changing portal calls only', async () => {
    await signIn(aPortalMe().build());
    const client = TestBed.inject(HttpClient);

    void firstValueFrom(client.get('/portal/api/sandbox'));
    const get = http.expectOne('/portal/api/sandbox');
    expect(get.request.headers.has('X-CSRF-Token')).toBe(false);
    get.flush({});

    void firstValueFrom(client.post('/portal/api/integrators', {}));
    const post = http.expectOne('/portal/api/integrators');
    expect(post.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    post.flush({});

    void firstValueFrom(client.post('http://elsewhere.test/x', {}));
    const foreign = http.expectOne('http://elsewhere.test/x');
    expect(foreign.request.headers.has('X-CSRF-Token')).toBe(false);
    foreign.flush({});
  });

  it('turns a 401 from any portal call into "signed out"', async () => {
    await signIn(aPortalMe().build());
    const api = TestBed.inject(PortalApi);
    const call = api.revoke('s1', 'app-1');
    http
      .expectOne('/portal/api/schools/s1/applications/app-1/revoke')
      .flush(
        { statusCode: 401, error: 'not_signed_in', message: 'Session ended.' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(call).rejects.toEqual({
      statusCode: 401,
      error: 'not_signed_in',
      message: 'Session ended.',
    });
    expect(session.state().kind).toBe('signed-out');
  });

  it('signs out with a POST and answers the end-session URL', async () => {
    await signIn(aPortalMe().build());
    const out = session.signOut();
    const request = http.expectOne('/portal/auth/logout');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    request.flush({ endSessionUrl: 'http://auth.test/oidc/session/end' });
    await expect(out).resolves.toBe('http://auth.test/oidc/session/end');
    expect(session.state().kind).toBe('signed-out');
  });

  it('builds the sign-in URL with a local returnTo only', () => {
    expect(session.signInUrl('/school/s1/applications')).toBe(
      '/portal/auth/login?returnTo=%2Fschool%2Fs1%2Fapplications',
    );
    for (const foreign of [
      'https://evil.test/',
      '//evil.test/x',
      '/\\evil.test',
    ]) {
      expect(session.signInUrl(foreign)).toBe(
        '/portal/auth/login?returnTo=%2F',
      );
    }
  });
});

describe('toPortalError', () => {
  it('keeps a PortalError body, names network failures and bare statuses', () => {
    expect(
      toPortalError({ statusCode: 409, error: 'conflict', message: 'Taken.' }),
    ).toEqual({ statusCode: 409, error: 'conflict', message: 'Taken.' });
    expect(toPortalError(new Error('boom'))).toEqual({
      statusCode: 0,
      error: 'unexpected',
      message: 'boom',
    });
  });
});
