import { TestBed } from '@angular/core/testing';
import { BarChart, type Bar } from './bar-chart';

const BARS: Bar[] = [
  {
    label: '2026-03-01',
    segments: [
      { key: 'pupils', label: 'Pupils', value: 30 },
      { key: 'classes', label: 'Classes and courses', value: 10 },
    ],
  },
  {
    label: '2026-03-02',
    segments: [{ key: 'classes', label: 'Classes and courses', value: 80 }],
  },
];

describe('BarChart', () => {
  function render(bars: Bar[]) {
    const fixture = TestBed.createComponent(BarChart);
    fixture.componentRef.setInput('id', 'c1');
    fixture.componentRef.setInput('title', 'Records read per day');
    fixture.componentRef.setInput('bars', bars);
    fixture.componentRef.setInput('unit', 'records');
    fixture.componentRef.setInput('tableId', 't1');
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('is one labelled image that points at the table of the same figures', () => {
    const svg = render(BARS).querySelector('svg') as SVGElement;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-labelledby')).toBe('c1-title c1-desc');
    expect(svg.getAttribute('aria-describedby')).toBe('t1');
    expect(svg.querySelector('title')?.textContent).toBe(
      'Records read per day',
    );
    expect(svg.querySelector('desc')?.textContent).toBe(
      '2 bars, 120 records in all; the highest is 2026-03-02 with 80 records.',
    );
  });

  it('stacks each bar by series, heights in proportion to the tallest bar', () => {
    const root = render(BARS);
    const day1 = root.querySelectorAll('g[data-bar="2026-03-01"] rect');
    const day2 = root.querySelectorAll('g[data-bar="2026-03-02"] rect');
    expect(day1).toHaveLength(2);
    expect(day2).toHaveLength(1);
    const h = (r: Element) => Number(r.getAttribute('height'));
    expect(h(day2[0])).toBe(160);
    expect(h(day1[0]) + h(day1[1])).toBeCloseTo(80);
    expect(h(day1[0])).toBeCloseTo(60);
    // The same series has the same colour in every bar.
    expect(day1[1].getAttribute('fill')).toBe(day2[0].getAttribute('fill'));
    expect(day1[0].getAttribute('fill')).not.toBe(day1[1].getAttribute('fill'));
    expect(day1[0].querySelector('title')?.textContent).toBe(
      '2026-03-01: Pupils 30',
    );
  });

  it('names every colour in a legend', () => {
    const items = Array.from(render(BARS).querySelectorAll('.legend li')).map(
      (li) => li.textContent?.trim(),
    );
    expect(items).toEqual(['Pupils', 'Classes and courses']);
  });

  it('says so when there are no figures', () => {
    expect(render([]).querySelector('desc')?.textContent).toBe('No figures.');
  });
});
