import { Component, computed, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type {
  IntegratorUsageView,
  UsageCategoryFigures,
} from '@oneroster/contracts';
import {
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { BarChart, LoadState, type Bar } from '@oneroster/admin-ui';

/**
 * What each integrator did with the school's data, in plain words: which kinds of data it
 * read (pupils, staff, classes, enrolments, demographics, results…) and how many records,
 * per day as a chart with the same figures in a table, the records it wrote back, its
 * busiest days, and a CSV download of the figures. The endpoints are there for the
 * curious, folded away.
 */
@Component({
  selector: 'lib-usage',
  imports: [BarChart, LoadState],
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
  protected readonly csvUrl = computed(() =>
    portalUrls.schoolUsageCsv(this.schoolId(), this.days()),
  );

  protected bars(view: IntegratorUsageView): Bar[] {
    return view.days.map((d) => ({
      label: d.day,
      segments: d.categories.map((c) => ({
        key: c.key,
        label: c.label,
        value: c.records,
      })),
    }));
  }

  /** " (175 pupils, 480 classes and courses)", or nothing when nothing was read. */
  protected inWords(categories: readonly UsageCategoryFigures[]): string {
    if (!categories.length) return '';
    return ` (${categories
      .map((c) => `${c.records} ${c.label.toLowerCase()}`)
      .join(', ')})`;
  }

  protected plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  }

  protected recordsOf(
    view: IntegratorUsageView,
    day: IntegratorUsageView['days'][number],
    key: string,
  ): number {
    return day.categories.find((c) => c.key === key)?.records ?? 0;
  }
}
