import { randomUUID } from 'node:crypto';

/**
 * What a cache holds that another process may change. Keys:
 * - `application`: an application id (a school decided about that application, or the
 *   application itself changed: every client of the application may reach other schools
 *   or scopes, or redirect elsewhere, now);
 * - `client`: an OAuth client id (created, secret rotated, revoked).
 */
export type InvalidationTopic = 'application' | 'client';

export const INVALIDATION_TOPICS: readonly InvalidationTopic[] = [
  'application',
  'client',
];

/**
 * Called with the key that changed, or with `null` when anything may have changed (the bus
 * was disconnected and may have missed messages): drop everything then.
 */
export type InvalidationHandler = (key: string | null) => void;

export interface InvalidationLogger {
  warn(message: string): void;
}

/**
 * Tells every instance's caches that something changed in the database. Rules:
 * - `publish` is called after the change is committed, never before and never for a change
 *   rolled back (a reader told too early would read the old row again and keep it);
 * - this instance's handlers run before `publish` resolves; other instances' handlers run
 *   when the message reaches them;
 * - `publish` never throws: a bus that cannot deliver logs a warning, and the caches' own
 *   lifetimes bound how long another instance serves the old answer;
 * - a handler that throws is logged and does not stop the others.
 */
export interface InvalidationBus {
  publish(topic: InvalidationTopic, key: string): Promise<void>;
  /** Registers `handler` for `topic`; the returned function unregisters it. */
  subscribe(topic: InvalidationTopic, handler: InvalidationHandler): () => void;
  close(): Promise<void>;
}

/** Injection token of the app's bus (for Nest modules; the library itself has no framework). */
export const INVALIDATION_BUS = Symbol('INVALIDATION_BUS');

/** The handlers of one process, shared by both implementations. */
export class LocalHandlers {
  private readonly handlers = new Map<
    InvalidationTopic,
    Set<InvalidationHandler>
  >();

  constructor(private readonly logger: InvalidationLogger) {}

  add(topic: InvalidationTopic, handler: InvalidationHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  deliver(topic: InvalidationTopic, key: string | null): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(key);
      } catch (err) {
        this.logger.warn(
          `Invalidation: a ${topic} handler failed (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    }
  }

  /** Anything may have changed: every handler of every topic drops everything. */
  deliverAll(): void {
    for (const topic of this.handlers.keys()) this.deliver(topic, null);
  }
}

/**
 * The embedded default: one process, no Redis. Handlers run synchronously inside `publish`.
 */
export class InProcessInvalidationBus implements InvalidationBus {
  private readonly local: LocalHandlers;

  constructor(logger: InvalidationLogger = console) {
    this.local = new LocalHandlers(logger);
  }

  async publish(topic: InvalidationTopic, key: string): Promise<void> {
    this.local.deliver(topic, key);
  }

  subscribe(
    topic: InvalidationTopic,
    handler: InvalidationHandler,
  ): () => void {
    return this.local.add(topic, handler);
  }

  async close(): Promise<void> {
    // Nothing held.
  }
}

/** One message on the Redis channel. */
export interface InvalidationMessage {
  /** Format version. */
  v: 1;
  /** The instance that published it (it ignores its own echo). */
  origin: string;
  topic: InvalidationTopic;
  key: string;
}

export const newInstanceId = (): string => randomUUID();

export function encodeMessage(message: InvalidationMessage): string {
  return JSON.stringify(message);
}

/** The message, or a reason it is not one (never throws). */
export function decodeMessage(
  raw: string,
): InvalidationMessage | { malformed: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { malformed: 'not JSON' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { malformed: 'not an object' };
  const m = parsed as Record<string, unknown>;
  if (m['v'] !== 1) return { malformed: 'unknown version' };
  if (typeof m['origin'] !== 'string' || !m['origin'])
    return { malformed: 'no origin' };
  if (!INVALIDATION_TOPICS.includes(m['topic'] as InvalidationTopic))
    return { malformed: 'unknown topic' };
  if (typeof m['key'] !== 'string' || !m['key'] || m['key'].length > 512)
    return { malformed: 'no key' };
  return {
    v: 1,
    origin: m['origin'],
    topic: m['topic'] as InvalidationTopic,
    key: m['key'],
  };
}
