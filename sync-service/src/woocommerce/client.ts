/**
 * WooCommerce wc/v3 REST client: auth chosen by scheme (Basic over https, OAuth 1.0a over http),
 * retries only for what a retry can fix (5xx, 429, timeouts, host HTML pages), paging by headers,
 * SKU lookup across products and variations, and batches whose every per-item error is reported.
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
  PRODUCT_SUMMARY_FIELDS,
  ProductSchema,
  ProductSummarySchema,
  VariationSchema,
  WooErrorSchema,
  type WooProduct,
  type WooProductSummary,
  type WooVariation,
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
  readonly authMode: WooAuthMode;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly batchSize: number;
  private readonly counts = new Map<string, number>();

  constructor(private readonly opts: WooCommerceClientOptions) {
    const store = new URL(opts.url);
    const root = `${store.protocol}//${store.host}${store.pathname.replace(/\/+$/, '')}`;
    this.apiBase = `${root}/wp-json/wc/v3/`;
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
    const label = `${method} ${cleanPath}`;
    const counterKey = `${method} ${pathPattern(cleanPath)}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    return withRetry(
      async () => {
        const { url, headers } = this.prepare(method, cleanPath, query);
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
        if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, method, cleanPath);
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
      },
      this.retry,
      {
        sleep: this.opts.sleep ?? realSleep,
        onRetry: this.opts.onRetry ? (e) => this.opts.onRetry?.({ ...e, method, path: cleanPath }) : undefined,
      },
    );
  }

  private prepare(method: HttpMethod, path: string, query: Query | undefined): { url: string; headers: Record<string, string> } {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'bpwc-sync-service' };
    const qs = serializeQuery(query);
    const url = `${this.apiBase}${path}${qs ? `?${qs}` : ''}`;
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
