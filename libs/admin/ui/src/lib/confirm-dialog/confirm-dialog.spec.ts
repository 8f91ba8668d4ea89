import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ConfirmDialog } from './confirm-dialog';

@Component({
  imports: [ConfirmDialog],
  template: `
    <button type="button" id="opener" (click)="open.set(true)">Open</button>
    <lib-confirm-dialog
      [open]="open()"
      heading="Delete it?"
      confirmLabel="Delete"
      [destructive]="true"
      (confirmed)="events.push('confirmed'); open.set(false)"
      (cancelled)="events.push('cancelled'); open.set(false)"
    >
      <label for="why">Why</label><input id="why" />
    </lib-confirm-dialog>
  `,
})
class Host {
  readonly open = signal(false);
  readonly events: string[] = [];
}

describe('ConfirmDialog', () => {
  async function openDialog() {
    const fixture = TestBed.createComponent(Host);
    document.body.appendChild(fixture.nativeElement);
    fixture.detectChanges();
    fixture.componentInstance.open.set(true);
    await fixture.whenStable();
    const dialog = (
      fixture.nativeElement as HTMLElement
    ).querySelector<HTMLElement>('[role="dialog"]')!;
    return { fixture, dialog };
  }

  it('is a labelled modal dialog that takes the focus', async () => {
    const { dialog } = await openDialog();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const labelledBy = dialog.getAttribute('aria-labelledby');
    expect(document.getElementById(labelledBy!)?.textContent).toBe(
      'Delete it?',
    );
    expect(document.activeElement?.id).toBe('why');
    expect(dialog.querySelector('button.danger')?.textContent?.trim()).toBe(
      'Delete',
    );
  });

  it('cancels on Escape and keeps Tab inside', async () => {
    const { fixture, dialog } = await openDialog();
    const buttons = dialog.querySelectorAll('button');
    const last = buttons[buttons.length - 1];
    last.focus();
    const tab = new KeyboardEvent('keydown', {
      key: 'Tab',
      bubbles: true,
      cancelable: true,
    });
    last.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(document.activeElement?.id).toBe('why');

    dialog.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    await fixture.whenStable();
    expect(fixture.componentInstance.events).toEqual(['cancelled']);
    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[role="dialog"]'),
    ).toBeNull();
  });

  it('gives the focus back to the button that opened it', async () => {
    const fixture = TestBed.createComponent(Host);
    document.body.appendChild(fixture.nativeElement);
    fixture.detectChanges();
    const opener = (
      fixture.nativeElement as HTMLElement
    ).querySelector<HTMLButtonElement>('#opener')!;
    opener.focus();
    opener.click();
    await fixture.whenStable();
    expect(document.activeElement?.id).toBe('why');
    document.activeElement!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.activeElement).toBe(opener);
  });

  it('confirms with its button', async () => {
    const { fixture, dialog } = await openDialog();
    dialog.querySelector<HTMLButtonElement>('button.danger')!.click();
    expect(fixture.componentInstance.events).toEqual(['confirmed']);
  });
});
