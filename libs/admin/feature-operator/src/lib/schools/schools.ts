import { Component, computed, inject, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { PortalError, SchoolSummary } from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { LoadState } from '@oneroster/admin-ui';

/** Lists schools and onboards a new one. */
@Component({
  selector: 'lib-schools',
  imports: [LoadState],
  templateUrl: './schools.html',
})
export class Schools {
  protected readonly valueOr = valueOr;
  private readonly api = inject(PortalApi);
  protected readonly list = httpResource<SchoolSummary[]>(
    () => portalUrls.schools,
  );
  protected readonly loadError = computed(() =>
    this.list.error() ? toPortalError(this.list.error()) : null,
  );
  protected readonly name = signal('');
  protected readonly identifier = signal('');
  protected readonly orgSourcedId = signal('');
  protected readonly sandbox = signal(false);
  protected readonly error = signal<PortalError | null>(null);
  protected readonly created = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected async submit(): Promise<void> {
    const fields: Record<string, string> = {};
    if (!this.name().trim()) fields['name'] = 'Required.';
    if (!this.orgSourcedId().trim()) fields['orgSourcedId'] = 'Required.';
    if (Object.keys(fields).length) {
      this.error.set({
        statusCode: 400,
        error: 'invalid_request',
        message: 'Fill in the required fields.',
        fields,
      });
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const school = await this.api.createSchool({
        name: this.name().trim(),
        identifier: this.identifier().trim() || null,
        orgSourcedId: this.orgSourcedId().trim(),
        sandbox: this.sandbox(),
      });
      this.created.set(`${school.name} is onboarded.`);
      this.name.set('');
      this.identifier.set('');
      this.orgSourcedId.set('');
      this.sandbox.set(false);
      this.list.reload();
    } catch (failure) {
      this.error.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
