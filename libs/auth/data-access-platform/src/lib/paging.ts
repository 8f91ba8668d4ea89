import { platformInvalid } from './errors';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** `limit` (1–1000, default 100) and `offset` (≥ 0, default 0) of a query; bad ones are 400. */
export function pageOf(query: Record<string, unknown>): {
  limit: number;
  offset: number;
} {
  const fields: Record<string, string> = {};
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < min || n > max) {
      fields[name] = `must be a whole number from ${min} to ${max}`;
      return fallback;
    }
    return n;
  };
  const limit = int('limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  if (Object.keys(fields).length) throw platformInvalid(fields);
  return { limit, offset };
}
