/**
 * WooCommerce wc/v3 REST client: auth chosen by scheme (Basic over https, OAuth 1.0a over http),
 * retries only for what a retry can fix (5xx, 429, timeouts, host HTML pages), paging by headers,
 * SKU lookup across products and variations, and batches whose every per-item error is reported.
 * Orders and refunds are read in drift-safe modified-date windows (§3); creates that must not
 * happen twice (refunds, notes, trackings, webhooks) are only retried when WooCommerce cannot
 * have seen them. Shipment Tracking is optional: its calls answer null when it is not installed.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import {
  DEFAULT_RETRY_POLICY,
  HttpError,
  realSleep,
  send,
  withRetry,
  type HttpResponse,
  type RetryEvent,
  type RetryPolicy,
  type Sleep,
} from '../http/request';
import { rfc3986, signUrl, type OAuthSignatureMethod } from './oauth';
import {
  BatchItemErrorSchema,
  BatchResponseSchema,
  OrderNoteSchema,
  ORDER_REF_FIELDS,
  OrderRefSchema,
  OrderRefundsProbeSchema,
  OrderSchema,
  PRODUCT_SUMMARY_FIELDS,
  ProductSchema,
  ProductSummarySchema,
  RefundSchema,
  ShipmentTrackingItemSchema,
  StoreRefundSchema,
  VariationSchema,
  WebhookSchema,
  WooErrorSchema,
  type WooOrder,
  type WooOrderNote,
  type WooOrderRef,
  type WooProduct,
  type WooProductSummary,
  type WooRefund,
  type WooRefundWithParent,
  type WooShipmentTrackingItem,
  type WooVariation,
  type WooWebhook,
} from './schemas';

/** WooCommerce's default (and usual) batch limit. */
export const WOO_MAX_BATCH = 100;
export const WOO_MAX_PER_PAGE = 100;

/**
 * `basic`: Authorization header (https only on a real store); `query`: consumer_key/consumer_secret
 * query params (https; for hosts that strip the Authorization header); `oauth`: OAuth 1.0a (http).
 */
export type WooAuthMode = 'basic' | 'query' | 'oauth';

export interface WooCommerceClientOptions {
  /** Store URL, e.g. https://shop.example.com or http://127.0.0.1:1234 (a subdirectory install is fine). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  dispatcher?: Dispatcher;
  sleep?: Sleep;
  onRetry?: (e: RetryEvent & { method: string; path: string }) => void;
  /** Items per batch request (create + update + delete together), 1..100. */
  batchSize?: number;
  /** Default `auto`: basic for https URLs, oauth for http. */
  authMode?: WooAuthMode | 'auto';
  signatureMethod?: OAuthSignatureMethod;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** REST namespace; default `wc/v3` (e.g. `wc-shipment-tracking/v3`). */
  namespace?: string;
  /**
   * false for creates that must not happen twice (refunds, notes, trackings, webhooks, orders):
   * retried only when WooCommerce cannot have seen the request (the host's 429, connection
   * refused). Any other failure is thrown as is (its `retryable` still says whether trying again
   * later makes sense, after checking the create did not land).
   */
  idempotent?: boolean;
}

export interface WooResponse<T> {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  data: T;
}

export interface WooPage<T> {
  items: T[];
  page: number;
  /** From X-WP-Total / X-WP-TotalPages; undefined when a proxy stripped them. */
  total?: number;
  totalPages?: number;
}

export interface MetaDataWrite {
  id?: number;
  key: string;
  value: unknown;
}

export interface ProductWrite {
  name?: string;
  type?: 'simple' | 'variable' | 'grouped' | 'external';
  status?: 'draft' | 'pending' | 'private' | 'publish';
  sku?: string;
  regular_price?: string;
  sale_price?: string;
  description?: string;
  short_description?: string;
  manage_stock?: boolean;
  stock_quantity?: number;
  stock_status?: 'instock' | 'outofstock' | 'onbackorder';
  backorders?: 'no' | 'notify' | 'yes';
  attributes?: { id?: number; name: string; position?: number; visible?: boolean; variation?: boolean; options: string[] }[];
  meta_data?: MetaDataWrite[];
  [field: string]: unknown;
}

export interface VariationWrite {
  sku?: string;
  status?: 'draft' | 'pending' | 'private' | 'publish';
  regular_price?: string;
  sale_price?: string;
  description?: string;
  manage_stock?: boolean;
  stock_quantity?: number;
  stock_status?: 'instock' | 'outofstock' | 'onbackorder';
  backorders?: 'no' | 'notify' | 'yes';
  attributes?: { id?: number; name?: string; option: string }[];
  meta_data?: MetaDataWrite[];
  [field: string]: unknown;
}

export interface OrderUpdate {
  /** The transition runs after the other fields are saved, with its side effects (§5.4). */
  status?: string;
  meta_data?: MetaDataWrite[];
  customer_note?: string;
  transaction_id?: string;
  set_paid?: boolean;
  /** Newer source: record the status-change note as made by the key's user. */
  manual_update?: boolean;
  [field: string]: unknown;
}

export interface RefundLineWrite {
  /** The order item id (line item, fee or shipping line), not the product id. */
  id: number;
  quantity?: number;
  /** Ex tax. */
  refund_total?: number | string;
  /** Per tax rate id. */
  refund_tax?: { id: number; refund_total: number | string }[];
}

export interface RefundCreate {
  /** Omitted: WooCommerce computes it when every line has refund_total and refund_tax. Numbers are sent as 2-dp strings. */
  amount?: string | number;
  reason?: string;
  line_items?: RefundLineWrite[];
  /** Move money through the gateway. The client sends false unless this is set to true. */
  api_refund?: boolean;
  /** WooCommerce's default (true) applies when omitted: stock goes back up for items with a quantity. */
  api_restock?: boolean;
  meta_data?: MetaDataWrite[];
}

export interface ShipmentTrackingWrite {
  tracking_number: string;
  /** A provider name from the extension's list (e.g. "Royal Mail", "DPD"). */
  tracking_provider?: string;
  custom_tracking_provider?: string;
  /** `%1$s` is replaced by the tracking number. */
  custom_tracking_link?: string;
  /** `YYYY-MM-DD`; default today. */
  date_shipped?: string;
}

export interface WebhookWrite {
  name?: string;
  status?: 'active' | 'paused' | 'disabled';
  /** `order.updated`, `product.created`, ... */
  topic?: string;
  delivery_url?: string;
  /** Always set your own: it signs every delivery. */
  secret?: string;
}

export interface WindowOptions {
  /** Extra query parameters for every request of the window read (e.g. `_fields`). */
  query?: Query;
}

/** How long "Shipment Tracking is not installed" is believed before asking the store again. */
const TRACKING_ABSENT_TTL_MS = 10 * 60_000;

export interface BatchOperations<W> {
  create?: W[];
  /**
   * WooCommerce has no upsert by SKU: every update needs the id. (Typed optional so plain records
   * fit; an item without one comes back as WooCommerce's per-item woocommerce_rest_*_invalid_id.)
   */
  update?: (W & { id?: number })[];
  /** Permanent deletes (batch delete runs with force=true). */
  delete?: number[];
}

export interface BatchItemError {
  code: string;
  message: string;
  /** HTTP status WooCommerce gave the item (0 when the request itself failed before any answer). */
  status: number;
  /** For product_invalid_sku: the product or variation that already has the SKU. */
  resourceId?: number;
  uniqueSku?: string;
}

export type BatchItemResult<T> = { ok: true; id: number; item: T } | { ok: false; id: number; error: BatchItemError };

export interface BatchResult<T> {
  /** Each list is in the order of the input. */
  create: BatchItemResult<T>[];
  update: BatchItemResult<T>[];
  delete: BatchItemResult<T>[];
  requests: number;
  failed: number;
}

/** A WooCommerce error answer (`{code, message, data}`), with `data` kept for callers (resource_id...). */
export class WooCommerceError extends HttpError {
  constructor(
    message: string,
    status: number,
    body: string,
    retryable: boolean,
    retryAfterMs: number | undefined,
    code: string,
    /** WooCommerce's own message, tags and entities removed. */
    readonly wooMessage: string,
    readonly data: Record<string, unknown>,
  ) {
    super(message, 'status', status, body, retryable, retryAfterMs, code);
    this.name = 'WooCommerceError';
  }

  /** Existing product/variation id on product_invalid_sku. */
  get resourceId(): number | undefined {
    const id = this.data.resource_id;
    return typeof id === 'number' ? id : undefined;
  }
}

export function chooseAuthMode(url: string, requested: WooAuthMode | 'auto' = 'auto'): WooAuthMode {
  if (requested !== 'auto') return requested;
  return new URL(url).protocol === 'https:' ? 'basic' : 'oauth';
}

/** WooCommerce messages can carry HTML (`&lt;product_id&gt;`, `<p>` in fatal-error pages). */
export function plainText(text: string, max = 300): string {
  const decoded = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return decoded.length > max ? `${decoded.slice(0, max - 1)}…` : decoded;
}

/** Retry-After as seconds or an HTTP date; capped so a hostile header cannot park a run for hours. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const MAX_MS = 10 * 60_000;
  if (/^\s*\d+\s*$/.test(value)) return Math.min(MAX_MS, Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_MS, Math.max(0, at - nowMs));
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * WooCommerce answers some deliberate refusals with HTTP 500 (`woocommerce_rest_cannot_create_order_refund`
 * "Invalid refund amount.", a gateway refusal, `woocommerce_rest_invalid_order_refund` whose WP_Error
 * data is a bare number): a retry gets the same answer, or worse, repeats a gateway call.
 */
function isDeliberate500(code: string): boolean {
  return /^woocommerce_rest_/.test(code);
}

/** True when the store has no such route (`rest_no_route`): an endpoint or extension it lacks. */
export function isNoRoute(err: unknown): boolean {
  return err instanceof WooCommerceError && err.status === 404 && err.code === 'rest_no_route';
}

/** A failure WooCommerce cannot have acted on: the host throttled it, or no connection was made. */
function neverReachedWooCommerce(err: HttpError): boolean {
  if (err.status === 429) return true;
  return err.kind === 'network' && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|UND_ERR_CONNECT_TIMEOUT/.test(err.message);
}

/** Wraps an error so withRetry gives up without changing the error itself. */
class StopRetrying {
  constructor(readonly error: unknown) {}
}

/** Turns a non-2xx answer into an HttpError a store owner can act on. */
export function errorFromResponse(res: HttpResponse, method: string, path: string): HttpError {
  const retryable = isRetryableStatus(res.status);
  const retryAfterMs = retryable ? parseRetryAfter(res.headers['retry-after']) : undefined;
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  const parsed = WooErrorSchema.safeParse(json);
  if (parsed.success) {
    const { code } = parsed.data;
    if (res.status >= 500 && isDeliberate500(code)) {
      const wooMessage = plainText(parsed.data.message);
      const data = typeof parsed.data.data === 'object' && parsed.data.data !== null ? parsed.data.data : {};
      const message = `WooCommerce refused ${method} ${path} (HTTP ${res.status}): ${code} ${wooMessage}`;
      return new WooCommerceError(message, res.status, res.text.slice(0, 2000), false, undefined, code, wooMessage, data);
    }
    const wooMessage = plainText(parsed.data.message);
    const data = typeof parsed.data.data === 'object' && parsed.data.data !== null ? parsed.data.data : {};
    let message =
      res.status >= 500
        ? `WooCommerce failed on ${method} ${path} (HTTP ${res.status}): ${code} ${wooMessage}`
        : `WooCommerce rejected ${method} ${path}: ${code} ${wooMessage}`;
    if (res.status === 401 && /^woocommerce_rest_cannot_/.test(code)) {
      message += ' (the request reached WooCommerce without valid credentials: check the API key, and use the https store URL if the site has one)';
    }
    return new WooCommerceError(message, res.status, res.text.slice(0, 2000), retryable, retryAfterMs, code, wooMessage, data);
  }
  const snippet = plainText(res.text, 160) || '(empty body)';
  const message =
    res.status === 429
      ? `The store's host is throttling requests (HTTP 429) on ${method} ${path}${retryAfterMs !== undefined ? `; it asked us to wait ${Math.ceil(retryAfterMs / 1000)} s` : ''}`
      : `The store's server answered ${method} ${path} with HTTP ${res.status} instead of a WooCommerce response: ${snippet}`;
  return new HttpError(message, 'status', res.status, res.text.slice(0, 2000), retryable, retryAfterMs);
}

function serializeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || raw === null) continue;
    // WordPress reads list parameters from comma-separated strings.
    const value = Array.isArray(raw) ? raw.join(',') : String(raw);
    parts.push(`${rfc3986(key)}=${rfc3986(value)}`);
  }
  return parts.join('&');
}

/** `products/812/variations/815` → `products/:id/variations/:id`. */
function pathPattern(path: string): string {
  return path
    .split('/')
    .map((seg) => (/^\d+$/.test(seg) ? ':id' : seg))
    .join('/');
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Keeps each `sku=` list within 100 SKUs and a URL length every host accepts. */
const SKU_PARAM_MAX_CHARS = 1500;

export class WooCommerceClient {
  /** `${url}/wp-json/wc/v3/` */
  readonly apiBase: string;
  /** `${url}/wp-json/` */
  private readonly restRoot: string;
  /** Where Shipment Tracking answered (null: not installed), with when that was learnt. */
  private tracking?: { namespace: string | null; at: number };
  /** The store has no GET /refunds (WooCommerce < 9.0). */
  private refundsRouteMissing = false;
  /** orderby=modified refused (older stores): windows are read ordered by id instead. */
  private windowOrderby: 'modified' | 'id' = 'modified';
  readonly authMode: WooAuthMode;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly batchSize: number;
  private readonly counts = new Map<string, number>();

  constructor(private readonly opts: WooCommerceClientOptions) {
    const store = new URL(opts.url);
    const root = `${store.protocol}//${store.host}${store.pathname.replace(/\/+$/, '')}`;
    this.restRoot = `${root}/wp-json/`;
    this.apiBase = `${this.restRoot}wc/v3/`;
    this.authMode = chooseAuthMode(opts.url, opts.authMode);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = opts.retry ?? DEFAULT_RETRY_POLICY;
    this.batchSize = Math.max(1, Math.min(WOO_MAX_BATCH, Math.floor(opts.batchSize ?? WOO_MAX_BATCH)));
  }

  // --- generic calls --------------------------------------------------------------------------

  get(path: string, opts?: Omit<RequestOptions, 'body'>): Promise<WooResponse<unknown>> {
    return this.request('GET', path, opts ?? {});
  }
  post(path: string, opts?: RequestOptions): Promise<WooResponse<unknown>> {
    return this.request('POST', path, opts ?? {});
  }
  put(path: string, opts?: RequestOptions): Promise<WooResponse<unknown>> {
    return this.request('PUT', path, opts ?? {});
  }
  delete(path: string, opts?: RequestOptions): Promise<WooResponse<unknown>> {
    return this.request('DELETE', path, opts ?? {});
  }

  /** Requests sent (attempts, retries included) per `METHOD path-pattern`. */
  stats(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
  resetStats(): void {
    this.counts.clear();
  }

  /** One call with retries; each attempt is signed afresh (a reused OAuth nonce is rejected). */
  async request(method: HttpMethod, path: string, opts: RequestOptions): Promise<WooResponse<unknown>> {
    const trimmed = path.replace(/^\/+/, '');
    const mark = trimmed.indexOf('?');
    const cleanPath = mark === -1 ? trimmed : trimmed.slice(0, mark);
    const embedded = mark === -1 ? '' : trimmed.slice(mark + 1);
    // A query written into the path (`products?sku=x`) is kept; explicit `query` entries win.
    const query: Query = { ...(embedded ? Object.fromEntries(new URLSearchParams(embedded)) : {}), ...opts.query };
    const namespace = (opts.namespace ?? 'wc/v3').replace(/^\/+|\/+$/g, '');
    const shownPath = namespace === 'wc/v3' ? cleanPath : `${namespace}/${cleanPath}`;
    const label = `${method} ${shownPath}`;
    const counterKey = `${method} ${pathPattern(shownPath)}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const attempt = async (): Promise<WooResponse<unknown>> => {
      const { url, headers } = this.prepare(method, cleanPath, query, namespace);
      if (body !== undefined) headers['content-type'] = 'application/json';
      this.counts.set(counterKey, (this.counts.get(counterKey) ?? 0) + 1);
      let res: HttpResponse;
      try {
        res = await send({ method, url, headers, body, timeoutMs: this.timeoutMs, dispatcher: this.opts.dispatcher });
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const what = err.kind === 'timeout' ? `did not answer within ${this.timeoutMs} ms` : `could not be reached (${err.message.replace(/^.*failed: /, '')})`;
        throw new HttpError(`WooCommerce ${what} on ${label}`, err.kind, undefined, undefined, true);
      }
      if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, method, shownPath);
      let data: unknown;
      try {
        data = res.text === '' ? null : JSON.parse(res.text);
      } catch {
        throw new HttpError(
          `WooCommerce ${label} returned a page that is not JSON (HTTP ${res.status}), usually the host's security or maintenance page: ${plainText(res.text, 120)}`,
          'malformed',
          res.status,
          res.text.slice(0, 2000),
          true,
        );
      }
      return { status: res.status, headers: res.headers, data };
    };
    const guarded =
      opts.idempotent === false
        ? async () => {
            try {
              return await attempt();
            } catch (err) {
              if (err instanceof HttpError && err.retryable && !neverReachedWooCommerce(err)) throw new StopRetrying(err);
              throw err;
            }
          }
        : attempt;
    try {
      return await withRetry(guarded, this.retry, {
        sleep: this.opts.sleep ?? realSleep,
        onRetry: this.opts.onRetry ? (e) => this.opts.onRetry?.({ ...e, method, path: shownPath }) : undefined,
      });
    } catch (err) {
      if (err instanceof StopRetrying) throw err.error;
      throw err;
    }
  }

  private prepare(method: HttpMethod, path: string, query: Query | undefined, namespace = 'wc/v3'): { url: string; headers: Record<string, string> } {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'bpwc-sync-service' };
    const qs = serializeQuery(query);
    const url = `${this.restRoot}${namespace}/${path}${qs ? `?${qs}` : ''}`;
    const { consumerKey, consumerSecret } = this.opts;
    switch (this.authMode) {
      case 'basic':
        headers.authorization = `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`;
        return { url, headers };
      case 'query': {
        const auth = `consumer_key=${rfc3986(consumerKey)}&consumer_secret=${rfc3986(consumerSecret)}`;
        return { url: `${url}${qs ? '&' : '?'}${auth}`, headers };
      }
      case 'oauth':
        return { url: signUrl({ method, url, consumerKey, consumerSecret, signatureMethod: this.opts.signatureMethod }), headers };
    }
  }

  private read<T>(schema: z.ZodType<T>, data: unknown, label: string): T {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new HttpError(`WooCommerce ${label} returned data the sync cannot read: ${detail}`, 'malformed', undefined, undefined, false);
  }

  // --- paging ---------------------------------------------------------------------------------

  /** Walks a collection page by page (per_page=100 unless given), following X-WP-TotalPages. */
  async *listPages<T>(path: string, params: Query = {}, schema?: z.ZodType<T>): AsyncGenerator<WooPage<T>> {
    const perPage = Number(params.per_page ?? WOO_MAX_PER_PAGE);
    let page = Number(params.page ?? 1);
    for (;;) {
      const res = await this.get(path, { query: { ...params, page, per_page: perPage } });
      const label = `GET ${path}`;
      if (!Array.isArray(res.data)) {
        throw new HttpError(`WooCommerce ${label} returned ${typeof res.data} where a list was expected`, 'malformed', res.status, undefined, false);
      }
      const items = res.data.map((item, i) => (schema ? this.read(schema, item, `${label} (page ${page}, item ${i})`) : (item as T)));
      const total = headerInt(res.headers['x-wp-total']);
      const totalPages = headerInt(res.headers['x-wp-totalpages']);
      yield { items, page, total, totalPages };
      if (items.length === 0) return;
      // Without the headers (stripped by some proxies) a short page is the last one.
      if (totalPages !== undefined ? page >= totalPages : items.length < perPage) return;
      page++;
    }
  }

  listAll(path: string, params?: Query): AsyncGenerator<unknown>;
  listAll<T>(path: string, params: Query, schema: z.ZodType<T>): AsyncGenerator<T>;
  async *listAll<T>(path: string, params: Query = {}, schema?: z.ZodType<T>): AsyncGenerator<T | unknown> {
    for await (const page of this.listPages(path, params, schema)) yield* page.items;
  }

  listProducts(params: Query = {}): AsyncGenerator<WooProduct> {
    return this.listAll('products', params, ProductSchema);
  }

  listVariations(parentId: number, params: Query = {}): AsyncGenerator<WooVariation> {
    return this.listAll(`products/${parentId}/variations`, params, VariationSchema);
  }

  // --- products -------------------------------------------------------------------------------

  /**
   * Products and variations whose SKU is in `skus` (a variation has parent_id ≠ 0 and must be written
   * through /products/{parent_id}/variations/{id}). Results follow the input order.
   */
  async findBySkus(skus: readonly string[]): Promise<WooProductSummary[]> {
    // WooCommerce trims SKUs when it saves them; empty SKUs are never unique and cannot be searched.
    const wanted = [...new Set(skus.map((s) => s.trim()).filter((s) => s !== ''))];
    const wantedLower = new Map(wanted.map((s, i) => [s.toLowerCase(), i]));
    const found = new Map<number, WooProductSummary>();
    for (const group of this.skuGroups(wanted)) {
      const query: Query = { sku: group.join(','), _fields: PRODUCT_SUMMARY_FIELDS.join(',') };
      for await (const item of this.listAll('products', query, ProductSummarySchema)) {
        // MySQL matches SKUs case-insensitively, and a comma list also matches its parts.
        if (wantedLower.has(item.sku.toLowerCase())) found.set(item.id, item);
      }
    }
    return [...found.values()].sort(
      (a, b) => (wantedLower.get(a.sku.toLowerCase()) ?? 0) - (wantedLower.get(b.sku.toLowerCase()) ?? 0) || a.id - b.id,
    );
  }

  /** Splits SKUs into `sku=` lists; a SKU containing a comma must be asked for on its own. */
  private skuGroups(skus: string[]): string[][] {
    const groups: string[][] = [];
    let current: string[] = [];
    let length = 0;
    for (const sku of skus) {
      if (sku.includes(',')) {
        groups.push([sku]);
        continue;
      }
      const cost = rfc3986(sku).length + 3; // the encoded comma
      if (current.length > 0 && (current.length >= WOO_MAX_PER_PAGE || length + cost > SKU_PARAM_MAX_CHARS)) {
        groups.push(current);
        current = [];
        length = 0;
      }
      current.push(sku);
      length += cost;
    }
    if (current.length > 0) groups.push(current);
    return groups;
  }

  async getProduct(id: number): Promise<WooProduct> {
    const res = await this.get(`products/${id}`);
    return this.read(ProductSchema, res.data, `GET products/${id}`);
  }

  /** Throws WooCommerceError `product_invalid_sku` (with resourceId) when the SKU is taken. */
  async createProduct(body: ProductWrite): Promise<WooProduct> {
    const res = await this.post('products', { body });
    return this.read(ProductSchema, res.data, 'POST products');
  }

  async updateProduct(id: number, body: ProductWrite): Promise<WooProduct> {
    const res = await this.put(`products/${id}`, { body });
    return this.read(ProductSchema, res.data, `PUT products/${id}`);
  }

  async getVariation(parentId: number, id: number): Promise<WooVariation> {
    const res = await this.get(`products/${parentId}/variations/${id}`);
    return this.read(VariationSchema, res.data, `GET products/${parentId}/variations/${id}`);
  }

  async createVariation(parentId: number, body: VariationWrite): Promise<WooVariation> {
    const res = await this.post(`products/${parentId}/variations`, { body });
    return this.read(VariationSchema, res.data, `POST products/${parentId}/variations`);
  }

  async updateVariation(parentId: number, id: number, body: VariationWrite): Promise<WooVariation> {
    const res = await this.put(`products/${parentId}/variations/${id}`, { body });
    return this.read(VariationSchema, res.data, `PUT products/${parentId}/variations/${id}`);
  }

  batchProducts(ops: BatchOperations<ProductWrite>): Promise<BatchResult<WooProduct>> {
    return this.runBatch('products/batch', ops, ProductSchema);
  }

  batchVariations(parentId: number, ops: BatchOperations<VariationWrite>): Promise<BatchResult<WooVariation>> {
    return this.runBatch(`products/${parentId}/variations/batch`, ops, VariationSchema);
  }

  // --- orders ---------------------------------------------------------------------------------

  /** GET /orders page by page; `status` may be a list (`['processing', 'on-hold']`). */
  listOrders(params: Query = {}): AsyncGenerator<WooOrder> {
    return this.listAll('orders', params, OrderSchema);
  }

  /**
   * Orders whose date_modified_gmt is in [from, to), read the drift-safe way of §3: one request
   * per window (modified_after = from − 1 s, modified_before = to, dates_are_gmt, orderby modified
   * asc, per_page 100); a window holding more than 100 orders is split in two and each half read
   * the same way, and only a 1-second window that still holds more than 100 (a bulk edit) is paged.
   * Choose `to` a little before the store's "now" and store it as the next `from`.
   * Returned by (date_modified_gmt, id), each order once.
   */
  ordersModifiedBetween(from: Date, to: Date, statuses?: readonly string[], opts: WindowOptions = {}): Promise<WooOrder[]> {
    const query: Query = { ...opts.query };
    if (statuses && statuses.length > 0) query.status = [...statuses];
    return this.modifiedWindow('orders', OrderSchema, from, to, query);
  }

  /**
   * ordersModifiedBetween reading only `id, number, status, date_modified_gmt` of each order
   * (`_fields`) and checking only `id`: a selection that one malformed order cannot break (the
   * caller reads the orders it needs by id and checks each on its own).
   */
  orderRefsModifiedBetween(from: Date, to: Date, statuses?: readonly string[]): Promise<WooOrderRef[]> {
    const query: Query = { _fields: ORDER_REF_FIELDS.join(',') };
    if (statuses && statuses.length > 0) query.status = [...statuses];
    return this.modifiedWindow('orders', OrderRefSchema, from, to, query);
  }

  async getOrder(id: number, query: Query = {}): Promise<WooOrder> {
    const res = await this.get(`orders/${id}`, { query });
    return this.read(OrderSchema, res.data, `GET orders/${id}`);
  }

  /** PUT /orders/{id}: fields first, then the status transition and its side effects (stock, dates, emails). */
  async updateOrder(id: number, body: OrderUpdate): Promise<WooOrder> {
    const res = await this.put(`orders/${id}`, { body });
    return this.read(OrderSchema, res.data, `PUT orders/${id}`);
  }

  /** POST /orders (not retried once it may have reached the store). */
  async createOrder(body: Record<string, unknown>): Promise<WooOrder> {
    const res = await this.request('POST', 'orders', { body, idempotent: false });
    return this.read(OrderSchema, res.data, 'POST orders');
  }

  /** A note on the order; `customerNote` true emails it to the customer. Not retried once it may have landed. */
  async addOrderNote(orderId: number, note: string, customerNote = false, opts: { addedByUser?: boolean } = {}): Promise<WooOrderNote> {
    const body: Record<string, unknown> = { note, customer_note: customerNote };
    if (opts.addedByUser !== undefined) body.added_by_user = opts.addedByUser;
    const res = await this.request('POST', `orders/${orderId}/notes`, { body, idempotent: false });
    return this.read(OrderNoteSchema, res.data, `POST orders/${orderId}/notes`);
  }

  /** Every note of an order, newest first (the endpoint is not paginated). */
  async listOrderNotes(orderId: number, type: 'any' | 'customer' | 'internal' = 'any'): Promise<WooOrderNote[]> {
    const res = await this.get(`orders/${orderId}/notes`, { query: { type } });
    return this.readList(OrderNoteSchema, res.data, `GET orders/${orderId}/notes`);
  }

  // --- refunds --------------------------------------------------------------------------------

  /** The refunds of one order (parent_id filled in). */
  async listRefunds(orderId: number): Promise<WooRefundWithParent[]> {
    const out: WooRefundWithParent[] = [];
    for await (const refund of this.listAll(`orders/${orderId}/refunds`, {}, RefundSchema)) out.push(withParent(refund, orderId));
    return out;
  }

  /**
   * POST /orders/{id}/refunds. Sends `api_refund: false` unless the body says true: refunds paid out
   * elsewhere (Brightpearl, the PSP) must not be repeated by the gateway. A too-large amount or a
   * gateway refusal is WooCommerceError `woocommerce_rest_cannot_create_order_refund` (HTTP 500,
   * not retried); an ambiguous failure (timeout, 5xx page) is not retried either: list the
   * order's refunds before trying again.
   */
  async createRefund(orderId: number, body: RefundCreate): Promise<WooRefundWithParent> {
    const payload: Record<string, unknown> = { ...body, api_refund: body.api_refund === true };
    if (typeof body.amount === 'number') payload.amount = body.amount.toFixed(2);
    const res = await this.request('POST', `orders/${orderId}/refunds`, { body: payload, idempotent: false });
    return withParent(this.read(RefundSchema, res.data, `POST orders/${orderId}/refunds`), orderId);
  }

  /**
   * Refunds created or changed in [from, to): GET /refunds in drift-safe windows where the store
   * has it (WooCommerce 9.0+). On older stores (404 rest_no_route) every refund of the orders
   * modified in the window (creating a refund re-saves its order), which can include older refunds
   * of those orders: upsert by refund id.
   */
  async refundsModifiedBetween(from: Date, to: Date): Promise<WooRefundWithParent[]> {
    if (!this.refundsRouteMissing) {
      try {
        return await this.modifiedWindow('refunds', StoreRefundSchema, from, to, {});
      } catch (err) {
        if (!isNoRoute(err)) throw err;
        this.refundsRouteMissing = true;
      }
    }
    const orders = await this.modifiedWindow('orders', OrderRefundsProbeSchema, from, to, { _fields: 'id,date_modified_gmt,refunds' });
    const out: WooRefundWithParent[] = [];
    for (const order of orders) {
      if (order.refunds.length === 0) continue;
      out.push(...(await this.listRefunds(order.id)));
    }
    return out;
  }

  // --- shipment tracking ----------------------------------------------------------------------

  /**
   * Tracking items of an order, or null when the store has no Shipment Tracking extension (404
   * rest_no_route under both wc/v3 and wc-shipment-tracking/v3).
   */
  async listShipmentTrackings(orderId: number): Promise<WooShipmentTrackingItem[] | null> {
    const res = await this.trackingCall((namespace) => this.get(`orders/${orderId}/shipment-trackings`, { namespace }));
    return res === null ? null : this.readList(ShipmentTrackingItemSchema, res.data, `GET orders/${orderId}/shipment-trackings`);
  }

  /**
   * Adds a tracking number (do this before completing the order, so the "Completed order" email
   * carries it). Null when the extension is not installed: fall back to a customer note.
   */
  async addShipmentTracking(orderId: number, body: ShipmentTrackingWrite): Promise<WooShipmentTrackingItem | null> {
    const res = await this.trackingCall((namespace) => this.request('POST', `orders/${orderId}/shipment-trackings`, { body, namespace, idempotent: false }));
    return res === null ? null : this.read(ShipmentTrackingItemSchema, res.data, `POST orders/${orderId}/shipment-trackings`);
  }

  /** True when deleted; null when the extension is not installed. */
  async deleteShipmentTracking(orderId: number, trackingId: string): Promise<boolean | null> {
    const res = await this.trackingCall((namespace) => this.delete(`orders/${orderId}/shipment-trackings/${encodeURIComponent(trackingId)}`, { namespace }));
    return res === null ? null : true;
  }

  /** Whether the store answers Shipment Tracking routes (remembered for 10 minutes when absent). */
  shipmentTrackingNamespace(): string | null | undefined {
    return this.tracking?.namespace;
  }

  private async trackingCall(call: (namespace: string) => Promise<WooResponse<unknown>>): Promise<WooResponse<unknown> | null> {
    const known = this.tracking;
    if (known && known.namespace === null && Date.now() - known.at < TRACKING_ABSENT_TTL_MS) return null;
    const candidates = known?.namespace ? [known.namespace] : ['wc/v3', 'wc-shipment-tracking/v3'];
    for (const namespace of candidates) {
      try {
        const res = await call(namespace);
        this.tracking = { namespace, at: Date.now() };
        return res;
      } catch (err) {
        if (!isNoRoute(err)) throw err;
      }
    }
    if (known?.namespace) return this.trackingCallFresh(call);
    this.tracking = { namespace: null, at: Date.now() };
    return null;
  }

  /** The namespace that used to work is gone (extension removed or updated): look again. */
  private async trackingCallFresh(call: (namespace: string) => Promise<WooResponse<unknown>>): Promise<WooResponse<unknown> | null> {
    this.tracking = undefined;
    return this.trackingCall(call);
  }

  // --- webhooks -------------------------------------------------------------------------------

  async listWebhooks(params: Query = {}): Promise<WooWebhook[]> {
    const out: WooWebhook[] = [];
    for await (const w of this.listAll('webhooks', params, WebhookSchema)) out.push(w);
    return out;
  }

  async getWebhook(id: number): Promise<WooWebhook> {
    const res = await this.get(`webhooks/${id}`);
    return this.read(WebhookSchema, res.data, `GET webhooks/${id}`);
  }

  /** Creates (and WooCommerce pings) a webhook. Not retried once it may have landed: list before trying again. */
  async createWebhook(body: WebhookWrite): Promise<WooWebhook> {
    const res = await this.request('POST', 'webhooks', { body, idempotent: false });
    return this.read(WebhookSchema, res.data, 'POST webhooks');
  }

  /** E.g. `{ status: 'active' }` to re-enable a webhook WooCommerce disabled after failed deliveries. */
  async updateWebhook(id: number, body: WebhookWrite): Promise<WooWebhook> {
    const res = await this.put(`webhooks/${id}`, { body });
    return this.read(WebhookSchema, res.data, `PUT webhooks/${id}`);
  }

  async deleteWebhook(id: number): Promise<WooWebhook> {
    const res = await this.delete(`webhooks/${id}`, { query: { force: true } });
    return this.read(WebhookSchema, res.data, `DELETE webhooks/${id}`);
  }

  // --- modified windows -----------------------------------------------------------------------

  private readList<T>(schema: z.ZodType<T>, data: unknown, label: string): T[] {
    if (!Array.isArray(data)) throw new HttpError(`WooCommerce ${label} returned ${typeof data} where a list was expected`, 'malformed', undefined, undefined, false);
    return data.map((item, i) => this.read(schema, item, `${label} (item ${i})`));
  }

  /** One request of a window read: items plus X-WP-Total / X-WP-TotalPages. */
  private async windowPage<T>(path: string, schema: z.ZodType<T>, query: Query, page: number): Promise<WooPage<T>> {
    const full: Query = { ...query, orderby: this.windowOrderby, order: 'asc', per_page: WOO_MAX_PER_PAGE };
    if (page > 1) full.page = page;
    let res: WooResponse<unknown>;
    try {
      res = await this.get(path, { query: full });
    } catch (err) {
      // Stores whose orderby enum lacks `modified`: any stable order does for a window.
      if (this.windowOrderby === 'modified' && err instanceof WooCommerceError && err.code === 'rest_invalid_param' && /orderby/.test(err.wooMessage)) {
        this.windowOrderby = 'id';
        return this.windowPage(path, schema, query, page);
      }
      throw err;
    }
    const items = this.readList(schema, res.data, `GET ${path}`);
    return { items, page, total: headerInt(res.headers['x-wp-total']), totalPages: headerInt(res.headers['x-wp-totalpages']) };
  }

  private async modifiedWindow<T extends { id: number }>(path: string, schema: z.ZodType<T>, from: Date, to: Date, extra: Query): Promise<T[]> {
    const found = new Map<number, T>();
    const fromS = Math.floor(from.getTime() / 1000);
    const toS = Math.floor(to.getTime() / 1000);
    const label = `GET ${path}`;

    const check = (items: T[], a: number, b: number) => {
      // A store that ignores modified_after / dates_are_gmt (older versions ignore unknown parameters) would
      // hand back rows outside the window; better to stop than to walk the whole history as if it were new.
      for (const item of items) {
        const modified = (item as { date_modified_gmt?: unknown }).date_modified_gmt;
        if (typeof modified !== 'string') continue;
        const at = Date.parse(`${modified}Z`) / 1000;
        if (!Number.isNaN(at) && (at < a || at >= b)) {
          throw new HttpError(
            `WooCommerce ${label} returned ${path} modified at ${modified} for the window ${gmtSeconds(a)}..${gmtSeconds(b)}: the store does not apply modified_after/modified_before with dates_are_gmt (WooCommerce 5.8 or newer is needed)`,
            'malformed',
            undefined,
            undefined,
            false,
            undefined,
            'bpwc_window_filter_ignored',
          );
        }
      }
    };

    const windowQuery = (a: number, b: number): Query => ({ ...extra, modified_after: gmtSeconds(a - 1), modified_before: gmtSeconds(b), dates_are_gmt: true });

    // A 1-second window with more than 100 rows: page it, and walk again if the total moved meanwhile.
    const pageSecond = async (a: number, b: number) => {
      for (let walk = 0; walk < 4; walk++) {
        let total: number | undefined;
        let stable = true;
        for (let page = 1; ; page++) {
          const res = await this.windowPage(path, schema, windowQuery(a, b), page);
          check(res.items, a, b);
          for (const item of res.items) found.set(item.id, item);
          if (page === 1) total = res.total;
          else if (res.total !== total) stable = false;
          const last = res.totalPages !== undefined ? page >= res.totalPages : res.items.length < WOO_MAX_PER_PAGE;
          if (last || res.items.length === 0) break;
        }
        if (stable) return;
      }
      throw new HttpError(
        `WooCommerce ${label}: the ${path} modified at ${gmtSeconds(a)} kept changing while they were paged; read this window again later`,
        'status',
        undefined,
        undefined,
        true,
        undefined,
        'bpwc_window_unstable',
      );
    };

    /**
     * With orderby=modified asc, a full first page holds every row modified before its last row's
     * second: keep those and go on with [that second, b). Undefined when the rows carry no
     * date_modified_gmt or are not in that order (then the window is halved instead).
     */
    const cutAt = (items: T[]): number | undefined => {
      if (this.windowOrderby !== 'modified') return undefined;
      let previous = -Infinity;
      for (const item of items) {
        const at = modifiedSeconds(item);
        if (at === undefined || at < previous) return undefined;
        previous = at;
      }
      return Number.isFinite(previous) ? previous : undefined;
    };

    const visit = async (start: number, b: number): Promise<void> => {
      let a = start;
      while (a < b) {
        const first = await this.windowPage(path, schema, windowQuery(a, b), 1);
        check(first.items, a, b);
        // Without X-WP-Total (stripped by a proxy) a full page may hide more.
        const more = first.total !== undefined ? first.total > first.items.length : first.items.length >= WOO_MAX_PER_PAGE;
        if (!more) {
          for (const item of first.items) found.set(item.id, item);
          return;
        }
        if (b - a <= 1) return pageSecond(a, b);
        const cut = cutAt(first.items);
        if (cut === undefined) {
          const mid = a + Math.floor((b - a) / 2);
          await visit(a, mid);
          return visit(mid, b);
        }
        if (cut <= a) {
          // The whole page is the window's first second: a bulk edit, paged on its own.
          await pageSecond(a, a + 1);
          a += 1;
          continue;
        }
        for (const item of first.items) if ((modifiedSeconds(item) ?? cut) < cut) found.set(item.id, item);
        a = cut;
      }
    };

    await visit(fromS, toS);
    const modifiedOf = (item: T) => {
      const v = (item as { date_modified_gmt?: unknown; date_created_gmt?: unknown }).date_modified_gmt ?? (item as { date_created_gmt?: unknown }).date_created_gmt;
      return typeof v === 'string' ? v : '';
    };
    return [...found.values()].sort((x, y) => modifiedOf(x).localeCompare(modifiedOf(y)) || x.id - y.id);
  }

  // --- batches --------------------------------------------------------------------------------

  /**
   * Sends create, then update, then delete items in requests of at most `batchSize` items.
   * When a request fails outright (after retries), its items and every later item are reported
   * failed with that error and nothing more is sent: the next run retries them.
   */
  private async runBatch<T, W>(path: string, ops: BatchOperations<W>, schema: z.ZodType<T>): Promise<BatchResult<T>> {
    type Kind = 'create' | 'update' | 'delete';
    interface Op {
      kind: Kind;
      index: number;
      id: number;
      payload: unknown;
    }
    const all: Op[] = [
      ...(ops.create ?? []).map((payload, index): Op => ({ kind: 'create', index, id: 0, payload })),
      ...(ops.update ?? []).map((payload, index): Op => ({ kind: 'update', index, id: typeof payload.id === 'number' ? payload.id : 0, payload })),
      ...(ops.delete ?? []).map((id, index): Op => ({ kind: 'delete', index, id, payload: id })),
    ];
    const result: BatchResult<T> = {
      create: new Array<BatchItemResult<T>>(ops.create?.length ?? 0),
      update: new Array<BatchItemResult<T>>(ops.update?.length ?? 0),
      delete: new Array<BatchItemResult<T>>(ops.delete?.length ?? 0),
      requests: 0,
      failed: 0,
    };
    const settle = (op: Op, r: BatchItemResult<T>) => {
      result[op.kind][op.index] = r;
    };
    let stoppedBy: HttpError | undefined;

    for (const part of chunk(all, this.batchSize)) {
      if (stoppedBy) {
        const error = { code: stoppedBy.code ?? `http_${stoppedBy.kind}`, message: `Not sent because an earlier batch request failed: ${stoppedBy.message}`, status: 0 };
        for (const op of part) settle(op, { ok: false, id: op.id, error });
        continue;
      }
      const body: Partial<Record<Kind, unknown[]>> = {};
      for (const op of part) (body[op.kind] ??= []).push(op.payload);
      let data: unknown;
      try {
        result.requests++;
        data = (await this.post(path, { body })).data;
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        stoppedBy = err;
        const error = { code: err.code ?? `http_${err.kind}`, message: err.message, status: err.status ?? 0 };
        for (const op of part) settle(op, { ok: false, id: op.id, error });
        continue;
      }
      const parsed = BatchResponseSchema.safeParse(data);
      const lists: Partial<Record<Kind, unknown[]>> = parsed.success && !Array.isArray(parsed.data) ? parsed.data : {};
      for (const kind of ['create', 'update', 'delete'] as const) {
        const sent = part.filter((op) => op.kind === kind);
        const answers = lists[kind] ?? [];
        const used = new Set<number>();
        sent.forEach((op, position) => {
          // Creates line up by position; updates and deletes by id (WooCommerce skips a delete of id 0).
          let at = kind === 'create' ? position : answers.findIndex((a, i) => !used.has(i) && answerId(a) === op.id);
          if (at === -1 && !used.has(position) && answerId(answers[position]) === undefined) at = position;
          if (at < 0 || at >= answers.length) {
            settle(op, { ok: false, id: op.id, error: { code: 'woocommerce_no_result', message: `WooCommerce returned no result for this ${kind} item`, status: 0 } });
            return;
          }
          used.add(at);
          settle(op, this.readBatchItem(answers[at], op.id, schema, `POST ${path} (${kind} ${op.id || position})`));
        });
      }
    }
    for (const kind of ['create', 'update', 'delete'] as const) result.failed += result[kind].filter((r) => !r.ok).length;
    return result;
  }

  private readBatchItem<T>(answer: unknown, sentId: number, schema: z.ZodType<T>, label: string): BatchItemResult<T> {
    if (typeof answer === 'object' && answer !== null && 'error' in answer) {
      const parsed = BatchItemErrorSchema.safeParse(answer);
      if (parsed.success) {
        const { code, message, data } = parsed.data.error;
        const details = typeof data === 'object' && data !== null ? data : {};
        const status = typeof data === 'number' ? data : (details.status ?? 400);
        const error: BatchItemError = { code, message: plainText(message), status };
        if (typeof details.resource_id === 'number') error.resourceId = details.resource_id;
        if (typeof details.unique_sku === 'string') error.uniqueSku = details.unique_sku;
        return { ok: false, id: parsed.data.id ?? sentId, error };
      }
    }
    const item = schema.safeParse(answer);
    if (item.success) {
      const id = (answer as { id?: unknown }).id;
      return { ok: true, id: typeof id === 'number' ? id : sentId, item: item.data };
    }
    const detail = item.error.issues
      .slice(0, 2)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return { ok: false, id: sentId, error: { code: 'unexpected_response', message: `WooCommerce ${label} returned an item the sync cannot read: ${detail}`, status: 0 } };
  }
}

function modifiedSeconds(item: unknown): number | undefined {
  const v = (item as { date_modified_gmt?: unknown }).date_modified_gmt;
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(`${v}Z`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function withParent(refund: WooRefund, orderId: number): WooRefundWithParent {
  return { ...refund, parent_id: refund.parent_id ?? orderId };
}

/** Unix seconds → `YYYY-MM-DDTHH:MM:SS` (UTC, no offset: what dates_are_gmt expects). */
function gmtSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

function headerInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function answerId(answer: unknown): number | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const id = (answer as { id?: unknown }).id;
  return typeof id === 'number' ? id : undefined;
}
