import { Component, inject, signal } from '@angular/core';
import {
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  type PortalError,
} from '@oneroster/contracts';
import {
  PortalApi,
  PortalSession,
  toPortalError,
} from '@oneroster/admin-data-access';

/**
 * The signed-in account changes its own password: the current one, then the new one twice.
 * The minimum policy is checked here as the server checks it (`passwordProblem`), so most
 * mistakes show before anything is sent; the server has the last word. Its other sessions
 * end; this one stays.
 */
@Component({
  selector: 'lib-account-password',
  templateUrl: './account-password.html',
})
export class AccountPassword {
  private readonly api = inject(PortalApi);
  private readonly session = inject(PortalSession);

  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly current = signal('');
  protected readonly next = signal('');
  protected readonly repeat = signal('');
  protected readonly error = signal<PortalError | null>(null);
  protected readonly done = signal(false);
  protected readonly busy = signal(false);

  protected async submit(): Promise<void> {
    const fields: Record<string, string> = {};
    if (!this.current())
      fields['currentPassword'] = 'Enter your current password.';
    const problem = passwordProblem(this.next(), {
      email: this.session.me()?.account.email,
      current: this.current(),
    });
    if (problem) fields['newPassword'] = `The new password ${problem}.`;
    else if (this.next() !== this.repeat())
      fields['repeat'] = 'The two new passwords differ.';
    this.done.set(false);
    if (Object.keys(fields).length) {
      this.error.set({
        statusCode: 400,
        error: 'invalid_request',
        message: 'Check the highlighted fields.',
        fields,
      });
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.changePassword({
        currentPassword: this.current(),
        newPassword: this.next(),
      });
      this.current.set('');
      this.next.set('');
      this.repeat.set('');
      this.done.set(true);
    } catch (failure) {
      const error = toPortalError(failure);
      const server = error.fields ?? {};
      this.error.set({
        ...error,
        fields: {
          ...(server['currentPassword']
            ? {
                currentPassword: `The current password ${server['currentPassword']}.`,
              }
            : {}),
          ...(server['newPassword']
            ? { newPassword: `The new password ${server['newPassword']}.` }
            : {}),
        },
      });
    } finally {
      this.busy.set(false);
    }
  }
}
