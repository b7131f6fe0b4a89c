/**
 * Brightpearl REST client: auth headers per app type, the `{response}` / `{errors}` envelope,
 * errors a store owner can read, retries for what is worth retrying, one shared request budget
 * per account, resource-search paging and ID-set chunking.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import {
  DEFAULT_RETRY_POLICY,
  HttpError,
  parseJson,
  send,
  withRetry,
  type HttpResponse,
  type RetryEvent,
  type RetryPolicy,
  type SendOptions,
  type Sleep,
} from '../http/request';
import { PERIOD_HEADER, headerNumber, sharedBudget, type RequestBudget } from './budget';
import { formatIdSet, idSetChunks, isValidId } from './idset';
import {
  AvailabilityResponseSchema,
  BareMessageSchema,
  ErrorEnvelopeSchema,
  GetUrisSchema,
  PriceListSchema,
  ProductPriceSchema,
  ProductSchema,
  SearchBodySchema,
  WarehouseSchema,
  type BrightpearlErrorEntry,
  type BrightpearlPriceList,
  type BrightpearlProduct,
  type BrightpearlProductPrice,
  type BrightpearlWarehouse,
  type ProductAvailability,
  type SearchReference,
} from './schemas';

export type BrightpearlAuth =
  /** Private system app (being sunset by Brightpearl). */
  | { kind: 'system'; appRef: string; accountToken: string }
  /** Private staff app: token per staff member. */
  | { kind: 'staff'; appRef: string; staffToken: string }
  /** OAuth instance app. */
  | { kind: 'oauth'; appRef: string; devRef: string; accessToken: string };

export interface BrightpearlClientOptions {
  /** Scheme and host only, e.g. `https://euw1.brightpearlconnect.com` or a simulator's `http://127.0.0.1:1234`. */
  baseUrl: string;
  accountCode: string;
  auth: BrightpearlAuth;
  timeoutMs?: number;
  retry?: RetryPolicy;
  dispatcher?: Dispatcher;
  /** Sleep between retries (tests). */
  sleep?: Sleep;
  onRetry?: (e: RetryEvent & { method: string; path: string }) => void;
  /** Defaults to the account's shared budget. */
  budget?: RequestBudget;
}

type Method = 'GET' | 'POST' | 'PUT' | 'OPTIONS';
export type SearchParams = Record<string, string | number | boolean | undefined>;
export type SearchRow = Record<string, unknown>;

/** Per-request caps (documented maxima, and what clients use where none is documented). */
export const PRODUCT_GET_MAX_IDS = 200;
export const PRODUCT_PRICE_MAX_IDS = 200;
export const AVAILABILITY_MAX_IDS = 100;
export const SEARCH_PAGE_SIZE = 500;

/** 500s that are our fault (bad search filter, bad PATCH op): retrying cannot help. */
const CLIENT_BUG_CODES = new Set(['CMNC-018', 'CMNC-044']);

export interface AvailabilityResult {
  /** Keyed by product id; stock-tracked products only (Brightpearl silently omits the others). */
  byProduct: Map<number, ProductAvailability>;
  /** Ids Brightpearl refused with a 400 (with what it said), isolated so they don't cost the rest of their chunk. */
  rejected: { id: number; message: string }[];
}

export interface ClientStats {
  /** HTTP requests sent, per `METHOD service/path pattern` (ID sets shown as `{ID-SET}`). */
  calls: Record<string, number>;
  total: number;
  retries: number;
  throttled: number;
}

/** `product-service/product/1001-1200?x=1` → `product-service/product/{ID-SET}`. */
export function pathPattern(path: string): string {
  return (path.split('?')[0] ?? '')
    .split('/')
    .map((segment) => (/^[\d,*-]+$/.test(segment) && /\d|\*/.test(segment) ? '{ID-SET}' : segment))
    .join('/');
}

function describePath(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return bare.length > 120 ? `${bare.slice(0, 117)}...` : bare;
}

function describeErrors(errors: BrightpearlErrorEntry[]): string {
  return errors.map((e) => `${e.code} ${e.message}`.trim()).join('; ');
}

export class BrightpearlClient {
  private readonly baseUrl: string;
  private readonly accountCode: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly budget: RequestBudget;
  private readonly counts = new Map<string, number>();
  private retries = 0;
  private throttles = 0;

  constructor(private readonly opts: BrightpearlClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.accountCode = opts.accountCode;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = opts.retry ?? DEFAULT_RETRY_POLICY;
    this.budget = opts.budget ?? sharedBudget(this.baseUrl, this.accountCode);
  }

  // -------------------------------------------------------------------------------------------
  // Plain calls; `path` starts with the service: `product-service/product/1001`.

  get(path: string): Promise<unknown>;
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  async get<T>(path: string, schema?: z.ZodType<T>): Promise<unknown> {
    return this.unwrap(await this.call('GET', path), schema, 'GET', path);
  }

  post(path: string, body: unknown): Promise<unknown>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  async post<T>(path: string, body: unknown, schema?: z.ZodType<T>): Promise<unknown> {
    return this.unwrap(await this.call('POST', path, body), schema, 'POST', path);
  }

  put(path: string, body: unknown): Promise<unknown>;
  put<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  async put<T>(path: string, body: unknown, schema?: z.ZodType<T>): Promise<unknown> {
    return this.unwrap(await this.call('PUT', path, body), schema, 'PUT', path);
  }

  /** `OPTIONS product-service/product/{ID-SET}` → the GET URIs that respect the per-request cap. */
  async options(path: string): Promise<string[]> {
    const uris = await this.unwrap(await this.call('OPTIONS', path), GetUrisSchema, 'OPTIONS', path);
    return (uris as z.infer<typeof GetUrisSchema>).getUris;
  }

  // -------------------------------------------------------------------------------------------
  // Resource search

  /**
   * Every row of a resource search as an object keyed by column name (rows are positional
   * arrays; `metaData.columns` names them). Pages with `firstResult = lastResult + 1`.
   */
  async *search(path: string, params: SearchParams = {}): AsyncGenerator<SearchRow, void, undefined> {
    for await (const page of this.searchPages(path, params)) yield* page.rows;
  }

  /** All rows, plus the `reference` tables of every page merged. */
  async searchAll(path: string, params: SearchParams = {}): Promise<{ rows: SearchRow[]; reference: SearchReference }> {
    const rows: SearchRow[] = [];
    const reference: SearchReference = {};
    for await (const page of this.searchPages(path, params)) {
      rows.push(...page.rows);
      for (const [key, table] of Object.entries(page.reference)) reference[key] = { ...reference[key], ...table };
    }
    return { rows, reference };
  }

  private async *searchPages(
    path: string,
    params: SearchParams,
  ): AsyncGenerator<{ rows: SearchRow[]; reference: SearchReference }, void, undefined> {
    // A query already in `path` is kept; `params` win over it.
    const [bare = path, inline = ''] = path.split('?', 2);
    const merged: SearchParams = { ...Object.fromEntries(new URLSearchParams(inline)), ...params };
    let firstResult = Number(merged.firstResult ?? 1);
    for (;;) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(merged)) {
        if (value !== undefined && key !== 'firstResult') query.set(key, String(value));
      }
      if (!query.has('pageSize')) query.set('pageSize', String(SEARCH_PAGE_SIZE));
      query.set('firstResult', String(firstResult));
      // URLSearchParams encodes `+` in date offsets as %2B, which Brightpearl needs.
      const pagePath = `${bare}?${query.toString()}`;
      const { res, json } = await this.call('GET', pagePath);
      const parsed = SearchBodySchema.safeParse(json);
      if (!parsed.success) throw this.unexpectedShape('GET', bare, res, parsed.error);
      const { results, metaData } = parsed.data.response;
      const names = metaData.columns.map((c) => c.name);
      const rows = results.map((row) => {
        const record: SearchRow = {};
        names.forEach((name, i) => {
          record[name] = row[i];
        });
        return record;
      });
      yield { rows, reference: parsed.data.reference ?? {} };
      // Guard against a server that says "more" without moving forward.
      if (!metaData.morePagesAvailable || metaData.resultsReturned === 0 || metaData.lastResult < firstResult) return;
      firstResult = metaData.lastResult + 1;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Typed reads

  /** Products by id, ≤200 per GET in compact ranges. Ids Brightpearl doesn't know are simply absent. */
  async getProducts(ids: Iterable<number>): Promise<BrightpearlProduct[]> {
    const products: BrightpearlProduct[] = [];
    for (const chunk of idSetChunks(validIds(ids), { maxIds: PRODUCT_GET_MAX_IDS })) {
      products.push(...(await this.get(`product-service/product/${chunk.idSet}`, ProductSchema.array())));
    }
    return products;
  }

  /**
   * Stock per product and warehouse, 100 ids per GET. Brightpearl answers 400 for the whole set if
   * it dislikes one id, so a refused chunk is halved until the bad ids are isolated and reported.
   */
  async getProductAvailability(ids: Iterable<number>): Promise<AvailabilityResult> {
    const result: AvailabilityResult = { byProduct: new Map(), rejected: [] };
    const all = [...ids];
    for (const id of all) if (!isValidId(id)) reject(result, id, `${String(id)} is not a Brightpearl product id`);
    for (const chunk of idSetChunks(validIds(all), { maxIds: AVAILABILITY_MAX_IDS })) {
      await this.availabilityChunk(chunk.ids, result);
    }
    return result;
  }

  private async availabilityChunk(ids: number[], result: AvailabilityResult): Promise<void> {
    if (ids.length === 0) return;
    try {
      const byId = await this.get(`warehouse-service/product-availability/${formatIdSet(ids)}`, AvailabilityResponseSchema);
      for (const [id, availability] of Object.entries(byId)) result.byProduct.set(Number(id), availability);
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      if (ids.length === 1) {
        reject(result, ids[0] as number, err.message);
        return;
      }
      const half = Math.ceil(ids.length / 2);
      await this.availabilityChunk(ids.slice(0, half), result);
      await this.availabilityChunk(ids.slice(half), result);
    }
  }

  async getWarehouses(): Promise<BrightpearlWarehouse[]> {
    return this.get('warehouse-service/warehouse', WarehouseSchema.array());
  }

  async getPriceLists(): Promise<BrightpearlPriceList[]> {
    return this.get('product-service/price-list', PriceListSchema.array());
  }

  /** Prices per product (all price lists, or one), ≤200 products per GET. */
  async getProductPrices(ids: Iterable<number>, priceListId?: number): Promise<BrightpearlProductPrice[]> {
    const prices: BrightpearlProductPrice[] = [];
    const suffix = priceListId === undefined ? '' : `/price-list/${priceListId}`;
    for (const chunk of idSetChunks(validIds(ids), { maxIds: PRODUCT_PRICE_MAX_IDS })) {
      prices.push(...(await this.get(`product-service/product-price/${chunk.idSet}${suffix}`, ProductPriceSchema.array())));
    }
    return prices;
  }

  stats(): ClientStats {
    const calls = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return { calls, total, retries: this.retries, throttled: this.throttles };
  }

  // -------------------------------------------------------------------------------------------
  // Transport

  private headers(hasBody: boolean): Record<string, string> {
    const auth = this.opts.auth;
    const headers: Record<string, string> = { accept: 'application/json', 'brightpearl-app-ref': auth.appRef };
    if (hasBody) headers['content-type'] = 'application/json';
    switch (auth.kind) {
      case 'system':
        headers['brightpearl-account-token'] = auth.accountToken;
        break;
      case 'staff':
        headers['brightpearl-staff-token'] = auth.staffToken;
        break;
      case 'oauth':
        headers.authorization = `Bearer ${auth.accessToken}`;
        headers['brightpearl-dev-ref'] = auth.devRef;
        break;
    }
    return headers;
  }

  /** One logical call: budget, retries, status classification and JSON parsing (garbage is retried). */
  private call(method: Method, path: string, body?: unknown): Promise<{ res: HttpResponse; json: unknown }> {
    const relative = path.replace(/^\/+/, '');
    const url = `${this.baseUrl}/public-api/${encodeURIComponent(this.accountCode)}/${relative}`;
    const counterKey = `${method} ${pathPattern(relative)}`;
    const request: SendOptions = {
      method,
      url,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.timeoutMs,
      dispatcher: this.opts.dispatcher,
    };
    return withRetry(
      async () => {
        const ticket = await this.budget.take();
        this.counts.set(counterKey, (this.counts.get(counterKey) ?? 0) + 1);
        let res: HttpResponse | undefined;
        try {
          res = await send(request);
        } finally {
          this.budget.settle(ticket, res?.headers);
        }
        this.check(method, relative, res);
        return { res, json: parseJson(res, `Brightpearl ${method} ${describePath(relative)}`) };
      },
      this.retry,
      {
        sleep: this.opts.sleep,
        onRetry: (e) => {
          this.retries += 1;
          this.opts.onRetry?.({ ...e, method, path: describePath(relative) });
        },
      },
    );
  }

  /** Turns a non-2xx response into an HttpError that says what Brightpearl said. */
  private check(method: Method, path: string, res: HttpResponse): void {
    if (res.status >= 200 && res.status < 300) return;
    const where = `${method} ${describePath(path)}`;
    const json = tryJson(res.text);
    const errors = ErrorEnvelopeSchema.safeParse(json);
    const bare = BareMessageSchema.safeParse(json);
    const detail = errors.success
      ? describeErrors(errors.data.errors)
      : bare.success
        ? bare.data.response
        : `HTTP ${res.status} ${res.text.replace(/\s+/g, ' ').slice(0, 120)}`.trim();
    const code = errors.success ? errors.data.errors[0]?.code : undefined;
    const body = res.text.slice(0, 500);

    if (res.status === 401 || res.status === 403) {
      const what = res.status === 401 ? 'did not accept the credentials' : 'does not permit';
      fail(new HttpError(`Brightpearl ${what} for ${where}: ${detail}`, 'status', res.status, body, false, undefined, code));
    }
    if (res.status === 503 || res.status === 429) {
      const periodMs = throttlePeriodMs(res);
      this.throttles += 1;
      this.budget.throttled(periodMs);
      fail(
        new HttpError(`Brightpearl is throttling requests (${where}): ${detail}`, 'status', res.status, body, true, periodMs, code),
      );
    }
    if (res.status >= 500) {
      const clientBug = res.status === 500 && errors.success && errors.data.errors.some((e) => CLIENT_BUG_CODES.has(e.code));
      const verb = clientBug ? 'rejected' : 'failed';
      fail(new HttpError(`Brightpearl ${verb} ${where}: ${detail}`, 'status', res.status, body, !clientBug, undefined, code));
    }
    fail(new HttpError(`Brightpearl rejected ${where}: ${detail}`, 'status', res.status, body, false, undefined, code));
  }

  /** `{response: X}` → X (checked against `schema`); `{}` or an empty body → undefined. */
  private unwrap<T>(
    { res, json }: { res: HttpResponse; json: unknown },
    schema: z.ZodType<T> | undefined,
    method: Method,
    path: string,
  ): unknown {
    if (json === null) return schema ? this.validate(undefined, schema, method, path, res) : undefined;
    if (typeof json !== 'object' || Array.isArray(json)) throw this.unexpectedShape(method, path, res, 'not an object');
    const envelope = json as { response?: unknown; errors?: unknown };
    if (envelope.errors !== undefined && envelope.response === undefined) {
      const errors = ErrorEnvelopeSchema.safeParse(json);
      const detail = errors.success ? describeErrors(errors.data.errors) : JSON.stringify(envelope.errors).slice(0, 200);
      throw new HttpError(`Brightpearl rejected ${method} ${describePath(path)}: ${detail}`, 'status', res.status, res.text.slice(0, 500));
    }
    if (!schema) return envelope.response;
    return this.validate(envelope.response, schema, method, path, res);
  }

  private validate<T>(value: unknown, schema: z.ZodType<T>, method: Method, path: string, res: HttpResponse): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw this.unexpectedShape(method, path, res, parsed.error);
    return parsed.data;
  }

  /** A 2xx whose body is not what the API documents: retrying won't fix it, so not retryable. */
  private unexpectedShape(method: string, path: string, res: HttpResponse, problem: z.ZodError | string): HttpError {
    const why =
      typeof problem === 'string'
        ? problem
        : problem.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
            .join('; ');
    return new HttpError(
      `Brightpearl answered ${method} ${describePath(path)} with data we could not read (${why})`,
      'malformed',
      res.status,
      res.text.slice(0, 500),
      false,
    );
  }
}

function fail(error: HttpError): never {
  throw error;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * How long a throttled account must wait: `brightpearl-next-throttle-period` (ms); failing that
 * `Retry-After` or `brightpearl-throttle-time` (seconds, seen only in one third-party client).
 */
function throttlePeriodMs(res: HttpResponse): number | undefined {
  const period = headerNumber(res.headers[PERIOD_HEADER]);
  if (period !== undefined) return period;
  const seconds = headerNumber(res.headers['retry-after']) ?? headerNumber(res.headers['brightpearl-throttle-time']);
  return seconds === undefined ? undefined : seconds * 1000;
}

function reject(result: AvailabilityResult, id: number, message: string): void {
  result.rejected.push({ id, message });
}

/** Positive integer ids only: anything else cannot be written into an ID set. */
function validIds(ids: Iterable<number>): number[] {
  return [...ids].filter(isValidId);
}
