import { ComponentFixture, TestBed } from '@angular/core/testing';
import {
  HttpEventType,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import type { ImportJobView } from '@oneroster/contracts';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { CsvImport } from './csv-import';

const IMPORTS = '/portal/api/schools/s1/imports';

function aJob(overrides: Partial<ImportJobView> = {}): ImportJobView {
  return {
    id: 'job-1',
    schoolId: 's1',
    mode: 'validate',
    status: 'queued',
    percent: 0,
    phase: 'queued',
    rowsRead: 0,
    createdAt: '2026-01-01T10:00:00.000Z',
    finishedAt: null,
    report: null,
    ...overrides,
  };
}

describe('CsvImport', () => {
  let fixture: ComponentFixture<CsvImport>;
  let http: HttpTestingController;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const signedIn = TestBed.inject(PortalSession).ensureLoaded();
    http
      .expectOne('/portal/api/me')
      .flush(aPortalMe().asSchoolAdmin('s1', 'Oak Academy').build());
    await signedIn;
    fixture = TestBed.createComponent(CsvImport);
    fixture.componentRef.setInput('schoolId', 's1');
    fixture.componentRef.setInput('pollMs', 0);
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
    http.expectOne(IMPORTS).flush([]);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  const upload = () =>
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const nextTick = () => new Promise((resolve) => setTimeout(resolve, 5));

  function pick(file: File): void {
    const input = root.querySelector<HTMLInputElement>('#import-file')!;
    Object.defineProperty(input, 'files', {
      value: { item: () => file, length: 1 },
    });
    input.dispatchEvent(new Event('change'));
    fixture.detectChanges();
  }

  it('says when there was no import yet and uploads only once a file is chosen', () => {
    expect(root.textContent).toContain('No import yet.');
    expect(upload().disabled).toBe(true);
    pick(new File(['zip'], 'school.zip', { type: 'application/zip' }));
    expect(upload().disabled).toBe(false);
  });

  it('shows the upload progress, then follows the job to its report', async () => {
    const file = new File(['x'.repeat(1000)], 'school.zip');
    pick(file);
    const apply = root.querySelector<HTMLInputElement>('input[value="apply"]')!;
    apply.click();
    upload().click();
    fixture.detectChanges();

    const sent = http.expectOne(
      (r) => r.url === IMPORTS && r.method === 'POST',
    );
    expect(sent.request.params.get('mode')).toBe('apply');
    expect(sent.request.body).toBe(file);
    expect(sent.request.headers.get('Content-Type')).toBe('application/zip');
    expect(sent.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');

    sent.event({
      type: HttpEventType.UploadProgress,
      loaded: 400,
      total: 1000,
    });
    fixture.detectChanges();
    const bar = root.querySelector<HTMLProgressElement>('#upload-bar');
    expect(bar?.value).toBe(40);
    expect(root.textContent).toContain('Uploading… 40%');

    sent.flush(aJob({ mode: 'apply' }), {
      status: 202,
      statusText: 'Accepted',
    });
    fixture.detectChanges();
    expect(root.querySelector('#upload-bar')).toBeNull();
    expect(
      root.querySelector('[data-testid="import-job"]')?.textContent,
    ).toContain('queued');

    await nextTick();
    http.expectOne(`${IMPORTS}/job-1`).flush(
      aJob({
        status: 'applying',
        percent: 60,
        phase: 'reading users.csv',
        rowsRead: 1200,
      }),
    );
    await nextTick();
    fixture.detectChanges();
    expect(root.querySelector<HTMLProgressElement>('#job-bar')?.value).toBe(60);
    expect(root.textContent).toContain('reading users.csv (60%)');

    http.expectOne(`${IMPORTS}/job-1`).flush(
      aJob({
        status: 'failed',
        percent: 100,
        phase: 'done',
        report: {
          errors: 1,
          warnings: 0,
          counts: { 'users.csv': 1200 },
          issues: [
            {
              severity: 'error',
              file: 'users.csv',
              line: 17,
              column: 'role',
              value: 'wizard',
              message: 'role must be one of the OneRoster 1.1 roles',
            },
          ],
        },
      }),
    );
    await nextTick();
    fixture.detectChanges();
    // Finished: no more polling, the history is read again.
    http.expectOne(IMPORTS).flush([aJob({ status: 'failed' })]);
    http.expectNone(`${IMPORTS}/job-1`);
    const issues = root.querySelector('[data-testid="import-issues"]');
    expect(issues?.textContent).toContain('wizard');
    expect(issues?.textContent).toContain('17');
    expect(root.textContent).toContain('1 errors, 0 warnings.');
    expect(root.textContent).toContain('Nothing was imported.');
  });

  it('shows why an upload was refused', async () => {
    pick(new File(['x'], 'big.zip'));
    upload().click();
    http
      .expectOne((r) => r.url === IMPORTS && r.method === 'POST')
      .flush(
        {
          statusCode: 413,
          error: 'too_large',
          message: 'The file is larger than 500 MB.',
        },
        { status: 413, statusText: 'Payload Too Large' },
      );
    fixture.detectChanges();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'The file is larger than 500 MB.',
    );
    expect(upload().disabled).toBe(false);
  });
});
