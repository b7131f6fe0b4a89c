/**
 * The simulated Brightpearl account's data, built from the shared catalogue. Every mutation goes
 * through a function (products and stock here; contacts, orders, credits and payments in
 * `sales.ts`; goods-out notes in `goods-out.ts`; webhook subscriptions in `webhooks.ts`) and is
 * announced to `onChange` listeners, which is where webhooks are delivered from.
 * The `*View` functions render records the way the API returns them.
 */
import type { Catalog, CatalogProduct } from '../catalog';
import { expandIdSet, idSetContains, idSetSize, type ParsedIdSet } from '../../brightpearl/idset';
import { pick, randomInt, type Random } from '../shared/random';
import type { SimGoodsOutNote } from './goods-out';
import { defaultReferenceData, type ReferenceData } from './reference';
import type { SimContact, SimOrder, SimPayment, SimPostalAddress } from './sales';
import type { SimWebhook, WebhookDelivery } from './webhooks';

export interface SimVariation {
  optionId: number;
  optionName: string;
  optionValueId: number;
  optionValue: string;
}

export interface SimProduct {
  id: number;
  sku: string;
  name: string;
  description: string;
  /** 0 = not in a group; variants share their group's id. */
  productGroupId: number;
  variation?: SimVariation;
  stockTracked: boolean;
  status: string;
  brandId: number;
  productTypeId: number;
  categoryCode: number;
  /** Epoch ms. */
  createdOn: number;
  updatedOn: number;
  /** Epoch ms, strictly increasing per change (Brightpearl's `version`). */
  version: number;
}

export interface SimWarehouse {
  id: number;
  name: string;
  typeCode: string;
}

export interface SimPriceList {
  id: number;
  name: string;
  code: string;
  currencyCode: string;
  currencySymbol: string;
  currencyId: number;
  priceListTypeCode: 'SELL' | 'BUY';
  gross: boolean;
}

export interface StockLevel {
  inStock: number;
  allocated: number;
}

/**
 * Events the simulator raises (`{resource}.{lifecycle}[.{specifier}]`). `order.created` is raised
 * for new sales credits but, as observed on a real account, cannot be subscribed to.
 */
export type SimEvent =
  | 'product.created'
  | 'product.modified'
  | 'product.modified.on-hand-modified'
  | 'sales-order.created'
  | 'order.created'
  | 'order.modified'
  | 'order.modified.order-status'
  | 'order.modified.fully-shipped'
  | 'goods-out-note.created'
  | 'goods-out-note.modified'
  | 'goods-out-note.modified.printed'
  | 'goods-out-note.modified.un-printed'
  | 'goods-out-note.modified.picked'
  | 'goods-out-note.modified.un-picked'
  | 'goods-out-note.modified.packed'
  | 'goods-out-note.modified.un-packed'
  | 'goods-out-note.modified.shipped';

/** One announced change, shaped like a Brightpearl webhook event. */
export interface DataChange {
  /** `product`, `sales-order`, `order`, `goods-out-note`. */
  resourceType: string;
  lifecycleEvent: 'created' | 'modified' | 'destroyed';
  /** e.g. `product.modified.on-hand-modified`. */
  fullEvent: SimEvent;
  ids: number[];
  /** Epoch ms. */
  raisedOn: number;
}

/** Id sequences of the account (each record type has its own, as in Brightpearl). */
export interface IdSequences {
  product: number;
  contact: number;
  address: number;
  /** Sales orders and credits share one id space. */
  order: number;
  orderRow: number;
  orderNote: number;
  payment: number;
  journal: number;
  goodsOutNote: number;
  /** Goods-out `lastEventVersion`: one counter for the account. */
  eventVersion: number;
  webhook: number;
}

export interface BrightpearlSimState {
  accountCode: string;
  catalog: Catalog;
  products: Map<number, SimProduct>;
  warehouses: SimWarehouse[];
  /** productId → warehouseId → level. */
  stock: Map<number, Map<number, StockLevel>>;
  priceLists: SimPriceList[];
  /** productId → priceListId → quantity break → unit price (strings, as the API sends them). */
  prices: Map<number, Map<number, Record<string, string>>>;
  /** Stock-tracked products product-availability leaves out anyway (catalogue quirk `noAvailability`). */
  availabilityOmitted: Set<number>;
  /** Ids that make product-availability answer 400 for the whole request (observed behaviour; cause unknown). */
  availabilityRejected: Set<number>;
  reference: ReferenceData;
  contacts: Map<number, SimContact>;
  postalAddresses: Map<number, SimPostalAddress>;
  /** Sales orders and sales credits by id. */
  orders: Map<number, SimOrder>;
  /** `{SO|SC}|{installedIntegrationInstanceId}|{externalRef}` → order id (the idempotency key). */
  orderKeys: Map<string, number>;
  payments: Map<number, SimPayment>;
  /** `{paymentMethodCode}|{transactionRef}` → payment id. */
  paymentKeys: Map<string, number>;
  goodsOutNotes: Map<number, SimGoodsOutNote>;
  webhooks: Map<number, SimWebhook>;
  /** Recent webhook calls, newest last (bounded). */
  webhookDeliveries: WebhookDelivery[];
  sequences: IdSequences;
  now: () => number;
  listeners: Set<(change: DataChange) => void>;
}

export const RETAIL_PRICE_LIST_ID = 1;
export const TRADE_PRICE_LIST_ID = 2;

const DEFAULT_PRICE_LISTS: SimPriceList[] = [
  { id: RETAIL_PRICE_LIST_ID, name: 'Retail', code: 'RETAIL', currencyCode: 'GBP', currencySymbol: '£', currencyId: 1, priceListTypeCode: 'SELL', gross: true },
  { id: TRADE_PRICE_LIST_ID, name: 'Trade', code: 'TRADE', currencyCode: 'GBP', currencySymbol: '£', currencyId: 1, priceListTypeCode: 'SELL', gross: false },
];

/** Catalogue timestamps start here so they are stable across runs. */
const EPOCH = Date.parse('2025-01-06T09:00:00.000Z');
const DAY = 86_400_000;

function money(value: number): string {
  return value.toFixed(2);
}

function productFromCatalog(p: CatalogProduct, index: number): SimProduct {
  const createdOn = EPOCH + index * 60_000;
  const updatedOn = createdOn + (p.bpId % 9) * DAY;
  return {
    id: p.bpId,
    sku: p.sku,
    name: p.name,
    description: p.description,
    productGroupId: p.groupId,
    variation: p.option ? { ...p.option } : undefined,
    stockTracked: p.stockTracked,
    status: 'LIVE',
    brandId: 10 + (p.bpId % 3),
    productTypeId: p.stockTracked ? 1 : 2,
    // Arbitrary but stable categories, so search `reference` tables have content.
    categoryCode: 300 + (p.bpId % 4),
    createdOn,
    updatedOn,
    version: updatedOn,
  };
}

export function createState(opts: { catalog: Catalog; accountCode: string; now?: () => number }): BrightpearlSimState {
  const { catalog } = opts;
  const products = new Map<number, SimProduct>();
  const stock = new Map<number, Map<number, StockLevel>>();
  const prices = new Map<number, Map<number, Record<string, string>>>();
  catalog.products.forEach((p, i) => {
    products.set(p.bpId, productFromCatalog(p, i));
    const levels = new Map<number, StockLevel>();
    if (p.stockTracked) {
      for (const [warehouseId, level] of Object.entries(p.stock)) levels.set(Number(warehouseId), { ...level });
    }
    stock.set(p.bpId, levels);
    const retail = Number(p.price);
    prices.set(
      p.bpId,
      new Map<number, Record<string, string>>([
        [RETAIL_PRICE_LIST_ID, { '1': p.price }],
        [TRADE_PRICE_LIST_ID, { '1': money(retail * 0.8), '10': money(retail * 0.75) }],
      ]),
    );
  });
  return {
    accountCode: opts.accountCode,
    catalog,
    products,
    warehouses: catalog.warehouses.map((w) => ({ ...w })),
    stock,
    priceLists: DEFAULT_PRICE_LISTS.map((l) => ({ ...l })),
    prices,
    availabilityOmitted: new Set(catalog.quirks.noAvailability),
    availabilityRejected: new Set(),
    reference: defaultReferenceData(),
    contacts: new Map(),
    postalAddresses: new Map(),
    orders: new Map(),
    orderKeys: new Map(),
    payments: new Map(),
    paymentKeys: new Map(),
    goodsOutNotes: new Map(),
    webhooks: new Map(),
    webhookDeliveries: [],
    sequences: {
      product: catalog.products.reduce((max, p) => Math.max(max, p.bpId), 0) + 1,
      contact: 3301,
      address: 5501,
      order: 41001,
      orderRow: 99001,
      orderNote: 7001,
      payment: 935001,
      journal: 60001,
      goodsOutNote: 801,
      eventVersion: 3131001,
      webhook: 11,
    },
    now: opts.now ?? Date.now,
    listeners: new Set(),
  };
}

/** The next id of a record type. */
export function nextId(state: BrightpearlSimState, kind: keyof IdSequences): number {
  const id = state.sequences[kind];
  state.sequences[kind] = id + 1;
  return id;
}

// ---------------------------------------------------------------------------------------------
// Changes

/** Subscribes to every data change; returns the unsubscribe function. */
export function onChange(state: BrightpearlSimState, listener: (change: DataChange) => void): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

function emit(state: BrightpearlSimState, change: Omit<DataChange, 'raisedOn'>): void {
  const full: DataChange = { ...change, raisedOn: state.now() };
  for (const listener of state.listeners) listener(full);
}

/** Announces a change to every listener (for the other data modules). */
export function announce(state: BrightpearlSimState, fullEvent: SimEvent, ids: number[]): void {
  if (ids.length === 0) return;
  const [resourceType = '', lifecycle = 'modified'] = fullEvent.split('.');
  emit(state, { resourceType, lifecycleEvent: lifecycle as DataChange['lifecycleEvent'], fullEvent, ids: [...ids] });
}

function requireProduct(state: BrightpearlSimState, productId: number): SimProduct {
  const product = state.products.get(productId);
  if (!product) throw new Error(`No product ${productId} in the simulated Brightpearl`);
  return product;
}

/** Bumps `updatedOn` and `version` (version strictly increases even within one millisecond). */
function touch(state: BrightpearlSimState, product: SimProduct): void {
  const now = state.now();
  product.updatedOn = Math.max(now, product.updatedOn);
  product.version = Math.max(now, product.version + 1);
}

/** Sets a product's stock in one warehouse; announces `product.modified.on-hand-modified`. */
export function setStock(
  state: BrightpearlSimState,
  productId: number,
  warehouseId: number,
  change: { inStock?: number; allocated?: number },
): StockLevel {
  const product = requireProduct(state, productId);
  if (!product.stockTracked) throw new Error(`Product ${productId} is not stock-tracked`);
  if (!state.warehouses.some((w) => w.id === warehouseId)) throw new Error(`No warehouse ${warehouseId} in the simulated Brightpearl`);
  for (const [field, value] of Object.entries(change)) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new Error(`${field} must be a whole number ≥ 0`);
  }
  let levels = state.stock.get(productId);
  if (!levels) {
    levels = new Map();
    state.stock.set(productId, levels);
  }
  const current = levels.get(warehouseId) ?? { inStock: 0, allocated: 0 };
  const next: StockLevel = { inStock: change.inStock ?? current.inStock, allocated: change.allocated ?? current.allocated };
  levels.set(warehouseId, next);
  touch(state, product);
  emit(state, { resourceType: 'product', lifecycleEvent: 'modified', fullEvent: 'product.modified.on-hand-modified', ids: [productId] });
  return { ...next };
}

/** Adds a (stock-tracked, simple) product with no stock yet; announces `product.created`. */
export function createProduct(
  state: BrightpearlSimState,
  input: { sku: string; name: string; description?: string; stockTracked?: boolean; price?: string },
): SimProduct {
  const id = nextId(state, 'product');
  const now = state.now();
  const product: SimProduct = {
    id,
    sku: input.sku,
    name: input.name,
    description: input.description ?? '',
    productGroupId: 0,
    stockTracked: input.stockTracked ?? true,
    status: 'LIVE',
    brandId: 10,
    productTypeId: input.stockTracked === false ? 2 : 1,
    categoryCode: 300,
    createdOn: now,
    updatedOn: now,
    version: now,
  };
  state.products.set(id, product);
  state.stock.set(id, new Map());
  state.prices.set(id, new Map([[RETAIL_PRICE_LIST_ID, { '1': input.price ?? '0.00' }]]));
  emit(state, { resourceType: 'product', lifecycleEvent: 'created', fullEvent: 'product.created', ids: [id] });
  return product;
}

export type ProductPatch = Partial<Pick<SimProduct, 'sku' | 'name' | 'description' | 'status' | 'stockTracked'>>;

/** Changes product fields; announces `product.modified`. */
export function updateProduct(state: BrightpearlSimState, productId: number, patch: ProductPatch): SimProduct {
  const product = requireProduct(state, productId);
  Object.assign(product, patch);
  touch(state, product);
  emit(state, { resourceType: 'product', lifecycleEvent: 'modified', fullEvent: 'product.modified', ids: [productId] });
  return product;
}

/** Replaces a product's prices on one price list (strings, `{"1":"12.00"}`); announces `product.modified`. */
export function setPrice(state: BrightpearlSimState, productId: number, priceListId: number, quantityPrice: Record<string, string>): void {
  const product = requireProduct(state, productId);
  if (!state.priceLists.some((l) => l.id === priceListId)) throw new Error(`No price list ${priceListId}`);
  let lists = state.prices.get(productId);
  if (!lists) {
    lists = new Map();
    state.prices.set(productId, lists);
  }
  lists.set(priceListId, { ...quantityPrice });
  touch(state, product);
  emit(state, { resourceType: 'product', lifecycleEvent: 'modified', fullEvent: 'product.modified', ids: [productId] });
}

/**
 * Demo activity: a few random stock-tracked products sell, get allocated or restocked.
 * Returns the ids changed.
 */
export function randomStockActivity(state: BrightpearlSimState, random: Random): number[] {
  const candidates = [...state.products.values()].filter((p) => p.stockTracked && (state.stock.get(p.id)?.size ?? 0) > 0);
  if (candidates.length === 0) return [];
  const changed = new Set<number>();
  const count = randomInt(random, 1, Math.min(3, candidates.length));
  for (let i = 0; i < count; i++) {
    const product = pick(random, candidates);
    const levels = state.stock.get(product.id) as Map<number, StockLevel>;
    const warehouseId = pick(random, [...levels.keys()]);
    const level = levels.get(warehouseId) as StockLevel;
    const roll = random();
    if (roll < 0.6 && level.inStock > 0) {
      // A sale shipped: stock leaves the building.
      const qty = Math.min(level.inStock, randomInt(random, 1, 3));
      setStock(state, product.id, warehouseId, { inStock: level.inStock - qty, allocated: Math.max(0, Math.min(level.allocated, level.inStock - qty)) });
    } else if (roll < 0.8) {
      // A new order reserves stock.
      setStock(state, product.id, warehouseId, { allocated: Math.min(level.inStock, level.allocated + randomInt(random, 1, 2)) });
    } else {
      setStock(state, product.id, warehouseId, { inStock: level.inStock + randomInt(random, 10, 40) });
    }
    changed.add(product.id);
  }
  return [...changed];
}

// ---------------------------------------------------------------------------------------------
// Selection by ID set

/** Records of `byId` named by the set, ascending by id, without expanding huge ranges. */
export function selectByIdSet<T>(set: ParsedIdSet, byId: Map<number, T>): T[] {
  const ids =
    idSetSize(set) <= 10_000 ? expandIdSet(set).filter((id) => byId.has(id)) : [...byId.keys()].filter((id) => idSetContains(set, id)).sort((a, b) => a - b);
  return ids.map((id) => byId.get(id) as T);
}

// ---------------------------------------------------------------------------------------------
// Views (API JSON)

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

export function productView(product: SimProduct): Record<string, unknown> {
  const description = { languageCode: 'en', text: product.description, format: 'HTML_FRAGMENT' };
  return {
    id: product.id,
    brandId: product.brandId,
    productTypeId: product.productTypeId,
    productGroupId: product.productGroupId,
    featured: false,
    status: product.status,
    version: product.version,
    createdOn: isoDate(product.createdOn),
    updatedOn: isoDate(product.updatedOn),
    identity: { sku: product.sku },
    stock: { stockTracked: product.stockTracked, weight: { magnitude: 0.5 } },
    financialDetails: { taxable: true, taxCode: { id: 7, code: 'T20' } },
    salesChannels: [
      {
        salesChannelName: 'Brightpearl',
        productName: product.name,
        productCondition: 'new',
        categories: [{ categoryCode: String(product.categoryCode) }],
        description,
        shortDescription: description,
      },
    ],
    composition: { bundle: false },
    variations: product.variation ? [{ ...product.variation }] : [],
  };
}

function quantities(level: StockLevel): { inStock: number; onHand: number; allocated: number; inTransit: number } {
  return { inStock: level.inStock, onHand: level.inStock - level.allocated, allocated: level.allocated, inTransit: 0 };
}

/** Availability of one product, or undefined where the real API leaves the product out. */
export function availabilityView(state: BrightpearlSimState, product: SimProduct): Record<string, unknown> | undefined {
  if (!product.stockTracked || state.availabilityOmitted.has(product.id)) return undefined;
  const levels = state.stock.get(product.id) ?? new Map<number, StockLevel>();
  const total: StockLevel = { inStock: 0, allocated: 0 };
  const warehouses: Record<string, unknown> = {};
  for (const [warehouseId, level] of [...levels.entries()].sort(([a], [b]) => a - b)) {
    warehouses[String(warehouseId)] = quantities(level);
    total.inStock += level.inStock;
    total.allocated += level.allocated;
  }
  return { total: quantities(total), warehouses };
}

export function warehouseView(w: SimWarehouse): Record<string, unknown> {
  const typeDescription = { warehouse: 'Warehouse', store: 'Retail store', '3pl': 'Third-party logistics' }[w.typeCode] ?? w.typeCode;
  return { id: w.id, name: w.name, typeCode: w.typeCode, typeDescription, address: { addressId: 100 + w.id }, clickAndCollectEnabled: w.typeCode === 'store' };
}

export function priceListView(l: SimPriceList): Record<string, unknown> {
  return {
    id: l.id,
    name: { languageCode: 'en', text: l.name, format: 'PLAINTEXT' },
    code: l.code,
    currencyCode: l.currencyCode,
    currencySymbol: l.currencySymbol,
    currencyId: l.currencyId,
    priceListTypeCode: l.priceListTypeCode,
    gross: l.gross,
  };
}

export function productPriceView(state: BrightpearlSimState, product: SimProduct, priceListIds?: ParsedIdSet): Record<string, unknown> {
  const lists = state.prices.get(product.id) ?? new Map<number, Record<string, string>>();
  const priceLists = state.priceLists
    .filter((l) => !priceListIds || idSetContains(priceListIds, l.id))
    .map((l) => ({
      priceListId: l.id,
      currencyCode: l.currencyCode,
      currencyId: l.currencyId,
      sku: product.sku,
      quantityPrice: { ...(lists.get(l.id) ?? {}) },
    }));
  return { productId: product.id, priceLists };
}
