import { RowBudget } from './row-budget';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('RowBudget', () => {
  it('lets requests through while the budget lasts and queues the rest in order', async () => {
    const budget = new RowBudget(20_000);
    const a = await budget.acquire(10_000);
    const b = await budget.acquire(10_000);
    const order: string[] = [];
    const c = budget.acquire(10_000).then((r) => (order.push('c'), r));
    const d = budget.acquire(100).then((r) => (order.push('d'), r));
    await tick();
    expect(order).toEqual([]);
    a();
    a(); // a second release gives nothing back
    await c;
    await tick();
    expect(order).toEqual(['c']);
    b();
    await d;
    expect(order).toEqual(['c', 'd']);
    (await c)();
    (await d)();
    (await budget.acquire(20_000))();
  });

  it('serves a request larger than the whole budget alone', async () => {
    const budget = new RowBudget(100);
    const release = await budget.acquire(10_000);
    let second = false;
    const next = budget.acquire(1).then((r) => ((second = true), r));
    await tick();
    expect(second).toBe(false);
    release();
    (await next)();
    expect(second).toBe(true);
  });
});

describe('RowBudget: leaving the queue', () => {
  it('takes nothing for a waiter whose client left, and lets the next one through', async () => {
    const budget = new RowBudget(10_000);
    const held = await budget.acquire(10_000);
    const left = [1, 2, 3].map(() => new AbortController());
    const dropped = left.map((c) =>
      budget.acquire(10_000, { signal: c.signal }),
    );
    const next = budget.acquire(10_000);
    expect(budget.state().waiting).toBe(4);
    for (const c of left) c.abort(new Error('client left'));
    for (const d of dropped) await expect(d).rejects.toThrow('client left');
    expect(budget.state().waiting).toBe(1);
    held();
    (await next)();
    expect(budget.state()).toEqual({
      capacity: 10_000,
      available: 10_000,
      waiting: 0,
      largePages: {},
    });
  });

  it('refuses at once a request whose signal has already aborted', async () => {
    const budget = new RowBudget(100);
    const gone = AbortSignal.abort(new Error('gone'));
    await expect(budget.acquire(10, { signal: gone })).rejects.toThrow('gone');
    expect(budget.state().available).toBe(100);
  });

  it('lets the waiters behind a large waiter that gave up move up', async () => {
    const budget = new RowBudget(1_000);
    const held = await budget.acquire(600);
    const big = new AbortController();
    const blocked = budget.acquire(1_000, { signal: big.signal });
    let small = false;
    const after = budget.acquire(100).then((r) => ((small = true), r));
    await tick();
    expect(small).toBe(false);
    big.abort(new Error('timeout'));
    await expect(blocked).rejects.toThrow('timeout');
    (await after)();
    expect(small).toBe(true);
    held();
    expect(budget.state().available).toBe(1_000);
  });

  it('ignores an abort after admission: the holder releases once', async () => {
    const budget = new RowBudget(100);
    const c = new AbortController();
    const release = await budget.acquire(100, { signal: c.signal });
    c.abort();
    expect(budget.state().available).toBe(0);
    release();
    release();
    expect(budget.state().available).toBe(100);
  });
});

describe('RowBudget: large pages per client', () => {
  it('holds a client to its cap while other clients pass it in the queue', async () => {
    const budget = new RowBudget(100_000, 2);
    const a1 = await budget.acquire(1_000, { client: 'a', large: true });
    const a2 = await budget.acquire(1_000, { client: 'a', large: true });
    let a3done = false;
    const a3 = budget
      .acquire(1_000, { client: 'a', large: true })
      .then((r) => ((a3done = true), r));
    // Another client's large page, and the same client's small page, are not held up.
    const b1 = await budget.acquire(1_000, { client: 'b', large: true });
    const aSmall = await budget.acquire(100, { client: 'a' });
    await tick();
    expect(a3done).toBe(false);
    expect(budget.state()).toMatchObject({
      waiting: 1,
      largePages: { a: 2, b: 1 },
    });
    a1();
    a1();
    const r3 = await a3;
    expect(budget.state().largePages).toEqual({ a: 2, b: 1 });
    for (const r of [a2, r3, b1, aSmall]) r();
    expect(budget.state()).toEqual({
      capacity: 100_000,
      available: 100_000,
      waiting: 0,
      largePages: {},
    });
  });

  it('lets a request waiting for its client slot give up and take nothing', async () => {
    const budget = new RowBudget(100_000, 1);
    const held = await budget.acquire(1_000, { client: 'a', large: true });
    const c = new AbortController();
    const waiting = budget.acquire(1_000, {
      client: 'a',
      large: true,
      signal: c.signal,
    });
    c.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    held();
    expect(budget.state()).toMatchObject({
      available: 100_000,
      waiting: 0,
      largePages: {},
    });
    (await budget.acquire(1_000, { client: 'a', large: true }))();
  });

  it('holds all clients together to the total of large pages, letting small pages pass', async () => {
    const budget = new RowBudget(100_000, 2, 3);
    const held = [
      await budget.acquire(1_000, { client: 'a', large: true }),
      await budget.acquire(1_000, { client: 'a', large: true }),
      await budget.acquire(1_000, { client: 'b', large: true }),
    ];
    let fourth = false;
    const next = budget
      .acquire(1_000, { client: 'c', large: true })
      .then((r) => ((fourth = true), r));
    (await budget.acquire(100, { client: 'c' }))();
    await tick();
    expect(fourth).toBe(false);
    held[2]();
    (await next)();
    expect(fourth).toBe(true);
    held[0]();
    held[1]();
    expect(budget.state()).toMatchObject({
      available: 100_000,
      largePages: {},
    });
  });
});
