import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import {
  PLATFORM_EVENT_TYPES,
  type CreatedWebhook,
  type WebhookView,
} from '@oneroster/contracts';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import { WebhookList } from './webhook-list';

const LIST = '/portal/api/integrators/integrator-1/webhooks';
const SECRET = 'whsec_Zx81nQ0aVt3mLr5pYc7dEw2sHk9gJb4u';

const aWebhook = (id: string, overrides: Partial<WebhookView> = {}) => ({
  id,
  url: `https://hooks.example.com/${id}`,
  events: [...PLATFORM_EVENT_TYPES],
  createdAt: '2026-01-01T10:00:00.000Z',
  ...overrides,
});

describe('WebhookList', () => {
  let fixture: ComponentFixture<WebhookList>;
  let http: HttpTestingController;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([portalInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const signedIn = TestBed.inject(PortalSession).ensureLoaded();
    http.expectOne('/portal/api/me').flush(aPortalMe().asDeveloper().build());
    await signedIn;
    fixture = TestBed.createComponent(WebhookList);
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
  const typeUrl = (value: string) => {
    const input = root.querySelector<HTMLInputElement>('#webhook-url')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  const showList = async (list: WebhookView[]) => {
    http.expectOne(LIST).flush(list);
    await settle();
  };

  it('says it is loading, then that there is no webhook yet', async () => {
    expect(root.querySelector('[role="status"]')?.textContent).toContain(
      'Loading your webhooks',
    );
    await showList([]);
    expect(root.textContent).toContain('No webhooks yet');
    expect(button('Register webhook')?.disabled).toBe(true);
  });

  it('shows a failed load with the server sentence and retries', async () => {
    http
      .expectOne(LIST)
      .flush(
        { statusCode: 500, error: 'server_error', message: 'Try later.' },
        { status: 500, statusText: 'Server Error' },
      );
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'Try later.',
    );
    button('Try again')!.click();
    fixture.detectChanges();
    await showList([aWebhook('w1')]);
    expect(root.querySelector('[data-webhook="w1"]')?.textContent).toContain(
      'every event',
    );
  });

  it('registers with chosen events and shows the signing secret once, with a copy button', async () => {
    await showList([]);
    typeUrl(' https://hooks.example.com/new ');
    const boxes = Array.from(
      root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]'),
    );
    expect(boxes.map((b) => [b.value, b.checked])).toEqual(
      PLATFORM_EVENT_TYPES.map((t) => [t, true]),
    );
    for (const box of boxes.slice(1)) {
      box.checked = false;
      box.dispatchEvent(new Event('change'));
    }
    fixture.detectChanges();
    button('Register webhook')!.click();
    const create = http.expectOne(LIST);
    expect(create.request.method).toBe('POST');
    expect(create.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    expect(create.request.body).toEqual({
      url: 'https://hooks.example.com/new',
      events: ['approval.granted'],
    });
    const created: CreatedWebhook = {
      ...aWebhook('w2', {
        url: 'https://hooks.example.com/new',
        events: ['approval.granted'],
      }),
      secret: SECRET,
    };
    create.flush(created);
    await afterCall();
    await showList([aWebhook('w2', { events: ['approval.granted'] })]);
    const shown = root.querySelector('[data-testid="webhook-secret"]');
    expect(shown?.textContent).toContain(SECRET);
    expect(shown?.textContent).toContain('it will not be shown again');
    expect(button('Copy signing secret', shown!)).toBeDefined();
    expect(root.querySelector('table')?.textContent).not.toContain(SECRET);
    expect(root.querySelector('#webhook-url')).toHaveProperty('value', '');
    button('I have stored it')!.click();
    fixture.detectChanges();
    expect(root.textContent).not.toContain(SECRET);
  });

  it('sends no events list when every event is chosen, and shows field errors', async () => {
    await showList([]);
    typeUrl('http://hooks.example.com/plain');
    button('Register webhook')!.click();
    const create = http.expectOne(LIST);
    expect(create.request.body).toEqual({
      url: 'http://hooks.example.com/plain',
    });
    create.flush(
      {
        statusCode: 400,
        error: 'invalid_request',
        message: 'invalid request: url must use https',
        fields: { url: 'must use https' },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await afterCall();
    await settle();
    const input = root.querySelector<HTMLInputElement>('#webhook-url')!;
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(
      root.querySelector(`#${input.getAttribute('aria-describedby')}`)
        ?.textContent,
    ).toContain('must use https');
    expect(root.querySelector('[data-testid="webhook-secret"]')).toBeNull();
  });

  it('asks before deleting; cancelling sends nothing, confirming deletes', async () => {
    await showList([aWebhook('w1')]);
    button('Delete…')!.click();
    await settle();
    expect(dialog()?.textContent).toContain('https://hooks.example.com/w1');
    button('Cancel', dialog()!)!.click();
    await settle();
    expect(dialog()).toBeNull();
    http.expectNone('/portal/api/webhooks/w1');
    button('Delete…')!.click();
    await settle();
    const confirm = button('Delete', dialog()!)!;
    expect(confirm.classList).toContain('danger');
    confirm.click();
    const del = http.expectOne('/portal/api/webhooks/w1');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await afterCall();
    await showList([]);
    expect(dialog()).toBeNull();
    expect(root.textContent).toContain('No webhooks yet');
  });

  it('links each webhook to its delivery log', async () => {
    await showList([aWebhook('w1')]);
    const link = root.querySelector<HTMLAnchorElement>('[data-webhook="w1"] a');
    expect(link?.getAttribute('href')).toBe('/developer/webhooks/w1');
    expect(link?.getAttribute('aria-label')).toBe(
      'Delivery log of https://hooks.example.com/w1',
    );
  });
});
