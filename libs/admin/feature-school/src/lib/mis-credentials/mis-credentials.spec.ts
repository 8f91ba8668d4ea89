import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import type { CredentialView, IssuedCredential } from '@oneroster/contracts';
import {
  anApplication,
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { MisCredentials } from './mis-credentials';

const CLIENTS = '/portal/api/schools/s1/mis-credentials';
const APPS = '/portal/api/schools/s1/applications';
const SECRET = 'Zt4q_8vLwN2cR7yB0mK5sD1fH9gJ3xP6aE2uQ0oI4nW';

function aClient(
  clientId: string,
  applicationId: string,
  platformScopes: string[] = [],
): CredentialView {
  return {
    clientId,
    applicationId,
    schoolId: 's1',
    schoolName: 'Oak Academy',
    kind: 'client_credentials',
    createdAt: '2026-01-01T10:00:00.000Z',
    previousSecretExpiresAt: null,
    revokedAt: null,
    platformScopes,
  };
}

const explorer = anApplication('app-1', 'Sandbox Explorer');
const mis = anApplication('app-mis', 'MIS gradebook collector');
const pending = anApplication('app-new', 'Homework Hub');

describe('MisCredentials (school administrator)', () => {
  let fixture: ComponentFixture<MisCredentials>;
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
    fixture = TestBed.createComponent(MisCredentials);
    fixture.componentRef.setInput('schoolId', 's1');
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  const text = () => root.textContent?.replace(/\s+/g, ' ') ?? '';
  const button = (label: string, within: ParentNode = root) =>
    Array.from(within.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === label,
    );
  const dialog = () => root.querySelector<HTMLElement>('[role="dialog"]');
  const row = (clientId: string) =>
    root.querySelector<HTMLElement>(`tr[data-client="${clientId}"]`);
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const afterCall = () => new Promise((resolve) => setTimeout(resolve));

  async function show(clients: CredentialView[]): Promise<void> {
    http.expectOne(CLIENTS).flush(clients);
    http
      .expectOne(APPS)
      .flush([
        explorer.forSchool('s1', 'approved'),
        mis.forSchool('s1', 'approved'),
        pending.forSchool('s1', 'pending'),
      ]);
    await settle();
  }

  function choose(selector: string, value: string): void {
    const select = root.querySelector<HTMLSelectElement>(selector)!;
    select.value = value;
    select.dispatchEvent(new Event('change'));
    fixture.detectChanges();
  }

  it('says it is loading, then lists the clients with their application and platform scopes', async () => {
    expect(text()).toContain("Loading your school's clients…");
    await show([
      aClient('sandbox-oak', 'app-1'),
      aClient('mis-oak', 'app-mis', ['imports.write']),
    ]);
    expect(row('sandbox-oak')?.textContent).toContain('Sandbox Explorer');
    expect(
      row('sandbox-oak')?.querySelector('[data-testid="platform-scopes"]')
        ?.textContent,
    ).toContain('none');
    expect(row('mis-oak')?.textContent).toContain('MIS gradebook collector');
    expect(
      row('mis-oak')?.querySelector('[data-testid="platform-scopes"]')
        ?.textContent,
    ).toContain('imports.write');
    // Both approved applications hold a client: nothing to issue, only scopes to change.
    expect(root.querySelector('#mis-application')).toBeNull();
    expect(
      root.querySelector('[data-testid="nothing-to-issue"]'),
    ).not.toBeNull();
  });

  it('says when the school has no client yet, and shows a load failure with a retry', async () => {
    await show([]);
    expect(text()).toContain('Your school has no client yet.');
    fixture.componentRef.setInput('schoolId', 's2');
    fixture.detectChanges();
    http
      .expectOne('/portal/api/schools/s2/mis-credentials')
      .flush(
        { statusCode: 404, error: 'not_found', message: 'school not found' },
        { status: 404, statusText: 'Not Found' },
      );
    http.expectOne('/portal/api/schools/s2/applications').flush([]);
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'school not found',
    );
    button('Try again')?.click();
    fixture.detectChanges();
    http.expectOne('/portal/api/schools/s2/mis-credentials').flush([]);
    http.expectOne('/portal/api/schools/s2/applications').flush([]);
    await settle();
    expect(text()).toContain('Your school has no client yet.');
  });

  it('issues the MIS credential for an approved application without a client, with imports.write, and shows the secret once', async () => {
    await show([aClient('sandbox-oak', 'app-1')]);
    const options = Array.from(
      root.querySelectorAll<HTMLOptionElement>('#mis-application option'),
    ).map((o) => o.value);
    // Only the approved application without a client; not the pending one.
    expect(options).toEqual(['', 'app-mis']);
    const submit = button('Issue credential')!;
    expect(submit.disabled).toBe(true);
    choose('#mis-application', 'app-mis');
    const scope = root.querySelector<HTMLInputElement>(
      'form input[type="checkbox"][value="imports.write"]',
    )!;
    expect(scope.checked).toBe(true);
    expect(submit.disabled).toBe(false);
    submit.click();
    const call = http.expectOne(CLIENTS);
    expect(call.request.method).toBe('POST');
    expect(call.request.body).toEqual({
      applicationId: 'app-mis',
      platformScopes: ['imports.write'],
    });
    expect(call.request.headers.get('X-CSRF-Token')).toBeTruthy();
    const issued: IssuedCredential = {
      ...aClient('cc-new', 'app-mis', ['imports.write']),
      clientSecret: SECRET,
      tokenEndpoint: 'http://localhost:3333/oidc/token',
    };
    call.flush(issued);
    await afterCall();
    http
      .expectOne(CLIENTS)
      .flush([
        aClient('sandbox-oak', 'app-1'),
        aClient('cc-new', 'app-mis', ['imports.write']),
      ]);
    await settle();
    const notice = root.querySelector('[data-testid="issued-secret"]');
    expect(notice?.textContent).toContain(SECRET);
    expect(notice?.textContent).toContain('cc-new');
    expect(notice?.textContent).toContain('will not be shown again');
    expect(row('cc-new')?.textContent).toContain('imports.write');
    // The secret is in the notice only, never in the list.
    expect(row('cc-new')?.textContent).not.toContain(SECRET);
    button('I have stored it')?.click();
    fixture.detectChanges();
    expect(text()).not.toContain(SECRET);
  });

  it('can issue without a platform scope, and shows a refusal', async () => {
    await show([aClient('sandbox-oak', 'app-1')]);
    choose('#mis-application', 'app-mis');
    const scope = root.querySelector<HTMLInputElement>(
      'form input[type="checkbox"][value="imports.write"]',
    )!;
    scope.click();
    fixture.detectChanges();
    button('Issue credential')!.click();
    const call = http.expectOne(CLIENTS);
    expect(call.request.body).toEqual({
      applicationId: 'app-mis',
      platformScopes: [],
    });
    call.flush(
      {
        statusCode: 409,
        error: 'conflict',
        message:
          'the application already has a client for this school; change its platform scopes instead',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await afterCall();
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'change its platform scopes instead',
    );
    expect(root.querySelector('[data-testid="issued-secret"]')).toBeNull();
  });

  it('changes a client’s scopes after asking, and says so when it takes them all away', async () => {
    await show([
      aClient('sandbox-oak', 'app-1'),
      aClient('mis-oak', 'app-mis', ['imports.write']),
    ]);
    const open = button('Change scopes…', row('mis-oak')!)!;
    open.focus();
    open.click();
    fixture.detectChanges();
    await settle();
    const box = dialog()!;
    expect(box.textContent).toContain('mis-oak');
    const scope = box.querySelector<HTMLInputElement>(
      'input[value="imports.write"]',
    )!;
    expect(scope.checked).toBe(true);
    // Focus moved into the dialog; unchanged scopes cannot be saved.
    expect(box.contains(document.activeElement)).toBe(true);
    expect(button('Save scopes', box)!.disabled).toBe(true);
    scope.click();
    fixture.detectChanges();
    const confirm = button('Take the scopes away', box)!;
    expect(confirm.disabled).toBe(false);
    expect(box.textContent).toContain('stop importing at once');
    confirm.click();
    const call = http.expectOne(`${CLIENTS}/mis-oak`);
    expect(call.request.method).toBe('PUT');
    expect(call.request.body).toEqual({ platformScopes: [] });
    call.flush(aClient('mis-oak', 'app-mis', []));
    await afterCall();
    http
      .expectOne(CLIENTS)
      .flush([
        aClient('sandbox-oak', 'app-1'),
        aClient('mis-oak', 'app-mis', []),
      ]);
    await settle();
    expect(dialog()).toBeNull();
    expect(text()).toContain('mis-oak holds no platform scope now.');
    expect(
      row('mis-oak')?.querySelector('[data-testid="platform-scopes"]')
        ?.textContent,
    ).toContain('none');
  });

  it('grants imports.write to an existing client, and Escape cancels without a call', async () => {
    await show([aClient('sandbox-oak', 'app-1')]);
    button('Change scopes…', row('sandbox-oak')!)!.click();
    fixture.detectChanges();
    await settle();
    dialog()!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    fixture.detectChanges();
    expect(dialog()).toBeNull();

    button('Change scopes…', row('sandbox-oak')!)!.click();
    fixture.detectChanges();
    await settle();
    dialog()!
      .querySelector<HTMLInputElement>('input[value="imports.write"]')!
      .click();
    fixture.detectChanges();
    button('Save scopes', dialog()!)!.click();
    const call = http.expectOne(`${CLIENTS}/sandbox-oak`);
    expect(call.request.body).toEqual({ platformScopes: ['imports.write'] });
    call.flush(
      { statusCode: 404, error: 'not_found', message: 'client not found' },
      { status: 404, statusText: 'Not Found' },
    );
    await afterCall();
    await settle();
    // The refusal is shown in the dialog, which stays open.
    expect(dialog()?.textContent).toContain('client not found');
  });
});
