import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { DataSource } from 'typeorm';
import { WEBHOOK_HEADERS } from '@oneroster/contracts';
import { encodeInstant } from '@oneroster/database';
import {
  PlatformEventEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from '@oneroster/entities';
import { signWebhook } from './signature';
import {
  checkedTarget,
  pinnedLookup,
  systemResolveAll,
  WebhookTargetRefused,
  type ResolveAll,
  type WebhookTargetPolicy,
} from './webhook-targets';

export interface DispatcherSettings {
  pollMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  /** Deliveries attempted at once per instance. */
  batchSize?: number;
  /** Which addresses may be connected to (default: public ones only). */
  targets?: WebhookTargetPolicy;
  /** The DNS lookup of target hosts (default: the system's). */
  resolveAll?: ResolveAll;
  onError?: (message: string) => void;
}

/** Wait before attempt `n + 1` after attempt `n` failed: base·2^(n−1), at most `max`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number) {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Delivers the outbox's webhook deliveries: a database-polling dispatcher that every auth
 * server instance runs. Rules enforced:
 * - a due delivery (`pending` with `next_attempt_at` passed, or `delivering` whose lease ran
 *   out: its instance stopped mid-attempt) is claimed with one conditional UPDATE on the
 *   status, attempt count and due time as read; the row lock the UPDATE takes and the
 *   re-checked condition let exactly one instance win, so no attempt is made twice; the lease
 *   (the timeout plus a margin) is stored as `next_attempt_at`;
 * - an attempt POSTs the event's frozen JSON with `webhook-id` (the event id, for the
 *   receiver's de-duplication), `webhook-event`, `webhook-timestamp` and
 *   `webhook-signature: v1=HMAC-SHA256(secret, timestamp + "." + body)`; redirects are not
 *   followed; a 2xx answer within the timeout is success;
 * - the target's address is checked at every attempt (`webhook-targets.ts`) and the
 *   connection goes to the address checked (the socket's lookup resolves, checks and pins),
 *   so a name rebound to a private address after registration is never connected to; a
 *   refused target fails the delivery at once (no retries), with the reason in the log;
 * - a failure is retried after `backoffMs` (exponential), up to `maxAttempts`, then `failed`;
 *   every attempt is logged (`webhook_attempts`: time, response code or error, duration);
 * - the result is written only if the delivery is still this attempt's (a stale instance
 *   whose lease was taken over writes nothing);
 * - delivery is at least once: an instance stopping mid-attempt leaves the lease to run out,
 *   and the attempt is made again; `stop()` waits for attempts in flight, so a graceful
 *   restart repeats none.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly settings: DispatcherSettings,
  ) {}

  start(): void {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((err: unknown) =>
          this.settings.onError?.(
            `webhook dispatch failed: ${err instanceof Error ? err.message : String(err)}`,
          ),
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) {
            this.timer = setTimeout(loop, this.settings.pollMs);
            this.timer.unref();
          }
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: claims and attempts the due deliveries (at most a batch). */
  async tick(): Promise<void> {
    if (!this.ds.isInitialized) return;
    const now = encodeInstant(new Date());
    const due = await this.ds
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .where(
        "d.status IN ('pending', 'delivering') AND d.nextAttemptAt <= :now",
        { now },
      )
      .orderBy('d.nextAttemptAt', 'ASC')
      .take(this.settings.batchSize ?? 20)
      .getMany();
    await Promise.all(due.map((d) => this.attempt(d, now)));
  }

  private async attempt(d: WebhookDeliveryEntity, now: string): Promise<void> {
    const repo = this.ds.getRepository(WebhookDeliveryEntity);
    const attempt = d.attempts + 1;
    const lease = new Date(Date.now() + this.settings.timeoutMs + 30_000);
    const claimed = await repo
      .createQueryBuilder()
      .update(WebhookDeliveryEntity)
      .set({ status: 'delivering', attempts: attempt, nextAttemptAt: lease })
      .where(
        'id = :id AND status = :status AND attempts = :attempts AND next_attempt_at <= :now',
        { id: d.id, status: d.status, attempts: d.attempts, now },
      )
      .execute();
    if (claimed.affected !== 1) return;
    const [event, endpoint] = await Promise.all([
      this.ds.getRepository(PlatformEventEntity).findOneBy({ id: d.eventId }),
      this.ds
        .getRepository(WebhookEndpointEntity)
        .findOneBy({ id: d.endpointId }),
    ]);
    const started = Date.now();
    let responseCode: number | null = null;
    let error: string | null = null;
    let refused = false;
    if (!event || !endpoint || endpoint.deletedAt) error = 'endpoint deleted';
    else {
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        responseCode = await this.post(endpoint.url, event.body, {
          'content-type': 'application/json',
          'user-agent': 'OneRoster-Exchange-Webhooks/1',
          [WEBHOOK_HEADERS.id]: event.id,
          [WEBHOOK_HEADERS.event]: event.type,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(
            endpoint.secret,
            timestamp,
            event.body,
          ),
        });
        if (responseCode < 200 || responseCode > 299)
          error = `answered ${responseCode}`;
      } catch (err) {
        refused = err instanceof WebhookTargetRefused;
        error = (err instanceof Error ? err.message : String(err)).slice(
          0,
          500,
        );
      }
    }
    const ok = error === null;
    const gone = error === 'endpoint deleted' || refused;
    const exhausted = attempt >= this.settings.maxAttempts;
    const next =
      ok || gone || exhausted
        ? null
        : new Date(
            Date.now() +
              backoffMs(
                attempt,
                this.settings.retryBaseMs,
                this.settings.retryMaxMs,
              ),
          );
    // The attempt was this instance's (claimed): it is logged, then its result written.
    await this.ds.getRepository(WebhookAttemptEntity).insert({
      id: randomUUID(),
      deliveryId: d.id,
      attempt,
      at: new Date(started),
      responseCode,
      error,
      durationMs: Date.now() - started,
    });
    await repo
      .createQueryBuilder()
      .update(WebhookDeliveryEntity)
      .set({
        status: ok ? 'succeeded' : next ? 'pending' : 'failed',
        responseCode,
        nextAttemptAt: next,
        deliveredAt: ok ? new Date() : null,
      })
      .where("id = :id AND attempts = :attempt AND status = 'delivering'", {
        id: d.id,
        attempt,
      })
      .execute();
  }

  /**
   * POSTs `body` to `url` and answers the status code (the body is not read). The socket
   * connects only to an address the target policy admits: an IP literal is checked first;
   * a name is resolved, checked and pinned by the socket's own lookup. No redirects are
   * followed, no connection is reused.
   */
  private async post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<number> {
    const target = new URL(url);
    const policy = this.settings.targets ?? {
      allowLoopback: false,
      allowPrivate: false,
    };
    const resolveAll = this.settings.resolveAll ?? systemResolveAll;
    if (isIP(target.hostname.replace(/^\[(.*)\]$/, '$1')))
      await checkedTarget(target.hostname, policy, resolveAll);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent: false,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          lookup: pinnedLookup(policy, resolveAll),
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (err: Error) =>
        reject(
          err.name === 'AbortError' || err.name === 'TimeoutError'
            ? new Error(`no answer within ${this.settings.timeoutMs} ms`)
            : err,
        ),
      );
      req.end(body);
    });
  }
}
