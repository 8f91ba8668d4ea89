import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import {
  provideRouter,
  Router,
  withComponentInputBinding,
} from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ONEROSTER_SCOPES, type SandboxInfo } from '@oneroster/contracts';
import {
  anApplication,
  anApproval,
  aPortalMe,
  PortalSession,
  portalInterceptor,
  requireDeveloper,
} from '@oneroster/admin-data-access';
import { integratorRoutes } from './integrator.routes';

const APPS = '/portal/api/integrators/integrator-1/applications';

describe('integrator routes', () => {
  let http: HttpTestingController;

  async function open(url: string, me = aPortalMe().asDeveloper()) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            {
              path: 'developer',
              canMatch: [requireDeveloper],
              children: integratorRoutes,
            },
            { path: 'home', children: [] },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const loaded = TestBed.inject(PortalSession).ensureLoaded();
    http.expectOne('/portal/api/me').flush(me.build());
    await loaded;
    const harness = await RouterTestingHarness.create(url);
    return { harness, root: harness.routeNativeElement as HTMLElement };
  }

  afterEach(() => http.verify());

  /** Lets the answered reads render, so the components they reveal start theirs. */
  async function rendered(harness: RouterTestingHarness): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    harness.detectChanges();
  }

  it('keeps school administrators out', async () => {
    await open('/developer', aPortalMe().asSchoolAdmin('s1', 'Oak'));
    expect(TestBed.inject(Router).url).toBe('/home');
  });

  it('lists the applications with each school decision, or says there are none', async () => {
    const { harness, root } = await open('/developer');
    expect(root.textContent).toContain('Loading your applications…');
    http
      .expectOne(APPS)
      .flush([
        anApplication()
          .withApproval('s1', 'Oak Academy', 'approved')
          .withApproval('s2', 'Elm Primary', 'pending')
          .build(),
      ]);
    await harness.fixture.whenStable();
    const card = root.querySelector('[data-application="app-1"]');
    expect(card?.textContent).toContain('Oak Academy: approved');
    expect(card?.textContent).toContain('Elm Primary: pending');
    expect(card?.querySelector('a')?.getAttribute('href')).toBe(
      '/developer/applications/app-1',
    );
  });

  it('registers an application and opens it', async () => {
    const { harness, root } = await open('/developer/new');
    const name = root.querySelector<HTMLInputElement>('#app-name')!;
    name.value = 'Homework Hub';
    name.dispatchEvent(new Event('input'));
    root
      .querySelector<HTMLInputElement>(
        `input[value="${ONEROSTER_SCOPES.roster}"]`,
      )!
      .click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const post = http.expectOne({ url: APPS, method: 'POST' });
    expect(post.request.body).toEqual({
      name: 'Homework Hub',
      description: null,
      requestedScopes: [ONEROSTER_SCOPES.roster],
      redirectUris: [],
      booleanFormat: 'json',
    });
    post.flush(anApplication('app-7', 'Homework Hub').build());
    await new Promise((resolve) => setTimeout(resolve));
    expect(TestBed.inject(Router).url).toBe('/developer/applications/app-7');
    http
      .expectOne(APPS)
      .flush([anApplication('app-7', 'Homework Hub').build()]);
    http.expectOne('/portal/api/schools/directory').flush([]);
    await rendered(harness);
    http.expectOne('/portal/api/applications/app-7/credentials').flush([]);
    await harness.fixture.whenStable();
  });

  it('shows the API refusal of a registration beside the fields', async () => {
    const { harness, root } = await open('/developer/new');
    const name = root.querySelector<HTMLInputElement>('#app-name')!;
    name.value = 'Dup';
    name.dispatchEvent(new Event('input'));
    root
      .querySelector<HTMLInputElement>(
        `input[value="${ONEROSTER_SCOPES.roster}"]`,
      )!
      .click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    http.expectOne({ url: APPS, method: 'POST' }).flush(
      {
        statusCode: 400,
        error: 'invalid_request',
        message: 'The application is not valid.',
        fields: { name: 'An application with this name exists.' },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'The application is not valid.',
    );
    expect(root.querySelector('#app-name-error')?.textContent).toContain(
      'An application with this name exists.',
    );
  });

  it('asks a school from the directory for approval', async () => {
    const { harness, root } = await open('/developer/applications/app-1');
    http
      .expectOne(APPS)
      .flush([
        anApplication().withApproval('s1', 'Oak Academy', 'approved').build(),
      ]);
    http.expectOne('/portal/api/schools/directory').flush([
      { id: 's1', name: 'Oak Academy', identifier: null, sandbox: false },
      { id: 's2', name: 'Elm Primary', identifier: null, sandbox: true },
    ]);
    await rendered(harness);
    http.expectOne('/portal/api/applications/app-1/credentials').flush([]);
    await harness.fixture.whenStable();

    const select = root.querySelector<HTMLSelectElement>('#request-school')!;
    expect(
      Array.from(select.options).map((o) => o.textContent?.trim()),
    ).toEqual(['Choose a school…', 'Elm Primary (sandbox)']);
    select.value = 's2';
    select.dispatchEvent(new Event('change'));
    harness.detectChanges();
    Array.from(root.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Request approval')!
      .click();
    const request = http.expectOne(
      '/portal/api/applications/app-1/schools/s2/request',
    );
    expect(request.request.method).toBe('POST');
    request.flush(anApproval('app-1', 's2', 'pending'));
    await new Promise((resolve) => setTimeout(resolve));
    http
      .expectOne(APPS)
      .flush([
        anApplication()
          .withApproval('s1', 'Oak Academy', 'approved')
          .withApproval('s2', 'Elm Primary', 'pending')
          .build(),
      ]);
    await rendered(harness);
    // The credentials panel reads its list again for the refreshed application.
    http
      .match('/portal/api/applications/app-1/credentials')
      .forEach((r) => r.flush([]));
    await harness.fixture.whenStable();
    expect(root.textContent).toContain('Approval requested.');
    expect(root.querySelector('tbody')?.textContent).toContain('Elm Primary');
  });

  it('says when an application is not the developer’s', async () => {
    const { harness, root } = await open('/developer/applications/nope');
    http.expectOne(APPS).flush([anApplication().build()]);
    http.expectOne('/portal/api/schools/directory').flush([]);
    await harness.fixture.whenStable();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'This application does not exist or is not yours.',
    );
  });

  it('shows the sandbox', async () => {
    const { harness, root } = await open('/developer/sandbox');
    const info: SandboxInfo = {
      swaggerUrl: 'http://api.test/docs',
      tokenEndpoint: 'http://auth.test/oidc/token',
      issuer: 'http://auth.test/oidc',
      schools: [
        { id: 's1', name: 'Oak Academy', identifier: null, sandbox: true },
      ],
      clients: [{ clientId: 'sandbox-1', schoolId: 's1' }],
      clientSecret: 'sandbox-secret',
    };
    http.expectOne('/portal/api/sandbox').flush(info);
    await harness.fixture.whenStable();
    expect(
      root.querySelector('a[href="http://api.test/docs"]')?.textContent,
    ).toContain('Swagger UI');
    expect(root.textContent).toContain('sandbox-secret');
    expect(root.querySelector('tbody')?.textContent).toContain('Oak Academy');
  });
});
