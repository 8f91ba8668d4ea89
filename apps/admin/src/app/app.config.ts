import {
  ApplicationConfig,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { provideHttpClient, withFetch } from '@angular/common/http';
import { provideRouter } from '@angular/router';
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
    provideRouter(appRoutes(defaultBackendUrls)),
    provideHttpClient(withFetch()),
  ],
};
