import { Component, computed, inject, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import type {
  CreatedWebhook,
  PlatformEventType,
  PortalError,
  WebhookView,
} from '@oneroster/contracts';
import {
  PortalApi,
  PortalSession,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import {
  ConfirmDialog,
  CopyButton,
  formatDateTime,
  LoadState,
} from '@oneroster/admin-ui';
import { EVENT_LABELS, EVENT_TYPES } from './event-labels';

/**
 * The integrator's webhooks: register one (URL and events; its signing secret is shown
 * once, with a copy button, until dismissed, and never listed again), delete one (asks
 * first), and open each one's delivery log.
 */
@Component({
  selector: 'lib-webhook-list',
  imports: [ConfirmDialog, CopyButton, LoadState, RouterLink],
  templateUrl: './webhook-list.html',
  styleUrl: './stacked-table.css',
})
export class WebhookList {
  protected readonly valueOr = valueOr;
  protected readonly formatDateTime = formatDateTime;
  protected readonly eventTypes = EVENT_TYPES;
  protected readonly eventLabels = EVENT_LABELS;
  private readonly api = inject(PortalApi);
  private readonly session = inject(PortalSession);
  protected readonly integratorId = computed(
    () => this.session.me()?.integrator?.id,
  );

  protected readonly list = httpResource<WebhookView[]>(() => {
    const id = this.integratorId();
    return id ? portalUrls.integratorWebhooks(id) : undefined;
  });
  protected readonly loadError = computed(() =>
    this.list.error() ? toPortalError(this.list.error()) : null,
  );

  protected readonly url = signal('');
  protected readonly events = signal<ReadonlySet<PlatformEventType>>(
    new Set(EVENT_TYPES),
  );
  protected readonly created = signal<CreatedWebhook | null>(null);
  protected readonly pendingDelete = signal<WebhookView | null>(null);
  protected readonly busy = signal(false);
  protected readonly formError = signal<PortalError | null>(null);
  protected readonly deleteError = signal<PortalError | null>(null);
  protected readonly fieldErrors = computed(
    () => this.formError()?.fields ?? {},
  );

  protected toggle(type: PlatformEventType, on: boolean): void {
    const next = new Set(this.events());
    if (on) next.add(type);
    else next.delete(type);
    this.events.set(next);
  }

  protected async register(): Promise<void> {
    const integratorId = this.integratorId();
    if (!integratorId || this.busy()) return;
    this.busy.set(true);
    this.formError.set(null);
    try {
      // Every event selected is the default (absent); none selected is left to the server
      // to refuse, so the message is the API's own.
      const events = [...this.events()];
      const created = await this.api.createWebhook(integratorId, {
        url: this.url().trim(),
        ...(events.length === EVENT_TYPES.length ? {} : { events }),
      });
      this.created.set(created);
      this.url.set('');
      this.events.set(new Set(EVENT_TYPES));
      this.list.reload();
    } catch (failure) {
      this.formError.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }

  protected async confirmDelete(): Promise<void> {
    const hook = this.pendingDelete();
    if (!hook || this.busy()) return;
    this.busy.set(true);
    this.deleteError.set(null);
    try {
      await this.api.deleteWebhook(hook.id);
      if (this.created()?.id === hook.id) this.created.set(null);
      this.pendingDelete.set(null);
      this.list.reload();
    } catch (failure) {
      this.deleteError.set(toPortalError(failure));
      this.pendingDelete.set(null);
    } finally {
      this.busy.set(false);
    }
  }

  protected eventSummary(hook: WebhookView): string {
    return hook.events.length === EVENT_TYPES.length
      ? 'every event'
      : hook.events.join(', ');
  }
}
