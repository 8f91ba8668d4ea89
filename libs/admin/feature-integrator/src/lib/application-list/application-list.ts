import { Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { PortalSession, valueOr } from '@oneroster/admin-data-access';
import { LoadState } from '@oneroster/admin-ui';
import { developerApplications } from '../developer-applications';

/** The integrator's applications and, for each, which schools approved it. */
@Component({
  selector: 'lib-application-list',
  imports: [LoadState, RouterLink],
  templateUrl: './application-list.html',
})
export class ApplicationList {
  protected readonly valueOr = valueOr;
  private readonly session = inject(PortalSession);
  protected readonly integrator = computed(
    () => this.session.me()?.integrator ?? null,
  );
  protected readonly apps = developerApplications();
}
