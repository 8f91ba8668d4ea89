import type { DataSource, EntityManager } from 'typeorm';

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
