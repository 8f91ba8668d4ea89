import { HashingBusyError, HashingSlots } from './hashing-slots';
import { hashSecret, verifySecret } from '@oneroster/util-secrets';

describe('HashingSlots', () => {
  it('runs at most `concurrency` real password checks at once', async () => {
    const slots = new HashingSlots(2, 50);
    const hash = await hashSecret('a password');
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        slots.run(async () => {
          peak = Math.max(peak, slots.active);
          const ok = await verifySecret(i % 2 ? 'a password' : 'wrong', hash);
          peak = Math.max(peak, slots.active);
          return ok;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(results.filter(Boolean)).toHaveLength(6);
    expect(slots.active).toBe(0);
  });

  it('refuses attempts beyond the queue, and those that waited too long', async () => {
    const slots = new HashingSlots(1, 1, 50);
    let release!: () => void;
    const blocker = slots.run(() => new Promise<void>((r) => (release = r)));
    const queued = slots.run(async () => 'ran');
    await expect(slots.run(async () => 'x')).rejects.toBeInstanceOf(
      HashingBusyError,
    );
    // The queued one gives up after 50 ms while the blocker still holds the slot.
    await expect(queued).rejects.toBeInstanceOf(HashingBusyError);
    release();
    await blocker;
    await expect(slots.run(async () => 'free again')).resolves.toBe(
      'free again',
    );
    expect(slots.active).toBe(0);
  });
});
