import { Component, computed, inject, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type {
  ApplicationView,
  CredentialView,
  IssuedCredential,
  PortalError,
} from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
  valueOr,
} from '@oneroster/admin-data-access';
import {
  ConfirmDialog,
  CopyButton,
  formatDateTime,
  LoadState,
} from '@oneroster/admin-ui';

type Pending = {
  readonly kind: 'rotate' | 'revoke';
  readonly credential: CredentialView;
} | null;

/**
 * An application's credentials: a client-credentials client per school and the OIDC
 * sign-in client. A new or rotated secret is shown once, with a copy button, until the
 * developer dismisses it; it is never listed again. Rotating and revoking ask first.
 */
@Component({
  selector: 'lib-credentials',
  imports: [ConfirmDialog, CopyButton, LoadState],
  templateUrl: './credentials.html',
})
export class Credentials {
  protected readonly valueOr = valueOr;
  readonly app = input.required<ApplicationView>();
  private readonly api = inject(PortalApi);

  protected readonly list = httpResource<CredentialView[]>(() =>
    portalUrls.credentials(this.app().id),
  );
  protected readonly loadError = computed(() =>
    this.list.error() ? toPortalError(this.list.error()) : null,
  );
  /** Clients that still work; one per school, one OIDC client per application. */
  private readonly active = computed(() =>
    valueOr(this.list, []).filter((c) => !c.revokedAt),
  );
  /** Approving schools without a working client: where a new one can be created. */
  protected readonly approvedSchools = computed(() => {
    const covered = new Set(this.active().map((c) => c.schoolId));
    return this.app().approvals.filter(
      (a) => a.status === 'approved' && !covered.has(a.schoolId),
    );
  });
  protected readonly oidcAvailable = computed(
    () => !this.active().some((c) => c.kind === 'oidc'),
  );
  /** `oidc` = the application's sign-in client; otherwise a school id. */
  protected readonly target = signal('');
  protected readonly issued = signal<IssuedCredential | null>(null);
  protected readonly pending = signal<Pending>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<PortalError | null>(null);
  protected readonly formatDateTime = formatDateTime;

  protected async create(): Promise<void> {
    await this.run(() =>
      this.api.createCredential(
        this.app().id,
        this.target() === 'oidc' ? undefined : this.target(),
      ),
    );
  }

  protected async confirmPending(): Promise<void> {
    const pending = this.pending();
    if (!pending) return;
    const { clientId } = pending.credential;
    if (pending.kind === 'rotate') {
      await this.run(() => this.api.rotateCredential(clientId));
    } else {
      await this.run(async () => {
        await this.api.revokeCredential(clientId);
        return null;
      });
    }
  }

  protected dismissSecret(): void {
    this.issued.set(null);
  }

  private async run(
    call: () => Promise<IssuedCredential | null>,
  ): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const issued = await call();
      this.issued.set(issued);
      this.target.set('');
      this.pending.set(null);
      this.list.reload();
    } catch (failure) {
      this.error.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
