import {
  ALL_ONEROSTER_SCOPES,
  ALL_ONEROSTER_V1P2_SCOPES,
  PLATFORM_SCOPES,
  type GrantableScope,
} from '@oneroster/contracts';

/**
 * Field checks of request bodies. Each collects every problem (field → what is wrong) so a
 * rejected body is answered once, with all its problems.
 */
export const GRANTABLE_SCOPES: readonly string[] = [
  ...ALL_ONEROSTER_SCOPES,
  ...ALL_ONEROSTER_V1P2_SCOPES,
  ...Object.values(PLATFORM_SCOPES),
];

export const isGrantable = (s: unknown): s is GrantableScope =>
  typeof s === 'string' && GRANTABLE_SCOPES.includes(s);

export class FieldErrors {
  readonly fields: Record<string, string> = {};

  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }

  add(field: string, problem: string): void {
    this.fields[field] ??= problem;
  }

  /** A required (or, with `optional`, nullable) string of bounded length, trimmed. */
  text(
    body: Record<string, unknown>,
    field: string,
    max: number,
    optional = false,
  ): string | null | undefined {
    const v = body[field];
    if (v === undefined || v === null) {
      if (!optional) this.add(field, 'is required');
      return v as null | undefined;
    }
    if (typeof v !== 'string') {
      this.add(field, 'must be a string');
      return undefined;
    }
    const t = v.trim();
    if (!t && !optional) this.add(field, 'must not be empty');
    else if (t.length > max)
      this.add(field, `must be at most ${max} characters`);
    return optional && !t ? null : t;
  }

  email(body: Record<string, unknown>, field: string, optional = false) {
    const v = this.text(body, field, 254, optional);
    if (typeof v === 'string' && v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v))
      this.add(field, 'must be an email address');
    return typeof v === 'string' ? v.toLowerCase() : v;
  }

  url(body: Record<string, unknown>, field: string) {
    const v = this.text(body, field, 255, true);
    if (typeof v === 'string' && v) {
      try {
        const u = new URL(v);
        if (u.protocol !== 'https:' && u.protocol !== 'http:')
          this.add(field, 'must be an http(s) URL');
      } catch {
        this.add(field, 'must be an absolute URL');
      }
    }
    return v;
  }

  /**
   * Scopes: a non-empty array of distinct grantable scopes, each within `allowed` when given.
   * Answered in `allowed`'s (or the platform's) order, so equal sets compare equal.
   */
  scopes(
    body: Record<string, unknown>,
    field: string,
    allowed?: readonly string[],
  ): GrantableScope[] {
    const v = body[field];
    if (!Array.isArray(v)) {
      this.add(field, 'must be an array of scope URIs');
      return [];
    }
    if (v.length === 0) {
      this.add(field, 'must name at least one scope');
      return [];
    }
    const bad = v.filter((s) => !isGrantable(s));
    if (bad.length) {
      this.add(field, `unknown scope ${JSON.stringify(bad[0])}`);
      return [];
    }
    if (new Set(v).size !== v.length) this.add(field, 'repeats a scope');
    const outside = allowed ? v.filter((s) => !allowed.includes(s)) : [];
    if (outside.length)
      this.add(
        field,
        `must be among the requested scopes; not requested: ${outside.join(' ')}`,
      );
    const order = allowed ?? GRANTABLE_SCOPES;
    return order.filter((s) => v.includes(s)) as GrantableScope[];
  }

  /**
   * Redirect URIs for the OIDC sign-in: absolute https URIs without fragment (RFC 6749
   * §3.1.2), or http on a loopback host for local development (RFC 8252 §7.3).
   */
  redirectUris(body: Record<string, unknown>, field: string): string[] {
    const v = body[field];
    if (!Array.isArray(v)) {
      this.add(field, 'must be an array of URIs');
      return [];
    }
    if (v.length > 20) this.add(field, 'must hold at most 20 URIs');
    for (const [i, u] of v.entries()) {
      const where = `${field}[${i}]`;
      if (typeof u !== 'string' || u.length > 2000) {
        this.add(where, 'must be a URI of at most 2000 characters');
        continue;
      }
      let parsed: URL;
      try {
        parsed = new URL(u);
      } catch {
        this.add(where, 'must be an absolute URI');
        continue;
      }
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(
        parsed.hostname,
      );
      if (
        parsed.protocol !== 'https:' &&
        !(parsed.protocol === 'http:' && loopback)
      )
        this.add(where, 'must use https (http only on a loopback host)');
      else if (u.includes('#')) this.add(where, 'must not have a fragment');
    }
    if (new Set(v).size !== v.length) this.add(field, 'repeats a URI');
    return v.filter((u): u is string => typeof u === 'string');
  }
}

/** A JSON object body (anything else is one problem of the whole body). */
export function objectBody(body: unknown): Record<string, unknown> | null {
  return body && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : null;
}
