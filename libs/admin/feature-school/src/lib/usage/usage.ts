import { Component, computed, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { IntegratorUsageView } from '@oneroster/contracts';
import {
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { LoadState } from '@oneroster/admin-ui';

/** What each integrator did with the school's data: requests per day, endpoints, write-backs. */
@Component({
  selector: 'lib-usage',
  imports: [LoadState],
  templateUrl: './usage.html',
})
export class Usage {
  protected readonly valueOr = valueOr;
  readonly schoolId = input.required<string>();
  protected readonly days = signal(30);
  protected readonly usage = httpResource<IntegratorUsageView[]>(() => ({
    url: portalUrls.schoolUsage(this.schoolId()),
    params: { days: this.days() },
  }));
  protected readonly error = computed(() =>
    this.usage.error() ? toPortalError(this.usage.error()) : null,
  );

  protected total(view: IntegratorUsageView): number {
    return view.days.reduce((sum, day) => sum + day.requests, 0);
  }

  protected written(view: IntegratorUsageView): number {
    return view.days.reduce((sum, day) => sum + day.recordsWritten, 0);
  }
}
