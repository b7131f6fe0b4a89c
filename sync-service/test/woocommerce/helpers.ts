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
