import { Component, input } from '@angular/core';
import type { DataCategoryView } from '@oneroster/contracts';

/**
 * The scope URIs a data category stands for, in small print under its plain words: those of
 * OneRoster 1.1 and those of 1.2 (one approval covers both versions).
 */
@Component({
  selector: 'lib-category-scopes',
  template: `
    <small class="category-scopes" [attr.data-category]="category().key">
      @if (category().v1p1Scopes.length) {
        <span class="version">OneRoster 1.1:</span>
        @for (scope of category().v1p1Scopes; track scope) {
          <code data-version="v1p1">{{ scope }}</code>
        }
        <br />
      }
      <span class="version">OneRoster 1.2:</span>
      @for (scope of category().v1p2Scopes; track scope) {
        <code data-version="v1p2">{{ scope }}</code>
      }
    </small>
  `,
  styles: `
    .category-scopes {
      display: block;
      color: #57606a;
      font-size: 0.8125rem;
      overflow-wrap: anywhere;
    }
    .version {
      margin-right: 0.25rem;
    }
    code {
      margin-right: 0.5rem;
    }
  `,
})
export class CategoryScopes {
  readonly category = input.required<DataCategoryView>();
}
