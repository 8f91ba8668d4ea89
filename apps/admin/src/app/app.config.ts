import {
  ApplicationConfig,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import {
  provideHttpClient,
  withInterceptors,
  withXhr,
} from '@angular/common/http';
import {
  provideRouter,
  withComponentInputBinding,
  withRouterConfig,
} from '@angular/router';
import { portalInterceptor } from '@oneroster/admin-data-access';
import type { BackendUrls } from '@oneroster/feature-shell';
import { appRoutes } from './app.routes';

/** Local development defaults. To point the portal elsewhere, pass other URLs to `appRoutes`. */
export const defaultBackendUrls: BackendUrls = {
  api: 'http://localhost:3000',
  auth: 'http://localhost:3333',
};

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // Route parameters (a parent's too) arrive as component inputs.
    provideRouter(
      appRoutes(defaultBackendUrls),
      withComponentInputBinding(),
      withRouterConfig({ paramsInheritanceStrategy: 'always' }),
    ),
    // XHR rather than fetch: only XHR reports upload progress (CSV import).
    provideHttpClient(withXhr(), withInterceptors([portalInterceptor])),
  ],
};
