import { DOCUMENT, inject, Injectable } from '@angular/core';

/** Full-page navigations (sign-in, end session) go through here, so tests can observe them. */
@Injectable({ providedIn: 'root' })
export class BrowserLocation {
  private readonly document = inject(DOCUMENT);

  assign(url: string): void {
    this.document.location.assign(url);
  }
}
