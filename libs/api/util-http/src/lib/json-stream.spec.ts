import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { jsonArrayEnvelope } from './json-stream';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        parts.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(parts).toString('utf8');
}

const record = (i: number) => ({
  sourcedId: `id-${i}`,
  name: i % 2 ? 'Zoë "quoted"' : '\u2028 line',
  ref: { href: `https://x/${i}`, type: 'user' },
});

describe('jsonArrayEnvelope', () => {
  it.each([
    { label: 'no batches', batches: [] as unknown[][] },
    { label: 'empty batches', batches: [[], []] },
    { label: 'one batch', batches: [[record(1), record(2)]] },
    {
      label: 'several batches, some empty',
      batches: [[record(1)], [], [record(2), record(3)], [record(4)]],
    },
  ])('gives JSON.stringify’s text: $label', async ({ batches }) => {
    const records = batches.flat();
    expect(await text(jsonArrayEnvelope('users', batches))).toBe(
      JSON.stringify({ users: records }),
    );
    const extra = { statusInfoSet: [{ imsx_codeMajor: 'success' }] };
    expect(await text(jsonArrayEnvelope('users', batches, extra))).toBe(
      JSON.stringify({ users: records, ...extra }),
    );
  });

  it('builds a batch only when the reader asks for more', async () => {
    let built = 0;
    function* batches() {
      for (let i = 0; i < 10; i++) {
        built++;
        yield [record(i)];
      }
    }
    const stream = jsonArrayEnvelope('users', batches());
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing read yet: at most the first batch and one more have been built.
    expect(built).toBeLessThanOrEqual(2);
    const all = JSON.parse(await text(stream));
    expect(all.users).toHaveLength(10);
    expect(built).toBe(10);
  });
});
