import { Component, computed, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { AuditEventView } from '@oneroster/contracts';
import {
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { formatDateTime, LoadState } from '@oneroster/admin-ui';

const PAGE = 50;

/** The school's audit trail, newest first, a page at a time. */
@Component({
  selector: 'lib-audit-trail',
  imports: [LoadState],
  templateUrl: './audit-trail.html',
})
export class AuditTrail {
  protected readonly valueOr = valueOr;
  readonly schoolId = input.required<string>();
  /** Id of the event the current page starts below (`null`: the newest). */
  protected readonly before = signal<number | null>(null);
  protected readonly events = httpResource<AuditEventView[]>(() => ({
    url: portalUrls.schoolAudit(this.schoolId()),
    params: {
      limit: PAGE,
      ...(this.before() === null ? {} : { before: this.before() as number }),
    },
  }));
  protected readonly error = computed(() =>
    this.events.error() ? toPortalError(this.events.error()) : null,
  );
  protected readonly hasOlder = computed(
    () => this.events.hasValue() && this.events.value().length === PAGE,
  );
  protected readonly formatDateTime = formatDateTime;

  protected older(): void {
    const page = valueOr(this.events, []);
    if (page?.length) this.before.set(page[page.length - 1].id);
  }

  /** The event's details as `name: value` lines, lists joined by commas. */
  protected detailsOf(
    event: AuditEventView,
  ): { name: string; value: string }[] {
    return Object.entries(event.details ?? {}).map(([name, value]) => ({
      name,
      value: Array.isArray(value)
        ? value.join(', ') || '–'
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    }));
  }
}
