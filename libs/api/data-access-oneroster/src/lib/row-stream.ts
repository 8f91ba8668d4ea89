import type { Readable } from 'node:stream';

type Row = Record<string, unknown>;

/**
 * The rows of one query as the database sends them, taken a batch at a time. The source
 * (mysql2's query stream) is paused while a batch waits to be taken, so the connection
 * stops reading and the database waits: rows are held a batch at a time, never a page.
 */
export class RowStream {
  private buffer: Row[] = [];
  private ended = false;
  private failure: Error | null = null;
  private discard = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly source: Readable,
    private readonly batchSize: number,
    /** Called once, when the rows have all been read (or the query failed). */
    private readonly done: () => Promise<void>,
  ) {
    source.pause();
    source.on('data', (row: Row) => {
      if (this.discard) return;
      this.buffer.push(row);
      if (this.buffer.length >= batchSize) source.pause();
      this.notify();
    });
    source.once('end', () => {
      this.ended = true;
      this.notify();
    });
    source.once('error', (err: Error) => {
      this.failure = err;
      this.notify();
    });
  }

  /** The next rows (at least a batch unless the result ends), or null at the end. */
  async next(): Promise<Row[] | null> {
    while (
      this.buffer.length < this.batchSize &&
      !this.ended &&
      !this.failure
    ) {
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      this.source.resume();
      await woken;
    }
    if (this.failure) {
      await this.finish();
      throw this.failure;
    }
    if (this.buffer.length === 0) {
      await this.finish();
      return null;
    }
    const batch = this.buffer;
    this.buffer = [];
    if (this.ended) await this.finish();
    return batch;
  }

  /**
   * Stops early (the client went away): the rest of the result is read and dropped, so the
   * connection is left clean for its next query, then released.
   */
  async close(): Promise<void> {
    if (!this.ended && !this.failure) {
      this.discard = true;
      this.buffer = [];
      const over = new Promise<void>((resolve) => {
        this.source.once('end', resolve);
        this.source.once('error', () => resolve());
      });
      this.source.resume();
      await over;
    }
    await this.finish();
  }

  private finished = false;
  private async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.done();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
