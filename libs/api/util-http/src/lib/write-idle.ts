import type { ServerResponse } from 'node:http';

/**
 * Cuts a response whose client stops taking it, so a slow reader cannot hold what the
 * response holds (a pooled database connection, rows of the shared budget). Rules enforced:
 * - a wait starts when written bytes are left waiting for the client: a write that the
 *   response could not take at once (`write()` returned false), or an `end()` whose bytes
 *   are not yet handed to the system;
 * - the client must take them within `timeoutMs`: each `drain` clears the wait (or, after
 *   `end()`, starts it afresh), `finish` and `close` end it; otherwise the response is
 *   destroyed, which closes it, and everything listening for its close frees what it holds;
 * - time the server itself spends producing the response (a query, building a batch) never
 *   counts: nothing waits for the client then;
 * - `timeoutMs` of 0 turns it off.
 */
export function limitWriteIdle(
  res: ServerResponse,
  timeoutMs: number,
  onCut?: () => void,
): void {
  if (timeoutMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const disarm = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    disarm();
    timer = setTimeout(() => {
      timer = undefined;
      if (res.writableFinished || res.destroyed) return;
      onCut?.();
      res.destroy();
    }, timeoutMs);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    const taken = (write as (...a: unknown[]) => boolean).apply(this, args);
    if (!taken) arm();
    return taken;
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    ended = true;
    const result = (end as (...a: unknown[]) => ServerResponse).apply(
      this,
      args,
    );
    if (!this.writableFinished && !this.destroyed) arm();
    return result;
  } as ServerResponse['end'];
  res.on('drain', () => (ended ? arm() : disarm()));
  res.once('finish', disarm);
  res.once('close', disarm);
}
