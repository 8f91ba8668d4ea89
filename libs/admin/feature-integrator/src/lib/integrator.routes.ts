import { Routes } from '@angular/router';
import { ApplicationDetail } from './application-detail/application-detail';
import { ApplicationList } from './application-list/application-list';
import { NewApplication } from './application-form/new-application';
import { Sandbox } from './sandbox/sandbox';
import { WebhookDeliveries } from './webhooks/webhook-deliveries';
import { WebhookList } from './webhooks/webhook-list';

const suffix = ' — OneRoster Exchange admin portal';

/** The integrator developer's screens, mounted at `/developer` behind `requireDeveloper`. */
export const integratorRoutes: Routes = [
  { path: '', component: ApplicationList, title: `Applications${suffix}` },
  { path: 'new', component: NewApplication, title: `New application${suffix}` },
  {
    path: 'applications/:appId',
    component: ApplicationDetail,
    title: `Application${suffix}`,
  },
  { path: 'sandbox', component: Sandbox, title: `Sandbox${suffix}` },
  { path: 'webhooks', component: WebhookList, title: `Webhooks${suffix}` },
  {
    path: 'webhooks/:webhookId',
    component: WebhookDeliveries,
    title: `Delivery log${suffix}`,
  },
];
