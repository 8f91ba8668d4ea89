import { computed, inject } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { ApplicationView } from '@oneroster/contracts';
import {
  PortalSession,
  portalUrls,
  toPortalError,
} from '@oneroster/admin-data-access';

/**
 * The signed-in developer's integrator's applications, as a resource (the portal API lists
 * them per integrator). Must run in an injection context.
 */
export function developerApplications() {
  const session = inject(PortalSession);
  const integratorId = computed(() => session.me()?.integrator?.id);
  const list = httpResource<ApplicationView[]>(() => {
    const id = integratorId();
    return id ? portalUrls.integratorApplications(id) : undefined;
  });
  const error = computed(() =>
    list.error() ? toPortalError(list.error()) : null,
  );
  return { integratorId, list, error };
}
