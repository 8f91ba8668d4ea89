import { Component, computed, input } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { ApprovalReceipt } from '@oneroster/contracts';
import { portalUrls, toPortalError } from '@oneroster/admin-data-access';
import { formatDateTime, LoadState } from '@oneroster/admin-ui';
import { scopeWords } from './scope-words';

/** One decision's receipt, as both the school and the integrator see it. */
@Component({
  selector: 'lib-receipt',
  imports: [LoadState],
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
}
