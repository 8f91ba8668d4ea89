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
  withRouterConfig,
} from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { AuditEventView, IntegratorUsageView } from '@oneroster/contracts';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
  requireSchoolAdmin,
} from '@oneroster/admin-data-access';
import { schoolRoutes } from './school.routes';

const API = '/portal/api/schools';

describe('school routes', () => {
  let http: HttpTestingController;

  async function signInAndOpen(url: string, me = aPortalMe()) {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            {
              path: 'school',
              canMatch: [requireSchoolAdmin],
              children: schoolRoutes,
            },
            { path: 'home', children: [] },
          ],
          withComponentInputBinding(),
          withRouterConfig({ paramsInheritanceStrategy: 'always' }),
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

  it('opens the first administered school, with a picker when there are several', async () => {
    const { harness, root } = await signInAndOpen(
      '/school',
      aPortalMe()
        .asSchoolAdmin('s1', 'Oak Academy')
        .asSchoolAdmin('s9', 'Birch School', ['teacher'])
        .asSchoolAdmin('s2', 'Elm Primary'),
    );
    const router = TestBed.inject(Router);
    expect(router.url).toBe('/school/s1/applications');
    http.expectOne(`${API}/s1/applications`).flush([]);
    await harness.fixture.whenStable();

    const picker = root.querySelector<HTMLSelectElement>('#school-picker');
    expect(
      Array.from(picker?.options ?? []).map((o) => o.textContent?.trim()),
    ).toEqual(['Oak Academy', 'Elm Primary']);
    expect(root.querySelector('label[for="school-picker"]')?.textContent).toBe(
      'School',
    );
    const tabs = Array.from(
      root.querySelectorAll('nav[aria-label="School"] a'),
    );
    expect(tabs.map((a) => a.textContent?.trim())).toEqual([
      'Applications',
      'Audit trail',
      'Usage',
      'CSV import',
    ]);
    expect(tabs[0].getAttribute('aria-current')).toBe('page');

    picker!.value = 's2';
    picker!.dispatchEvent(new Event('change'));
    await new Promise((resolve) => setTimeout(resolve));
    expect(router.url).toBe('/school/s2/applications');
    http.expectOne(`${API}/s2/applications`).flush([]);
  });

  it('keeps other roles out', async () => {
    await signInAndOpen('/school', aPortalMe().asDeveloper());
    expect(TestBed.inject(Router).url).toBe('/home');
  });

  it('says so for a school the account does not administer', async () => {
    const { root } = await signInAndOpen(
      '/school/s7/audit',
      aPortalMe().asSchoolAdmin('s1', 'Oak Academy'),
    );
    expect(root.querySelector('h1')?.textContent).toBe('School not found');
  });

  it('pages the audit trail from the newest', async () => {
    const { harness, root } = await signInAndOpen(
      '/school/s1/audit',
      aPortalMe().asSchoolAdmin('s1', 'Oak Academy'),
    );
    const event = (id: number): AuditEventView => ({
      id,
      occurredAt: '2026-01-01T10:00:00.000Z',
      actor: { id: 'a1', email: 'admin@oak.test', displayName: 'Ada Admin' },
      actorClient: null,
      actorType: 'account',
      actorIp: '203.0.113.9',
      action: 'approval.approved',
      targetType: 'approval',
      targetId: 'ap1',
      schoolId: 's1',
      details: { scopes: ['x', 'y'] },
    });
    const first = http.expectOne((r) => r.url === `${API}/s1/audit`);
    expect(first.request.params.get('limit')).toBe('50');
    expect(first.request.params.has('before')).toBe(false);
    const byMis: AuditEventView = {
      ...event(51),
      actor: null,
      actorClient: { clientId: 'mis-1', name: 'MIS gradebook collector' },
      actorType: 'client',
      action: 'import.started',
    };
    first.flush([
      ...Array.from({ length: 49 }, (_, i) => event(100 - i)),
      byMis,
    ]);
    await harness.fixture.whenStable();
    const rows = root.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(50);
    expect(rows[0]?.textContent).toContain('Ada Admin');
    expect(rows[0]?.textContent).toContain('from 203.0.113.9');
    expect(rows[0]?.textContent).toContain('x, y');
    // An import by the school's MIS names the client, not an account.
    expect(rows[49]?.textContent).toContain(
      'MIS gradebook collector (client mis-1)',
    );

    Array.from(root.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Older')!
      .click();
    harness.detectChanges();
    const older = http.expectOne((r) => r.url === `${API}/s1/audit`);
    expect(older.request.params.get('before')).toBe('51');
    older.flush([]);
    await harness.fixture.whenStable();
    expect(root.textContent).toContain(
      'Nothing has happened at this school yet.',
    );
  });

  it('shows usage per integrator and a failed load', async () => {
    const { harness, root } = await signInAndOpen(
      '/school/s1/usage',
      aPortalMe().asSchoolAdmin('s1', 'Oak Academy'),
    );
    const usage: IntegratorUsageView = {
      integrator: {
        id: 'i1',
        name: 'Sandbox Learning Ltd',
        website: null,
        contactEmail: null,
      },
      days: [
        { day: '2026-01-01', requests: 120, recordsWritten: 4 },
        { day: '2026-01-02', requests: 30, recordsWritten: 0 },
      ],
      endpoints: [{ route: '/ims/oneroster/v1p1/classes', requests: 150 }],
    };
    const request = http.expectOne((r) => r.url === `${API}/s1/usage`);
    expect(request.request.params.get('days')).toBe('30');
    request.flush([usage]);
    await harness.fixture.whenStable();
    expect(root.textContent).toContain('150 requests, 4 records written back.');
    expect(root.textContent).toContain('/ims/oneroster/v1p1/classes');

    const days = root.querySelector<HTMLSelectElement>('#usage-days')!;
    days.value = '7';
    days.dispatchEvent(new Event('change'));
    harness.detectChanges();
    http
      .expectOne((r) => r.url === `${API}/s1/usage`)
      .flush(
        {
          statusCode: 500,
          error: 'server_error',
          message: 'Usage is unavailable.',
        },
        { status: 500, statusText: 'Server Error' },
      );
    await harness.fixture.whenStable();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'Usage is unavailable.',
    );
  });
});
