import { Component, computed, inject, input, signal } from '@angular/core';
import { httpResource } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import type {
  ApplicationSummary,
  ApprovalView,
  GrantableScope,
  PortalError,
  SchoolApplicationView,
  ScopeView,
} from '@oneroster/contracts';
import {
  PortalApi,
  portalUrls,
  toPortalError,
} from '@oneroster/admin-data-access';
import {
  CategoryScopes,
  ConfirmDialog,
  formatDateTime,
  LoadState,
} from '@oneroster/admin-ui';

type Decision = 'approve' | 'decline' | 'revoke';

interface OpenDialog {
  readonly kind: Decision;
  readonly item: SchoolApplicationView;
}

interface Group {
  readonly id: string;
  readonly heading: string;
  readonly empty: string;
  readonly items: readonly SchoolApplicationView[];
}

/**
 * A school's applications, in three groups: waiting for a decision, approved, and declined
 * or revoked. What an application asks for is shown by data category, in plain words, with
 * the OneRoster 1.1 and 1.2 scope URIs each category grants in small print (one approval
 * covers both versions). Approving opens a dialog with every requested scope ticked, grouped
 * by category; the administrator may untick some (at least one stays) and exactly the
 * ticked ones are sent. Declining
 * takes an optional reason; revoking asks first.
 */
@Component({
  selector: 'lib-applications',
  imports: [CategoryScopes, ConfirmDialog, LoadState, RouterLink],
  templateUrl: './applications.html',
})
export class Applications {
  readonly schoolId = input.required<string>();
  private readonly api = inject(PortalApi);

  protected readonly list = httpResource<SchoolApplicationView[]>(() =>
    portalUrls.schoolApplications(this.schoolId()),
  );
  protected readonly loadError = computed(() =>
    this.list.error() ? toPortalError(this.list.error()) : null,
  );
  protected readonly groups = computed<readonly Group[]>(() => {
    const items = this.list.hasValue() ? this.list.value() : [];
    const status = (item: SchoolApplicationView) =>
      item.approval?.status ?? 'pending';
    return [
      {
        id: 'waiting',
        heading: 'Waiting for your decision',
        empty: 'No application is waiting for a decision.',
        items: items.filter((i) => status(i) === 'pending'),
      },
      {
        id: 'approved',
        heading: 'Approved',
        empty: 'No application is approved.',
        items: items.filter((i) => status(i) === 'approved'),
      },
      {
        id: 'declined',
        heading: 'Declined or revoked',
        empty: 'No application was declined or revoked.',
        items: items.filter(
          (i) => status(i) === 'declined' || status(i) === 'revoked',
        ),
      },
    ];
  });

  protected readonly dialog = signal<OpenDialog | null>(null);
  protected readonly chosenScopes = signal<ReadonlySet<GrantableScope>>(
    new Set(),
  );
  protected readonly reason = signal('');
  protected readonly busy = signal(false);
  protected readonly actionError = signal<PortalError | null>(null);
  protected readonly done = signal<{
    text: string;
    receiptId: string | null;
  } | null>(null);
  protected readonly formatDateTime = formatDateTime;

  protected readonly dialogHeading = computed(() => {
    const open = this.dialog();
    if (!open) return '';
    const name = open.item.application.name;
    switch (open.kind) {
      case 'approve':
        return `Approve ${name}`;
      case 'decline':
        return `Decline ${name}`;
      case 'revoke':
        return `Revoke ${name}'s access?`;
    }
  });

  /** Requested scopes of no data category (the platform's own). */
  protected otherScopes(app: ApplicationSummary): ScopeView[] {
    const inCategory = new Set<string>(
      app.requestedCategories.flatMap((c) => c.scopes),
    );
    return app.requestedScopes.filter((s) => !inCategory.has(s.scope));
  }

  /** The requested scopes among `scopes`, with their words, in the requested order. */
  protected scopeViews(
    item: SchoolApplicationView,
    scopes: readonly GrantableScope[],
  ): ScopeView[] {
    return item.application.requestedScopes.filter((s) =>
      scopes.includes(s.scope),
    );
  }

  /** Whether the approval grants any of `scopes` (a category is granted as a whole). */
  protected granted(
    item: SchoolApplicationView,
    scopes: readonly GrantableScope[],
  ): boolean {
    return scopes.some((s) => item.approval?.scopes.includes(s));
  }

  protected open(kind: Decision, item: SchoolApplicationView): void {
    this.actionError.set(null);
    this.done.set(null);
    this.reason.set('');
    this.chosenScopes.set(
      new Set(item.application.requestedScopes.map((s) => s.scope)),
    );
    this.dialog.set({ kind, item });
  }

  protected close(): void {
    this.dialog.set(null);
  }

  protected toggleScope(scope: GrantableScope, on: boolean): void {
    const next = new Set(this.chosenScopes());
    if (on) next.add(scope);
    else next.delete(scope);
    this.chosenScopes.set(next);
  }

  protected async confirm(): Promise<void> {
    const open = this.dialog();
    if (!open || this.busy()) return;
    const { kind, item } = open;
    const appId = item.application.id;
    const schoolId = this.schoolId();
    this.busy.set(true);
    this.actionError.set(null);
    try {
      let approval: ApprovalView;
      if (kind === 'approve') {
        // Keep the order in which the application requested them.
        const scopes = item.application.requestedScopes
          .map((s) => s.scope)
          .filter((s) => this.chosenScopes().has(s));
        approval = await this.api.approve(schoolId, appId, scopes);
      } else if (kind === 'decline') {
        approval = await this.api.decline(schoolId, appId, this.reason());
      } else {
        approval = await this.api.revoke(schoolId, appId);
      }
      const verb =
        kind === 'approve'
          ? 'approved'
          : kind === 'decline'
            ? 'declined'
            : 'revoked';
      this.done.set({
        text: `${item.application.name} is ${verb}.`,
        receiptId: approval.receiptId,
      });
      this.dialog.set(null);
      this.list.reload();
    } catch (failure) {
      this.actionError.set(toPortalError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
