/**
 * Remembers where each page of a default-ordered collection ended, so that the request for
 * the next offset can seek to that key instead of making the database skip `offset` rows
 * (deep pages would otherwise get slower and slower). It also keeps the total of the first
 * page, so that X-Total-Count stays constant while a client pages through.
 *
 * Per process, bounded (least recently added entries go first) and short-lived; a miss
 * simply falls back to LIMIT/OFFSET.
 */
export interface PageCursor {
  sourcedId: string;
  schoolId: string;
  total: number;
}

export class CursorCache {
  private readonly entries = new Map<
    string,
    PageCursor & { expires: number }
  >();

  constructor(
    private readonly maxEntries = 5000,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  get(key: string, now = Date.now()): PageCursor | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires < now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, cursor: PageCursor, now = Date.now()): void {
    this.entries.delete(key);
    this.entries.set(key, { ...cursor, expires: now + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
