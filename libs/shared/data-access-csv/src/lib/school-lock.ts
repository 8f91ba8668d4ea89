/**
 * Imports for the same school run one at a time (in this process): each school has a
 * queue; an import waits for every school it writes, taken in sorted order so two imports
 * of overlapping schools cannot wait on each other.
 */
const tails = new Map<string, Promise<void>>();

export async function withSchoolLocks<T>(
  schoolIds: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const ids = [...new Set(schoolIds)].sort();
  const releases: (() => void)[] = [];
  for (const id of ids) {
    const previous = tails.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    tails.set(id, tail);
    releases.push(() => {
      release();
      if (tails.get(id) === tail) tails.delete(id);
    });
    await previous;
  }
  try {
    return await work();
  } finally {
    for (const r of releases) r();
  }
}
