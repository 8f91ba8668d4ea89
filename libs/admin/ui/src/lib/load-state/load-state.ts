import { Component, input, output } from '@angular/core';
import type { PortalError } from '@oneroster/contracts';

/**
 * The three states every list or page goes through before its content: loading (announced
 * politely), failed (the server's sentence and a retry button) and empty (a sentence of the
 * caller's). The content is projected only when there is something to show.
 */
@Component({
  selector: 'lib-load-state',
  template: `
    @if (loading()) {
      <p class="loading" role="status" aria-live="polite">
        {{ loadingText() }}
      </p>
    } @else if (error(); as failure) {
      <div class="error" role="alert">
        <p>{{ failure.message }}</p>
        <button type="button" class="secondary" (click)="retry.emit()">
          Try again
        </button>
      </div>
    } @else if (empty()) {
      <p class="empty">{{ emptyText() }}</p>
    } @else {
      <ng-content />
    }
  `,
  styles: `
    .loading,
    .empty {
      color: #57606a;
    }
    .error {
      border: 1px solid #a40e26;
      background: #ffebe9;
      color: #82071e;
      border-radius: 0.375rem;
      padding: 0.5rem 1rem 1rem;
    }
  `,
})
export class LoadState {
  readonly loading = input(false);
  readonly error = input<PortalError | null>(null);
  readonly empty = input(false);
  readonly loadingText = input('Loading…');
  readonly emptyText = input('Nothing here yet.');
  readonly retry = output<void>();
}
