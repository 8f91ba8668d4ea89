import { Routes } from '@angular/router';
import {
  requireDeveloper,
  requireOperator,
  requireSchoolAdmin,
  requireSignedIn,
} from '@oneroster/admin-data-access';
import { AccountPassword } from './account-password/account-password';
import { Home } from './home/home';
import { Overview } from './overview/overview';
import { Receipt } from './receipt/receipt';
import { Shell } from './shell/shell';

const suffix = ' — OneRoster Exchange admin portal';

/**
 * Everything under the shell. Mount with `loadChildren` at the root of the admin app. Each
 * role's screens are a library of their own, loaded when an account with that role opens
 * them (the guards wait for the session and send everyone else home).
 */
export const shellRoutes: Routes = [
  {
    path: '',
    component: Shell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'home' },
      { path: 'home', component: Home, title: `Home${suffix}` },
      { path: 'overview', component: Overview, title: `Overview${suffix}` },
      {
        path: 'account/password',
        canMatch: [requireSignedIn],
        component: AccountPassword,
        title: `Change your password${suffix}`,
      },
      {
        path: 'receipts/:receiptId',
        component: Receipt,
        title: `Receipt${suffix}`,
      },
      {
        path: 'school',
        canMatch: [requireSchoolAdmin],
        loadChildren: () =>
          import('@oneroster/feature-school').then((m) => m.schoolRoutes),
      },
      {
        path: 'developer',
        canMatch: [requireDeveloper],
        loadChildren: () =>
          import('@oneroster/feature-integrator').then(
            (m) => m.integratorRoutes,
          ),
      },
      {
        path: 'operator',
        canMatch: [requireOperator],
        loadChildren: () =>
          import('@oneroster/feature-operator').then((m) => m.operatorRoutes),
      },
      { path: '**', redirectTo: 'home' },
    ],
  },
];
