import { Readable } from 'node:stream';

/**
 * A JSON object `{"<key>": [...records], ...extra}` as a byte stream, the records taken a
 * batch at a time from `batches` only as fast as the reader (the HTTP response) consumes
 * them: a large page is never held as one string. The text is exactly what
 * `JSON.stringify({ [key]: records, ...extra })` gives.
 */
export function jsonArrayEnvelope(
  key: string,
  batches: Iterable<unknown[]> | AsyncIterable<unknown[]>,
  extra: Record<string, unknown> = {},
): Readable {
  async function* chunks(): AsyncGenerator<string> {
    let first = true;
    let head = `{${JSON.stringify(key)}:[`;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const text = JSON.stringify(batch);
      // The batch's own brackets are dropped; batches are joined by a comma.
      yield `${head}${first ? '' : ','}${text.slice(1, -1)}`;
      head = '';
      first = false;
    }
    const rest = JSON.stringify(extra);
    yield `${head}]${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
  }
  // A byte stream holding at most one chunk ahead: the next batch is built only when the
  // response has taken the last one.
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
}
