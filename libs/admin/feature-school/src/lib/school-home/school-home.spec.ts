import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { SchoolHomeView } from '@oneroster/contracts';
import { portalInterceptor } from '@oneroster/admin-data-access';
import { SchoolHome } from './school-home';

const HOME = '/portal/api/schools/s1/home';
const ADA = { id: 'a1', email: 'admin@oak.test', displayName: 'Ada Admin' };
const SANDBOX = {
  id: 'i1',
  name: 'Sandbox Learning Ltd',
  website: null,
  contactEmail: null,
};

function aHome(overrides: Partial<SchoolHomeView> = {}): SchoolHomeView {
  return {
    school: { id: 's1', name: 'Oak Academy', identifier: null, sandbox: true },
    waitingDecisions: 2,
    withAccess: [
      {
        application: { id: 'app-1', name: 'Sandbox Explorer' },
        integrator: SANDBOX,
        categories: [
          {
            key: 'rosters',
            label:
              'Rosters: schools, terms, courses, classes, pupils, staff and enrolments',
            description: 'Names, usernames…',
            scopes: [],
            v1p1Scopes: [],
            v1p2Scopes: [],
          },
          {
            key: 'demographics',
            label: 'Demographics',
            description: 'Date of birth, sex…',
            scopes: [],
            v1p1Scopes: [],
            v1p2Scopes: [],
          },
        ],
        approvedAt: '2026-01-02T09:00:00.000Z',
        approvedBy: ADA,
        receiptId: 'rc-1',
      },
    ],
    lastImport: {
      jobId: 'job-7',
      mode: 'apply',
      startedAt: '2026-01-03T08:00:00.000Z',
      startedBy: ADA,
      status: 'succeeded',
      finishedAt: '2026-01-03T08:01:00.000Z',
      errors: 0,
      warnings: 3,
    },
    recentRevocations: [
      {
        application: { id: 'app-2', name: 'Homework Helper' },
        integrator: SANDBOX,
        revokedAt: '2026-01-04T12:00:00.000Z',
        revokedBy: ADA,
        receiptId: 'rc-2',
      },
    ],
    ...overrides,
  };
}

describe('SchoolHome', () => {
  let fixture: ComponentFixture<SchoolHome>;
  let http: HttpTestingController;
  let root: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SchoolHome);
    fixture.componentRef.setInput('schoolId', 's1');
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  const text = () => root.textContent?.replace(/\s+/g, ' ') ?? '';
  async function show(view: SchoolHomeView): Promise<void> {
    http.expectOne(HOME).flush(view);
    await fixture.whenStable();
    fixture.detectChanges();
  }
  const link = (label: string) =>
    Array.from(root.querySelectorAll('a')).find(
      (a) => a.textContent?.replace(/\s+/g, ' ').trim() === label,
    );

  it('answers at a glance: decisions waiting, apps with access by category, the last import, revocations', async () => {
    expect(text()).toContain("Loading your school's summary…");
    await show(aHome());
    expect(
      root.querySelector('[data-testid="waiting-count"]')?.textContent?.trim(),
    ).toBe('2');
    expect(
      link('Decide on the applications waiting')?.getAttribute('href'),
    ).toBe('/school/s1/applications');

    const access = root.querySelector('[data-access="app-1"]');
    expect(access?.querySelector('h3')?.textContent).toBe('Sandbox Explorer');
    expect(access?.textContent).toContain('by Sandbox Learning Ltd');
    expect(access?.textContent).toContain('by Ada Admin');
    expect(
      Array.from(access?.querySelectorAll('li strong') ?? []).map(
        (s) => s.textContent,
      ),
    ).toEqual([
      'Rosters: schools, terms, courses, classes, pupils, staff and enrolments',
      'Demographics',
    ]);

    const last = root.querySelector('[data-testid="last-import"]');
    expect(last?.textContent).toContain('Import started');
    expect(last?.textContent).toContain('by Ada Admin');
    expect(last?.textContent).toContain('succeeded');
    expect(last?.textContent).toContain('imported: 0 errors, 3 warnings');
    expect(link('See its report')?.getAttribute('href')).toBe(
      '/school/s1/imports?report=job-7',
    );

    const revoked = root.querySelector('[data-testid="revocations"] li');
    expect(revoked?.textContent).toContain('Homework Helper');
    expect(revoked?.textContent).toContain('by Ada Admin');
    expect(revoked?.querySelector('a')?.getAttribute('href')).toBe(
      '/receipts/rc-2',
    );
  });

  it('says so when nothing waits, no app has access, nothing was imported or revoked', async () => {
    await show(
      aHome({
        waitingDecisions: 0,
        withAccess: [],
        lastImport: null,
        recentRevocations: [],
      }),
    );
    expect(text()).toContain('No application is waiting for your decision.');
    expect(text()).toContain("No app may read your school's data.");
    expect(text()).toContain('No CSV has been imported yet.');
    expect(text()).toContain('No access was revoked.');
    expect(link('Decide on the applications waiting')).toBeUndefined();
  });

  it('offers no report of an import the server no longer holds', async () => {
    await show(
      aHome({
        lastImport: {
          ...(aHome().lastImport as NonNullable<SchoolHomeView['lastImport']>),
          status: 'unknown',
          errors: null,
          warnings: null,
        },
      }),
    );
    expect(text()).toContain('result no longer known');
    expect(link('See its report')).toBeUndefined();
  });

  it('shows the error with a retry that loads again', async () => {
    http
      .expectOne(HOME)
      .flush(
        { statusCode: 404, error: 'not_found', message: 'school not found' },
        { status: 404, statusText: 'Not Found' },
      );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'school not found',
    );
    root.querySelector<HTMLButtonElement>('[role="alert"] button')?.click();
    fixture.detectChanges();
    await show(aHome({ waitingDecisions: 1 }));
    expect(link('Decide on the application waiting')).toBeDefined();
  });
});
