import { TestBed } from '@angular/core/testing';
import { ONEROSTER_SCOPES, type ApplicationInput } from '@oneroster/contracts';
import { anApplication } from '@oneroster/admin-data-access';
import { ApplicationForm, checkApplication } from './application-form';

describe('checkApplication', () => {
  const valid: ApplicationInput = {
    name: 'Reader',
    requestedScopes: [ONEROSTER_SCOPES.rosterCore],
    redirectUris: ['https://reader.example.com/cb'],
  };

  it('accepts a named application with a scope and https redirect URIs', () => {
    expect(checkApplication(valid)).toEqual({});
    expect(checkApplication({ ...valid, redirectUris: [] })).toEqual({});
  });

  it('names each problem by field', () => {
    expect(
      checkApplication({
        name: '  ',
        requestedScopes: [],
        redirectUris: ['http://reader.example.com/cb'],
      }),
    ).toEqual({
      name: 'Give the application a name.',
      requestedScopes: 'Ask for at least one scope.',
      redirectUris:
        '"http://reader.example.com/cb" is not an absolute https URI without a fragment.',
    });
    expect(
      checkApplication({ ...valid, redirectUris: ['https://x.test/cb#frag'] })
        .redirectUris,
    ).toBeDefined();
    expect(
      checkApplication({ ...valid, redirectUris: ['/relative'] }).redirectUris,
    ).toBeDefined();
  });
});

describe('ApplicationForm', () => {
  it('starts from the application, and emits what was edited', () => {
    const fixture = TestBed.createComponent(ApplicationForm);
    fixture.componentRef.setInput(
      'initial',
      anApplication().requesting(ONEROSTER_SCOPES.rosterCore).build(),
    );
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const emitted: ApplicationInput[] = [];
    fixture.componentInstance.submitted.subscribe((v) => emitted.push(v));

    const name = root.querySelector<HTMLInputElement>('#app-name')!;
    expect(name.value).toBe('Sandbox Explorer');
    name.value = 'Explorer 2';
    name.dispatchEvent(new Event('input'));
    const resource = root.querySelector<HTMLInputElement>(
      `input[value="${ONEROSTER_SCOPES.resource}"]`,
    )!;
    resource.click();
    const uris = root.querySelector<HTMLTextAreaElement>('#app-redirects')!;
    uris.value = 'https://a.example.com/cb\nhttps://b.example.com/cb\n';
    uris.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

    expect(emitted).toEqual([
      {
        name: 'Explorer 2',
        description: 'Explores rosters',
        requestedScopes: [
          ONEROSTER_SCOPES.rosterCore,
          ONEROSTER_SCOPES.resource,
        ],
        redirectUris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
        booleanFormat: 'json',
      },
    ]);
  });

  it("starts from the application's boolean format, and emits the one chosen", () => {
    const fixture = TestBed.createComponent(ApplicationForm);
    fixture.componentRef.setInput('initial', {
      ...anApplication().build(),
      booleanFormat: 'string',
    });
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const emitted: ApplicationInput[] = [];
    fixture.componentInstance.submitted.subscribe((v) => emitted.push(v));
    const radio = (value: string) =>
      root.querySelector<HTMLInputElement>(
        `input[name="app-boolean-format"][value="${value}"]`,
      )!;
    expect(radio('string').checked).toBe(true);
    expect(radio('json').checked).toBe(false);
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    radio('json').click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect(emitted.map((e) => e.booleanFormat)).toEqual(['string', 'json']);
  });

  it('shows problems next to their fields and emits nothing', () => {
    const fixture = TestBed.createComponent(ApplicationForm);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const emitted: ApplicationInput[] = [];
    fixture.componentInstance.submitted.subscribe((v) => emitted.push(v));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    fixture.detectChanges();
    expect(emitted).toEqual([]);
    expect(root.querySelector('#app-name-error')?.textContent).toContain(
      'Give the application a name.',
    );
    expect(root.querySelector('#app-name')?.getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(root.querySelector('#app-scopes-error')?.textContent).toContain(
      'Ask for at least one scope.',
    );
  });

  it('shows the server field errors it is given', () => {
    const fixture = TestBed.createComponent(ApplicationForm);
    fixture.componentRef.setInput('serverErrors', {
      redirectUris: 'must be https',
    });
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain(
      'must be https',
    );
  });
});
