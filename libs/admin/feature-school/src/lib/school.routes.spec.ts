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
import type {
  AuditEventView,
  IntegratorUsageView,
  SchoolHomeView,
} from '@oneroster/contracts';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
  requireSchoolAdmin,
} from '@oneroster/admin-data-access';
import { schoolRoutes } from './school.routes';

const API = '/portal/api/schools';

const emptyHome = (id: string): SchoolHomeView => ({
  school: { id, name: id, identifier: null, sandbox: false },
  waitingDecisions: 0,
  withAccess: [],
  lastImport: null,
  recentRevocations: [],
});

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
    expect(router.url).toBe('/school/s1/home');
    http.expectOne(`${API}/s1/home`).flush(emptyHome('s1'));
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
      'Home',
      'Applications',
      'Audit trail',
      'Usage',
      'CSV import',
      'MIS credentials',
    ]);
    expect(tabs[0].getAttribute('aria-current')).toBe('page');

    picker!.value = 's2';
    picker!.dispatchEvent(new Event('change'));
    await new Promise((resolve) => setTimeout(resolve));
    expect(router.url).toBe('/school/s2/home');
    http.expectOne(`${API}/s2/home`).flush(emptyHome('s2'));
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

  it('shows usage per integrator by kind of data, a chart with its table, busiest days, a CSV link and a failed load', async () => {
    const { harness, root } = await signInAndOpen(
      '/school/s1/usage',
      aPortalMe().asSchoolAdmin('s1', 'Oak Academy'),
    );
    const pupils = (records: number, requests: number) => ({
      key: 'pupils' as const,
      label: 'Pupils',
      requests,
      records,
    });
    const classes = (records: number, requests: number) => ({
      key: 'classes' as const,
      label: 'Classes and courses',
      requests,
      records,
    });
    const day1 = {
      day: '2026-01-01',
      requests: 120,
      recordsRead: 900,
      recordsWritten: 4,
      categories: [pupils(600, 100), classes(300, 20)],
    };
    const day2 = {
      day: '2026-01-02',
      requests: 30,
      recordsRead: 50,
      recordsWritten: 0,
      categories: [classes(50, 30)],
    };
    const usage: IntegratorUsageView = {
      integrator: {
        id: 'i1',
        name: 'Sandbox Learning Ltd',
        website: null,
        contactEmail: null,
      },
      days: [day1, day2],
      categories: [pupils(600, 100), classes(350, 50)],
      totals: { requests: 150, recordsRead: 950, recordsWritten: 4 },
      busiestDays: [day1, day2],
      endpoints: [{ route: '/ims/oneroster/v1p1/classes', requests: 150 }],
    };
    const request = http.expectOne((r) => r.url === `${API}/s1/usage`);
    expect(request.request.params.get('days')).toBe('30');
    request.flush([usage]);
    await harness.fixture.whenStable();
    const text = () => root.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text()).toContain(
      'Read 950 records in 150 requests (600 pupils, 350 classes and courses), and wrote back 4 records.',
    );
    expect(
      root.querySelector('[data-category="pupils"]')?.textContent,
    ).toContain('Pupils: 600 records in 100 requests');
    const svg = root.querySelector('svg[role="img"]');
    expect(svg?.getAttribute('aria-describedby')).toBe('table-i1');
    expect(root.querySelectorAll('svg g[data-bar]')).toHaveLength(2);
    const table = root.querySelector('#table-i1');
    expect(
      Array.from(table?.querySelectorAll('thead th') ?? []).map((th) =>
        th.textContent?.trim(),
      ),
    ).toEqual([
      'Day',
      'Pupils',
      'Classes and courses',
      'Requests',
      'Records written back',
    ]);
    expect(
      Array.from(table?.querySelectorAll('tbody tr') ?? []).map((tr) =>
        Array.from(tr.children).map((c) => c.textContent?.trim()),
      ),
    ).toEqual([
      ['2026-01-01', '600', '300', '120', '4'],
      ['2026-01-02', '0', '50', '30', '0'],
    ]);
    expect(
      root.querySelector('[data-testid="busiest-days"] li')?.textContent,
    ).toContain('2026-01-01: 900 records read in 120 requests');
    expect(
      root.querySelector('[data-testid="usage-csv"]')?.getAttribute('href'),
    ).toBe('/portal/api/schools/s1/usage.csv?days=30');
    expect(root.querySelector('details')?.textContent).toContain(
      '/ims/oneroster/v1p1/classes',
    );

    const days = root.querySelector<HTMLSelectElement>('#usage-days')!;
    days.value = '7';
    days.dispatchEvent(new Event('change'));
    harness.detectChanges();
    expect(
      root.querySelector('[data-testid="usage-csv"]')?.getAttribute('href'),
    ).toBe('/portal/api/schools/s1/usage.csv?days=7');
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

  it('opens an import report from the home page link', async () => {
    const { harness, root } = await signInAndOpen(
      '/school/s1/imports?report=job-7',
      aPortalMe().asSchoolAdmin('s1', 'Oak Academy'),
    );
    http.expectOne(`${API}/s1/imports`).flush([]);
    http.expectOne(`${API}/s1/imports/job-7`).flush({
      id: 'job-7',
      schoolId: 's1',
      mode: 'validate',
      status: 'succeeded',
      percent: 100,
      phase: 'done',
      rowsRead: 12,
      createdAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T10:00:05.000Z',
      report: { errors: 0, warnings: 2, issues: [], counts: { 'orgs.csv': 2 } },
    });
    await harness.fixture.whenStable();
    // A finished job reloads the history list (when it is not loading already).
    for (const again of http.match(`${API}/s1/imports`)) again.flush([]);
    await harness.fixture.whenStable();
    const job = root.querySelector('[data-testid="import-job"]');
    expect(job?.textContent).toContain('succeeded');
    expect(job?.textContent?.replace(/\s+/g, ' ')).toContain(
      '0 errors, 2 warnings.',
    );
  });

  it('opens the MIS credentials screen with its title', async () => {
    const { harness, root } = await signInAndOpen(
      '/school/s1/mis',
      aPortalMe().asSchoolAdmin('s1', 'Oak Academy'),
    );
    http.expectOne(`${API}/s1/mis-credentials`).flush([]);
    http.expectOne(`${API}/s1/applications`).flush([]);
    await harness.fixture.whenStable();
    harness.fixture.detectChanges();
    expect(root.querySelector('h1')?.textContent).toBe('MIS credentials');
    expect(document.title).toBe(
      'MIS credentials — OneRoster Exchange admin portal',
    );
    expect(
      root
        .querySelector('nav[aria-label="School"] a[aria-current="page"]')
        ?.textContent?.trim(),
    ).toBe('MIS credentials');
  });
});
