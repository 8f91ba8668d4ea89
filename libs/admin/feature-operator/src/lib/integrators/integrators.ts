import { Component, computed, inject, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { IntegratorSummary, PortalError } from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { LoadState } from '@oneroster/admin-ui';

/** Lists integrators and onboards a new one. */
@Component({
  selector: 'lib-integrators',
  imports: [LoadState],
  templateUrl: './integrators.html',
})
export class Integrators {
  protected readonly valueOr = valueOr;
  private readonly api = inject(PortalApi);
  protected readonly list = httpResource<IntegratorSummary[]>(
    () => portalUrls.integrators,
  );
  protected readonly loadError = computed(() =>
    this.list.error() ? toPortalError(this.list.error()) : null,
  );
  protected readonly name = signal('');
  protected readonly website = signal('');
  protected readonly contactEmail = signal('');
  protected readonly error = signal<PortalError | null>(null);
  protected readonly created = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected async submit(): Promise<void> {
    if (!this.name().trim()) {
      this.error.set({
        statusCode: 400,
        error: 'invalid_request',
        message: 'Give the integrator a name.',
        fields: { name: 'Required.' },
      });
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const integrator = await this.api.createIntegrator({
        name: this.name().trim(),
        website: this.website().trim() || null,
        contactEmail: this.contactEmail().trim() || null,
      });
      this.created.set(`${integrator.name} is onboarded.`);
      this.name.set('');
      this.website.set('');
      this.contactEmail.set('');
      this.list.reload();
    } catch (failure) {
      this.error.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
