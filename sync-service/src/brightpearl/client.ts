/**
 * Brightpearl REST client: auth headers per app type, the `{response}` / `{errors}` envelope,
 * errors a store owner can read, retries for what is worth retrying, one shared request budget
 * per account, resource-search paging and ID-set chunking.
 *
 * Writes and retries: a request that creates something is only re-sent after a failure that
 * proves it was not processed (a 503/429 throttle, or a connection that was never made), unless
 * its body carries a key Brightpearl deduplicates on:
 *   - sales orders / credits: `externalRef` + `installedIntegrationInstanceId` (a re-POST answers
 *     the existing id);
 *   - customer payments: `transactionRef` + `paymentMethodCode` (a duplicate answers the
 *     existing id, or, if Brightpearl answers it with a 400 instead, the client finds the
 *     existing payment by order and returns its id);
 *   - goods-out events: `If-Match: lastEventVersion`.
 * Otherwise an ambiguous failure (timeout, dropped connection, 5xx, a non-JSON 200) throws
 * BrightpearlOutcomeUnknownError (not retryable): the caller must look before sending again.
 * PUTs and DELETEs are retried like reads (setting the same value twice is harmless).
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
import type {
  ContactInput,
  CustomerPaymentInput,
  GoodsOutCreateInput,
  GoodsOutEventInput,
  GoodsOutUpdateInput,
  PostalAddressInput,
  SalesCreditInput,
  SalesOrderInput,
  WebhookInput,
} from './inputs';
import {
  AvailabilityResponseSchema,
  BareMessageSchema,
  ChannelSchema,
  ContactSchema,
  ContactSearchRowSchema,
  CreatedIdSchema,
  CreatedIdsSchema,
  CustomerPaymentRowSchema,
  ErrorEnvelopeSchema,
  GetUrisSchema,
  GoodsOutNotesResponseSchema,
  GoodsOutSearchRowSchema,
  NominalCodeRowSchema,
  OrderSchema,
  OrderSearchRowSchema,
  OrderStatusSchema,
  PaymentMethodRowSchema,
  PriceListSchema,
  ProductPriceSchema,
  ProductSchema,
  SalesCreditSchema,
  SalesOrderSchema,
  SearchBodySchema,
  ShippingMethodSchema,
  TaxCodeSchema,
  WarehouseSchema,
  WebhookSchema,
  type BrightpearlChannel,
  type BrightpearlContact,
  type BrightpearlErrorEntry,
  type BrightpearlGoodsOutNote,
  type BrightpearlNominalCode,
  type BrightpearlOrder,
  type BrightpearlOrderStatus,
  type BrightpearlPaymentMethod,
  type BrightpearlPriceList,
  type BrightpearlProduct,
  type BrightpearlProductPrice,
  type BrightpearlSalesCredit,
  type BrightpearlSalesOrder,
  type BrightpearlShippingMethod,
  type BrightpearlTaxCode,
  type BrightpearlWarehouse,
  type BrightpearlWebhook,
  type ContactSearchRow,
  type CustomerPaymentRow,
  type GoodsOutSearchRow,
  type OrderSearchRow,
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

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
export type SearchParams = Record<string, string | number | boolean | undefined>;
export type SearchRow = Record<string, unknown>;

export interface WriteOptions {
  /**
   * Whether sending the request twice is harmless, so an ambiguous failure may be retried.
   * Default: false for POST, true for PUT and DELETE.
   */
  idempotent?: boolean;
  headers?: Record<string, string>;
}

/** Per-request caps (documented maxima, and what clients use where none is documented). */
export const PRODUCT_GET_MAX_IDS = 200;
export const PRODUCT_PRICE_MAX_IDS = 200;
export const AVAILABILITY_MAX_IDS = 100;
export const SEARCH_PAGE_SIZE = 500;
export const ORDER_GET_MAX_IDS = 200;
export const CONTACT_GET_MAX_IDS = 200;
export const GOODS_OUT_MAX_IDS = 500;

/** Order type ids: the same in every account (`order-service/order-type`). */
export const ORDER_TYPE_ID = { SALES_ORDER: 1, PURCHASE_ORDER: 2, SALES_CREDIT: 3, PURCHASE_CREDIT: 4 } as const;

/**
 * A create request failed in a way that leaves its outcome unknown (timeout, dropped connection,
 * 5xx, unreadable 200) and carried no idempotency key, so it was not sent again: Brightpearl may
 * or may not have created the record. Not retryable; look (e.g. by externalRef) before resending.
 */
export class BrightpearlOutcomeUnknownError extends HttpError {
  constructor(
    readonly original: HttpError,
    method: string,
    path: string,
  ) {
    super(
      `Brightpearl may or may not have carried out ${method} ${path} (${original.message}); it was not sent again because that could create a duplicate`,
      original.kind,
      original.status,
      original.body,
      false,
      undefined,
      original.code,
    );
    this.name = 'BrightpearlOutcomeUnknownError';
  }
}

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

  /** Not retried after an ambiguous failure unless `opts.idempotent` (see the file comment). */
  post(path: string, body: unknown, schema?: undefined, opts?: WriteOptions): Promise<unknown>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>, opts?: WriteOptions): Promise<T>;
  async post<T>(path: string, body: unknown, schema?: z.ZodType<T>, opts: WriteOptions = {}): Promise<unknown> {
    return this.unwrap(await this.call('POST', path, body, opts), schema, 'POST', path);
  }

  put(path: string, body: unknown, schema?: undefined, opts?: WriteOptions): Promise<unknown>;
  put<T>(path: string, body: unknown, schema: z.ZodType<T>, opts?: WriteOptions): Promise<T>;
  async put<T>(path: string, body: unknown, schema?: z.ZodType<T>, opts: WriteOptions = {}): Promise<unknown> {
    return this.unwrap(await this.call('PUT', path, body, opts), schema, 'PUT', path);
  }

  async delete(path: string, opts: WriteOptions = {}): Promise<unknown> {
    return this.unwrap(await this.call('DELETE', path, undefined, opts), undefined, 'DELETE', path);
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


  // -------------------------------------------------------------------------------------------
  // Reference data (per-account ids: resolve by name/code, store the mapping in config)

  async getOrderStatuses(): Promise<BrightpearlOrderStatus[]> {
    return this.get('order-service/order-status', OrderStatusSchema.array());
  }

  async getChannels(): Promise<BrightpearlChannel[]> {
    return this.get('product-service/channel', ChannelSchema.array());
  }

  async getShippingMethods(): Promise<BrightpearlShippingMethod[]> {
    return this.get('warehouse-service/shipping-method', ShippingMethodSchema.array());
  }

  async getTaxCodes(): Promise<BrightpearlTaxCode[]> {
    return this.get('accounting-service/tax-code', TaxCodeSchema.array());
  }

  async getPaymentMethods(): Promise<BrightpearlPaymentMethod[]> {
    return this.searchRows('accounting-service/payment-method-search', {}, PaymentMethodRowSchema);
  }

  async getNominalCodes(): Promise<BrightpearlNominalCode[]> {
    return this.searchRows('accounting-service/nominal-code-search', {}, NominalCodeRowSchema);
  }

  // -------------------------------------------------------------------------------------------
  // Contacts

  /**
   * Contacts whose primary email is `email`. The search is fuzzy (SEARCH_STRING: `jo@example.com`
   * also finds `banjo@example.com`), so rows are re-checked: trimmed, case-insensitive equality.
   */
  async findContactsByEmail(email: string): Promise<ContactSearchRow[]> {
    const wanted = normalizeEmail(email);
    if (wanted === '') return [];
    const rows = await this.searchRows('contact-service/contact-search', { primaryEmail: email.trim() }, ContactSearchRowSchema);
    return rows.filter((row) => normalizeEmail(row.primaryEmail) === wanted);
  }

  /** Contacts by id, ≤200 per GET; a chunk with none of them (404 CMNC-404, observed) is simply empty. */
  async getContacts(ids: Iterable<number>): Promise<BrightpearlContact[]> {
    return this.getChunked(ids, CONTACT_GET_MAX_IDS, (set) => `contact-service/contact/${set}`, ContactSchema);
  }

  /** → the new address id. Not re-sent after an ambiguous failure. */
  async createPostalAddress(address: PostalAddressInput): Promise<number> {
    return this.post('contact-service/postal-address', address, CreatedIdSchema);
  }

  /** → the new contact id. Not re-sent after an ambiguous failure (search by email first). */
  async createContact(contact: ContactInput): Promise<number> {
    return this.post('contact-service/contact', contact, CreatedIdSchema);
  }

  // -------------------------------------------------------------------------------------------
  // Sales orders and orders

  /**
   * → the order id. With `externalRef` + `installedIntegrationInstanceId` the POST is
   * idempotent (a repeat answers the same id and changes nothing), so it is retried like a read;
   * without them an ambiguous failure throws BrightpearlOutcomeUnknownError.
   */
  async createSalesOrder(order: SalesOrderInput): Promise<number> {
    return this.post('order-service/sales-order', order, CreatedIdSchema, { idempotent: hasOrderKey(order) });
  }

  /** Flat sales orders, ≤200 per GET; ids not found are absent (Brightpearl may answer 207 or 404 for them). */
  async getSalesOrders(ids: Iterable<number>): Promise<BrightpearlSalesOrder[]> {
    return this.getChunked(ids, ORDER_GET_MAX_IDS, (set) => `order-service/sales-order/${set}`, SalesOrderSchema);
  }

  /** Orders of any type in the legacy nested shape (`orderRows` keyed by row id), ≤200 per GET; missing ids are absent. */
  async getOrders(ids: Iterable<number>): Promise<BrightpearlOrder[]> {
    return this.getChunked(ids, ORDER_GET_MAX_IDS, (set) => `order-service/order/${set}`, OrderSchema);
  }

  /** `order-service/order-search`, every page; e.g. `{orderTypeId: 1, updatedOn: '2025-03-01T00:00:00Z/'}`. */
  async searchOrders(params: SearchParams = {}): Promise<OrderSearchRow[]> {
    return this.searchRows('order-service/order-search', params, OrderSearchRowSchema);
  }

  /**
   * Ids of orders whose externalRef is exactly `externalRef` (the search matches text, so rows
   * are re-checked), optionally of one type and integration instance. Ascending.
   */
  async findOrderByExternalRef(
    externalRef: string,
    opts: { orderTypeId?: number; installedIntegrationInstanceId?: number } = {},
  ): Promise<number[]> {
    if (externalRef === '') return [];
    const rows = await this.searchOrders({
      externalRef,
      ...(opts.orderTypeId !== undefined ? { orderTypeId: opts.orderTypeId } : {}),
      columns: 'orderId,orderTypeId,externalRef,installedIntegrationInstanceId',
    });
    return rows
      .filter((r) => r.externalRef === externalRef)
      .filter((r) => opts.orderTypeId === undefined || r.orderTypeId === opts.orderTypeId)
      .filter((r) => opts.installedIntegrationInstanceId === undefined || r.installedIntegrationInstanceId === opts.installedIntegrationInstanceId)
      .map((r) => r.orderId)
      .sort((a, b) => a - b);
  }

  /**
   * `PUT order-service/order/{id}/status`. Brightpearl adds an order note (its own text when
   * `note` is absent). Refused (400) for unknown / other-type / hidden statuses, and cancelling
   * an order with goods-out notes, an invoice or payments.
   */
  async updateOrderStatus(orderId: number, statusId: number, note?: string | { text: string; isPublic?: boolean }): Promise<void> {
    const orderNote = note === undefined ? undefined : typeof note === 'string' ? { text: note, isPublic: false } : { text: note.text, isPublic: note.isPublic ?? false };
    await this.put(`order-service/order/${orderId}/status`, { orderStatusId: statusId, ...(orderNote ? { orderNote } : {}) });
  }

  /** → the note id. Not re-sent after an ambiguous failure (it would add the note twice). */
  async addOrderNote(orderId: number, text: string, isPublic = false): Promise<number> {
    return this.post(`order-service/order/${orderId}/note`, { text, isPublic }, CreatedIdSchema);
  }

  // -------------------------------------------------------------------------------------------
  // Payments

  /**
   * → the payment id. With `transactionRef` (+ `paymentMethodCode`, always required) the POST is
   * idempotent and retried; if Brightpearl answers a repeat with a 400 rather than the id, the
   * existing payment (same order, type, reference, method and amount) is looked up and its id
   * returned.
   */
  async createCustomerPayment(payment: CustomerPaymentInput): Promise<number> {
    const keyed = Boolean(payment.transactionRef && payment.paymentMethodCode);
    try {
      return await this.post('accounting-service/customer-payment', payment, CreatedIdSchema, { idempotent: keyed });
    } catch (err) {
      if (!keyed || !(err instanceof HttpError) || err.status !== 400) throw err;
      const existing = (await this.findCustomerPayments(payment.orderId)).find(
        (p) =>
          p.transactionRef === payment.transactionRef &&
          p.paymentMethodCode === payment.paymentMethodCode &&
          p.paymentType === payment.paymentType &&
          sameAmount(p.amountPaid, payment.amountPaid),
      );
      if (existing) return existing.paymentId;
      throw err;
    }
  }

  /** Payments recorded against an order (or credit). */
  async findCustomerPayments(orderId: number): Promise<CustomerPaymentRow[]> {
    const rows = await this.searchRows('accounting-service/customer-payment-search', { orderId }, CustomerPaymentRowSchema);
    return rows.filter((r) => r.orderId === orderId);
  }

  // -------------------------------------------------------------------------------------------
  // Sales credits

  /** → the credit id; idempotent (and retried) with `externalRef` + `installedIntegrationInstanceId`, like sales orders. */
  async createSalesCredit(credit: SalesCreditInput): Promise<number> {
    return this.post('order-service/sales-credit', credit, CreatedIdSchema, { idempotent: hasOrderKey(credit) });
  }

  /** ≤200 per GET; ids not found are absent (Brightpearl answers 207 when only some are found, 404 when none). */
  async getSalesCredits(ids: Iterable<number>): Promise<BrightpearlSalesCredit[]> {
    return this.getChunked(ids, ORDER_GET_MAX_IDS, (set) => `order-service/sales-credit/${set}`, SalesCreditSchema);
  }

  /** Ids of the sales credits whose parent is `orderId`, ascending. */
  async findCreditsForOrder(orderId: number): Promise<number[]> {
    const rows = await this.searchOrders({ orderTypeId: ORDER_TYPE_ID.SALES_CREDIT, parentOrderId: orderId, columns: 'orderId,orderTypeId,parentOrderId' });
    return rows
      .filter((r) => r.parentOrderId === orderId && (r.orderTypeId === undefined || r.orderTypeId === null || r.orderTypeId === ORDER_TYPE_ID.SALES_CREDIT))
      .map((r) => r.orderId)
      .sort((a, b) => a - b);
  }

  // -------------------------------------------------------------------------------------------
  // Goods-out notes

  /**
   * Goods-out notes (each with its `id`), ascending by id: every note of `orderIds`, or the notes
   * `noteIds` of any order (`'*'`), or both filters. ID sets of ≤500 per GET. Transfer notes
   * (`transfer: true`, orderId 0) are returned as Brightpearl sends them: callers skip them.
   */
  async getGoodsOutNotes(orderIds: Iterable<number> | '*', noteIds?: Iterable<number>): Promise<BrightpearlGoodsOutNote[]> {
    const notes = noteIds === undefined ? undefined : validIds(noteIds);
    if (orderIds === '*' && notes === undefined) throw new RangeError("getGoodsOutNotes('*') needs note ids");
    const orderSets = orderIds === '*' ? ['*'] : idSetChunks(validIds(orderIds), { maxIds: GOODS_OUT_MAX_IDS }).map((c) => c.idSet);
    const noteSets = notes === undefined ? [''] : idSetChunks(notes, { maxIds: GOODS_OUT_MAX_IDS }).map((c) => c.idSet);
    const byId = new Map<number, BrightpearlGoodsOutNote>();
    for (const orderSet of orderSets) {
      for (const noteSet of noteSets) {
        const response = await this.get(`warehouse-service/order/${orderSet}/goods-note/goods-out/${noteSet}`, GoodsOutNotesResponseSchema);
        for (const [id, note] of Object.entries(response)) byId.set(Number(id), { ...note, id: Number(id) });
      }
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  /**
   * `warehouse-service/goods-note/goods-out-search`, every page. No `updatedOn` column: use
   * `shippedOn: '{from}/'` as the watermark for newly shipped notes.
   */
  async searchGoodsOutNotes(params: SearchParams = {}): Promise<GoodsOutSearchRow[]> {
    return this.searchRows('warehouse-service/goods-note/goods-out-search', params, GoodsOutSearchRowSchema);
  }

  /** → the new note ids (one per `warehouses[]` entry). Not re-sent after an ambiguous failure. */
  async createGoodsOutNotes(orderId: number, body: GoodsOutCreateInput): Promise<number[]> {
    return this.post(`warehouse-service/order/${orderId}/goods-note/goods-out`, body, CreatedIdsSchema);
  }

  /** Tracking (`shipping.reference`, ≤64), method, boxes, weight, priority, label; refused once shipped. */
  async updateGoodsOutNote(noteId: number, body: GoodsOutUpdateInput): Promise<void> {
    await this.put(`warehouse-service/goods-note/goods-out/${noteId}`, body);
  }

  /**
   * Posts events (SHW = shipped; PRI/PIC/PAC are filled in by Brightpearl). With `ifMatch` (the
   * note's `lastEventVersion`) a stale view is refused (412) and the call is retried like a read;
   * a 412 after a retry can mean our own first attempt went through: re-read the note.
   */
  async addGoodsOutEvents(noteId: number, events: GoodsOutEventInput[], opts: { ifMatch?: number } = {}): Promise<void> {
    const headers = opts.ifMatch === undefined ? undefined : { 'if-match': String(opts.ifMatch) };
    await this.post(`warehouse-service/goods-note/goods-out/${noteId}/event`, { events }, undefined, { idempotent: opts.ifMatch !== undefined, headers });
  }

  // -------------------------------------------------------------------------------------------
  // Webhooks

  /** Every hook on the account, other integrations' included (dedupe on subscribeTo + uriTemplate). */
  async listWebhooks(): Promise<BrightpearlWebhook[]> {
    return this.get('integration-service/webhook', WebhookSchema.array());
  }

  /** → the webhook id; an unknown event is a 400 INTC-064. Not re-sent after an ambiguous failure. */
  async createWebhook(webhook: WebhookInput): Promise<number> {
    return this.post('integration-service/webhook', webhook, CreatedIdSchema);
  }

  /** true when deleted, false when there was no such webhook (404), e.g. after a retried DELETE. */
  async deleteWebhook(id: number): Promise<boolean> {
    try {
      await this.delete(`integration-service/webhook/${id}`);
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return false;
      throw err;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Helpers for the typed calls

  /** GETs by ID set in chunks; a chunk answered 404 CMNC-404 ("none of these") contributes nothing. */
  private async getChunked<T>(ids: Iterable<number>, maxIds: number, path: (idSet: string) => string, schema: z.ZodType<T>): Promise<T[]> {
    const found: T[] = [];
    for (const chunk of idSetChunks(validIds(ids), { maxIds })) {
      try {
        found.push(...(await this.get(path(chunk.idSet), schema.array())));
      } catch (err) {
        if (err instanceof HttpError && err.status === 404 && err.code === 'CMNC-404') continue;
        throw err;
      }
    }
    return found;
  }

  /** Every search row, checked against `schema` (a row we cannot read fails the call: the columns changed). */
  private async searchRows<T>(path: string, params: SearchParams, schema: z.ZodType<T>): Promise<T[]> {
    const { rows } = await this.searchAll(path, params);
    return rows.map((row, i) => {
      const parsed = schema.safeParse(row);
      if (parsed.success) return parsed.data;
      const why = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`)
        .join('; ');
      throw new HttpError(
        `Brightpearl answered GET ${path} with a row we could not read (row ${i + 1}: ${why})`,
        'malformed',
        200,
        JSON.stringify(row).slice(0, 500),
        false,
      );
    });
  }

  stats(): ClientStats {
    const calls = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return { calls, total, retries: this.retries, throttled: this.throttles };
  }

  // -------------------------------------------------------------------------------------------
  // Transport

  private headers(hasBody: boolean, extra: Record<string, string> = {}): Record<string, string> {
    const auth = this.opts.auth;
    const headers: Record<string, string> = { ...extra, accept: 'application/json', 'brightpearl-app-ref': auth.appRef };
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

  /**
   * One logical call: budget, retries, status classification and JSON parsing (garbage is
   * retried). A non-idempotent call is only retried when the failure proves nothing was done.
   */
  private call(method: Method, path: string, body?: unknown, opts: WriteOptions = {}): Promise<{ res: HttpResponse; json: unknown }> {
    const relative = path.replace(/^\/+/, '');
    const url = `${this.baseUrl}/public-api/${encodeURIComponent(this.accountCode)}/${relative}`;
    const counterKey = `${method} ${pathPattern(relative)}`;
    const idempotent = opts.idempotent ?? method !== 'POST';
    const request: SendOptions = {
      method,
      url,
      headers: this.headers(body !== undefined, opts.headers),
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.timeoutMs,
      dispatcher: this.opts.dispatcher,
    };
    const attempt = async () => {
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
    };
    return withRetry(
      idempotent
        ? attempt
        : async () => {
            try {
              return await attempt();
            } catch (err) {
              if (err instanceof HttpError && err.retryable && !notProcessed(err)) {
                throw new BrightpearlOutcomeUnknownError(err, method, describePath(relative));
              }
              throw err;
            }
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

/** Failures that prove a request was not carried out: throttled, or no connection was ever made. */
function notProcessed(err: HttpError): boolean {
  if (err.status === 503 || err.status === 429) return true;
  return err.kind === 'network' && /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\b/.test(err.message);
}

function reject(result: AvailabilityResult, id: number, message: string): void {
  result.rejected.push({ id, message });
}

function normalizeEmail(email: string | null | undefined): string {
  return (email ?? '').trim().toLowerCase();
}

/** Whether an order/credit body carries Brightpearl's idempotency key. */
function hasOrderKey(body: { externalRef?: string; installedIntegrationInstanceId?: number }): boolean {
  return typeof body.externalRef === 'string' && body.externalRef !== '' && typeof body.installedIntegrationInstanceId === 'number';
}

function sameAmount(found: number | null | undefined, sent: number | string | undefined): boolean {
  if (sent === undefined) return found === undefined || found === null;
  return found !== undefined && found !== null && Math.abs(Number(found) - Number(sent)) < 0.00005;
}

/** Positive integer ids only: anything else cannot be written into an ID set. */
function validIds(ids: Iterable<number>): number[] {
  return [...ids].filter(isValidId);
}
