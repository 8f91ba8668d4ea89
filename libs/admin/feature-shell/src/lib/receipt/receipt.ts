import { Component, computed, input } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { ApprovalReceipt, GrantableScope } from '@oneroster/contracts';
import { portalUrls, toPortalError } from '@oneroster/admin-data-access';
import { CategoryScopes, formatDateTime, LoadState } from '@oneroster/admin-ui';
import { scopeWords } from './scope-words';

/**
 * One decision's receipt, as both the school and the integrator see it: the approved data
 * categories in plain words with their 1.1 and 1.2 scope URIs (receipts written before
 * categories existed list their scopes only).
 */
@Component({
  selector: 'lib-receipt',
  imports: [CategoryScopes, LoadState],
  templateUrl: './receipt.html',
})
export class Receipt {
  /** Route parameter. */
  readonly receiptId = input.required<string>();
  protected readonly receipt = httpResource<ApprovalReceipt>(() =>
    portalUrls.receipt(this.receiptId()),
  );
  protected readonly error = computed(() =>
    this.receipt.error() ? toPortalError(this.receipt.error()) : null,
  );
  protected readonly formatDateTime = formatDateTime;
  protected readonly scopeWords = scopeWords;

  /** Approved scopes of no data category (the platform's own). */
  protected otherScopes(r: ApprovalReceipt): GrantableScope[] {
    const inCategory = new Set<string>(
      (r.categories ?? []).flatMap((c) => c.scopes),
    );
    return r.scopes.filter((s) => !inCategory.has(s));
  }
}
