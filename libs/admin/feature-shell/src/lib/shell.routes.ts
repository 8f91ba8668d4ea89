import { Routes } from '@angular/router';
import { Overview } from './overview/overview';
import { Shell } from './shell/shell';

/** Everything under the shell. Mount with `loadChildren` at the root of the admin app. */
export const shellRoutes: Routes = [
  {
    path: '',
    component: Shell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'overview' },
      {
        path: 'overview',
        component: Overview,
        title: 'Overview — OneRoster Exchange admin portal',
      },
      { path: '**', redirectTo: 'overview' },
    ],
  },
];
