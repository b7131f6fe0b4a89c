/**
 * The one HTTP layer both remote clients use: a timeout on every call, and retries with
 * exponential backoff and full jitter for what is worth retrying (the caller decides what is).
 */
import { request, type Dispatcher } from 'undici';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type HttpFailureKind = 'timeout' | 'network' | 'status' | 'malformed';

/** A failed call. `retryable` is decided by the client's classifier; message is for a store owner. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: HttpFailureKind,
    readonly status?: number,
    readonly body?: string,
    readonly retryable = false,
    /** Milliseconds the remote side asked us to wait before trying again. */
    readonly retryAfterMs?: number,
    /** A remote error code (Brightpearl `CMNC-018`, WooCommerce `product_invalid_sku`, ...). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface SendOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

/** One attempt. Network failures and timeouts become HttpError; any status is returned as is. */
export async function send(opts: SendOptions): Promise<HttpResponse> {
  try {
    const res = await request(opts.url, {
      method: opts.method,
      headers: opts.headers,
      body: opts.body,
      signal: AbortSignal.timeout(opts.timeoutMs),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      dispatcher: opts.dispatcher,
    });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    return { status: res.statusCode, headers, text };
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    const timedOut =
      e.name === 'TimeoutError' ||
      e.name === 'AbortError' ||
      e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
      e.code === 'UND_ERR_BODY_TIMEOUT';
    if (timedOut) {
      throw new HttpError(`${opts.method} ${redactUrl(opts.url)} timed out after ${opts.timeoutMs} ms`, 'timeout', undefined, undefined, true);
    }
    throw new HttpError(
      `${opts.method} ${redactUrl(opts.url)} failed: ${e.code ?? e.message ?? 'network error'}`,
      'network',
      undefined,
      undefined,
      true,
    );
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  error: HttpError;
}

/**
 * Runs `fn` until it succeeds, a non-retryable HttpError is thrown, or the retries are spent.
 * A server-requested wait (`retryAfterMs`) replaces the backoff for that attempt.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: { sleep?: Sleep; onRetry?: (e: RetryEvent) => void; random?: () => number } = {},
): Promise<T> {
  const sleep = hooks.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof HttpError) || !err.retryable || attempt >= policy.retries) throw err;
      const delayMs = err.retryAfterMs ?? backoffDelay(attempt, policy, hooks.random);
      hooks.onRetry?.({ attempt: attempt + 1, delayMs, error: err });
      await sleep(delayMs);
    }
  }
}

/** Parses a JSON body, turning garbage into a retryable `malformed` error (proxies send HTML pages). */
export function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return res.text === '' ? null : JSON.parse(res.text);
  } catch {
    throw new HttpError(
      `${what}: response was not valid JSON (HTTP ${res.status}): ${res.text.slice(0, 120)}`,
      'malformed',
      res.status,
      res.text.slice(0, 500),
      true,
    );
  }
}

/** Hides credentials that some auth modes put in query strings. */
export function redactUrl(url: string): string {
  return url.replace(/((?:consumer_secret|consumer_key|oauth_signature|token)=)[^&]*/gi, '$1[redacted]');
}
