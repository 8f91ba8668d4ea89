import { Component } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

/** Onboarding: integrators, schools and accounts, one tab each. */
@Component({
  selector: 'lib-operator-layout',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <h1>Onboarding</h1>
    <nav aria-label="Onboarding">
      <ul class="subnav">
        @for (tab of tabs; track tab.path) {
          <li>
            <a
              [routerLink]="['/operator', tab.path]"
              routerLinkActive="active"
              ariaCurrentWhenActive="page"
              >{{ tab.label }}</a
            >
          </li>
        }
      </ul>
    </nav>
    <router-outlet />
  `,
})
export class OperatorLayout {
  protected readonly tabs = [
    { path: 'integrators', label: 'Integrators' },
    { path: 'schools', label: 'Schools' },
    { path: 'accounts', label: 'Accounts' },
  ];
}
