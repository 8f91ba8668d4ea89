import { computed, Signal } from '@angular/core';
import { httpResource } from '@angular/common/http';

/** What the portal knows about one back-end service. */
export type ServiceHealth =
  | { readonly state: 'checking' }
  | { readonly state: 'up'; readonly version?: string }
  | { readonly state: 'unreachable' };

export interface HealthCheck {
  readonly health: Signal<ServiceHealth>;
  /** Asks the service again. */
  recheck(): void;
}

/** A health check gives up after this long and reports the service as unreachable. */
export const HEALTH_CHECK_TIMEOUT_MS = 5000;

/**
 * Calls `GET {baseUrl}/health` with `HttpClient` and exposes the result as a signal.
 * Any answer other than a successful JSON response (network error, time-out, HTTP error
 * status, unparsable body) counts as "unreachable". Must run in an injection context.
 */
export function healthCheck(baseUrl: string): HealthCheck {
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  const resource = httpResource(
    () => ({ url, timeout: HEALTH_CHECK_TIMEOUT_MS }),
    {
      parse: versionOf,
    },
  );

  const health = computed<ServiceHealth>(() => {
    if (resource.isLoading()) {
      return { state: 'checking' };
    }
    if (resource.error()) {
      return { state: 'unreachable' };
    }
    if (resource.hasValue()) {
      const version = resource.value();
      return version ? { state: 'up', version } : { state: 'up' };
    }
    return { state: 'checking' };
  });

  return { health, recheck: () => resource.reload() };
}

/**
 * The `version` field of a health response (see `HealthStatus` in `@oneroster/contracts`),
 * if it has a usable one. The body is checked at run time: it comes from another process.
 */
function versionOf(body: unknown): string | null {
  if (typeof body === 'object' && body !== null && 'version' in body) {
    const { version } = body;
    if (typeof version === 'string' && version.trim() !== '') {
      return version.trim();
    }
  }
  return null;
}
