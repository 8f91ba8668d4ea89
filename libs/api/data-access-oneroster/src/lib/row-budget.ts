/**
 * The shared capacity of collection responses: rows in flight, and large pages per client.
 * Rules enforced:
 * - each request holds `limit` rows of a shared budget (at most the whole budget) from
 *   before its query until its response closes; while the budget is spent, requests wait
 *   first come, first served, so large pages queue instead of growing the heap without
 *   bound, and small pages rarely wait;
 * - a large page (see `isLargePage`) also holds one of its client's slots: a client has at
 *   most `largePerClient` large pages at once; beyond that its request waits in the same
 *   queue, and it never holds up another client's requests behind it (the budget's
 *   first come, first served order applies among the requests that may run);
 * - all clients together have at most `largeTotal` large pages at once (each may hold a
 *   pooled database connection while it is written: kept below the pool, the pages in
 *   flight always leave a connection for the queries they and other requests still need);
 *   a large page beyond it waits, small pages pass it;
 * - a waiter whose signal aborts (its client left, or it waited too long) leaves the queue,
 *   takes nothing, and is rejected with the signal's reason; the waiters behind it move up;
 * - a release gives back what the request took exactly once, however often it is called.
 */
export interface AcquireOptions {
  /** Who asks (the OAuth client id); requests of one client share its large-page slots. */
  client?: string;
  /** The request is a large page: it needs one of its client's slots as well as the rows. */
  large?: boolean;
  /** Aborting it while the request waits takes it out of the queue. */
  signal?: AbortSignal;
}

export interface BudgetState {
  capacity: number;
  available: number;
  waiting: number;
  /** Large pages running, per client (clients with none are left out). */
  largePages: Record<string, number>;
}

interface Waiter {
  rows: number;
  client: string;
  large: boolean;
  admit: () => void;
}

export class RowBudget {
  private available: number;
  private readonly waiting: Waiter[] = [];
  private readonly largeByClient = new Map<string, number>();
  private large = 0;

  constructor(
    private readonly capacity: number,
    private readonly largePerClient = Number.POSITIVE_INFINITY,
    private readonly largeTotal = Number.POSITIVE_INFINITY,
  ) {
    this.available = capacity;
  }

  acquire(
    requested: number,
    options: AcquireOptions = {},
  ): Promise<() => void> {
    const { client = '', large = false, signal } = options;
    const rows = Math.max(1, Math.min(requested, this.capacity));
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        reject(signal?.reason);
        // A waiter that held the head of the queue may have kept others waiting.
        this.drain();
      };
      const waiter: Waiter = {
        rows,
        client,
        large,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser(rows, client, large));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.drain();
    });
  }

  state(): BudgetState {
    return {
      capacity: this.capacity,
      available: this.available,
      waiting: this.waiting.length,
      largePages: Object.fromEntries(this.largeByClient),
    };
  }

  private releaser(rows: number, client: string, large: boolean) {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.available += rows;
      if (large) {
        this.large--;
        const left = (this.largeByClient.get(client) ?? 1) - 1;
        if (left > 0) this.largeByClient.set(client, left);
        else this.largeByClient.delete(client);
      }
      this.drain();
    };
  }

  private drain(): void {
    for (let i = 0; i < this.waiting.length;) {
      const next = this.waiting[i];
      const slots = this.largeByClient.get(next.client) ?? 0;
      if (
        next.large &&
        (slots >= this.largePerClient || this.large >= this.largeTotal)
      ) {
        // Only large pages hold it back: the requests behind it may pass.
        i++;
        continue;
      }
      if (this.available < next.rows) break;
      this.waiting.splice(i, 1);
      this.available -= next.rows;
      if (next.large) {
        this.large++;
        this.largeByClient.set(next.client, slots + 1);
      }
      next.admit();
    }
  }
}
