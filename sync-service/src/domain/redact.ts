/** Removes credentials from anything we store or show (attempt summaries, logs, errors). */
const SECRET_KEY = /(token|secret|password|authorization|consumer_key|consumerkey|oauth_signature|api[-_]?key|cookie)/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  if (typeof value === 'string') return redactText(value);
  return value;
}

/** A secret field inside JSON kept as text (e.g. a raw response body): "access_token":"…". */
const SECRET_JSON_FIELD = new RegExp(`("[^"\\\\]*${SECRET_KEY.source}[^"\\\\]*"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');

/** Scrubs credentials that travel inside URLs, header-like text or JSON kept as text. */
export function redactText(text: string): string {
  return text
    .replace(/((?:consumer_key|consumer_secret|oauth_signature|token|secret)=)[^&\s"]*/gi, '$1[redacted]')
    .replace(/(Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]')
    // The Bearer scheme name is case-insensitive ("authorization: bearer …").
    .replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(SECRET_JSON_FIELD, '$1"[redacted]"');
}

/** A short JSON summary for the attempt history: redacted and bounded in size. */
export function summarize(value: unknown, maxLength = 2000): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(redact(value));
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
