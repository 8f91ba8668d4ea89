import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { PlatformPage, WebhookDeliveryView } from '@oneroster/contracts';
import {
  aPortalMe,
  PortalSession,
  portalInterceptor,
} from '@oneroster/admin-data-access';
import {
  DELIVERIES_PER_PAGE,
  REFRESH_WHILE_PENDING_MS,
  WebhookDeliveries,
} from './webhook-deliveries';

const LOG = '/portal/api/webhooks/w1/deliveries';
const HOOKS = '/portal/api/integrators/integrator-1/webhooks';

const aDelivery = (
  id: string,
  overrides: Partial<WebhookDeliveryView> = {},
): WebhookDeliveryView => ({
  id,
  eventId: `event-${id}`,
  eventType: 'approval.granted',
  status: 'succeeded',
  attempts: 2,
  responseCode: 200,
  nextAttemptAt: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  deliveredAt: '2026-01-01T10:00:01.000Z',
  log: [
    {
      attempt: 1,
      at: '2026-01-01T10:00:00.100Z',
      responseCode: 503,
      error: 'answered 503',
      durationMs: 12,
    },
    {
      attempt: 2,
      at: '2026-01-01T10:00:00.900Z',
      responseCode: 200,
      error: null,
      durationMs: 8,
    },
  ],
  ...overrides,
});

const page = (
  data: WebhookDeliveryView[],
  total = data.length,
  offset = 0,
): PlatformPage<WebhookDeliveryView> => ({
  data,
  total,
  limit: DELIVERIES_PER_PAGE,
  offset,
});

describe('WebhookDeliveries', () => {
  let fixture: ComponentFixture<WebhookDeliveries>;
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
    fixture = TestBed.createComponent(WebhookDeliveries);
    fixture.componentRef.setInput('webhookId', 'w1');
    fixture.detectChanges();
    root = fixture.nativeElement as HTMLElement;
    http.expectOne(HOOKS).flush([
      {
        id: 'w1',
        url: 'https://hooks.example.com/w1',
        events: ['approval.granted'],
        createdAt: '2026-01-01T09:00:00.000Z',
      },
    ]);
  });

  afterEach(() => {
    jest.useRealTimers();
    http.verify();
  });

  const button = (label: string, within: ParentNode = root) =>
    Array.from(within.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === label,
    );
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const afterCall = () => new Promise((resolve) => setTimeout(resolve));
  const logRequest = (offset = 0): TestRequest =>
    http.expectOne(
      (r) =>
        r.url === LOG &&
        r.params.get('offset') === String(offset) &&
        r.params.get('limit') === String(DELIVERIES_PER_PAGE),
    );
  const show = async (body: PlatformPage<WebhookDeliveryView>, offset = 0) => {
    logRequest(offset).flush(body);
    await settle();
  };

  it('shows status, attempts, response code, next attempt and every attempt', async () => {
    await show(
      page([
        aDelivery('d2', {
          eventType: 'approval.revoked',
          status: 'failed',
          attempts: 3,
          responseCode: 500,
          log: [],
        }),
        aDelivery('d1'),
      ]),
    );
    expect(root.textContent).toContain('https://hooks.example.com/w1');
    const first = root.querySelector('[data-delivery="d1"]')!;
    const cells = Array.from(first.querySelectorAll('td')).map((td) =>
      td.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(cells[0]).toContain('approval.granted');
    expect(cells[1]).toBe('succeeded');
    expect(cells[2]).toMatch(/^2 Every attempt/);
    expect(cells[3]).toBe('200');
    expect(cells[4]).toBe('–');
    const attempts = Array.from(first.querySelectorAll('ol li')).map((li) =>
      li.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatch(/503 \(answered 503\), 12 ms$/);
    expect(attempts[1]).toMatch(/200 OK, 8 ms$/);
    expect(
      root.querySelector('[data-delivery="d2"] .badge')?.className,
    ).toContain('badge-failed');
    expect(root.textContent).toContain('1–2 of 2');
  });

  it('says when nothing was delivered yet, and shows a failed load with a retry', async () => {
    logRequest().flush(
      { statusCode: 404, error: 'not_found', message: 'webhook not found' },
      { status: 404, statusText: 'Not Found' },
    );
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'webhook not found',
    );
    button('Try again')!.click();
    fixture.detectChanges();
    await show(page([]));
    expect(root.textContent).toContain('Nothing delivered yet');
  });

  it('replays a delivery and reads the log again', async () => {
    await show(page([aDelivery('d1')]));
    const replay = button('Replay')!;
    expect(replay.getAttribute('aria-label')).toContain(
      'Replay the approval.granted delivery',
    );
    replay.click();
    fixture.detectChanges();
    const req = http.expectOne('/portal/api/webhooks/w1/deliveries/d1/replay');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('X-CSRF-Token')).toBe('csrf-token-1');
    expect(button('Replaying…')?.disabled).toBe(true);
    req.flush(aDelivery('d3', { status: 'pending', attempts: 0, log: [] }), {
      status: 202,
      statusText: 'Accepted',
    });
    await afterCall();
    fixture.detectChanges();
    await show(page([aDelivery('d3'), aDelivery('d1')]));
    expect(root.querySelector('.notice')?.textContent).toContain(
      'queued again',
    );
    expect(root.querySelectorAll('[data-delivery]')).toHaveLength(2);
  });

  it('shows a refused replay', async () => {
    await show(page([aDelivery('d1')]));
    button('Replay')!.click();
    http
      .expectOne('/portal/api/webhooks/w1/deliveries/d1/replay')
      .flush(
        { statusCode: 404, error: 'not_found', message: 'webhook not found' },
        { status: 404, statusText: 'Not Found' },
      );
    await afterCall();
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'webhook not found',
    );
  });

  it('pages with Newer and Older', async () => {
    const many = Array.from({ length: DELIVERIES_PER_PAGE }, (_, i) =>
      aDelivery(`d${i}`),
    );
    await show(page(many, DELIVERIES_PER_PAGE + 1));
    expect(button('Newer')?.disabled).toBe(true);
    button('Older')!.click();
    fixture.detectChanges();
    await show(
      page([aDelivery('last')], DELIVERIES_PER_PAGE + 1, DELIVERIES_PER_PAGE),
      DELIVERIES_PER_PAGE,
    );
    expect(button('Older')?.disabled).toBe(true);
    expect(root.textContent).toContain(
      `${DELIVERIES_PER_PAGE + 1}–${DELIVERIES_PER_PAGE + 1} of ${DELIVERIES_PER_PAGE + 1}`,
    );
    button('Newer')!.click();
    fixture.detectChanges();
    await show(page(many, DELIVERIES_PER_PAGE + 1));
  });

  it('reads the log again while a delivery is under way, and stops when none is', async () => {
    await show(
      page([
        aDelivery('d1', {
          status: 'pending',
          nextAttemptAt: '2026-01-01T10:05:00.000Z',
        }),
      ]),
    );
    expect(
      root.querySelector('[data-delivery="d1"] td:nth-child(5)')?.textContent,
    ).not.toContain('–');
    http.expectNone((r) => r.url === LOG);
    await new Promise((r) => setTimeout(r, REFRESH_WHILE_PENDING_MS + 100));
    await show(page([aDelivery('d1')]));
    await new Promise((r) => setTimeout(r, REFRESH_WHILE_PENDING_MS + 100));
    http.expectNone((r) => r.url === LOG);
  }, 10_000);
});
