/** WooCommerce webhook signatures: base64(HMAC-SHA256(raw body, secret)), checked before any JSON parsing. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function verifyWebhookSignature(rawBody: string | Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
