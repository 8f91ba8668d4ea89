import type { IncomingMessage } from 'node:http';

const MAX_FORM_BYTES = 16 * 1024;

export class FormTooLarge extends Error {}

/**
 * The fields of an `application/x-www-form-urlencoded` request: from the body Nest's parser
 * already read when it ran, otherwise read here (at most 16 KiB). Only string values count;
 * a repeated field keeps its first value.
 */
export async function readForm(
  req: IncomingMessage & { body?: unknown },
): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  if (req.body && typeof req.body === 'object') {
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string') fields[k] = value;
    }
    return fields;
  }
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/x-www-form-urlencoded\b/i.test(type) || req.readableEnded)
    return fields;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge();
    chunks.push(chunk as Buffer);
  }
  for (const [k, v] of new URLSearchParams(
    Buffer.concat(chunks).toString('utf8'),
  ))
    if (!(k in fields)) fields[k] = v;
  return fields;
}
