import { Routes } from '@angular/router';
import { Accounts } from './accounts/accounts';
import { Integrators } from './integrators/integrators';
import { OperatorLayout } from './operator-layout/operator-layout';
import { Schools } from './schools/schools';

const suffix = ' — OneRoster Exchange admin portal';

/** The platform operator's onboarding screens, mounted at `/operator` behind `requireOperator`. */
export const operatorRoutes: Routes = [
  {
    path: '',
    component: OperatorLayout,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'integrators' },
      {
        path: 'integrators',
        component: Integrators,
        title: `Integrators${suffix}`,
      },
      { path: 'schools', component: Schools, title: `Schools${suffix}` },
      { path: 'accounts', component: Accounts, title: `Accounts${suffix}` },
    ],
  },
];
