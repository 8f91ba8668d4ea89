import { Component, input, signal } from '@angular/core';

/** Copies a value (a client secret, an id) to the clipboard and says so for screen readers. */
@Component({
  selector: 'lib-copy-button',
  template: `
    <button type="button" class="secondary" (click)="copy()">
      {{ label() }}
    </button>
    <span class="status" role="status">{{ status() }}</span>
  `,
  styles: `
    .status {
      margin-left: 0.5rem;
      color: #116329;
    }
  `,
})
export class CopyButton {
  readonly value = input.required<string>();
  readonly label = input('Copy');
  protected readonly status = signal('');

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.value());
      this.status.set('Copied');
    } catch {
      this.status.set('Copy failed: select the text and copy it by hand');
    }
  }
}
