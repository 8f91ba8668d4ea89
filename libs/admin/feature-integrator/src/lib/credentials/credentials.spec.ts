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
import { Credentials } from './credentials';

const LIST = '/portal/api/applications/app-1/credentials';

function aCredential(
  clientId: string,
  schoolId: string | null,
  overrides: Partial<CredentialView> = {},
): CredentialView {
  return {
    clientId,
    applicationId: 'app-1',
    schoolId,
    schoolName: schoolId ? `School ${schoolId}` : null,
    kind: schoolId ? 'client_credentials' : 'oidc',
    createdAt: '2026-01-01T10:00:00.000Z',
    previousSecretExpiresAt: null,
    revokedAt: null,
    platformScopes: [],
    ...overrides,
  };
}

const SECRET = 'kQ3v9_sG1cJtY0pRx7wZb2mN4aH8dL6eF5uI0oT1yW2';

describe('Credentials', () => {
  let fixture: ComponentFixture<Credentials>;
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
    http.expectOne('/portal/api/me').flush(aPortalMe().asDeveloper().build());
    await signedIn;
    fixture = TestBed.createComponent(Credentials);
    fixture.componentRef.setInput(
      'app',
      anApplication()
        .withApproval('s1', 'Oak Academy', 'approved')
        .withApproval('s2', 'Elm Primary', 'approved')
        .withApproval('s3', 'Ash School', 'declined')
        .build(),
    );
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  const button = (label: string, within: ParentNode = root) =>
    Array.from(within.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === label,
    );
  const dialog = () => root.querySelector<HTMLElement>('[role="dialog"]');
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const afterCall = () => new Promise((resolve) => setTimeout(resolve));

  async function showList(list: CredentialView[]): Promise<void> {
    http.expectOne(LIST).flush(list);
    await settle();
  }

  it('offers new credentials only where none work yet: approving schools and the OIDC client', async () => {
    await showList([aCredential('cc-s1', 's1')]);
    const options = Array.from(
      root.querySelectorAll<HTMLOptionElement>('#credential-target option'),
    ).map((o) => o.textContent?.trim());
    expect(options).toEqual([
      'Choose…',
      'Staff sign-in (OIDC client)',
      'Elm Primary (client credentials)',
    ]);
  });

  it('shows a new secret once, with a copy button, until dismissed; the list never has it', async () => {
    await showList([]);
    const select = root.querySelector<HTMLSelectElement>('#credential-target')!;
    select.value = 's2';
    select.dispatchEvent(new Event('change'));
    fixture.detectChanges();
    button('Create credentials')!.click();

    const create = http.expectOne(LIST);
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({ schoolId: 's2' });
    const issued: IssuedCredential = {
      ...aCredential('cc-s2', 's2'),
      clientSecret: SECRET,
      tokenEndpoint: 'http://auth.test/oidc/token',
    };
    create.flush(issued);
    await afterCall();
    await showList([aCredential('cc-s2', 's2')]);

    const shown = root.querySelector('[data-testid="issued-secret"]');
    expect(shown?.textContent).toContain(SECRET);
    expect(shown?.textContent).toContain('it will not be shown again');
    expect(button('Copy secret', shown!)).toBeDefined();
    expect(root.querySelector('table')?.textContent).not.toContain(SECRET);

    button('I have stored it')!.click();
    fixture.detectChanges();
    expect(root.querySelector('[data-testid="issued-secret"]')).toBeNull();
    expect(root.textContent).not.toContain(SECRET);
  });

  it('asks before rotating, then shows the new secret', async () => {
    await showList([aCredential('cc-s1', 's1')]);
    button('Rotate…')!.click();
    await settle();
    expect(dialog()?.textContent).toContain('shown once');
    http.expectNone('/portal/api/credentials/cc-s1/rotate');
    button('Rotate', dialog()!)!.click();
    http.expectOne('/portal/api/credentials/cc-s1/rotate').flush({
      ...aCredential('cc-s1', 's1', {
        previousSecretExpiresAt: '2026-01-02T10:00:00.000Z',
      }),
      clientSecret: SECRET,
      tokenEndpoint: 'http://auth.test/oidc/token',
    });
    await afterCall();
    await showList([aCredential('cc-s1', 's1')]);
    expect(dialog()).toBeNull();
    expect(
      root.querySelector('[data-testid="issued-secret"]')?.textContent,
    ).toContain(SECRET);
  });

  it('asks before revoking; cancelling sends nothing, confirming revokes', async () => {
    await showList([aCredential('cc-s1', 's1')]);
    button('Revoke…')!.click();
    await settle();
    expect(dialog()?.querySelector('h2')?.textContent).toBe(
      'Revoke these credentials?',
    );
    button('Cancel', dialog()!)!.click();
    await settle();
    expect(dialog()).toBeNull();
    http.expectNone('/portal/api/credentials/cc-s1/revoke');

    button('Revoke…')!.click();
    await settle();
    const confirm = button('Revoke', dialog()!)!;
    expect(confirm.classList).toContain('danger');
    confirm.click();
    http
      .expectOne('/portal/api/credentials/cc-s1/revoke')
      .flush(
        aCredential('cc-s1', 's1', { revokedAt: '2026-01-02T10:00:00.000Z' }),
      );
    await afterCall();
    await showList([
      aCredential('cc-s1', 's1', { revokedAt: '2026-01-02T10:00:00.000Z' }),
    ]);
    expect(root.querySelector('table')?.textContent).toContain('revoked');
    expect(button('Revoke…')).toBeUndefined();
    expect(root.querySelector('[data-testid="issued-secret"]')).toBeNull();
  });

  it('says when there are no credentials, and shows a failed load with a retry', async () => {
    http.expectOne(LIST).flush(
      {
        statusCode: 404,
        error: 'not_found',
        message: 'No such application.',
      },
      { status: 404, statusText: 'Not Found' },
    );
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'No such application.',
    );
    button('Try again')!.click();
    fixture.detectChanges();
    await showList([]);
    expect(root.textContent).toContain('No credentials yet.');
  });
});
