import { Component, computed, inject, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import type {
  ApplicationInput,
  PortalError,
  SchoolSummary,
} from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { CategoryScopes, formatDateTime, LoadState } from '@oneroster/admin-ui';
import { ApplicationForm } from '../application-form/application-form';
import { Credentials } from '../credentials/credentials';
import { developerApplications } from '../developer-applications';

/**
 * One application: edit it, see which schools decided what (with receipts), ask another
 * school for approval, and manage its credentials.
 */
@Component({
  selector: 'lib-application-detail',
  imports: [
    ApplicationForm,
    CategoryScopes,
    Credentials,
    LoadState,
    RouterLink,
  ],
  templateUrl: './application-detail.html',
})
export class ApplicationDetail {
  protected readonly valueOr = valueOr;
  readonly appId = input.required<string>();
  private readonly api = inject(PortalApi);

  protected readonly apps = developerApplications();
  protected readonly app = computed(
    () =>
      valueOr(this.apps.list, []).find((a) => a.id === this.appId()) ?? null,
  );
  protected readonly notFound = computed<PortalError | null>(() =>
    this.apps.list.hasValue() && !this.app()
      ? {
          statusCode: 404,
          error: 'not_found',
          message: 'This application does not exist or is not yours.',
        }
      : null,
  );

  protected readonly directory = httpResource<SchoolSummary[]>(
    () => portalUrls.directory,
  );
  protected readonly askable = computed(() => {
    const asked = new Set(this.app()?.approvals.map((a) => a.schoolId));
    return valueOr(this.directory, []).filter((s) => !asked.has(s.id));
  });
  protected readonly requestSchool = signal('');

  protected readonly saving = signal(false);
  protected readonly saveError = signal<PortalError | null>(null);
  protected readonly requestError = signal<PortalError | null>(null);
  protected readonly message = signal<string | null>(null);
  protected readonly formatDateTime = formatDateTime;

  protected async save(input: ApplicationInput): Promise<void> {
    this.saving.set(true);
    this.saveError.set(null);
    this.message.set(null);
    try {
      await this.api.updateApplication(this.appId(), input);
      this.message.set('Saved.');
      this.apps.list.reload();
    } catch (failure) {
      this.saveError.set(toPortalError(failure));
    } finally {
      this.saving.set(false);
    }
  }

  protected async request(): Promise<void> {
    const schoolId = this.requestSchool();
    if (!schoolId) return;
    this.requestError.set(null);
    this.message.set(null);
    try {
      await this.api.requestApproval(this.appId(), schoolId);
      this.requestSchool.set('');
      this.message.set('Approval requested. The school decides.');
      this.apps.list.reload();
    } catch (failure) {
      this.requestError.set(toPortalError(failure));
    }
  }
}
