import type { RateVerdict } from './rate-limit-store';

/**
 * The sliding-window estimate (the "sliding window counter" of two fixed windows): at a point
 * `progress` (0..1) through the current window, the hits of the last full window length are
 * taken as `previous * (1 - progress) + current`. Rules enforced:
 * - a hit is admitted when the estimate with it stays within `limit`;
 * - the time until the next admission is computed exactly from the same formula (in the
 *   current window as the previous one fades, else in the next one), rounded up to whole
 *   seconds, so a client waiting `Retry-After` is never refused for waiting too little.
 */
export interface WindowCounts {
  limit: number;
  windowMs: number;
  /** Hits admitted in the previous fixed window. */
  previous: number;
  /** Hits admitted in the current fixed window, this one included when it is judged. */
  current: number;
  /** Milliseconds since the current fixed window began. */
  elapsedMs: number;
}

export const estimate = (c: WindowCounts): number =>
  c.previous * (1 - c.elapsedMs / c.windowMs) + c.current;

/** Whether the counts are within the limit (with room for floating-point rounding). */
export const fits = (c: WindowCounts): boolean => estimate(c) <= c.limit + 1e-9;

/** Milliseconds from now until one more hit would be admitted, given what is counted. */
export function msUntilAdmitted(c: WindowCounts): number {
  const { limit, windowMs, previous, current, elapsedMs } = c;
  if (fits({ ...c, current: current + 1 })) return 0;
  if (current + 1 <= limit && previous > 0) {
    // In this window, once enough of the previous one has slid out.
    const progress = 1 - (limit - current - 1) / previous;
    if (progress < 1) return Math.max(0, progress * windowMs - elapsedMs);
  }
  // In the next window, where this window's hits are the ones sliding out.
  const next =
    current > 0 ? Math.max(0, 1 - (limit - 1) / current) * windowMs : 0;
  return windowMs - elapsedMs + next;
}

/** Milliseconds until nothing counted weighs any more (the whole limit is back). */
export function msUntilEmpty(c: WindowCounts): number {
  if (c.current > 0) return 2 * c.windowMs - c.elapsedMs;
  if (c.previous > 0) return c.windowMs - c.elapsedMs;
  return 0;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** The verdict on a hit that was counted in `current` (admitted) or not (refused). */
export function judge(c: WindowCounts, admitted: boolean): RateVerdict {
  if (admitted)
    return {
      allowed: true,
      limit: c.limit,
      remaining: Math.max(0, Math.floor(c.limit - estimate(c) + 1e-9)),
      retryAfterSeconds: 0,
      resetSeconds: seconds(msUntilEmpty(c)),
    };
  return {
    allowed: false,
    limit: c.limit,
    remaining: 0,
    retryAfterSeconds: Math.max(1, seconds(msUntilAdmitted(c))),
    resetSeconds: Math.max(1, seconds(msUntilEmpty(c))),
  };
}
