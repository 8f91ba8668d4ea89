import { inject } from '@angular/core';
import { Routes } from '@angular/router';
import { PortalSession } from '@oneroster/admin-data-access';
import { Applications } from './applications/applications';
import { AuditTrail } from './audit-trail/audit-trail';
import { CsvImport } from './csv-import/csv-import';
import { SchoolLayout } from './school-layout/school-layout';
import { Usage } from './usage/usage';

const suffix = ' — OneRoster Exchange admin portal';

/** The school administrator's screens, mounted at `/school` behind `requireSchoolAdmin`. */
export const schoolRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    redirectTo: () => {
      const [first] = inject(PortalSession).roles().adminSchools;
      return first ? `/school/${first.id}/applications` : '/home';
    },
  },
  {
    path: ':schoolId',
    component: SchoolLayout,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'applications' },
      {
        path: 'applications',
        component: Applications,
        title: `Applications${suffix}`,
      },
      { path: 'audit', component: AuditTrail, title: `Audit trail${suffix}` },
      { path: 'usage', component: Usage, title: `Usage${suffix}` },
      { path: 'imports', component: CsvImport, title: `CSV import${suffix}` },
    ],
  },
];
