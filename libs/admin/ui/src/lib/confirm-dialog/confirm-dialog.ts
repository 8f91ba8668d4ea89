import {
  afterRenderEffect,
  Component,
  effect,
  ElementRef,
  input,
  output,
  viewChild,
} from '@angular/core';

let nextId = 0;

/**
 * A modal confirmation: a labelled `role="dialog"` with the question, whatever the caller
 * projects (details, a reason field, checkboxes), and two buttons. Focus moves into the
 * dialog when it opens, Tab stays inside it, Escape cancels, and focus goes back to what
 * had it before (the button that opened it) when it closes. Destructive actions say so in
 * red and in words.
 */
@Component({
  selector: 'lib-confirm-dialog',
  templateUrl: './confirm-dialog.html',
  styleUrl: './confirm-dialog.css',
  host: { '(keydown)': 'onKeydown($event)' },
})
export class ConfirmDialog {
  readonly open = input(false);
  readonly heading = input.required<string>();
  readonly confirmLabel = input('Confirm');
  readonly cancelLabel = input('Cancel');
  readonly destructive = input(false);
  /** Disables the confirm button, e.g. while the form inside is invalid or a call runs. */
  readonly confirmDisabled = input(false);

  readonly confirmed = output<void>();
  readonly cancelled = output<void>();

  protected readonly headingId = `confirm-dialog-${++nextId}`;
  private readonly panel = viewChild<ElementRef<HTMLElement>>('panel');
  private opener: HTMLElement | null = null;

  constructor() {
    effect(() => {
      if (this.open()) {
        this.opener ??= document.activeElement as HTMLElement | null;
      } else if (this.opener) {
        const opener = this.opener;
        this.opener = null;
        setTimeout(() => opener.isConnected && opener.focus());
      }
    });
    afterRenderEffect(() => {
      const panel = this.panel()?.nativeElement;
      if (this.open() && panel && !panel.contains(document.activeElement)) {
        const first = panel.querySelector<HTMLElement>(
          'input, textarea, select, button',
        );
        (first ?? panel).focus();
      }
    });
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (!this.open()) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.cancelled.emit();
      return;
    }
    if (event.key !== 'Tab') return;
    const panel = this.panel()?.nativeElement;
    if (!panel) return;
    const focusable = Array.from(
      panel.querySelectorAll<HTMLElement>(
        'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), a[href]',
      ),
    );
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
