import { Component, computed, inject, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import {
  ALL_SCHOOL_PLATFORM_SCOPES,
  SCHOOL_PLATFORM_SCOPES,
  type CredentialView,
  type IssuedCredential,
  type PortalError,
  type SchoolApplicationView,
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

/** What each school platform scope lets a client do, in plain words. */
const SCOPE_WORDS: Record<string, string> = {
  [SCHOOL_PLATFORM_SCOPES.importsWrite]:
    "Import OneRoster CSV sets into this school (replaces or updates the school's data)",
};

export const platformScopeWords = (scope: string) =>
  SCOPE_WORDS[scope] ?? scope;

/**
 * The school's clients and their platform scopes, and the school's MIS credential. Rules
 * (docs/portal-api.md, "MIS credentials"):
 * - every live client-credentials client of the school is listed with the application it
 *   belongs to and the school platform scopes it holds (`imports.write`);
 * - the MIS credential is issued for an application the school approves and that has no
 *   live client for the school yet (for one that has, its scopes are changed instead); its
 *   secret is shown once, with a copy button, until the administrator dismisses it;
 * - changing a client's scopes asks first; unticking every scope takes them away.
 */
@Component({
  selector: 'lib-mis-credentials',
  imports: [ConfirmDialog, CopyButton, LoadState],
  templateUrl: './mis-credentials.html',
  styleUrl: './mis-credentials.css',
})
export class MisCredentials {
  protected readonly valueOr = valueOr;
  protected readonly formatDateTime = formatDateTime;
  protected readonly scopeWords = platformScopeWords;
  protected readonly allScopes = ALL_SCHOOL_PLATFORM_SCOPES;
  readonly schoolId = input.required<string>();
  private readonly api = inject(PortalApi);

  protected readonly clients = httpResource<CredentialView[]>(() =>
    portalUrls.schoolMisCredentials(this.schoolId()),
  );
  protected readonly applications = httpResource<SchoolApplicationView[]>(() =>
    portalUrls.schoolApplications(this.schoolId()),
  );
  protected readonly loadError = computed(() => {
    const failure = this.clients.error() ?? this.applications.error();
    return failure ? toPortalError(failure) : null;
  });
  protected readonly loading = computed(
    () =>
      (this.clients.isLoading() && !this.clients.hasValue()) ||
      (this.applications.isLoading() && !this.applications.hasValue()),
  );
  private readonly appNames = computed(
    () =>
      new Map(
        valueOr(this.applications, []).map((a) => [
          a.application.id,
          a.application.name,
        ]),
      ),
  );
  /** Approved applications without a live client for the school: where the MIS credential can be issued. */
  protected readonly issuable = computed(() => {
    const covered = new Set(
      valueOr(this.clients, []).map((c) => c.applicationId),
    );
    return valueOr(this.applications, [])
      .filter(
        (a) =>
          a.approval?.status === 'approved' && !covered.has(a.application.id),
      )
      .map((a) => a.application);
  });

  protected readonly applicationId = signal('');
  protected readonly newScopes = signal<ReadonlySet<string>>(
    new Set(ALL_SCHOOL_PLATFORM_SCOPES),
  );
  protected readonly issued = signal<IssuedCredential | null>(null);
  protected readonly editing = signal<CredentialView | null>(null);
  protected readonly editScopes = signal<ReadonlySet<string>>(new Set());
  protected readonly busy = signal(false);
  protected readonly error = signal<PortalError | null>(null);
  protected readonly dialogError = signal<PortalError | null>(null);
  protected readonly done = signal<string | null>(null);
  /** Saving would take every platform scope away from a client that holds some. */
  protected readonly removesAll = computed(
    () =>
      this.editScopes().size === 0 &&
      (this.editing()?.platformScopes.length ?? 0) > 0,
  );
  protected readonly unchanged = computed(() => {
    const client = this.editing();
    const next = this.editScopes();
    return (
      !!client &&
      client.platformScopes.length === next.size &&
      client.platformScopes.every((s) => next.has(s))
    );
  });

  protected applicationName(client: CredentialView): string {
    return this.appNames().get(client.applicationId) ?? client.applicationId;
  }

  protected toggle(target: 'new' | 'edit', scope: string, on: boolean): void {
    const current = target === 'new' ? this.newScopes : this.editScopes;
    const next = new Set(current());
    if (on) next.add(scope);
    else next.delete(scope);
    current.set(next);
  }

  protected async issue(): Promise<void> {
    const applicationId = this.applicationId();
    if (!applicationId || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    this.done.set(null);
    try {
      const issued = await this.api.issueMisCredential(
        this.schoolId(),
        applicationId,
        this.allScopes.filter((s) => this.newScopes().has(s)),
      );
      this.issued.set(issued);
      this.applicationId.set('');
      this.newScopes.set(new Set(ALL_SCHOOL_PLATFORM_SCOPES));
      this.clients.reload();
    } catch (failure) {
      this.error.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }

  protected edit(client: CredentialView): void {
    this.dialogError.set(null);
    this.done.set(null);
    this.editScopes.set(new Set(client.platformScopes));
    this.editing.set(client);
  }

  protected async saveScopes(): Promise<void> {
    const client = this.editing();
    if (!client || this.busy()) return;
    this.busy.set(true);
    this.dialogError.set(null);
    try {
      const saved = await this.api.setMisScopes(
        this.schoolId(),
        client.clientId,
        this.allScopes.filter((s) => this.editScopes().has(s)),
      );
      this.done.set(
        saved.platformScopes.length
          ? `${client.clientId} now holds ${saved.platformScopes.join(', ')}.`
          : `${client.clientId} holds no platform scope now.`,
      );
      this.editing.set(null);
      this.clients.reload();
    } catch (failure) {
      this.dialogError.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }

  protected dismissSecret(): void {
    this.issued.set(null);
  }
}
