/**
 * State of the simulated WooCommerce store, seeded from the shared catalogue, plus the product
 * model rules WooCommerce applies on every save (WC_Product::validate_props, variable-parent sync).
 * Products and variations share one posts-style id sequence, as in WordPress.
 * Orders and refunds take ids from the same sequence (nextPostId), as they do in WordPress (and in
 * HPOS, which keeps the posts placeholder); order items, comments (notes) and webhooks have their own.
 */
import type { Catalog, CatalogProduct } from '../catalog';
import type { ActivityEvent } from './activity';
import type { CustomerRecord, OrderRecord, RefundRecord } from './order-model';
import type { WebhookRecord } from './webhooks';
import { NonceStore } from '../../woocommerce/oauth';
import { randomInt, seededRandom, type Random } from '../shared/random';

export type StockStatus = 'instock' | 'outofstock' | 'onbackorder';
export type Backorders = 'no' | 'notify' | 'yes';
export type ProductType = 'simple' | 'variable' | 'grouped' | 'external';
export type PostStatus = 'draft' | 'pending' | 'private' | 'publish' | 'future' | 'trash';

export const STOCK_STATUSES: readonly StockStatus[] = ['instock', 'outofstock', 'onbackorder'];
export const BACKORDERS: readonly Backorders[] = ['no', 'notify', 'yes'];
export const PRODUCT_TYPES: readonly ProductType[] = ['simple', 'grouped', 'external', 'variable'];
export const WRITABLE_STATUSES: readonly PostStatus[] = ['draft', 'pending', 'private', 'publish', 'future'];

export interface MetaEntry {
  id: number;
  key: string;
  value: unknown;
}

export interface ProductAttributeRecord {
  id: number;
  name: string;
  position: number;
  visible: boolean;
  variation: boolean;
  options: string[];
}

export interface VariationAttributeRecord {
  id: number;
  name: string;
  option: string;
}

interface PostCommon {
  id: number;
  sku: string;
  status: PostStatus;
  regularPrice: string;
  salePrice: string;
  description: string;
  /** The stored prop; what the API shows also depends on the store option and the parent. */
  manageStock: boolean;
  stockQuantity: number | null;
  stockStatus: StockStatus;
  backorders: Backorders;
  lowStockAmount: number | null;
  virtual: boolean;
  weight: string;
  menuOrder: number;
  totalSales: number;
  meta: MetaEntry[];
  /** Unix seconds (WordPress keeps 1-second precision). */
  created: number;
  modified: number;
}

export interface ProductRecord extends PostCommon {
  kind: 'product';
  type: ProductType;
  name: string;
  slug: string;
  shortDescription: string;
  parentId: number;
  attributes: ProductAttributeRecord[];
  /** Children of a variable product, in creation order. */
  variationIds: number[];
}

export interface VariationRecord extends PostCommon {
  kind: 'variation';
  parentId: number;
  name: string;
  attributes: VariationAttributeRecord[];
}

export type PostRecord = ProductRecord | VariationRecord;

export type KeyPermissions = 'read' | 'write' | 'read_write';

export interface ApiKeyRecord {
  keyId: number;
  consumerKey: string;
  consumerSecret: string;
  permissions: KeyPermissions;
  /** The WordPress user the key acts as (notes with added_by_user, refunded_by, webhook owner). */
  userId?: number;
  userDisplayName?: string;
}

/** Something a webhook topic listens to (`order.updated` ...), raised where WooCommerce fires its hooks. */
export interface StoreEvent {
  resource: 'order' | 'product' | 'customer' | 'coupon';
  event: 'created' | 'updated' | 'deleted' | 'restored';
  id: number;
}

export interface ExtensionsOptions {
  /** WooCommerce Shipment Tracking (routes under wc/v3 and wc-shipment-tracking/v3). */
  shipmentTracking: boolean;
}

export interface StoreOptions {
  /** WooCommerce → Settings → Products → Inventory → "Manage stock". */
  woocommerce_manage_stock: 'yes' | 'no';
  /** "Out of stock threshold". */
  woocommerce_notify_no_stock_amount: number;
  /** Site timezone as a fixed offset, so `date_x` and `date_x_gmt` visibly differ. */
  gmtOffsetHours: number;
}

export const DEFAULT_CONSUMER_KEY = 'ck_5f3c1d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2';
export const DEFAULT_CONSUMER_SECRET = 'cs_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b';

export interface BuildStateOptions {
  catalog: Catalog;
  seed?: number;
  consumerKey?: string;
  consumerSecret?: string;
  /** Milliseconds clock; tests may pin it. */
  now?: () => number;
  /** First post id. */
  firstId?: number;
}

/**
 * Posts by id, with a case-insensitive SKU index kept up to date on set/delete, so SKU lookups
 * stay cheap in benchmark-sized catalogues (100,000 products). The write paths replace records
 * (a changed clone is set back), never edit a stored SKU in place; lookups re-check the record.
 */
export class PostMap extends Map<number, PostRecord> {
  private readonly bySku = new Map<string, Set<number>>();
  private readonly indexedSku = new Map<number, string>();

  override set(id: number, p: PostRecord): this {
    // Map's constructor calls set() before the fields exist when given entries; PostMap never is.
    this.unindex(id);
    super.set(id, p);
    const key = p.sku.toLowerCase();
    if (key !== '') {
      let ids = this.bySku.get(key);
      if (!ids) this.bySku.set(key, (ids = new Set()));
      ids.add(id);
      this.indexedSku.set(id, key);
    }
    return this;
  }

  override delete(id: number): boolean {
    this.unindex(id);
    return super.delete(id);
  }

  override clear(): void {
    this.bySku.clear();
    this.indexedSku.clear();
    super.clear();
  }

  /** Records whose SKU equals `sku` case-insensitively (trashed ones included), in id order. */
  withSku(sku: string): PostRecord[] {
    const key = sku.toLowerCase();
    const out: PostRecord[] = [];
    for (const id of this.bySku.get(key) ?? []) {
      const p = super.get(id);
      if (p && p.sku.toLowerCase() === key) out.push(p);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  private unindex(id: number): void {
    const key = this.indexedSku.get(id);
    if (key === undefined) return;
    this.indexedSku.delete(id);
    const ids = this.bySku.get(key);
    ids?.delete(id);
    if (ids && ids.size === 0) this.bySku.delete(key);
  }
}

export class WooCommerceState {
  readonly posts = new PostMap();
  readonly options: StoreOptions = { woocommerce_manage_stock: 'yes', woocommerce_notify_no_stock_amount: 0, gmtOffsetHours: 1 };
  readonly apiKeys: ApiKeyRecord[] = [];
  readonly nonces = new NonceStore();
  /** Demo activity so far (newest last, bounded). */
  readonly activityLog: ActivityEvent[] = [];
  /** Store URL as last seen (set by listen()); rendering uses the request's Host instead when it has one. */
  homeUrl = 'http://127.0.0.1';
  readonly orders = new Map<number, OrderRecord>();
  readonly refunds = new Map<number, RefundRecord>();
  readonly customers = new Map<number, CustomerRecord>();
  readonly webhooks = new Map<number, WebhookRecord>();
  readonly extensions: ExtensionsOptions = { shipmentTracking: true };
  /** WooCommerce / WordPress versions the store reports (order `version`, webhook User-Agent, /refunds from 9.0). */
  wcVersion = '9.4.2';
  wpVersion = '6.6.2';
  /** A sequential-order-number plugin is active: new orders get `_order_number` meta (their `number`). */
  sequentialOrderNumbers = true;
  private nextOrderNumberValue = 10001;
  private lastPostId: number;
  private lastMetaId = 1000;
  private lastOrderItemId = 0;
  private lastCommentId = 0;
  private lastWebhookId = 0;
  private readonly listeners: ((e: StoreEvent) => void)[] = [];

  constructor(
    readonly clock: () => number = Date.now,
    firstId = 100,
  ) {
    this.lastPostId = firstId - 1;
  }

  nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  nextPostId(): number {
    return ++this.lastPostId;
  }

  /** WordPress ids have gaps (revisions, attachments, deleted drafts). */
  skipPostIds(count: number): void {
    this.lastPostId += count;
  }

  nextMetaId(): number {
    return ++this.lastMetaId;
  }

  /** woocommerce_order_items.order_item_id */
  nextOrderItemId(): number {
    return ++this.lastOrderItemId;
  }

  /** wp_comments.comment_ID (order notes). */
  nextCommentId(): number {
    return ++this.lastCommentId;
  }

  nextWebhookId(): number {
    return ++this.lastWebhookId;
  }

  nextOrderNumber(): string {
    return String(this.nextOrderNumberValue++);
  }

  /** Subscribes to store events (webhook topics); returns the unsubscribe function. */
  onEvent(listener: (e: StoreEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at !== -1) this.listeners.splice(at, 1);
    };
  }

  emit(e: StoreEvent): void {
    for (const listener of [...this.listeners]) listener(e);
  }

  /** WooCommerce's version is at least `major.minor`. */
  versionAtLeast(major: number, minor = 0): boolean {
    const [ma = 0, mi = 0] = this.wcVersion.split('.').map((n) => Number(n) || 0);
    return ma > major || (ma === major && mi >= minor);
  }

  post(id: number): PostRecord | undefined {
    return this.posts.get(id);
  }

  product(id: number): ProductRecord | undefined {
    const p = this.posts.get(id);
    return p?.kind === 'product' ? p : undefined;
  }

  variation(id: number): VariationRecord | undefined {
    const p = this.posts.get(id);
    return p?.kind === 'variation' ? p : undefined;
  }

  children(parent: ProductRecord): VariationRecord[] {
    return parent.variationIds.map((id) => this.variation(id)).filter((v): v is VariationRecord => v !== undefined);
  }

  /** The non-trashed product or variation holding `sku` (exact match), if any. */
  findBySku(sku: string): PostRecord | undefined {
    if (sku === '') return undefined;
    const found = this.posts.withSku(sku).filter((p) => p.sku === sku && p.status !== 'trash');
    if (found.length <= 1) return found[0];
    // Several (only by editing state directly): the first in storage order, as a scan finds it.
    for (const p of this.posts.values()) if (p.sku === sku && p.status !== 'trash') return p;
    return undefined;
  }

  /** wc_product_has_unique_sku: another live product or variation already has this SKU. */
  skuOwner(sku: string, exceptId: number): PostRecord | undefined {
    if (sku === '') return undefined;
    // MySQL's default collation compares SKUs case-insensitively.
    const found = this.posts.withSku(sku).filter((p) => p.id !== exceptId && p.status !== 'trash');
    if (found.length <= 1) return found[0];
    const wanted = sku.toLowerCase();
    for (const p of this.posts.values()) {
      if (p.id !== exceptId && p.status !== 'trash' && p.sku.toLowerCase() === wanted) return p;
    }
    return undefined;
  }

  /** wc_product_generate_unique_sku: SKU-1, SKU-2, ... */
  uniqueSkuFor(sku: string): string {
    for (let n = 1; ; n++) {
      const candidate = `${sku}-${n}`;
      if (!this.skuOwner(candidate, 0)) return candidate;
    }
  }

  uniqueSlug(name: string, exceptId: number): string {
    const base = slugify(name) || 'product';
    const taken = new Set([...this.posts.values()].filter((p): p is ProductRecord => p.kind === 'product' && p.id !== exceptId).map((p) => p.slug));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  /** The stock props the API shows: `manage_stock` false everywhere when the store option is off. */
  managingStock(p: PostRecord): boolean | 'parent' {
    if (this.options.woocommerce_manage_stock !== 'yes') return false;
    if (p.kind === 'variation' && !p.manageStock) {
      const parent = this.product(p.parentId);
      if (parent?.manageStock) return 'parent';
    }
    return p.manageStock;
  }

  /** stock_quantity as shown: a variation whose parent manages stock shows the parent's. */
  shownStockQuantity(p: PostRecord): number | null {
    if (p.kind === 'variation' && !p.manageStock) {
      const parent = this.product(p.parentId);
      if (parent?.manageStock) return parent.stockQuantity;
    }
    return p.stockQuantity;
  }

  /** Active price: sale price when set and lower, else regular; a variable product shows its cheapest child. */
  activePrice(p: PostRecord): string {
    if (p.kind === 'product' && p.type === 'variable') {
      const prices = this.children(p)
        .filter((v) => v.status === 'publish')
        .map((v) => this.activePrice(v))
        .filter((s) => s !== '')
        .map(Number);
      return prices.length ? formatPrice(Math.min(...prices)) : '';
    }
    if (p.salePrice !== '' && p.regularPrice !== '' && Number(p.salePrice) < Number(p.regularPrice)) return p.salePrice;
    if (p.salePrice !== '' && p.regularPrice === '') return p.salePrice;
    return p.regularPrice;
  }

  /**
   * WC_Product::validate_props, run on every save: unmanaged stock clears the quantity, forces
   * backorders off and clears the low-stock amount; managed stock recomputes stock_status.
   */
  validateProps(p: PostRecord): void {
    if (!p.manageStock) {
      p.stockQuantity = null;
      p.backorders = 'no';
      p.lowStockAmount = null;
      return;
    }
    p.stockStatus = this.statusForQuantity(p.stockQuantity ?? 0, p.backorders);
  }

  statusForQuantity(quantity: number, backorders: Backorders): StockStatus {
    if (quantity > this.options.woocommerce_notify_no_stock_amount) return 'instock';
    return backorders !== 'no' ? 'onbackorder' : 'outofstock';
  }

  /**
   * WC_Product_Variable::sync: variations inheriting the parent's stock take its status, then the
   * parent's stock_status comes from its children (any in stock → instock, else any on backorder).
   */
  syncVariableParent(parent: ProductRecord): void {
    if (parent.type !== 'variable') return;
    const children = this.children(parent).filter((v) => v.status === 'publish' || v.status === 'private');
    if (parent.manageStock) {
      const inherited = this.statusForQuantity(parent.stockQuantity ?? 0, parent.backorders);
      for (const v of children) if (!v.manageStock) v.stockStatus = inherited;
    }
    const live = children.filter((v) => v.status === 'publish');
    if (live.some((v) => v.stockStatus === 'instock')) parent.stockStatus = 'instock';
    else if (live.some((v) => v.stockStatus === 'onbackorder')) parent.stockStatus = 'onbackorder';
    else parent.stockStatus = 'outofstock';
  }

  /** Records a save: WordPress bumps post_modified on every save, changed or not (product.updated fires). */
  touch(p: PostRecord, at = this.nowSeconds()): void {
    p.modified = at;
    this.emit({ resource: 'product', event: 'updated', id: p.id });
  }

  /** Site-time and GMT renderings, `YYYY-MM-DDTHH:MM:SS`. */
  siteDate(seconds: number): string {
    return isoSeconds(seconds + this.options.gmtOffsetHours * 3600);
  }
  gmtDate(seconds: number): string {
    return isoSeconds(seconds);
  }
}

export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

export function formatPrice(value: number): string {
  return value.toFixed(2);
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Starting stock: about a third unmanaged (the sync must switch it on), the rest managed with a quantity. */
function seedStock(state: WooCommerceState, random: Random, p: PostRecord): void {
  if (random() < 1 / 3) {
    p.manageStock = false;
    p.stockQuantity = null;
    p.stockStatus = random() < 0.1 ? 'outofstock' : 'instock';
  } else {
    p.manageStock = true;
    p.stockQuantity = random() < 0.1 ? 0 : randomInt(random, 1, 40);
  }
  state.validateProps(p);
}

function blankCommon(id: number, created: number): Omit<PostCommon, 'sku' | 'regularPrice' | 'description'> {
  return {
    id,
    status: 'publish',
    salePrice: '',
    manageStock: false,
    stockQuantity: null,
    stockStatus: 'instock',
    backorders: 'no',
    lowStockAmount: null,
    virtual: false,
    weight: '',
    menuOrder: 0,
    totalSales: 0,
    meta: [],
    created,
    modified: created,
  };
}

export function newProductRecord(state: WooCommerceState, id: number, fields: Partial<ProductRecord> = {}): ProductRecord {
  const now = state.nowSeconds();
  return {
    ...blankCommon(id, now),
    kind: 'product',
    type: 'simple',
    name: '',
    slug: '',
    sku: '',
    regularPrice: '',
    description: '',
    shortDescription: '',
    parentId: 0,
    attributes: [],
    variationIds: [],
    ...fields,
  };
}

export function newVariationRecord(state: WooCommerceState, id: number, parentId: number, fields: Partial<VariationRecord> = {}): VariationRecord {
  const now = state.nowSeconds();
  return {
    ...blankCommon(id, now),
    kind: 'variation',
    parentId,
    name: '',
    sku: '',
    regularPrice: '',
    description: '',
    attributes: [],
    ...fields,
  };
}

/**
 * The store as a merchant would have it before the sync: every catalogue product as a simple
 * product, each group as a variable product with one variation per member, minus the SKUs the
 * catalogue says are missing here, plus the WooCommerce-only ones.
 */
export function buildWooCommerceState(opts: BuildStateOptions): WooCommerceState {
  const { catalog } = opts;
  const state = new WooCommerceState(opts.now ?? Date.now, opts.firstId ?? 100);
  state.apiKeys.push({
    keyId: 1,
    consumerKey: opts.consumerKey ?? DEFAULT_CONSUMER_KEY,
    consumerSecret: opts.consumerSecret ?? DEFAULT_CONSUMER_SECRET,
    permissions: 'read_write',
    userId: 1,
    userDisplayName: 'Shop Manager',
  });
  const random = seededRandom(opts.seed ?? 7);
  const now = state.nowSeconds();
  // Created over the last ~120 days, in id order; modified some time after, never in the future.
  let created = now - 120 * 86_400;
  const nextDates = (): { created: number; modified: number } => {
    created += randomInt(random, 60, 7_200);
    const modified = Math.min(now - 3_600, created + randomInt(random, 0, 30 * 86_400));
    return { created, modified: Math.max(created, modified) };
  };
  const nextId = (): number => {
    if (random() < 0.1) state.skipPostIds(randomInt(random, 1, 3));
    return state.nextPostId();
  };
  // Slugs handed out while seeding (state.uniqueSlug scans every post, too slow for benchmark catalogues).
  const usedSlugs = new Set<string>();
  const seedSlug = (name: string): string => {
    const base = slugify(name) || 'product';
    let slug = base;
    for (let n = 2; usedSlugs.has(slug); n++) slug = `${base}-${n}`;
    usedSlugs.add(slug);
    return slug;
  };
  const missing = new Set(catalog.quirks.missingInWooCommerce);
  const notTracked = new Set(catalog.quirks.notStockTracked);

  const addSimple = (sku: string, name: string, price: string, description: string, virtual: boolean): void => {
    const id = nextId();
    const p = newProductRecord(state, id, { sku, name, regularPrice: price, description, virtual, ...nextDates() });
    p.slug = seedSlug(name);
    state.posts.set(id, p);
    if (virtual) state.validateProps(p);
    else seedStock(state, random, p);
  };

  for (const cp of catalog.products) {
    if (cp.groupId !== 0 || missing.has(cp.sku)) continue;
    addSimple(cp.sku, cp.name, cp.price, cp.description, notTracked.has(cp.bpId));
  }

  const byBpId = new Map<number, CatalogProduct>(catalog.products.map((p) => [p.bpId, p]));
  for (const group of catalog.groups) {
    const members = group.memberIds.map((id) => byBpId.get(id)).filter((m): m is CatalogProduct => m !== undefined && !missing.has(m.sku));
    if (members.length === 0) continue;
    const parentId = nextId();
    const parent = newProductRecord(state, parentId, {
      type: 'variable',
      sku: group.sku,
      name: group.name,
      description: members[0]?.description ?? '',
      attributes: [
        { id: 0, name: group.optionName, position: 0, visible: true, variation: true, options: members.map((m) => m.option?.optionValue ?? m.sku) },
      ],
      ...nextDates(),
    });
    parent.slug = seedSlug(group.name);
    state.posts.set(parentId, parent);
    members.forEach((m, index) => {
      const id = state.nextPostId();
      const v = newVariationRecord(state, id, parentId, {
        sku: m.sku,
        name: m.name,
        regularPrice: m.price,
        menuOrder: index,
        attributes: [{ id: 0, name: group.optionName, option: m.option?.optionValue ?? m.sku }],
        created: parent.created,
        modified: parent.modified,
      });
      state.posts.set(id, v);
      parent.variationIds.push(id);
      seedStock(state, random, v);
    });
    state.syncVariableParent(parent);
  }

  for (const extra of catalog.quirks.missingInBrightpearl) {
    addSimple(extra.sku, extra.name, '24.99', `<p>${extra.name}</p>`, false);
  }
  return state;
}
