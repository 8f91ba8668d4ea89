import { Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

/** Root component: only hosts the router; the page frame comes from `@oneroster/feature-shell`. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
})
export class App {}
