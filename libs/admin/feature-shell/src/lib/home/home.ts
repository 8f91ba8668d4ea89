import { Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { PortalSession } from '@oneroster/admin-data-access';
import { LoadState } from '@oneroster/admin-ui';

/**
 * First page: the sign-in landing for visitors, and for signed-in accounts the places their
 * roles open (a school's applications, the integrator's applications, onboarding).
 */
@Component({
  selector: 'lib-home',
  imports: [RouterLink, LoadState],
  templateUrl: './home.html',
})
export class Home {
  private readonly session = inject(PortalSession);
  protected readonly state = this.session.state;
  protected readonly roles = this.session.roles;
  protected readonly signInUrl = this.session.signInUrl('/home');
  protected readonly error = computed(() => {
    const s = this.state();
    return s.kind === 'error' ? s.error : null;
  });

  constructor() {
    void this.session.ensureLoaded();
  }

  protected retry(): void {
    void this.session.reload();
  }
}
