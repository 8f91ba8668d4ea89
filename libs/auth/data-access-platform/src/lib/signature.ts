import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. Rules enforced (the receiver checks the same):
 * - the signed content is `<timestamp>.<body>`: the `webhook-timestamp` header (Unix seconds)
 *   a dot and the raw body bytes, exactly as sent;
 * - the signature is HMAC-SHA256 keyed with the endpoint's secret (the whole `whsec_…`
 *   string as UTF-8), hex, sent as `webhook-signature: v1=<hex>`;
 * - a receiver compares in constant time and refuses timestamps older than its tolerance
 *   (5 minutes by default), which bounds replays of a captured request.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const newWebhookSecret = () =>
  `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

export function signWebhook(
  secret: string,
  timestamp: number,
  body: string,
): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when `signatureHeader` holds a v1 signature of `timestamp.body` within tolerance. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  now = Date.now(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds)
    return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  return (headers.signature ?? '')
    .split(/[ ,]+/)
    .filter(Boolean)
    .some((candidate) => {
      const given = Buffer.from(candidate);
      return (
        given.length === expected.length && timingSafeEqual(given, expected)
      );
    });
}
