import { Component, computed, inject, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import {
  SCHOOL_ROLES,
  type AccountInput,
  type AccountView,
  type CreatedAccount,
  type PasswordReset,
  type RoleRemoval,
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
import { ConfirmDialog, CopyButton, LoadState } from '@oneroster/admin-ui';

type Kind = 'school' | 'developer' | 'operator';

/** An operator action waiting for confirmation. */
type PendingAction =
  | { kind: 'disable' | 'enable' | 'reset'; account: AccountView }
  | {
      kind: 'remove-role';
      account: AccountView;
      removal: RoleRemoval;
      label: string;
    };

/**
 * Lists accounts and creates one: a school role, an integrator developer or an operator.
 * The initial password is shown once, with a copy button. Each account can be disabled or
 * enabled, lose a role, or get a new one-time password (shown once); disabling and taking a
 * role away end the account's sessions at once, so each asks first.
 */
@Component({
  selector: 'lib-accounts',
  imports: [ConfirmDialog, CopyButton, LoadState],
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

  protected readonly pending = signal<PendingAction | null>(null);
  protected readonly actionBusy = signal(false);
  protected readonly actionError = signal<PortalError | null>(null);
  protected readonly actionDone = signal<string | null>(null);
  protected readonly reset = signal<PasswordReset | null>(null);
  protected readonly pendingHeading = computed(() => {
    const p = this.pending();
    if (!p) return '';
    const who = p.account.displayName;
    switch (p.kind) {
      case 'disable':
        return `Disable ${who}?`;
      case 'enable':
        return `Enable ${who}?`;
      case 'reset':
        return `Reset the password of ${who}?`;
      case 'remove-role':
        return `Take ${p.label} away from ${who}?`;
    }
  });
  protected readonly pendingLabel = computed(() => {
    switch (this.pending()?.kind) {
      case 'disable':
        return 'Disable account';
      case 'enable':
        return 'Enable account';
      case 'reset':
        return 'Reset password';
      default:
        return 'Remove role';
    }
  });

  /** The roles of an account, each with the words for it and what removes it. */
  protected roles(
    account: AccountView,
  ): { label: string; removal: RoleRemoval }[] {
    const roles: { label: string; removal: RoleRemoval }[] = [];
    if (account.platformRole)
      roles.push({
        label:
          account.platformRole === 'operator'
            ? 'operator'
            : 'integrator developer',
        removal: { platformRole: account.platformRole },
      });
    for (const role of account.schoolRoles)
      roles.push({
        label: `${role.role.replace('_', ' ')} at ${this.schoolName(role.schoolId)}`,
        removal: { schoolId: role.schoolId, role: role.role },
      });
    return roles;
  }

  protected askRemove(
    account: AccountView,
    role: { label: string; removal: RoleRemoval },
  ): void {
    this.ask({ kind: 'remove-role', account, ...role });
  }

  protected ask(action: PendingAction): void {
    this.actionError.set(null);
    this.actionDone.set(null);
    this.pending.set(action);
  }

  protected async confirmAction(): Promise<void> {
    const action = this.pending();
    if (!action) return;
    const { account } = action;
    this.actionBusy.set(true);
    this.actionError.set(null);
    try {
      switch (action.kind) {
        case 'disable':
          await this.api.disableAccount(account.id);
          this.actionDone.set(
            `${account.displayName} is disabled; their sessions have ended.`,
          );
          break;
        case 'enable':
          await this.api.enableAccount(account.id);
          this.actionDone.set(`${account.displayName} is enabled.`);
          break;
        case 'remove-role':
          await this.api.removeRole(account.id, action.removal);
          this.actionDone.set(
            `${account.displayName} is no longer ${action.label}; their sessions have ended.`,
          );
          break;
        case 'reset':
          this.reset.set(await this.api.resetPassword(account.id));
          break;
      }
      this.pending.set(null);
      this.list.reload();
    } catch (failure) {
      this.actionError.set(toPortalError(failure));
    } finally {
      this.actionBusy.set(false);
    }
  }

  protected schoolName(id: string): string {
    return valueOr(this.schools, []).find((s) => s.id === id)?.name ?? id;
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
