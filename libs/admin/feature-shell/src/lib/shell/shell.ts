import { Component, ElementRef, viewChild } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

interface NavItem {
  readonly label: string;
  /** Relative to the route that shows the shell. */
  readonly path: string;
}

/** Page frame of the admin portal: skip link, header, navigation and the main landmark. */
@Component({
  selector: 'lib-shell',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
})
export class Shell {
  protected readonly title = 'OneRoster Exchange — admin portal';
  protected readonly navItems: readonly NavItem[] = [
    { label: 'Overview', path: 'overview' },
  ];

  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  /**
   * A plain `href="#main-content"` would resolve against `<base href>` and reload the app
   * at `/`, so the skip link moves focus itself.
   */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }
}
