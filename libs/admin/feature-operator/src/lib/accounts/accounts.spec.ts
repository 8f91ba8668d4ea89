import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import type {
  AccountView,
  CreatedAccount,
  PasswordReset,
} from '@oneroster/contracts';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { Accounts } from './accounts';

const ACCOUNTS = '/portal/api/accounts';

describe('Accounts (operator)', () => {
  let fixture: ComponentFixture<Accounts>;
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
    http.expectOne('/portal/api/me').flush(aPortalMe().asOperator().build());
    await signedIn;
    fixture = TestBed.createComponent(Accounts);
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
    http.expectOne({ url: ACCOUNTS, method: 'GET' }).flush([
      {
        id: 'a1',
        email: 'admin@oak.example.org',
        displayName: 'Ada Admin',
        platformRole: null,
        integratorId: null,
        schoolRoles: [{ schoolId: 's1', role: 'school_admin' }],
        disabled: false,
        mustChangePassword: false,
      } satisfies AccountView,
    ]);
    http
      .expectOne('/portal/api/schools')
      .flush([
        { id: 's1', name: 'Oak Academy', identifier: null, sandbox: false },
      ]);
    http.expectOne('/portal/api/integrators').flush([]);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  function type(selector: string, value: string): void {
    const field = root.querySelector<HTMLInputElement | HTMLSelectElement>(
      selector,
    )!;
    field.value = value;
    field.dispatchEvent(
      new Event(field instanceof HTMLSelectElement ? 'change' : 'input'),
    );
  }
  const submit = () =>
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

  it('lists accounts with their roles in words', () => {
    expect(root.querySelector('table')?.textContent).toContain(
      'school admin at Oak Academy',
    );
  });

  it('checks the form before sending anything', () => {
    submit();
    fixture.detectChanges();
    expect(root.textContent).toContain('Enter an email address.');
    expect(root.textContent).toContain('Choose a school.');
    http.expectNone({ url: ACCOUNTS, method: 'POST' });
  });

  it('creates a school administrator and shows the initial password once', async () => {
    type('#account-email', 'new@oak.example.org');
    type('#account-name', 'New Admin');
    type('#account-school', 's1');
    submit();
    const post = http.expectOne({ url: ACCOUNTS, method: 'POST' });
    expect(post.request.body).toEqual({
      email: 'new@oak.example.org',
      displayName: 'New Admin',
      platformRole: null,
      integratorId: null,
      schoolRoles: [{ schoolId: 's1', role: 'school_admin' }],
    });
    expect(post.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    post.flush({
      id: 'a2',
      email: 'new@oak.example.org',
      displayName: 'New Admin',
      platformRole: null,
      integratorId: null,
      schoolRoles: [{ schoolId: 's1', role: 'school_admin' }],
      disabled: false,
      mustChangePassword: true,
      initialPassword: 'correct-horse-battery-staple',
    } satisfies CreatedAccount);
    await new Promise((resolve) => setTimeout(resolve));
    http.expectOne({ url: ACCOUNTS, method: 'GET' }).flush([]);
    await fixture.whenStable();

    const notice = root.querySelector('[data-testid="initial-password"]');
    expect(notice?.textContent).toContain('correct-horse-battery-staple');
    expect(notice?.textContent).toContain('it will not be shown again');
    Array.from(notice!.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Done')!
      .click();
    fixture.detectChanges();
    expect(root.textContent).not.toContain('correct-horse-battery-staple');
  });

  it('shows the server refusal', async () => {
    type('#account-email', 'admin@oak.example.org');
    type('#account-name', 'Again');
    type('#account-school', 's1');
    submit();
    http.expectOne({ url: ACCOUNTS, method: 'POST' }).flush(
      {
        statusCode: 409,
        error: 'conflict',
        message: 'An account with this email exists.',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'An account with this email exists.',
    );
  });

  const ada: AccountView = {
    id: 'a1',
    email: 'admin@oak.example.org',
    displayName: 'Ada Admin',
    platformRole: null,
    integratorId: null,
    schoolRoles: [{ schoolId: 's1', role: 'school_admin' }],
    disabled: false,
    mustChangePassword: false,
  };
  const button = (name: string, within: ParentNode = root) =>
    Array.from(within.querySelectorAll('button')).find(
      (b) =>
        b.textContent?.trim() === name || b.getAttribute('aria-label') === name,
    )!;
  const dialog = () => root.querySelector('[role="dialog"]');
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };

  it('disables an account only after asking, then lists it again', async () => {
    button('Disable…').click();
    fixture.detectChanges();
    expect(dialog()?.textContent).toContain('Disable Ada Admin?');
    expect(dialog()?.textContent).toContain('signed out everywhere at once');
    http.expectNone({ url: `${ACCOUNTS}/a1/disable` });
    button('Disable account', dialog()!).click();
    const post = http.expectOne({
      url: `${ACCOUNTS}/a1/disable`,
      method: 'POST',
    });
    expect(post.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    post.flush({ ...ada, disabled: true });
    await settle();
    http
      .expectOne({ url: ACCOUNTS, method: 'GET' })
      .flush([{ ...ada, disabled: true }]);
    await fixture.whenStable();
    expect(root.querySelector('[role="status"]')?.textContent).toContain(
      'Ada Admin is disabled; their sessions have ended.',
    );
    expect(dialog()).toBeNull();
    expect(button('Enable…')).toBeDefined();
  });

  it('takes one role away with what it removes', async () => {
    button('Remove school admin at Oak Academy from Ada Admin').click();
    fixture.detectChanges();
    expect(dialog()?.textContent).toContain(
      'Take school admin at Oak Academy away from Ada Admin?',
    );
    button('Remove role', dialog()!).click();
    const post = http.expectOne({
      url: `${ACCOUNTS}/a1/roles/remove`,
      method: 'POST',
    });
    expect(post.request.body).toEqual({ schoolId: 's1', role: 'school_admin' });
    post.flush({ ...ada, schoolRoles: [] });
    await settle();
    http
      .expectOne({ url: ACCOUNTS, method: 'GET' })
      .flush([{ ...ada, schoolRoles: [] }]);
    await fixture.whenStable();
    expect(root.querySelector('table')?.textContent).toContain('no role');
  });

  it('resets a password and shows the one-time password once', async () => {
    button('Reset password…').click();
    fixture.detectChanges();
    button('Reset password', dialog()!).click();
    http
      .expectOne({ url: `${ACCOUNTS}/a1/reset-password`, method: 'POST' })
      .flush({
        account: { ...ada, mustChangePassword: true },
        oneTimePassword: 'one-time-pass-word-xyz',
      } satisfies PasswordReset);
    await settle();
    http
      .expectOne({ url: ACCOUNTS, method: 'GET' })
      .flush([{ ...ada, mustChangePassword: true }]);
    await fixture.whenStable();
    const notice = root.querySelector('[data-testid="one-time-password"]');
    expect(notice?.textContent).toContain('one-time-pass-word-xyz');
    expect(notice?.textContent).toContain('must then choose a new one');
    expect(root.querySelector('table')?.textContent).toContain(
      'password to change',
    );
    button('Done', notice!).click();
    fixture.detectChanges();
    expect(root.textContent).not.toContain('one-time-pass-word-xyz');
  });

  it('keeps the dialog open with the refusal when the server says no', async () => {
    button('Disable…').click();
    fixture.detectChanges();
    button('Disable account', dialog()!).click();
    http.expectOne({ url: `${ACCOUNTS}/a1/disable`, method: 'POST' }).flush(
      {
        statusCode: 409,
        error: 'conflict',
        message: 'you cannot disable your own account',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();
    expect(dialog()?.textContent).toContain(
      'you cannot disable your own account',
    );
  });
});
