import { Component, computed, input } from '@angular/core';

/** One part of a bar (a kind of data) and its value. */
export interface BarSegment {
  readonly key: string;
  readonly label: string;
  readonly value: number;
}

/** One bar (a day): its label and its parts, stacked in the order given. */
export interface Bar {
  readonly label: string;
  readonly segments: readonly BarSegment[];
}

/**
 * Colours per series key, chosen for at least 3:1 contrast against white and against each
 * other's neighbours (WCAG 2.2 §1.4.11, non-text contrast); the legend names every colour,
 * so colour is never the only carrier of meaning (§1.4.1).
 */
const PALETTE = [
  '#0550ae',
  '#bc4c00',
  '#116329',
  '#8250df',
  '#a40e26',
  '#6e7781',
  '#4d2d00',
  '#0a3069',
  '#953800',
  '#1b7c83',
];

const HEIGHT = 160;
const BAR = 18;
const GAP = 6;
const AXIS = 40;

/**
 * A stacked bar chart drawn as SVG, with no library. It is one image to assistive
 * technology (`role="img"`, a title and a description naming the total and the tallest
 * bar) and points at `tableId`, the caller's table of the same figures, as its text
 * alternative (WCAG 2.2 §1.1.1). Wide charts scroll sideways inside their own box, so the
 * page stays readable at phone width.
 */
@Component({
  selector: 'lib-bar-chart',
  template: `
    <figure class="chart">
      <div class="chart-scroll">
        <svg
          role="img"
          [attr.aria-labelledby]="id() + '-title ' + id() + '-desc'"
          [attr.aria-describedby]="tableId() || null"
          [attr.width]="width()"
          [attr.height]="height"
          [attr.viewBox]="'0 0 ' + width() + ' ' + height"
        >
          <title [id]="id() + '-title'">{{ title() }}</title>
          <desc [id]="id() + '-desc'">{{ description() }}</desc>
          <line
            class="axis"
            [attr.x1]="axis"
            [attr.x2]="width()"
            [attr.y1]="plotHeight"
            [attr.y2]="plotHeight"
          />
          <text class="tick" x="0" y="10">{{ max() }}</text>
          <text class="tick" x="0" [attr.y]="plotHeight">0</text>
          @for (bar of layout(); track bar.label) {
            <g [attr.data-bar]="bar.label">
              @for (part of bar.parts; track part.key) {
                <rect
                  [attr.x]="bar.x"
                  [attr.y]="part.y"
                  [attr.width]="barWidth"
                  [attr.height]="part.h"
                  [attr.fill]="colour(part.key)"
                  [attr.data-series]="part.key"
                >
                  <title>{{ partTitle(bar.label, part) }}</title>
                </rect>
              }
              <text
                class="tick"
                [attr.x]="bar.x + barWidth / 2"
                [attr.y]="height - 4"
                text-anchor="middle"
              >
                {{ bar.short }}
              </text>
            </g>
          }
        </svg>
      </div>
      <figcaption>
        <ul class="legend" aria-label="Legend">
          @for (s of series(); track s.key) {
            <li>
              <span
                class="swatch"
                aria-hidden="true"
                [style.background]="colour(s.key)"
              ></span>
              {{ s.label }}
            </li>
          }
        </ul>
      </figcaption>
    </figure>
  `,
  styles: `
    .chart {
      margin: 0.5rem 0 1rem;
    }
    .chart-scroll {
      overflow-x: auto;
      max-width: 100%;
    }
    .axis {
      stroke: #57606a;
      stroke-width: 1;
    }
    .tick {
      font-size: 10px;
      fill: #57606a;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      list-style: none;
      padding: 0;
      margin: 0.25rem 0 0;
      font-size: 0.875rem;
    }
    .swatch {
      display: inline-block;
      width: 0.75rem;
      height: 0.75rem;
      margin-right: 0.25rem;
      border-radius: 2px;
      vertical-align: middle;
    }
  `,
})
export class BarChart {
  /** Prefix of the chart's element ids (unique on the page). */
  readonly id = input.required<string>();
  readonly title = input.required<string>();

  /** A bar part's tooltip and accessible name: `2026-03-01: Pupils 30`. */
  partTitle(day: string, part: { label: string; value: number }): string {
    return `${day}: ${part.label} ${part.value}`;
  }
  readonly bars = input.required<readonly Bar[]>();
  /** The unit of the values, in words (e.g. `records`). */
  readonly unit = input('');
  /** The id of the table holding the same figures. */
  readonly tableId = input('');

  protected readonly height = HEIGHT + 20;
  protected readonly plotHeight = HEIGHT;
  protected readonly axis = AXIS;
  protected readonly barWidth = BAR;

  /** Every series in the order first met, each with its stable colour. */
  protected readonly series = computed(() => {
    const seen = new Map<string, string>();
    for (const bar of this.bars())
      for (const s of bar.segments)
        if (!seen.has(s.key)) seen.set(s.key, s.label);
    return [...seen].map(([key, label]) => ({ key, label }));
  });

  private readonly totals = computed(() =>
    this.bars().map((b) => b.segments.reduce((n, s) => n + s.value, 0)),
  );
  protected readonly max = computed(() => Math.max(1, ...this.totals()));
  protected readonly width = computed(
    () => AXIS + this.bars().length * (BAR + GAP) + GAP,
  );

  protected readonly layout = computed(() => {
    const max = this.max();
    return this.bars().map((bar, i) => {
      let top = HEIGHT;
      const parts = bar.segments
        .filter((s) => s.value > 0)
        .map((s) => {
          const h = Math.max(1, (s.value / max) * HEIGHT);
          top -= h;
          return { ...s, y: top, h };
        });
      return {
        label: bar.label,
        // Day labels `2026-03-05` shown as `05`; the full label is in each part's title.
        short: bar.label.slice(-2),
        x: AXIS + GAP + i * (BAR + GAP),
        parts,
      };
    });
  });

  protected readonly description = computed(() => {
    const totals = this.totals();
    const sum = totals.reduce((n, v) => n + v, 0);
    const unit = this.unit() ? ` ${this.unit()}` : '';
    if (!totals.length) return 'No figures.';
    const top = totals.indexOf(Math.max(...totals));
    return `${this.bars().length} bars, ${sum}${unit} in all; the highest is ${this.bars()[top].label} with ${totals[top]}${unit}.`;
  });

  protected colour(key: string): string {
    const i = this.series().findIndex((s) => s.key === key);
    return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
  }
}
