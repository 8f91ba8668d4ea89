import { Component, computed, input } from '@angular/core';
import { httpResource } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import type { SchoolHomeView } from '@oneroster/contracts';
import { portalUrls, toPortalError } from '@oneroster/admin-data-access';
import { formatDateTime, LoadState } from '@oneroster/admin-ui';

/**
 * A school administrator's home page, answering at a glance: how many decisions wait (with
 * the way to them), which apps may read the school's data and what each may read in plain
 * words, the last CSV import (when, by whom, its result and its report), and the latest
 * revocations.
 */
@Component({
  selector: 'lib-school-home',
  imports: [LoadState, RouterLink],
  templateUrl: './school-home.html',
})
export class SchoolHome {
  readonly schoolId = input.required<string>();
  protected readonly home = httpResource<SchoolHomeView>(() =>
    portalUrls.schoolHome(this.schoolId()),
  );
  protected readonly error = computed(() =>
    this.home.error() ? toPortalError(this.home.error()) : null,
  );
  protected readonly formatDateTime = formatDateTime;

  protected importResult(view: SchoolHomeView): string {
    const last = view.lastImport;
    if (!last) return '';
    switch (last.status) {
      case 'succeeded':
        return last.mode === 'validate'
          ? `checked: ${last.errors ?? 0} errors, ${last.warnings ?? 0} warnings`
          : `imported: ${last.errors ?? 0} errors, ${last.warnings ?? 0} warnings`;
      case 'failed':
        return `failed: ${last.errors ?? 0} errors, nothing was imported`;
      case 'unknown':
        return 'result no longer known (the server restarted since)';
      default:
        return `still running (${last.status})`;
    }
  }
}
