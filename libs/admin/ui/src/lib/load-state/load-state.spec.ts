import { TestBed } from '@angular/core/testing';
import { Component, input } from '@angular/core';
import type { PortalError } from '@oneroster/contracts';
import { LoadState } from './load-state';

@Component({
  imports: [LoadState],
  template: `<lib-load-state
    [loading]="loading()"
    [error]="error()"
    [empty]="empty()"
    emptyText="Nothing yet."
    (retry)="retried = retried + 1"
    ><p id="content">content</p></lib-load-state
  >`,
})
class Host {
  readonly loading = input(false);
  readonly error = input<PortalError | null>(null);
  readonly empty = input(false);
  retried = 0;
}

describe('LoadState', () => {
  function render(
    inputs: Partial<Record<'loading' | 'error' | 'empty', unknown>>,
  ) {
    const fixture = TestBed.createComponent(Host);
    for (const [name, value] of Object.entries(inputs))
      fixture.componentRef.setInput(name, value);
    fixture.detectChanges();
    return fixture;
  }

  it('announces loading politely and hides the content', () => {
    const root = render({ loading: true }).nativeElement as HTMLElement;
    expect(root.querySelector('[role="status"]')?.textContent).toContain(
      'Loading…',
    );
    expect(root.querySelector('#content')).toBeNull();
  });

  it('shows the error sentence with a retry', () => {
    const fixture = render({
      error: { statusCode: 500, error: 'server_error', message: 'It broke.' },
    });
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[role="alert"]')?.textContent).toContain(
      'It broke.',
    );
    root.querySelector('button')!.click();
    expect(fixture.componentInstance.retried).toBe(1);
  });

  it('says when there is nothing, and shows the content otherwise', () => {
    expect(
      (render({ empty: true }).nativeElement as HTMLElement).textContent,
    ).toContain('Nothing yet.');
    expect(
      (render({}).nativeElement as HTMLElement).querySelector('#content'),
    ).not.toBeNull();
  });
});
