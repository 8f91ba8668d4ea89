import { Route } from '@angular/router';
// Type-only: a value import would pull the lazy-loaded library into the initial bundle.
import type { BackendUrls } from '@oneroster/feature-shell';

/**
 * The whole portal lives in `@oneroster/feature-shell`, loaded on first navigation. The
 * back-end URLs travel with it as a route-level provider, because the injection token can
 * only be reached through the dynamic import.
 */
export function appRoutes(backendUrls: BackendUrls): Route[] {
  return [
    {
      path: '',
      loadChildren: () =>
        import('@oneroster/feature-shell').then((shell) => [
          {
            path: '',
            providers: [shell.provideBackendUrls(backendUrls)],
            children: shell.shellRoutes,
          },
        ]),
    },
  ];
}
