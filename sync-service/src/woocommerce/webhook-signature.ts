/**
 * WooCommerce webhook signatures (§8): `X-WC-Webhook-Signature` = base64(HMAC-SHA256(raw body,
 * secret)). Verify on the raw request bytes before any JSON parsing: WooCommerce encodes with PHP's
 * json_encode (`\/`, `\uXXXX`), so a re-serialised body does not match. Used by the simulator to
 * sign deliveries and by the service's webhook route to check them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SIGNATURE_HEADER = 'x-wc-webhook-signature';

/** base64(HMAC-SHA256(rawBody, secret)) */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest('base64');
}

/**
 * True when `header` (the X-WC-Webhook-Signature value; a repeated header arrives as an array) is
 * the signature of `rawBody` under `secret`. Constant-time in the signature bytes; an empty secret
 * or missing header never verifies.
 */
export function verifyWebhookSignature(rawBody: string | Buffer, secret: string, header: string | readonly string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || secret === '') return false;
  const given = Buffer.from(value.trim(), 'utf8');
  const expected = Buffer.from(signWebhookBody(rawBody, secret), 'utf8');
  if (given.length !== expected.length) {
    // Same work either way; lengths are not secret.
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}

/**
 * The ping WooCommerce sends when a webhook is created or first activated: form body
 * `webhook_id=<id>`, no signature, no X-WC headers. Returns the webhook id, or undefined when the
 * body is not a ping. Answer it with 200 without checking a signature.
 */
export function parseWebhookPing(rawBody: string | Buffer): number | undefined {
  const text = (typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')).trim();
  const m = /^webhook_id=(\d+)$/.exec(text);
  return m ? Number(m[1]) : undefined;
}
