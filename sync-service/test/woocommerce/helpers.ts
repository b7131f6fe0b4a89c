/** Raw HTTP calls against the WooCommerce simulator, signed or not, for tests that bypass the client. */
import { request } from 'undici';
import type { WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { rfc3986, signUrl } from '../../src/woocommerce/oauth';

export interface RawCall {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** oauth (default), basic, query (consumer_key/consumer_secret params) or none. */
  auth?: 'oauth' | 'basic' | 'query' | 'none';
  consumerKey?: string;
  consumerSecret?: string;
  /** OAuth timestamp in seconds (defaults to the simulator's clock). */
  timestamp?: number;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export async function rawCall(sim: WooCommerceSimulator, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, call: RawCall = {}): Promise<RawResponse> {
  if (!sim.url) throw new Error('simulator is not listening');
  const consumerKey = call.consumerKey ?? sim.consumerKey;
  const consumerSecret = call.consumerSecret ?? sim.consumerSecret;
  const params = Object.entries(call.query ?? {}).map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`);
  if (call.auth === 'query') params.push(`consumer_key=${rfc3986(consumerKey)}`, `consumer_secret=${rfc3986(consumerSecret)}`);
  const target = `${sim.url}${path.startsWith('/') ? path : `/wp-json/wc/v3/${path}`}`;
  let url = params.length ? `${target}${target.includes('?') ? '&' : '?'}${params.join('&')}` : target;
  const headers: Record<string, string> = { ...call.headers };
  const auth = call.auth ?? 'oauth';
  if (auth === 'oauth') {
    url = signUrl({ method, url, consumerKey, consumerSecret, timestamp: call.timestamp ?? sim.state.nowSeconds() });
  } else if (auth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`;
  }
  let body: string | undefined;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  }
  const res = await request(url, { method, headers, body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an object, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as Record<string, unknown>;
}

export function asList(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as Record<string, unknown>[];
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as sent. */
  raw: Buffer;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status code answered per path (default 200). */
  statusFor: Map<string, number>;
  close(): Promise<void>;
}

/** A webhook endpoint that keeps the raw body of every request (JSON and form posts alike). */
export async function startReceiver(): Promise<Receiver> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const requests: ReceivedRequest[] = [];
  const statusFor = new Map<string, number>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/*', async (request, reply) => {
    requests.push({ method: request.method, url: request.url, headers: request.headers, raw: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) });
    const status = statusFor.get(request.url) ?? 200;
    if (status === 301 || status === 302) return reply.code(status).header('location', '/elsewhere').send();
    return reply.code(status).send({ ok: status < 300 });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests, statusFor, close: () => app.close() };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (polling every 5 ms), failing after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}
