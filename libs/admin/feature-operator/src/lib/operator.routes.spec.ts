import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
  requireOperator,
} from '@oneroster/admin-data-access';
import { operatorRoutes } from './operator.routes';

describe('operator routes', () => {
  let http: HttpTestingController;

  async function open(url: string, me = aPortalMe().asOperator()) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          {
            path: 'operator',
            canMatch: [requireOperator],
            children: operatorRoutes,
          },
          { path: 'home', children: [] },
        ]),
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

  it('keeps developers out', async () => {
    await open('/operator', aPortalMe().asDeveloper());
    expect(TestBed.inject(Router).url).toBe('/home');
  });

  it('onboards an integrator', async () => {
    const { harness, root } = await open('/operator');
    expect(TestBed.inject(Router).url).toBe('/operator/integrators');
    http.expectOne({ url: '/portal/api/integrators', method: 'GET' }).flush([]);
    await harness.fixture.whenStable();
    expect(root.textContent).toContain('No integrator yet.');

    const name = root.querySelector<HTMLInputElement>('#integrator-name')!;
    name.value = 'Homework Hub Ltd';
    name.dispatchEvent(new Event('input'));
    const email = root.querySelector<HTMLInputElement>('#integrator-email')!;
    email.value = 'dev@homework.example.com';
    email.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const post = http.expectOne({
      url: '/portal/api/integrators',
      method: 'POST',
    });
    expect(post.request.body).toEqual({
      name: 'Homework Hub Ltd',
      website: null,
      contactEmail: 'dev@homework.example.com',
    });
    post.flush({
      id: 'i2',
      name: 'Homework Hub Ltd',
      website: null,
      contactEmail: 'dev@homework.example.com',
    });
    await new Promise((resolve) => setTimeout(resolve));
    http.expectOne({ url: '/portal/api/integrators', method: 'GET' }).flush([
      {
        id: 'i2',
        name: 'Homework Hub Ltd',
        website: null,
        contactEmail: 'dev@homework.example.com',
      },
    ]);
    await harness.fixture.whenStable();
    expect(root.querySelector('[role="status"]')?.textContent).toContain(
      'Homework Hub Ltd is onboarded.',
    );
  });

  it('onboards a school, requiring its org sourcedId', async () => {
    const { harness, root } = await open('/operator/schools');
    http.expectOne({ url: '/portal/api/schools', method: 'GET' }).flush([]);
    await harness.fixture.whenStable();
    const name = root.querySelector<HTMLInputElement>('#school-name')!;
    name.value = 'Ash School';
    name.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    harness.detectChanges();
    expect(root.textContent).toContain('Fill in the required fields.');
    http.expectNone({ url: '/portal/api/schools', method: 'POST' });

    const org = root.querySelector<HTMLInputElement>('#school-org')!;
    org.value = 'org-ash';
    org.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const post = http.expectOne({ url: '/portal/api/schools', method: 'POST' });
    expect(post.request.body).toEqual({
      name: 'Ash School',
      identifier: null,
      orgSourcedId: 'org-ash',
      sandbox: false,
    });
    post.flush({
      id: 's3',
      name: 'Ash School',
      identifier: null,
      sandbox: false,
    });
    await new Promise((resolve) => setTimeout(resolve));
    http.expectOne({ url: '/portal/api/schools', method: 'GET' }).flush([]);
    await harness.fixture.whenStable();
  });
});
