/**
 * Bounds the memory that collection responses can take at once: each request holds
 * `limit` rows of a shared budget from before its query until its response is sent, and
 * waits (first come, first served) while the budget is spent. Large pages then queue
 * instead of growing the heap without bound; small pages rarely wait.
 */
export class RowBudget {
  private available: number;
  private readonly waiting: { rows: number; resolve: () => void }[] = [];

  constructor(private readonly capacity: number) {
    this.available = capacity;
  }

  async acquire(requested: number): Promise<() => void> {
    const rows = Math.max(1, Math.min(requested, this.capacity));
    if (this.waiting.length === 0 && this.available >= rows) {
      this.available -= rows;
    } else {
      await new Promise<void>((resolve) =>
        this.waiting.push({ rows, resolve }),
      );
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.available += rows;
      this.drain();
    };
  }

  private drain(): void {
    while (this.waiting.length && this.available >= this.waiting[0].rows) {
      const next = this.waiting.shift();
      if (!next) break;
      this.available -= next.rows;
      next.resolve();
    }
  }
}
