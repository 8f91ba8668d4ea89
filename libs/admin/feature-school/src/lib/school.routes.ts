import { inject } from '@angular/core';
import { Routes } from '@angular/router';
import { PortalSession } from '@oneroster/admin-data-access';
import { Applications } from './applications/applications';
import { AuditTrail } from './audit-trail/audit-trail';
import { CsvImport } from './csv-import/csv-import';
import { MisCredentials } from './mis-credentials/mis-credentials';
import { SchoolHome } from './school-home/school-home';
import { SchoolLayout } from './school-layout/school-layout';
import { Usage } from './usage/usage';

const suffix = ' — OneRoster Exchange admin portal';

/**
 * The school administrator's screens, mounted at `/school` behind `requireSchoolAdmin`; a
 * school's home page is where `/school` and `/school/:schoolId` lead.
 */
export const schoolRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    redirectTo: () => {
      const [first] = inject(PortalSession).roles().adminSchools;
      return first ? `/school/${first.id}/home` : '/home';
    },
  },
  {
    path: ':schoolId',
    component: SchoolLayout,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'home' },
      { path: 'home', component: SchoolHome, title: `School home${suffix}` },
      {
        path: 'applications',
        component: Applications,
        title: `Applications${suffix}`,
      },
      { path: 'audit', component: AuditTrail, title: `Audit trail${suffix}` },
      { path: 'usage', component: Usage, title: `Usage${suffix}` },
      { path: 'imports', component: CsvImport, title: `CSV import${suffix}` },
      {
        path: 'mis',
        component: MisCredentials,
        title: `MIS credentials${suffix}`,
      },
    ],
  },
];
