import { Component, computed, inject, input } from '@angular/core';
import {
  Router,
  RouterLink,
  RouterLinkActive,
  RouterOutlet,
} from '@angular/router';
import { PortalSession } from '@oneroster/admin-data-access';

/** The frame of one school's pages: which school (a picker when there are several) and tabs. */
@Component({
  selector: 'lib-school-layout',
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  templateUrl: './school-layout.html',
})
export class SchoolLayout {
  readonly schoolId = input.required<string>();
  private readonly router = inject(Router);
  protected readonly schools = inject(PortalSession).roles;
  protected readonly school = computed(() =>
    this.schools().adminSchools.find((s) => s.id === this.schoolId()),
  );
  protected readonly tabs = [
    { path: 'home', label: 'Home' },
    { path: 'applications', label: 'Applications' },
    { path: 'audit', label: 'Audit trail' },
    { path: 'usage', label: 'Usage' },
    { path: 'imports', label: 'CSV import' },
    { path: 'mis', label: 'MIS credentials' },
  ];

  protected pick(schoolId: string): void {
    void this.router.navigate(['/school', schoolId, 'home']);
  }
}
