import { Readable } from 'node:stream';
import { RowStream } from './row-stream';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

function source(items: object[], failAfter?: number) {
  let sent = 0;
  return new Readable({
    objectMode: true,
    highWaterMark: 4,
    read() {
      if (failAfter !== undefined && sent === failAfter) {
        this.destroy(new Error('connection lost'));
        return;
      }
      this.push(sent < items.length ? items[sent++] : null);
    },
  });
}

async function drain(stream: RowStream): Promise<number[]> {
  const sizes: number[] = [];
  for (let b = await stream.next(); b; b = await stream.next())
    sizes.push(b.length);
  return sizes;
}

describe('RowStream', () => {
  it.each([0, 1, 9, 10, 25])(
    'hands over %i rows in order and finishes once',
    async (n) => {
      const done = jest.fn(async () => undefined);
      const stream = new RowStream(source(rows(n)), 10, done);
      const taken: unknown[] = [];
      for (let b = await stream.next(); b; b = await stream.next())
        taken.push(...b);
      expect(taken).toEqual(rows(n));
      await stream.close();
      expect(done).toHaveBeenCalledTimes(1);
    },
  );

  it('batches are full but for the last', async () => {
    const sizes = await drain(
      new RowStream(source(rows(25)), 10, async () => undefined),
    );
    expect(sizes.slice(0, -1).every((s) => s >= 10)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);
  });

  it('reports a failure of the source and still finishes', async () => {
    const done = jest.fn(async () => undefined);
    const stream = new RowStream(source(rows(50), 15), 10, done);
    await expect(drain(stream)).rejects.toThrow('connection lost');
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('closed early, reads the rest of the source before finishing', async () => {
    const done = jest.fn(async () => undefined);
    const src = source(rows(100));
    const stream = new RowStream(src, 10, done);
    await stream.next();
    await stream.close();
    expect(src.readableEnded).toBe(true);
    expect(done).toHaveBeenCalledTimes(1);
  });
});
