import { Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { ApplicationInput, PortalError } from '@oneroster/contracts';
import {
  PortalApi,
  PortalSession,
  toPortalError,
} from '@oneroster/admin-data-access';
import { ApplicationForm } from './application-form';

/** Registers a new application for the developer's integrator. */
@Component({
  selector: 'lib-new-application',
  imports: [ApplicationForm],
  template: `
    <h1>Register an application</h1>
    @if (error(); as failure) {
      <p class="field-error" role="alert">{{ failure.message }}</p>
    }
    <lib-application-form
      submitLabel="Register"
      [busy]="busy()"
      [serverErrors]="error()?.fields"
      (submitted)="create($event)"
    />
  `,
})
export class NewApplication {
  private readonly api = inject(PortalApi);
  private readonly session = inject(PortalSession);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly error = signal<PortalError | null>(null);

  protected async create(input: ApplicationInput): Promise<void> {
    const integratorId = this.session.me()?.integrator?.id;
    if (!integratorId) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const app = await this.api.createApplication(integratorId, input);
      await this.router.navigate(['/developer/applications', app.id]);
    } catch (failure) {
      this.error.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
