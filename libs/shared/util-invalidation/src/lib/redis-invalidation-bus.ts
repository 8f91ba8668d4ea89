import { Redis } from 'ioredis';
import {
  decodeMessage,
  encodeMessage,
  InProcessInvalidationBus,
  InvalidationBus,
  InvalidationHandler,
  InvalidationLogger,
  InvalidationTopic,
  LocalHandlers,
  newInstanceId,
} from './invalidation-bus';

export interface InvalidationBusOptions {
  /** Redis to reach the other instances; null: this process only (the embedded default). */
  redisUrl: string | null;
  /** The pub/sub channel every instance of the platform shares (INVALIDATION_CHANNEL). */
  channel: string;
  logger: InvalidationLogger;
  /** Time between two "Redis unreachable" warnings (ms). */
  warnEveryMs?: number;
}

/**
 * The bus across instances: Redis pub/sub on one channel (two connections, as a subscribed
 * Redis connection can do nothing else). Rules, besides those of `InvalidationBus`:
 * - this instance's handlers run inside `publish`; the message it sends carries this
 *   instance's id, and the echo Redis sends back is ignored;
 * - a message that is not JSON, of an unknown version or topic, or without origin or key is
 *   ignored with a warning;
 * - Redis down: `publish` warns (at most every 30 s) and resolves; the subscriber reconnects
 *   by itself, and once it is subscribed again every handler is told that anything may have
 *   changed (`null`), since messages sent meanwhile are lost (pub/sub keeps nothing).
 */
export class RedisInvalidationBus implements InvalidationBus {
  readonly instanceId = newInstanceId();
  private readonly local: LocalHandlers;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private subscribedOnce = false;
  private lastWarning = 0;

  private constructor(
    private readonly options: InvalidationBusOptions & { redisUrl: string },
  ) {
    this.local = new LocalHandlers(options.logger);
    const common = {
      lazyConnect: true,
      // Named, so an operator (or a test) can tell the bus's connections apart.
      connectionName: `oneroster-invalidation-${this.instanceId}`,
      connectTimeout: 2000,
      disconnectTimeout: 200,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
    // The publisher fails at once while disconnected instead of queueing: a late
    // invalidation is worth nothing more than the caches' own lifetimes.
    this.publisher = new Redis(options.redisUrl, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1000,
    });
    // The subscriber queues its SUBSCRIBE until connected and subscribes again after every
    // reconnection (ioredis' autoResubscribe).
    this.subscriber = new Redis(options.redisUrl, {
      ...common,
      autoResubscribe: true,
    });
    this.publisher.on('error', (err: Error) => this.warn(err.message));
    this.subscriber.on('error', (err: Error) => this.warn(err.message));
    this.subscriber.on('message', (channel: string, raw: string) =>
      this.receive(channel, raw),
    );
    this.subscriber.on('ready', () => {
      // A reconnection: once subscribed again (SUBSCRIBE is idempotent, whatever ioredis
      // resubscribes by itself), drop everything, as messages sent meanwhile are lost.
      if (this.subscribedOnce) this.resubscribed();
    });
  }

  /** Connected and subscribed, or retrying in the background (a failure is logged). */
  static async create(
    options: InvalidationBusOptions & { redisUrl: string },
  ): Promise<RedisInvalidationBus> {
    const bus = new RedisInvalidationBus(options);
    await Promise.all([
      bus.publisher.connect().catch((err: Error) => bus.warn(err.message)),
      bus.subscriber
        .connect()
        .then(() => bus.subscriber.subscribe(options.channel))
        .then(() => {
          bus.subscribedOnce = true;
        })
        .catch((err: Error) => {
          bus.warn(err.message);
          // Subscribes once the connection comes up (the offline queue keeps the command);
          // changes made until then were not heard.
          void bus.subscriber
            .subscribe(options.channel)
            .then(() => {
              bus.subscribedOnce = true;
              bus.local.deliverAll();
            })
            .catch(() => undefined);
        }),
    ]);
    return bus;
  }

  async publish(topic: InvalidationTopic, key: string): Promise<void> {
    this.local.deliver(topic, key);
    try {
      await this.publisher.publish(
        this.options.channel,
        encodeMessage({ v: 1, origin: this.instanceId, topic, key }),
      );
    } catch (err) {
      this.warn(err instanceof Error ? err.message : String(err));
    }
  }

  subscribe(
    topic: InvalidationTopic,
    handler: InvalidationHandler,
  ): () => void {
    return this.local.add(topic, handler);
  }

  async close(): Promise<void> {
    for (const connection of [this.subscriber, this.publisher]) {
      if (connection.status === 'ready')
        await connection.quit().catch(() => undefined);
      connection.disconnect();
    }
  }

  private resubscribed(): void {
    this.subscriber.subscribe(this.options.channel).then(
      () => this.local.deliverAll(),
      (err: Error) => this.warn(err.message),
    );
  }

  private receive(channel: string, raw: string): void {
    if (channel !== this.options.channel) return;
    const message = decodeMessage(raw);
    if ('malformed' in message) {
      this.options.logger.warn(
        `Invalidation: ignored a malformed message on ${channel} (${message.malformed})`,
      );
      return;
    }
    if (message.origin === this.instanceId) return;
    this.local.deliver(message.topic, message.key);
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < (this.options.warnEveryMs ?? 30_000)) return;
    this.lastWarning = now;
    this.options.logger.warn(
      `Invalidation: Redis is unreachable (${message}); other instances learn of changes when their caches expire`,
    );
  }
}

/** Redis pub/sub when a URL is given, else the in-process bus. */
export async function createInvalidationBus(
  options: InvalidationBusOptions,
): Promise<InvalidationBus> {
  const { redisUrl } = options;
  return redisUrl
    ? RedisInvalidationBus.create({ ...options, redisUrl })
    : new InProcessInvalidationBus(options.logger);
}
