import { SCOPE_DESCRIPTIONS, type GrantableScope } from '@oneroster/contracts';

/** A scope in plain words when the contracts describe it, else the scope itself. */
export function scopeWords(scope: GrantableScope): string {
  return (SCOPE_DESCRIPTIONS as Record<string, string>)[scope] ?? scope;
}
