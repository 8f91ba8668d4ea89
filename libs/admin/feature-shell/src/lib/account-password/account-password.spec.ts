import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { AccountPassword } from './account-password';

const URL = '/portal/api/me/password';

describe('AccountPassword', () => {
  let fixture: ComponentFixture<AccountPassword>;
  let http: HttpTestingController;
  let root: HTMLElement;
  let email: string;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const me = aPortalMe().build();
    email = me.account.email;
    const signedIn = TestBed.inject(PortalSession).ensureLoaded();
    http.expectOne('/portal/api/me').flush(me);
    await signedIn;
    fixture = TestBed.createComponent(AccountPassword);
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  function type(selector: string, value: string): void {
    const field = root.querySelector<HTMLInputElement>(selector)!;
    field.value = value;
    field.dispatchEvent(new Event('input'));
  }
  const fill = (current: string, next: string, repeat = next) => {
    type('#current-password', current);
    type('#new-password', next);
    type('#repeat-password', repeat);
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    fixture.detectChanges();
  };
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    fixture.detectChanges();
  };

  it('labels every field and says the rule', () => {
    for (const id of ['current-password', 'new-password', 'repeat-password'])
      expect(root.querySelector(`label[for="${id}"]`)).not.toBeNull();
    expect(
      root.querySelector('#new-password')?.getAttribute('autocomplete'),
    ).toBe('new-password');
    expect(root.textContent).toContain('At least 12 characters');
  });

  it('checks the policy before sending anything', () => {
    fill('old password here', 'short');
    expect(root.textContent).toContain('must be at least 12 characters long');
    fill('old password here', email);
    expect(root.textContent).toContain('must not be your email address');
    fill('old password here', 'a long new password', 'another one');
    expect(root.textContent).toContain('The two new passwords differ.');
    fill('', 'a long new password');
    expect(root.textContent).toContain('Enter your current password.');
    http.expectNone(URL);
  });

  it('sends the change with the CSRF header and says the other sessions ended', async () => {
    fill('old password here', 'a long new password');
    const post = http.expectOne({ url: URL, method: 'POST' });
    expect(post.request.body).toEqual({
      currentPassword: 'old password here',
      newPassword: 'a long new password',
    });
    expect(post.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    post.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(root.querySelector('[role="status"]')?.textContent).toContain(
      'Your password is changed.',
    );
    expect(root.querySelector<HTMLInputElement>('#new-password')?.value).toBe(
      '',
    );
  });

  it('shows a wrong current password at its field', async () => {
    fill('not it at all', 'a long new password');
    http.expectOne({ url: URL, method: 'POST' }).flush(
      {
        statusCode: 400,
        error: 'invalid_request',
        message:
          'invalid request: currentPassword is not your current password',
        fields: { currentPassword: 'is not your current password' },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(root.querySelector('#current-password-error')?.textContent).toBe(
      'The current password is not your current password.',
    );
    expect(
      root.querySelector('#current-password')?.getAttribute('aria-invalid'),
    ).toBe('true');
  });
});
