import type { InvalidationBus } from './invalidation-bus';

/** An answer cached per client id, with the client's application once the read is done. */
export interface ClientAnswer {
  /** The client's application (null: no such client; undefined: still being read). */
  applicationId?: string | null;
}

/** The part of a cache of answers per client id that invalidation needs (an lru-cache does). */
export interface ClientKeyedCache<V extends ClientAnswer> {
  entries(): Iterable<[string, V]>;
  delete(clientId: string): unknown;
  clear(): void;
}

/**
 * Drops the answers about one application: the one keyed by the application id (its OpenID
 * Connect client), those of its clients, and every answer still being read (its application
 * is not known yet, and the row it reads may predate the change).
 */
export function forgetApplication<V extends ClientAnswer>(
  cache: ClientKeyedCache<V>,
  applicationId: string,
): void {
  // Keys first: the cache is not changed while it is walked.
  const stale: string[] = [];
  for (const [clientId, answer] of cache.entries())
    if (
      clientId === applicationId ||
      answer.applicationId === undefined ||
      answer.applicationId === applicationId
    )
      stale.push(clientId);
  for (const clientId of stale) cache.delete(clientId);
}

/**
 * Keeps a cache of answers per client id in step with the bus: a `client` message drops that
 * client's answer, an `application` message the answers about that application
 * (`forgetApplication`), and `null` on either topic everything. Returns the function that
 * unsubscribes.
 */
export function subscribeClientCache<V extends ClientAnswer>(
  bus: InvalidationBus,
  cache: ClientKeyedCache<V>,
): () => void {
  const stops = [
    bus.subscribe('client', (clientId) =>
      clientId === null ? cache.clear() : cache.delete(clientId),
    ),
    bus.subscribe('application', (applicationId) =>
      applicationId === null
        ? cache.clear()
        : forgetApplication(cache, applicationId),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
