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
