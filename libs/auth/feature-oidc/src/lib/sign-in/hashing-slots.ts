/**
 * Bounds the password checks (scrypt: 64 MiB-class memory and tens of ms of CPU each) one
 * instance runs at once, so a flood of sign-in attempts cannot exhaust memory or starve the
 * token endpoint. Rules enforced:
 * - at most `concurrency` checks run at once; up to `queue` more wait, first come first
 *   served, each for at most `maxWaitMs`;
 * - an attempt beyond the queue, or one that waited too long, is refused at once with
 *   `HashingBusyError` (the caller answers "busy, try again"), never left to pile up.
 */
export class HashingBusyError extends Error {
  constructor() {
    super('too many password checks at once');
    this.name = 'HashingBusyError';
  }
}

export class HashingSlots {
  private running = 0;
  private readonly waiting: {
    start: () => void;
    timer: NodeJS.Timeout;
  }[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
    private readonly maxWaitMs = 3000,
  ) {}

  /** How many checks run now (for tests and diagnostics). */
  get active(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queue)
      return Promise.reject(new HashingBusyError());
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(new HashingBusyError());
        }, this.maxWaitMs),
      };
      entry.timer.unref();
      this.waiting.push(entry);
    });
  }

  private release(): void {
    // The slot passes straight to the next waiter, so `running` never drops below the
    // number of checks actually running.
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running -= 1;
  }
}
