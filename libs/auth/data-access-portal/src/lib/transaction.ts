import type { DataSource, EntityManager } from 'typeorm';
import type {
  InvalidationBus,
  InvalidationTopic,
} from '@oneroster/util-invalidation';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a transaction. SQLite has one connection and one writer, and TypeORM cannot
 * open a second transaction on it while one is open, so there the portal's transactions run
 * one after another (in this process); MySQL/MariaDB runs them side by side, and the
 * optimistic checks inside each decide which of two racing changes applies.
 */
export function inTransaction<T>(
  ds: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  if (ds.options.type !== 'better-sqlite3') return ds.transaction(work);
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous.then(
    () => ds.transaction(work),
    () => ds.transaction(work),
  );
  queues.set(
    ds,
    run.catch(() => undefined),
  );
  return run;
}

/** Notes a change for the invalidation bus (sent once the transaction has committed). */
export type NoteChange = (topic: InvalidationTopic, key: string) => void;

/**
 * `inTransaction`, then the changes `work` noted are published on `bus`, in order, once
 * the transaction has committed: never before (an instance told too early would read the
 * old row again and keep it), and never when it rolls back (nothing changed). A bus that
 * cannot deliver does not fail the committed change (`InvalidationBus.publish` never throws).
 */
export async function inTransactionThenPublish<T>(
  ds: DataSource,
  bus: InvalidationBus | null,
  work: (em: EntityManager, note: NoteChange) => Promise<T>,
): Promise<T> {
  const noted: [InvalidationTopic, string][] = [];
  const result = await inTransaction(ds, (em) =>
    work(em, (topic, key) => noted.push([topic, key])),
  );
  await publishAll(bus, noted);
  return result;
}

/** Publishes changes already committed (e.g. by a function running its own transaction). */
export async function publishAll(
  bus: InvalidationBus | null,
  changes: readonly (readonly [InvalidationTopic, string])[],
): Promise<void> {
  if (!bus) return;
  for (const [topic, key] of changes) await bus.publish(topic, key);
}
