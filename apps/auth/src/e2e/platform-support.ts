import { createServer, type Server } from 'node:http';
import { WEBHOOK_HEADERS } from '@oneroster/contracts';

/** One request a webhook receiver got, and what it answered. */
export interface ReceivedHook {
  path: string;
  eventId: string;
  eventType: string;
  timestamp: string;
  signature: string;
  body: string;
  at: number;
  answered: number;
}

/**
 * A real HTTP webhook receiver on loopback. `answer(eventId, attempt)` picks the status of
 * each request (attempt: how many times this event id reached this path, from 1).
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  answer: (eventId: string, attempt: number, path: string) => number = () =>
    200;
  private server: Server | null = null;

  constructor(readonly port: number) {}

  url(path = '/hook') {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const eventId = String(req.headers[WEBHOOK_HEADERS.id] ?? '');
        const path = req.url ?? '';
        const attempt =
          this.received.filter((r) => r.eventId === eventId && r.path === path)
            .length + 1;
        const status = this.answer(eventId, attempt, path);
        this.received.push({
          path,
          eventId,
          eventType: String(req.headers[WEBHOOK_HEADERS.event] ?? ''),
          timestamp: String(req.headers[WEBHOOK_HEADERS.timestamp] ?? ''),
          signature: String(req.headers[WEBHOOK_HEADERS.signature] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          answered: status,
        });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Requests for `eventId` (at `path`), in order. */
  of(eventId: string, path = '/hook'): ReceivedHook[] {
    return this.received.filter(
      (r) => r.eventId === eventId && r.path === path,
    );
  }
}

/** Waits until `check` returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 20_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The payload of a JWT, unverified (the test reads what the server issued). */
export const jwtPayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
