import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import {
  DATA_CATEGORIES,
  ONEROSTER_SCOPES,
  ONEROSTER_V1P2_SCOPES,
} from '@oneroster/contracts';
import {
  anApplication,
  anApproval,
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { Applications } from './applications';

const LIST = '/portal/api/schools/s1/applications';

describe('Applications (school administrator)', () => {
  let fixture: ComponentFixture<Applications>;
  let http: HttpTestingController;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
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

    fixture = TestBed.createComponent(Applications);
    fixture.componentRef.setInput('schoolId', 's1');
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => http.verify());

  const text = () => root.textContent?.replace(/\s+/g, ' ') ?? '';
  const buttons = (label: string) =>
    Array.from(root.querySelectorAll<HTMLButtonElement>('button')).filter(
      (b) => b.textContent?.trim() === label,
    );
  const dialog = () => root.querySelector<HTMLElement>('[role="dialog"]');
  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  type Status = 'pending' | 'approved' | 'declined' | 'revoked' | null;
  /** Answers the list request with these applications and this school's decisions. */
  async function showList(
    ...items: [ReturnType<typeof anApplication>, Status][]
  ): Promise<void> {
    http
      .expectOne(LIST)
      .flush(items.map(([app, status]) => app.forSchool('s1', status)));
    await settle();
  }
  /** Lets a decision's promise resolve; the list reload it starts is then open. */
  const afterDecision = () => new Promise((resolve) => setTimeout(resolve));

  it('says it is loading, then shows an error with a retry that loads again', async () => {
    expect(text()).toContain('Loading applications…');
    http.expectOne(LIST).flush(
      {
        statusCode: 403,
        error: 'forbidden',
        message: 'You are not an administrator of this school.',
      },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'You are not an administrator of this school.',
    );
    buttons('Try again')[0].click();
    fixture.detectChanges();
    http.expectOne(LIST).flush([]);
    await settle();
    expect(text()).toContain(
      "No integrator has asked for your school's data yet.",
    );
  });

  it('groups applications into waiting, approved and declined or revoked, in plain words', async () => {
    await showList(
      [anApplication('app-1', 'Waiting App'), null],
      [anApplication('app-2', 'Approved App'), 'approved'],
      [anApplication('app-3', 'Revoked App'), 'revoked'],
    );
    const sections = Array.from(root.querySelectorAll('section'));
    expect(
      sections.map((s) => s.querySelector('h2')?.textContent?.trim()),
    ).toEqual([
      'Waiting for your decision (1)',
      'Approved (1)',
      'Declined or revoked (1)',
    ]);
    expect(sections[0].textContent).toContain('Waiting App');
    expect(sections[0].textContent).toContain('by Sandbox Learning Ltd');
    expect(sections[0].textContent).toContain(
      `${DATA_CATEGORIES.demographics.label}: ${DATA_CATEGORIES.demographics.description}`,
    );
    // Each category with its scope URIs of both versions, in small print.
    const gradebook = sections[0].querySelector(
      'li[data-category="gradebookRead"] small',
    );
    expect(
      [...(gradebook?.querySelectorAll('code[data-version="v1p1"]') ?? [])].map(
        (c) => c.textContent,
      ),
    ).toEqual([ONEROSTER_SCOPES.gradebookRead]);
    expect(
      [...(gradebook?.querySelectorAll('code[data-version="v1p2"]') ?? [])].map(
        (c) => c.textContent,
      ),
    ).toEqual([
      ONEROSTER_V1P2_SCOPES.gradebookCore,
      ONEROSTER_V1P2_SCOPES.gradebookRead,
    ]);
    // The approved one granted rosters only: the other categories say so.
    const approved = (key: string) =>
      sections[1].querySelector(`li[data-category="${key}"]`)?.textContent;
    expect(approved('rosters')).not.toContain('not granted');
    expect(approved('demographics')).toContain('not granted');
    expect(sections[1].textContent).toContain('Approved App');
    expect(sections[2].textContent).toContain('Revoked App');
  });

  it('approves with exactly the scopes left ticked, and never with none', async () => {
    await showList([anApplication(), 'pending']);
    buttons('Approve…')[0].click();
    await settle();

    expect(dialog()?.getAttribute('aria-modal')).toBe('true');
    const boxes = Array.from(
      dialog()!.querySelectorAll<HTMLInputElement>('input[type="checkbox"]'),
    );
    expect(boxes.map((b) => b.checked)).toEqual([true, true, true]);
    // Grouped by data category, in plain words, each with both versions' scope URIs.
    expect(
      [...dialog()!.querySelectorAll('fieldset.category > legend')].map((l) =>
        l.textContent?.trim(),
      ),
    ).toEqual([
      DATA_CATEGORIES.rosters.label,
      DATA_CATEGORIES.demographics.label,
      DATA_CATEGORIES.gradebookRead.label,
    ]);
    expect(
      dialog()!.querySelector(
        'fieldset[data-category="rosters"] code[data-version="v1p2"]',
      )?.textContent,
    ).toBe(ONEROSTER_V1P2_SCOPES.rosterCore);
    const confirm = () => buttons('Approve')[0];

    for (const box of boxes) {
      box.checked = false;
      box.dispatchEvent(new Event('change'));
    }
    await settle();
    expect(confirm().disabled).toBe(true);
    expect(dialog()?.textContent).toContain('Choose at least one.');

    // Tick the first and the last back on: only these two go out, in the requested order.
    for (const box of [boxes[2], boxes[0]]) {
      box.checked = true;
      box.dispatchEvent(new Event('change'));
    }
    await settle();
    confirm().click();

    const request = http.expectOne(`${LIST}/app-1/approve`);
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    expect(request.request.body).toEqual({
      scopes: [ONEROSTER_SCOPES.rosterCore, ONEROSTER_SCOPES.gradebookRead],
    });
    request.flush(anApproval('app-1', 's1', 'approved'));
    await afterDecision();
    await showList([anApplication(), 'approved']);
    expect(dialog()).toBeNull();
    expect(root.querySelector('.notice')?.textContent).toContain(
      'Sandbox Explorer is approved.',
    );
    expect(root.querySelector('.notice a')?.getAttribute('href')).toBe(
      '/receipts/receipt-app-1-s1',
    );
  });

  it('shows the server refusal inside the dialog and keeps it open', async () => {
    await showList([anApplication(), 'pending']);
    buttons('Approve…')[0].click();
    await settle();
    buttons('Approve')[0].click();
    http.expectOne(`${LIST}/app-1/approve`).flush(
      {
        statusCode: 409,
        error: 'conflict',
        message: 'Someone decided meanwhile.',
      },
      { status: 409, statusText: 'Conflict' },
    );
    await settle();
    expect(dialog()?.textContent).toContain('Someone decided meanwhile.');
  });

  it('declines with the reason typed', async () => {
    await showList([anApplication(), 'pending']);
    buttons('Decline…')[0].click();
    await settle();
    const reason = dialog()!.querySelector('textarea')!;
    reason.value = '  We use another product.  ';
    reason.dispatchEvent(new Event('input'));
    buttons('Decline')[0].click();
    const request = http.expectOne(`${LIST}/app-1/decline`);
    expect(request.request.body).toEqual({ reason: 'We use another product.' });
    request.flush(anApproval('app-1', 's1', 'declined'));
    await afterDecision();
    await showList([anApplication(), 'declined']);
    expect(root.querySelector('.notice')?.textContent).toContain(
      'Sandbox Explorer is declined.',
    );
  });

  it('asks before revoking, and Escape cancels without a request', async () => {
    await showList([anApplication(), 'approved']);
    buttons('Revoke…')[0].click();
    await settle();
    expect(dialog()?.querySelector('h2')?.textContent).toBe(
      "Revoke Sandbox Explorer's access?",
    );
    http.expectNone(`${LIST}/app-1/revoke`);

    dialog()!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    await settle();
    expect(dialog()).toBeNull();
    http.expectNone(`${LIST}/app-1/revoke`);

    buttons('Revoke…')[0].click();
    await settle();
    const confirm = buttons('Revoke access')[0];
    expect(confirm.classList).toContain('danger');
    confirm.click();
    http
      .expectOne(`${LIST}/app-1/revoke`)
      .flush(anApproval('app-1', 's1', 'revoked'));
    await afterDecision();
    await showList([anApplication(), 'revoked']);
    expect(buttons('Revoke…')).toHaveLength(0);
    expect(buttons('Approve…')).toHaveLength(1);
  });
});
