import { Component, computed, inject, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import {
  SCHOOL_ROLES,
  type AccountInput,
  type AccountView,
  type CreatedAccount,
  type IntegratorSummary,
  type PortalError,
  type SchoolRole,
  type SchoolSummary,
} from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import { CopyButton, LoadState } from '@oneroster/admin-ui';

type Kind = 'school' | 'developer' | 'operator';

/**
 * Lists accounts and creates one: a school role, an integrator developer or an operator.
 * The initial password is shown once, with a copy button.
 */
@Component({
  selector: 'lib-accounts',
  imports: [CopyButton, LoadState],
  templateUrl: './accounts.html',
})
export class Accounts {
  protected readonly valueOr = valueOr;
  private readonly api = inject(PortalApi);
  protected readonly list = httpResource<AccountView[]>(
    () => portalUrls.accounts,
  );
  protected readonly schools = httpResource<SchoolSummary[]>(
    () => portalUrls.schools,
  );
  protected readonly integrators = httpResource<IntegratorSummary[]>(
    () => portalUrls.integrators,
  );
  protected readonly loadError = computed(() =>
    this.list.error() ? toPortalError(this.list.error()) : null,
  );
  protected readonly schoolRoles = SCHOOL_ROLES;

  protected readonly email = signal('');
  protected readonly displayName = signal('');
  protected readonly kind = signal<Kind>('school');
  protected readonly schoolId = signal('');
  protected readonly schoolRole = signal<SchoolRole>('school_admin');
  protected readonly integratorId = signal('');
  protected readonly created = signal<CreatedAccount | null>(null);
  protected readonly error = signal<PortalError | null>(null);
  protected readonly busy = signal(false);

  protected schoolName(id: string): string {
    return valueOr(this.schools, []).find((s) => s.id === id)?.name ?? id;
  }

  protected roleText(account: AccountView): string {
    const parts: string[] = [];
    if (account.platformRole === 'operator') parts.push('operator');
    if (account.platformRole === 'integrator_developer')
      parts.push('integrator developer');
    for (const role of account.schoolRoles)
      parts.push(
        `${role.role.replace('_', ' ')} at ${this.schoolName(role.schoolId)}`,
      );
    return parts.join(', ') || 'no role';
  }

  protected async submit(): Promise<void> {
    const fields: Record<string, string> = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(this.email().trim()))
      fields['email'] = 'Enter an email address.';
    if (!this.displayName().trim()) fields['displayName'] = 'Required.';
    if (this.kind() === 'school' && !this.schoolId())
      fields['schoolRoles'] = 'Choose a school.';
    if (this.kind() === 'developer' && !this.integratorId())
      fields['integratorId'] = 'Choose an integrator.';
    if (Object.keys(fields).length) {
      this.error.set({
        statusCode: 400,
        error: 'invalid_request',
        message: 'Check the highlighted fields.',
        fields,
      });
      return;
    }
    const input: AccountInput = {
      email: this.email().trim(),
      displayName: this.displayName().trim(),
      platformRole:
        this.kind() === 'operator'
          ? 'operator'
          : this.kind() === 'developer'
            ? 'integrator_developer'
            : null,
      integratorId: this.kind() === 'developer' ? this.integratorId() : null,
      schoolRoles:
        this.kind() === 'school'
          ? [{ schoolId: this.schoolId(), role: this.schoolRole() }]
          : [],
    };
    this.busy.set(true);
    this.error.set(null);
    this.created.set(null);
    try {
      this.created.set(await this.api.createAccount(input));
      this.email.set('');
      this.displayName.set('');
      this.list.reload();
    } catch (failure) {
      this.error.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
