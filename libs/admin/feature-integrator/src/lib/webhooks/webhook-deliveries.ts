import {
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { httpResource } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import type {
  PlatformPage,
  PortalError,
  WebhookDeliveryView,
  WebhookView,
} from '@oneroster/contracts';
import {
  PortalApi,
  PortalSession,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { formatDateTime, LoadState } from '@oneroster/admin-ui';

/** Deliveries per page of the log. */
export const DELIVERIES_PER_PAGE = 20;
/** How often the log is read again while a delivery on the page is still under way. */
export const REFRESH_WHILE_PENDING_MS = 2000;

/**
 * One webhook's delivery log, newest first: each delivery's event, status, attempts, last
 * response code and next attempt, and every attempt on demand; a replay button queues the
 * same event again (a new delivery, due at once). Paged with "Newer" and "Older"; read
 * again every few seconds while a delivery on the page is pending or being delivered.
 */
@Component({
  selector: 'lib-webhook-deliveries',
  imports: [LoadState, RouterLink],
  templateUrl: './webhook-deliveries.html',
  styleUrl: './stacked-table.css',
})
export class WebhookDeliveries {
  /** The route's `:webhookId` (component input binding). */
  readonly webhookId = input.required<string>();
  protected readonly valueOr = valueOr;
  protected readonly formatDateTime = formatDateTime;
  private readonly api = inject(PortalApi);
  private readonly session = inject(PortalSession);

  protected readonly offset = signal(0);
  protected readonly log = httpResource<PlatformPage<WebhookDeliveryView>>(
    () => ({
      url: portalUrls.webhookDeliveries(this.webhookId()),
      params: { limit: DELIVERIES_PER_PAGE, offset: this.offset() },
    }),
  );
  /** The webhook itself, for its URL in the heading. */
  private readonly hooks = httpResource<WebhookView[]>(() => {
    const id = this.session.me()?.integrator?.id;
    return id ? portalUrls.integratorWebhooks(id) : undefined;
  });
  protected readonly hook = computed(
    () =>
      valueOr(this.hooks, []).find((h) => h.id === this.webhookId()) ?? null,
  );
  protected readonly loadError = computed(() =>
    this.log.error() ? toPortalError(this.log.error()) : null,
  );
  protected readonly deliveries = computed(
    () => valueOr(this.log, null)?.data ?? [],
  );
  protected readonly total = computed(
    () => valueOr(this.log, null)?.total ?? 0,
  );
  protected readonly replaying = signal<string | null>(null);
  protected readonly replayed = signal<string | null>(null);
  protected readonly replayError = signal<PortalError | null>(null);

  constructor() {
    effect((onCleanup) => {
      const underWay = this.deliveries().some(
        (d) => d.status === 'pending' || d.status === 'delivering',
      );
      if (!underWay) return;
      const timer = setTimeout(
        () => this.log.reload(),
        REFRESH_WHILE_PENDING_MS,
      );
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected page(step: 1 | -1): void {
    this.offset.set(Math.max(0, this.offset() + step * DELIVERIES_PER_PAGE));
  }

  protected async replay(delivery: WebhookDeliveryView): Promise<void> {
    if (this.replaying()) return;
    this.replaying.set(delivery.id);
    this.replayError.set(null);
    this.replayed.set(null);
    try {
      await this.api.replayDelivery(this.webhookId(), delivery.id);
      this.replayed.set(
        `The ${delivery.eventType} event is queued again as a new delivery.`,
      );
      // The new delivery is the newest: show the first page.
      if (this.offset() === 0) this.log.reload();
      else this.offset.set(0);
    } catch (failure) {
      this.replayError.set(toPortalError(failure));
    } finally {
      this.replaying.set(null);
    }
  }

  protected attemptResult(attempt: {
    responseCode: number | null;
    error: string | null;
  }): string {
    if (attempt.error && attempt.responseCode === null) return attempt.error;
    return attempt.error
      ? `${attempt.responseCode} (${attempt.error})`
      : `${attempt.responseCode} OK`;
  }
}
