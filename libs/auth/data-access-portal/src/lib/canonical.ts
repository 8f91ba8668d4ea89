import { createHash } from 'node:crypto';

/**
 * Canonical JSON of a receipt: object keys sorted by code point at every level, no
 * whitespace, arrays in order (RFC 8785 for the strings, booleans, nulls and safe integers a
 * receipt holds). Anyone can recompute a receipt's digest: drop `digest`, canonicalise,
 * SHA-256, hex.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');
