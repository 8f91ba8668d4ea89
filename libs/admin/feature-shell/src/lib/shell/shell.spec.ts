import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Component } from '@angular/core';
import { Shell } from './shell';

@Component({ template: '<p>page content</p>' })
class StubPage {}

describe('Shell', () => {
  let harness: RouterTestingHarness;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          {
            path: '',
            component: Shell,
            children: [{ path: 'overview', component: StubPage }],
          },
        ]),
      ],
    });
    harness = await RouterTestingHarness.create('/overview');
    root = harness.routeNativeElement as HTMLElement;
  });

  it('renders the portal name in the banner', () => {
    const header = root.querySelector('header');
    expect(header?.textContent).toContain('OneRoster Exchange — admin portal');
  });

  it('renders a labelled navigation with a link to the overview, marked current', () => {
    const nav = root.querySelector('nav');
    expect(nav?.getAttribute('aria-label')).toBe('Main');

    const links = Array.from(nav?.querySelectorAll('a') ?? []);
    expect(links.map((link) => link.textContent?.trim())).toEqual(['Overview']);
    expect(links[0].getAttribute('href')).toBe('/overview');
    expect(links[0].getAttribute('aria-current')).toBe('page');
  });

  it('shows the routed page inside the main landmark', () => {
    const main = root.querySelector('main');
    expect(main?.id).toBe('main-content');
    expect(main?.textContent).toContain('page content');
  });

  it('has a skip link that moves focus to the main landmark without navigating', () => {
    const skip = root.querySelector<HTMLAnchorElement>('a.skip-link');
    expect(skip?.textContent?.trim()).toBe('Skip to main content');
    expect(skip?.getAttribute('href')).toBe('#main-content');

    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    skip?.dispatchEvent(click);

    expect(click.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(root.querySelector('main'));
  });
});
