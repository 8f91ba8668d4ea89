/**
 * Read-ahead for bulk paging. When a client pages through a collection in the default order
 * with a large limit (a nightly sync), the next page is queried while the current one is
 * serialised and sent, so database time and serialisation overlap instead of adding up.
 *
 * Bounds: at most MAX_ROWS rows held ahead in the whole process (offers beyond that are
 * declined), each for at most TTL_MS; a page read ahead is used once. A page served from
 * read-ahead reflects the data at most TTL_MS before the request; writes made through this
 * process clear it (RosterReader.invalidateReadAhead).
 */
type Rows = Record<string, unknown>[];

export class ReadAhead {
  static readonly MIN_LIMIT = 1000;
  static readonly MAX_ROWS = 10_000;
  static readonly TTL_MS = 5_000;

  private readonly entries = new Map<
    string,
    { rows: Promise<Rows>; size: number; expires: number }
  >();
  private held = 0;

  offer(
    key: string,
    size: number,
    load: () => Promise<Rows>,
    now = Date.now(),
  ): void {
    this.sweep(now);
    if (this.entries.has(key) || this.held + size > ReadAhead.MAX_ROWS) return;
    const rows = load();
    // A failed read-ahead is simply not used; the request then queries itself.
    rows.catch(() => this.drop(key));
    this.entries.set(key, { rows, size, expires: now + ReadAhead.TTL_MS });
    this.held += size;
  }

  take(key: string, now = Date.now()): Promise<Rows> | undefined {
    this.sweep(now);
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.drop(key);
    return e.rows;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.held -= e.size;
  }

  private sweep(now: number): void {
    for (const [key, e] of this.entries) if (e.expires < now) this.drop(key);
  }
}
