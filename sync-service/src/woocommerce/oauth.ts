/**
 * OAuth 1.0a "one-legged" signing as WooCommerce verifies it over plain HTTP
 * (class-wc-rest-authentication.php): no token, no oauth_version, key = consumer_secret + "&",
 * base string = METHOD & enc(home URL + path) & enc(sorted, RFC 3986-encoded params).
 * The verifier half is what the simulator runs, with WooCommerce's own error codes and messages.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type OAuthSignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

/** Request parameters the way PHP sees them: `a[]=1&a[]=2` is an array, a repeated plain key keeps the last value. */
export type PhpParams = Record<string, string | string[]>;

/** Seconds either side of the server clock a timestamp may be, and how long a nonce stays used. */
export const OAUTH_WINDOW_SECONDS = 15 * 60;

/** PHP rawurlencode: RFC 3986, everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PHP urldecode (`+` is a space); malformed escapes are left as they are rather than throwing. */
export function phpUrlDecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** Parses a raw query string into PHP's `$_GET` shape. */
export function parsePhpQuery(raw: string): PhpParams {
  const params: PhpParams = {};
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = phpUrlDecode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : phpUrlDecode(part.slice(eq + 1));
    if (key.endsWith('[]') && key.length > 2) {
      const base = key.slice(0, -2);
      const existing = params[base];
      params[base] = Array.isArray(existing) ? [...existing, value] : [value];
    } else if (key !== '') {
      params[key] = value;
    }
  }
  return params;
}

/** strcmp order (byte order for the ASCII keys a REST query uses). */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The signature base string. `url` is scheme://host[:port]/path with no query; `params` holds every
 * query parameter plus the oauth_* ones, without oauth_signature. Array values are flattened the
 * way WooCommerce does it (`key%5B0%5D=value`), which differs from most OAuth libraries.
 */
export function signatureBaseString(method: string, url: string, params: PhpParams): string {
  const pairs: string[] = [];
  for (const key of Object.keys(params).sort(strcmp)) {
    const value = params[key] as string | string[];
    const encodedKey = rfc3986(key);
    if (Array.isArray(value)) {
      value.forEach((v, i) => pairs.push(rfc3986(`${encodedKey}%5B${i}%5D=${rfc3986(v)}`)));
    } else {
      pairs.push(rfc3986(`${encodedKey}=${rfc3986(value)}`));
    }
  }
  return `${method.toUpperCase()}&${rfc3986(url)}&${pairs.join('%26')}`;
}

export function hmacSignature(method: OAuthSignatureMethod, key: string, baseString: string): string {
  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, key).update(baseString, 'utf8').digest('base64');
}

/** `scheme://host[:port]/path` of a URL: what WooCommerce rebuilds from the home URL and the request path. */
export function urlWithoutQuery(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

export interface OAuthCredentials {
  consumerKey: string;
  consumerSecret: string;
}

export interface SignOptions extends OAuthCredentials {
  method: string;
  /** Full request URL; its query parameters are signed too. */
  url: string;
  signatureMethod?: OAuthSignatureMethod;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
}

/** Returns the five oauth_* parameters (signature included) to append to the query string. */
export function signRequest(opts: SignOptions): Record<string, string> {
  const u = new URL(opts.url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: opts.consumerKey,
    oauth_nonce: opts.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: opts.signatureMethod ?? 'HMAC-SHA256',
    oauth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const params: PhpParams = { ...parsePhpQuery(u.search.slice(1)), ...oauth };
  const base = signatureBaseString(opts.method, urlWithoutQuery(opts.url), params);
  const method = oauth.oauth_signature_method as OAuthSignatureMethod;
  return { ...oauth, oauth_signature: hmacSignature(method, `${opts.consumerSecret}&`, base) };
}

/** Appends signed oauth_* parameters to a URL (keeping the query parameters that were signed). */
export function signUrl(opts: SignOptions): string {
  const oauth = signRequest(opts);
  const extra = Object.entries(oauth)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  return `${opts.url}${opts.url.includes('?') ? '&' : '?'}${extra}`;
}

// ---------------------------------------------------------------------------------------------
// Verification (the server side)

export interface WooAuthError {
  code: 'woocommerce_rest_authentication_error' | 'woocommerce_rest_authentication_missing_parameter';
  message: string;
  status: 401;
}

const REQUIRED_PARAMS = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'] as const;

/** WooCommerce's parse_header for `Authorization: OAuth k="v", ...` (WC 3.0+). */
export function parseOAuthHeader(header: string): Record<string, string> {
  const trimmed = header.trim();
  if (!trimmed.startsWith('OAuth ')) return {};
  const params: Record<string, string> = {};
  for (const m of trimmed.matchAll(/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g)) {
    const name = m[1] as string;
    params[name] = phpUrlDecode(m[3] ? m[3] : (m[4] ?? ''));
  }
  return params;
}

export type OAuthExtraction =
  /** No oauth_* parameter at all: the request is not trying OAuth (it stays anonymous). */
  | { kind: 'none' }
  | { kind: 'partial'; error: WooAuthError }
  | { kind: 'complete'; params: PhpParams };

/** Collects the signed parameters ($_GET merged with header params) and checks the required ones. */
export function extractOAuthParams(query: PhpParams, authorizationHeader?: string): OAuthExtraction {
  const params: PhpParams = { ...query, ...(authorizationHeader ? parseOAuthHeader(authorizationHeader) : {}) };
  const missing = REQUIRED_PARAMS.filter((name) => {
    const v = params[name];
    return v === undefined || v === '' || v === '0' || Array.isArray(v);
  });
  if (missing.length === REQUIRED_PARAMS.length) return { kind: 'none' };
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'parameter' : 'parameters';
    return {
      kind: 'partial',
      error: { code: 'woocommerce_rest_authentication_missing_parameter', message: `Missing OAuth ${noun} ${missing.join(', ')}`, status: 401 },
    };
  }
  return { kind: 'complete', params };
}

/** Nonces seen per consumer key, each with the timestamp it came with; forgotten after the window. */
export class NonceStore {
  private readonly seen = new Map<string, Map<string, number>>();

  has(consumerKey: string, nonce: string, nowSeconds: number): boolean {
    const ts = this.seen.get(consumerKey)?.get(nonce);
    return ts !== undefined && ts >= nowSeconds - OAUTH_WINDOW_SECONDS;
  }

  remember(consumerKey: string, nonce: string, timestamp: number, nowSeconds: number): void {
    let nonces = this.seen.get(consumerKey);
    if (!nonces) {
      nonces = new Map();
      this.seen.set(consumerKey, nonces);
    }
    nonces.set(nonce, timestamp);
    for (const [n, ts] of nonces) if (ts < nowSeconds - OAUTH_WINDOW_SECONDS) nonces.delete(n);
  }
}

export interface VerifyOptions {
  method: string;
  /** Home URL + request path as the server sees it (scheme from is_ssl()), no query. */
  url: string;
  /** Output of extractOAuthParams (complete). */
  params: PhpParams;
  /** Looks up the secret for a consumer key; undefined when the key does not exist. */
  secretFor: (consumerKey: string) => string | undefined;
  nonces: NonceStore;
  nowSeconds?: number;
}

export type VerifyResult = { ok: true; consumerKey: string } | { ok: false; error: WooAuthError };

const authError = (message: string): { ok: false; error: WooAuthError } => ({
  ok: false,
  error: { code: 'woocommerce_rest_authentication_error', message, status: 401 },
});

function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Checks in WooCommerce's order: key, signature method, signature, timestamp, nonce. */
export function verifyRequest(opts: VerifyOptions): VerifyResult {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const str = (name: string): string => {
    const v = opts.params[name];
    return typeof v === 'string' ? v : '';
  };
  const consumerKey = str('oauth_consumer_key');
  const secret = opts.secretFor(consumerKey);
  if (secret === undefined) return authError('Consumer key is invalid.');

  const signed: PhpParams = { ...opts.params };
  delete signed.oauth_signature;
  const method = str('oauth_signature_method');
  if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return authError('Invalid signature - signature method is invalid.');
  // WooCommerce undoes a `+` that became a space in transit before comparing.
  const provided = str('oauth_signature').replace(/ /g, '+');
  const expected = hmacSignature(method, `${secret}&`, signatureBaseString(opts.method, opts.url, signed));
  if (!constantTimeEqual(expected, provided)) return authError('Invalid signature - provided signature does not match.');

  const timestamp = Number(str('oauth_timestamp'));
  if (!Number.isFinite(timestamp) || timestamp < now - OAUTH_WINDOW_SECONDS || timestamp > now + OAUTH_WINDOW_SECONDS) {
    return authError('Invalid timestamp.');
  }
  const nonce = str('oauth_nonce');
  if (opts.nonces.has(consumerKey, nonce, now)) return authError('Invalid nonce - nonce has already been used.');
  opts.nonces.remember(consumerKey, nonce, timestamp, now);
  return { ok: true, consumerKey };
}
