import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Graceful stop of the HTTP server, first thing when the app closes (SIGTERM, or
 * `app.close()`), before usage counters are flushed and the database is closed. Rules:
 * - stop accepting connections at once;
 * - requests in flight finish, for at most `drainTimeoutMs`; then remaining connections are
 *   cut;
 * - responses still to be sent, and requests arriving on a kept-alive connection while
 *   draining, are served with `Connection: close`;
 * - idle kept-alive connections are closed, so no client waits on a dead socket.
 */
export const DRAIN_TIMEOUT_MS = Symbol('DRAIN_TIMEOUT_MS');

@Injectable()
export class HttpDrain implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HttpDrain');
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private idle: (() => void) | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DRAIN_TIMEOUT_MS) private readonly drainTimeoutMs: number,
  ) {}

  private get server(): Server | undefined {
    return this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
  }

  onApplicationBootstrap(): void {
    this.server?.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0) this.idle?.();
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    this.draining = true;
    server.close();
    server.closeIdleConnections();
    // Answers still to come close their connection: the client reconnects elsewhere.
    for (const res of this.inFlight)
      if (!res.headersSent) res.setHeader('Connection', 'close');
    if (this.inFlight.size > 0) {
      this.logger.log(`Draining ${this.inFlight.size} request(s) in flight`);
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), this.drainTimeoutMs);
        this.idle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!drained)
        this.logger.warn(
          `${this.inFlight.size} request(s) still running after ${this.drainTimeoutMs} ms; closing their connections`,
        );
    }
    server.closeAllConnections();
  }
}
