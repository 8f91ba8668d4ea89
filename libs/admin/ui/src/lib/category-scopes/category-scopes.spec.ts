import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  DATA_CATEGORIES,
  ONEROSTER_SCOPES as V11,
  ONEROSTER_V1P2_SCOPES as V12,
  type DataCategoryView,
} from '@oneroster/contracts';
import { CategoryScopes } from './category-scopes';

@Component({
  imports: [CategoryScopes],
  template: `<lib-category-scopes [category]="category" />`,
})
class Host {
  category: DataCategoryView = {
    key: 'gradebookRead',
    label: DATA_CATEGORIES.gradebookRead.label,
    description: DATA_CATEGORIES.gradebookRead.description,
    scopes: [V11.gradebookRead],
    v1p1Scopes: [V11.gradebookRead],
    v1p2Scopes: [V12.gradebookCore, V12.gradebookRead],
  };
}

describe('CategoryScopes', () => {
  const render = (category?: DataCategoryView) => {
    const fixture = TestBed.createComponent(Host);
    if (category) fixture.componentInstance.category = category;
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const codes = (v: string) =>
      [...el.querySelectorAll(`code[data-version="${v}"]`)].map(
        (c) => c.textContent,
      );
    return { el, codes };
  };

  it('prints the 1.1 and the 1.2 scope URIs of the category', () => {
    const { el, codes } = render();
    expect(codes('v1p1')).toEqual([V11.gradebookRead]);
    expect(codes('v1p2')).toEqual([V12.gradebookCore, V12.gradebookRead]);
    expect(el.textContent).toContain('OneRoster 1.1:');
    expect(el.textContent).toContain('OneRoster 1.2:');
  });

  it('prints no 1.1 line for a category 1.1 lacks', () => {
    const { el, codes } = render({
      key: 'assessmentsRead',
      label: DATA_CATEGORIES.assessmentsRead.label,
      description: DATA_CATEGORIES.assessmentsRead.description,
      scopes: [V12.assessmentRead],
      v1p1Scopes: [],
      v1p2Scopes: [V12.assessmentRead],
    });
    expect(codes('v1p1')).toEqual([]);
    expect(codes('v1p2')).toEqual([V12.assessmentRead]);
    expect(el.textContent).not.toContain('OneRoster 1.1:');
  });
});
