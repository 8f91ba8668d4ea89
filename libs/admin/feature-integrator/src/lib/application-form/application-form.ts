import {
  Component,
  computed,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import {
  ALL_ONEROSTER_SCOPES,
  SCOPE_DESCRIPTIONS,
  type ApplicationInput,
  type ApplicationView,
  type BooleanFormat,
  type GrantableScope,
} from '@oneroster/contracts';

/** Problems of the form, by field (the same keys the portal API uses in `fields`). */
export type FieldErrors = Partial<
  Record<'name' | 'description' | 'requestedScopes' | 'redirectUris', string>
>;

/** Checks what the browser can before sending; the server checks everything again. */
export function checkApplication(input: ApplicationInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.name.trim()) errors.name = 'Give the application a name.';
  else if (input.name.length > 200) errors.name = 'At most 200 characters.';
  if (input.requestedScopes.length === 0)
    errors.requestedScopes = 'Ask for at least one scope.';
  const bad = input.redirectUris.find((uri) => {
    try {
      const url = new URL(uri);
      return url.protocol !== 'https:' || url.hash !== '';
    } catch {
      return true;
    }
  });
  if (bad)
    errors.redirectUris = `"${bad}" is not an absolute https URI without a fragment.`;
  return errors;
}

/**
 * Registers or edits an application: name, description, the scopes it asks schools for
 * (in the words schools read), its exact redirect URIs for the OIDC sign-in, and how the
 * OneRoster API writes booleans to it (JSON booleans unless its client needs strings).
 */
@Component({
  selector: 'lib-application-form',
  templateUrl: './application-form.html',
})
export class ApplicationForm {
  readonly initial = input<ApplicationView | null>(null);
  readonly busy = input(false);
  /** Field errors from the server (`PortalError.fields`). */
  readonly serverErrors = input<Record<string, string> | undefined>(undefined);
  readonly submitLabel = input('Save');
  readonly submitted = output<ApplicationInput>();

  // Each field starts from the application being edited, and again when another one arrives.
  protected readonly name = linkedSignal(() => this.initial()?.name ?? '');
  protected readonly description = linkedSignal(
    () => this.initial()?.description ?? '',
  );
  protected readonly scopes = linkedSignal<ReadonlySet<GrantableScope>>(
    () => new Set(this.initial()?.requestedScopes.map((s) => s.scope)),
  );
  protected readonly redirectUris = linkedSignal(
    () => this.initial()?.redirectUris.join('\n') ?? '',
  );
  protected readonly booleanFormat = linkedSignal<BooleanFormat>(
    () => this.initial()?.booleanFormat ?? 'json',
  );
  protected readonly localErrors = signal<FieldErrors>({});
  protected readonly errors = computed<Record<string, string>>(() => ({
    ...(this.serverErrors() ?? {}),
    ...this.localErrors(),
  }));

  protected readonly choices = computed(() => {
    const requested = this.initial()?.requestedScopes ?? [];
    const known = new Set<string>(ALL_ONEROSTER_SCOPES);
    return [
      ...ALL_ONEROSTER_SCOPES.map((scope) => ({
        scope: scope as GrantableScope,
        description: SCOPE_DESCRIPTIONS[scope],
      })),
      // Scopes outside OneRoster the application already asks for stay visible.
      ...requested.filter((s) => !known.has(s.scope)),
    ];
  });

  protected toggle(scope: GrantableScope, on: boolean): void {
    const next = new Set(this.scopes());
    if (on) next.add(scope);
    else next.delete(scope);
    this.scopes.set(next);
  }

  protected submit(): void {
    const value: ApplicationInput = {
      name: this.name().trim(),
      description: this.description().trim() || null,
      requestedScopes: this.choices()
        .map((c) => c.scope)
        .filter((s) => this.scopes().has(s)),
      redirectUris: this.redirectUris()
        .split(/\s+/)
        .map((uri) => uri.trim())
        .filter(Boolean),
      booleanFormat: this.booleanFormat(),
    };
    const errors = checkApplication(value);
    this.localErrors.set(errors);
    if (Object.keys(errors).length === 0) this.submitted.emit(value);
  }
}
