import { InjectionToken, Provider } from '@angular/core';

/** Base URLs of the two back-end services the admin portal talks to. */
export interface BackendUrls {
  /** The OneRoster API, e.g. `http://localhost:3000`. */
  readonly api: string;
  /** The authorization server, e.g. `http://localhost:3333`. */
  readonly auth: string;
}

/**
 * Where the back-end services live. The application provides it (the admin app does so on
 * the lazy route that loads `shellRoutes`, with the defaults from its `app.config.ts`).
 * There is deliberately no built-in default, so a missing provider fails loudly instead of
 * silently calling the wrong host.
 */
export const BACKEND_URLS = new InjectionToken<BackendUrls>('BACKEND_URLS');

/** Provides {@link BACKEND_URLS}, at the application root or on a route. */
export function provideBackendUrls(urls: BackendUrls): Provider {
  return { provide: BACKEND_URLS, useValue: urls };
}
