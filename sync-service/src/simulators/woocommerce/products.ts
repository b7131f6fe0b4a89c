/**
 * /wc/v3/products and /wc/v3/products/{id}/variations for the simulator: rendering in WooCommerce's
 * field set, the write rules of the products and variations controllers (stock handling of §4.3,
 * SKU uniqueness across products and variations, variation ids refused on /products/{id}), and
 * batches that answer 200 with per-item error objects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth, homeUrl } from './auth';
import {
  isRecord,
  matchesCollectionFilters,
  paginate,
  pickFields,
  readCollectionQuery,
  readerFor,
  sortRows,
  type CollectionQuery,
} from './collection';
import {
  BACKORDERS,
  PRODUCT_TYPES,
  STOCK_STATUSES,
  WRITABLE_STATUSES,
  newProductRecord,
  newVariationRecord,
  slugify,
  type Backorders,
  type PostRecord,
  type PostStatus,
  type ProductAttributeRecord,
  type ProductRecord,
  type ProductType,
  type StockStatus,
  type VariationAttributeRecord,
  type VariationRecord,
  type WooCommerceState,
} from './data';
import { noRoute, ParamErrors, WooRestError, listWithAnd } from './errors';

export interface ProductRoutesContext {
  state: WooCommerceState;
  assumeHttps: boolean;
  /** woocommerce_rest_batch_items_limit */
  batchLimit: number;
}

const API = '/wp-json/wc/v3';
const PRODUCT_ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified', 'menu_order', 'price', 'popularity', 'rating'] as const;
const LIST_STATUSES = ['any', 'future', 'trash', 'draft', 'pending', 'private', 'publish'] as const;

// ---------------------------------------------------------------------------------------------
// Rendering

function apiUrl(home: string, path: string): string {
  return `${home}${API}/${path}`;
}

function priceHtml(price: string): string {
  if (price === '') return '';
  return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&pound;</span>${price}</bdi></span>`;
}

function commonStock(state: WooCommerceState, p: PostRecord) {
  const managing = state.managingStock(p);
  const quantity = state.shownStockQuantity(p);
  const backordersAllowed = p.backorders !== 'no';
  return {
    manage_stock: managing,
    stock_quantity: quantity,
    backorders: p.backorders,
    backorders_allowed: backordersAllowed,
    backordered: managing !== false && (quantity ?? 0) <= 0 && backordersAllowed,
    low_stock_amount: p.lowStockAmount,
  };
}

function dates(state: WooCommerceState, p: PostRecord) {
  return {
    date_created: state.siteDate(p.created),
    date_created_gmt: state.gmtDate(p.created),
    date_modified: state.siteDate(p.modified),
    date_modified_gmt: state.gmtDate(p.modified),
  };
}

const noSaleDates = { date_on_sale_from: null, date_on_sale_from_gmt: null, date_on_sale_to: null, date_on_sale_to_gmt: null };

function onSale(state: WooCommerceState, p: PostRecord): boolean {
  return p.salePrice !== '' && state.activePrice(p) === p.salePrice && p.salePrice !== p.regularPrice;
}

function metaOut(p: PostRecord) {
  return p.meta.map((m) => ({ id: m.id, key: m.key, value: m.value }));
}

function variationPermalink(state: WooCommerceState, v: VariationRecord, home: string): string {
  const parent = state.product(v.parentId);
  const query = v.attributes.map((a) => `attribute_${slugify(a.name)}=${encodeURIComponent(a.option)}`).join('&');
  return `${home}/product/${parent?.slug ?? v.parentId}/${query ? `?${query}` : ''}`;
}

/** A product (or a variation found through /products?sku=) in the products controller's shape. */
export function renderProduct(state: WooCommerceState, p: PostRecord, home: string): Record<string, unknown> {
  const isVariable = p.kind === 'product' && p.type === 'variable';
  const price = state.activePrice(p);
  const links: Record<string, { href: string }[]> = {
    self: [{ href: apiUrl(home, `products/${p.id}`) }],
    collection: [{ href: apiUrl(home, 'products') }],
  };
  if (p.parentId) links.up = [{ href: apiUrl(home, `products/${p.parentId}`) }];
  const parent = p.kind === 'variation' ? state.product(p.parentId) : undefined;
  return {
    id: p.id,
    name: p.name,
    slug: p.kind === 'product' ? p.slug : `${parent?.slug ?? ''}-${slugify(p.attributes.map((a) => a.option).join('-'))}`,
    permalink: p.kind === 'product' ? `${home}/product/${p.slug}/` : variationPermalink(state, p, home),
    ...dates(state, p),
    type: p.kind === 'product' ? p.type : 'variation',
    status: p.status,
    featured: false,
    catalog_visibility: 'visible',
    description: p.description,
    short_description: p.kind === 'product' ? p.shortDescription : '',
    sku: p.sku,
    price,
    regular_price: isVariable ? '' : p.regularPrice,
    sale_price: isVariable ? '' : p.salePrice,
    ...noSaleDates,
    on_sale: onSale(state, p),
    purchasable: price !== '' && p.status === 'publish',
    total_sales: p.totalSales,
    virtual: p.virtual,
    downloadable: false,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    external_url: '',
    button_text: '',
    tax_status: 'taxable',
    tax_class: '',
    ...commonStock(state, p),
    sold_individually: false,
    weight: p.weight,
    dimensions: { length: '', width: '', height: '' },
    shipping_required: !p.virtual,
    shipping_taxable: !p.virtual,
    shipping_class: '',
    shipping_class_id: 0,
    reviews_allowed: p.kind === 'product',
    average_rating: '0.00',
    rating_count: 0,
    upsell_ids: [],
    cross_sell_ids: [],
    parent_id: p.parentId,
    purchase_note: '',
    categories: p.kind === 'product' ? [{ id: 15, name: 'Uncategorized', slug: 'uncategorized' }] : [],
    tags: [],
    images: [],
    attributes: p.kind === 'product' ? p.attributes.map((a) => ({ ...a, options: [...a.options] })) : p.attributes.map((a) => ({ ...a })),
    default_attributes: [],
    variations: p.kind === 'product' ? state.children(p).filter((v) => v.status !== 'trash').map((v) => v.id) : [],
    grouped_products: [],
    menu_order: p.menuOrder,
    price_html: priceHtml(price),
    related_ids: [],
    meta_data: metaOut(p),
    stock_status: p.stockStatus,
    has_options: isVariable,
    post_password: '',
    global_unique_id: '',
    _links: links,
  };
}

/** A variation in the variations controller's shape. */
export function renderVariation(state: WooCommerceState, v: VariationRecord, home: string): Record<string, unknown> {
  const price = state.activePrice(v);
  return {
    id: v.id,
    name: v.name,
    type: 'variation',
    parent_id: v.parentId,
    ...dates(state, v),
    description: v.description,
    permalink: variationPermalink(state, v, home),
    sku: v.sku,
    global_unique_id: '',
    price,
    regular_price: v.regularPrice,
    sale_price: v.salePrice,
    ...noSaleDates,
    on_sale: onSale(state, v),
    status: v.status,
    purchasable: price !== '' && v.status === 'publish',
    virtual: v.virtual,
    downloadable: false,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    tax_status: 'taxable',
    tax_class: '',
    ...commonStock(state, v),
    stock_status: v.stockStatus,
    weight: v.weight,
    dimensions: { length: '', width: '', height: '' },
    shipping_class: '',
    shipping_class_id: 0,
    image: null,
    attributes: v.attributes.map((a) => ({ ...a })),
    menu_order: v.menuOrder,
    meta_data: metaOut(v),
    _links: {
      self: [{ href: apiUrl(home, `products/${v.parentId}/variations/${v.id}`) }],
      collection: [{ href: apiUrl(home, `products/${v.parentId}/variations`) }],
      up: [{ href: apiUrl(home, `products/${v.parentId}`) }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Request bodies

/** A write as the controllers see it after WordPress's argument handling. */
export interface ProductWriteInput {
  name?: string;
  slug?: string;
  type?: ProductType;
  status?: PostStatus;
  description?: string;
  shortDescription?: string;
  sku?: string;
  regularPrice?: string;
  salePrice?: string;
  virtual?: boolean;
  manageStock?: boolean | 'parent';
  stockQuantity?: number;
  inventoryDelta?: number;
  stockStatus?: StockStatus;
  backorders?: Backorders;
  lowStockAmount?: number | null;
  weight?: string;
  menuOrder?: number;
  productAttributes?: ProductAttributeRecord[];
  variationAttributes?: VariationAttributeRecord[];
  meta?: { id?: number; key: string; value: unknown }[];
}

type FieldKind = 'string' | 'boolean' | 'integer' | 'nullable-integer' | 'array' | 'manage-stock' | readonly string[];

const COMMON_FIELDS: Record<string, FieldKind> = {
  status: WRITABLE_STATUSES,
  description: 'string',
  sku: 'string',
  regular_price: 'string',
  sale_price: 'string',
  virtual: 'boolean',
  stock_quantity: 'integer',
  inventory_delta: 'integer',
  stock_status: STOCK_STATUSES,
  backorders: BACKORDERS,
  low_stock_amount: 'nullable-integer',
  weight: 'string',
  menu_order: 'integer',
  attributes: 'array',
  meta_data: 'array',
};
const PRODUCT_FIELDS: Record<string, FieldKind> = {
  ...COMMON_FIELDS,
  name: 'string',
  slug: 'string',
  type: PRODUCT_TYPES,
  short_description: 'string',
  manage_stock: 'boolean',
};
// The schema says boolean; the controller also understands "parent".
const VARIATION_FIELDS: Record<string, FieldKind> = { ...COMMON_FIELDS, manage_stock: 'manage-stock' };

function isIntegerLike(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && Math.round(v) === v;
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && Math.round(Number(v)) === Number(v);
}

function isBooleanLike(v: unknown): boolean {
  return typeof v === 'boolean' || v === 0 || v === 1 || ['true', 'false', '0', '1'].includes(String(v).toLowerCase());
}

/** wc_string_to_bool */
function toBool(v: unknown): boolean {
  return v === true || v === 1 || ['1', 'yes', 'true'].includes(String(v).toLowerCase());
}

/** wc_stock_amount: intval of the number. */
function toInt(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/**
 * Reads a product or variation body. `strict` (single endpoints) answers WordPress's 400
 * rest_invalid_param; batch items skip that validation, so bad values are coerced or ignored.
 */
export function readWriteBody(body: unknown, kind: 'product' | 'variation', strict: boolean): ProductWriteInput {
  const src = isRecord(body) ? body : {};
  const fields = kind === 'product' ? PRODUCT_FIELDS : VARIATION_FIELDS;
  const errors = new ParamErrors();
  const ok: Record<string, unknown> = {};
  for (const [name, fieldKind] of Object.entries(fields)) {
    const v = src[name];
    // isset() is false for null: the controllers skip the field.
    if (v === undefined || v === null) continue;
    let valid: boolean;
    let message = '';
    if (Array.isArray(fieldKind)) {
      valid = typeof v === 'string' && fieldKind.includes(v);
      message = `${name} is not one of ${listWithAnd(fieldKind)}.`;
    } else {
      switch (fieldKind) {
        case 'string':
          valid = typeof v === 'string';
          break;
        case 'boolean':
          valid = isBooleanLike(v);
          break;
        case 'manage-stock':
          valid = v === 'parent' || isBooleanLike(v);
          break;
        case 'integer':
        case 'nullable-integer':
          valid = isIntegerLike(v);
          break;
        case 'array':
          valid = Array.isArray(v);
          break;
        default:
          valid = true;
      }
      message = `${name} is not of type ${fieldKind === 'nullable-integer' ? 'integer,null' : fieldKind === 'manage-stock' ? 'boolean' : fieldKind}.`;
    }
    if (!valid) {
      if (strict) errors.add(name, message, 'rest_invalid_type');
      // Batch items: a wrong-typed scalar is coerced the way the setters would; bad enums and lists are dropped.
      else if (fieldKind === 'string' && (typeof v === 'number' || typeof v === 'boolean')) ok[name] = String(v);
      else if (fieldKind === 'integer' || fieldKind === 'nullable-integer') ok[name] = toInt(v);
      else if (fieldKind === 'boolean' || fieldKind === 'manage-stock') ok[name] = toBool(v);
      continue;
    }
    ok[name] = v;
  }
  if (strict) errors.throwIfAny();

  const out: ProductWriteInput = {};
  const str = (name: string): string | undefined => (ok[name] === undefined ? undefined : String(ok[name]));
  out.name = str('name');
  out.slug = str('slug');
  out.type = ok.type as ProductType | undefined;
  out.status = ok.status as PostStatus | undefined;
  out.description = str('description');
  out.shortDescription = str('short_description');
  out.sku = ok.sku === undefined ? undefined : String(ok.sku).trim();
  out.regularPrice = str('regular_price');
  out.salePrice = str('sale_price');
  out.virtual = ok.virtual === undefined ? undefined : toBool(ok.virtual);
  out.manageStock = ok.manage_stock === undefined ? undefined : ok.manage_stock === 'parent' ? 'parent' : toBool(ok.manage_stock);
  out.stockQuantity = ok.stock_quantity === undefined ? undefined : toInt(ok.stock_quantity);
  out.inventoryDelta = ok.inventory_delta === undefined ? undefined : toInt(ok.inventory_delta);
  out.stockStatus = ok.stock_status as StockStatus | undefined;
  out.backorders = ok.backorders as Backorders | undefined;
  out.lowStockAmount = ok.low_stock_amount === undefined ? undefined : toInt(ok.low_stock_amount);
  out.weight = str('weight');
  out.menuOrder = ok.menu_order === undefined ? undefined : toInt(ok.menu_order);
  if (Array.isArray(ok.attributes)) {
    if (kind === 'product') out.productAttributes = readProductAttributes(ok.attributes);
    else out.variationAttributes = readVariationAttributes(ok.attributes);
  }
  if (Array.isArray(ok.meta_data)) {
    out.meta = ok.meta_data.filter(isRecord).flatMap((m) => {
      if (typeof m.key !== 'string' && m.id === undefined) return [];
      return [{ id: isIntegerLike(m.id) ? Number(m.id) : undefined, key: typeof m.key === 'string' ? m.key : '', value: m.value ?? null }];
    });
  }
  return out;
}

function readProductAttributes(list: unknown[]): ProductAttributeRecord[] {
  return list.filter(isRecord).flatMap((a, index) => {
    const name = typeof a.name === 'string' ? a.name.trim() : '';
    if (name === '') return [];
    // Options come as a list or WooCommerce's "A | B" string.
    const options = Array.isArray(a.options) ? a.options.map(String) : typeof a.options === 'string' ? a.options.split('|').map((s) => s.trim()) : [];
    return [
      {
        id: isIntegerLike(a.id) ? Number(a.id) : 0,
        name,
        position: isIntegerLike(a.position) ? Number(a.position) : index,
        visible: a.visible === undefined ? false : toBool(a.visible),
        variation: a.variation === undefined ? false : toBool(a.variation),
        options: options.filter((o) => o !== ''),
      },
    ];
  });
}

function readVariationAttributes(list: unknown[]): VariationAttributeRecord[] {
  return list.filter(isRecord).flatMap((a) => {
    const name = typeof a.name === 'string' ? a.name : '';
    const option = typeof a.option === 'string' ? a.option : '';
    return name === '' && !isIntegerLike(a.id) ? [] : [{ id: isIntegerLike(a.id) ? Number(a.id) : 0, name, option }];
  });
}

// ---------------------------------------------------------------------------------------------
// Writes

function invalidSku(state: WooCommerceState, sku: string, owner: PostRecord): WooRestError {
  return new WooRestError('product_invalid_sku', 'Invalid or duplicated SKU.', 400, { resource_id: owner.id, unique_sku: state.uniqueSkuFor(sku) });
}

function applySku(state: WooCommerceState, p: PostRecord, sku: string | undefined): void {
  if (sku === undefined) return;
  const owner = state.skuOwner(sku, p.id);
  if (owner) throw invalidSku(state, sku, owner);
  p.sku = sku;
}

function applyMeta(state: WooCommerceState, p: PostRecord, meta: ProductWriteInput['meta']): void {
  for (const m of meta ?? []) {
    const byId = m.id !== undefined ? p.meta.find((e) => e.id === m.id) : undefined;
    const target = byId ?? (m.key !== '' ? p.meta.find((e) => e.key === m.key) : undefined);
    if (target) {
      if (m.key !== '') target.key = m.key;
      target.value = m.value;
    } else if (m.key !== '') {
      p.meta.push({ id: state.nextMetaId(), key: m.key, value: m.value });
    }
  }
}

/** WC_REST_Products_Controller::prepare_object_for_database, stock part included (§4.3). */
function applyProductWrite(state: WooCommerceState, p: ProductRecord, w: ProductWriteInput, creating: boolean): void {
  if (w.type !== undefined) p.type = w.type;
  if (w.name !== undefined) p.name = w.name;
  if (w.description !== undefined) p.description = w.description;
  if (w.shortDescription !== undefined) p.shortDescription = w.shortDescription;
  if (w.status !== undefined) p.status = w.status;
  if (w.slug !== undefined) p.slug = state.uniqueSlug(w.slug, p.id);
  else if (creating) p.slug = state.uniqueSlug(p.name, p.id);
  if (w.menuOrder !== undefined) p.menuOrder = w.menuOrder;
  if (w.virtual !== undefined) p.virtual = w.virtual;
  if (w.weight !== undefined) p.weight = w.weight;
  applySku(state, p, w.sku);
  if (w.productAttributes !== undefined) p.attributes = w.productAttributes;

  const requestedStatus = w.stockStatus ?? p.stockStatus;
  if (state.options.woocommerce_manage_stock === 'yes') {
    if (w.manageStock !== undefined) p.manageStock = w.manageStock === true;
    if (w.backorders !== undefined) p.backorders = w.backorders;
    if (p.type === 'grouped' || p.type === 'external') {
      p.manageStock = false;
      p.backorders = 'no';
      p.stockQuantity = null;
      p.stockStatus = p.type === 'external' ? 'instock' : requestedStatus;
    } else if (p.manageStock) {
      if (p.type !== 'variable') p.stockStatus = requestedStatus;
      if (w.stockQuantity !== undefined) p.stockQuantity = w.stockQuantity;
      else if (w.inventoryDelta !== undefined) p.stockQuantity = (p.stockQuantity ?? 0) + w.inventoryDelta;
      if (w.lowStockAmount !== undefined) p.lowStockAmount = w.lowStockAmount;
    } else {
      p.stockQuantity = null;
      p.stockStatus = requestedStatus;
    }
  } else if (p.type !== 'variable') {
    // Store-wide stock management off: only stock_status is applied.
    p.stockStatus = requestedStatus;
  }

  if (p.type === 'variable' || p.type === 'grouped') {
    // Prices live on the variations; a variable product's own price fields are cleared on save.
    p.regularPrice = '';
    p.salePrice = '';
  } else {
    if (w.regularPrice !== undefined) p.regularPrice = w.regularPrice;
    if (w.salePrice !== undefined) p.salePrice = w.salePrice;
  }
  applyMeta(state, p, w.meta);
  state.validateProps(p);
  if (p.type === 'variable') state.syncVariableParent(p);
}

/** WC_REST_Product_Variations_Controller::prepare_object_for_database. */
function applyVariationWrite(state: WooCommerceState, v: VariationRecord, w: ProductWriteInput): void {
  if (w.status !== undefined) v.status = w.status;
  applySku(state, v, w.sku);
  if (w.virtual !== undefined) v.virtual = w.virtual;
  if (w.weight !== undefined) v.weight = w.weight;
  if (w.manageStock !== undefined) v.manageStock = w.manageStock === true; // "parent" = not managed here
  if (w.stockStatus !== undefined) v.stockStatus = w.stockStatus;
  if (w.backorders !== undefined) v.backorders = w.backorders;
  if (v.manageStock) {
    if (w.stockQuantity !== undefined) v.stockQuantity = w.stockQuantity;
    else if (w.inventoryDelta !== undefined) v.stockQuantity = (v.stockQuantity ?? 0) + w.inventoryDelta;
    if (w.lowStockAmount !== undefined) v.lowStockAmount = w.lowStockAmount;
  } else {
    v.backorders = 'no';
    v.stockQuantity = null;
  }
  if (w.regularPrice !== undefined) v.regularPrice = w.regularPrice;
  if (w.salePrice !== undefined) v.salePrice = w.salePrice;
  if (w.description !== undefined) v.description = w.description;
  if (w.menuOrder !== undefined) v.menuOrder = w.menuOrder;
  if (w.variationAttributes !== undefined) v.attributes = w.variationAttributes;
  applyMeta(state, v, w.meta);
  state.validateProps(v);
}

/** Saving a variation re-syncs (and so re-saves) its parent. */
function afterVariationSave(state: WooCommerceState, v: VariationRecord): void {
  const parent = state.product(v.parentId);
  if (!parent) return;
  state.syncVariableParent(parent);
  state.touch(parent);
}

function variationName(parent: ProductRecord, attributes: VariationAttributeRecord[]): string {
  const options = attributes.map((a) => a.option).filter((o) => o !== '');
  return options.length > 0 && options.length <= 2 ? `${parent.name} - ${options.join(', ')}` : parent.name;
}

const variationUseOtherEndpoint = (): WooRestError =>
  new WooRestError(
    'woocommerce_rest_invalid_product_id',
    'To manipulate product variations you should use the /products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.',
    404,
  );
const productInvalidId = (status: number): WooRestError => new WooRestError('woocommerce_rest_product_invalid_id', 'Invalid ID.', status);
const variationInvalidId = (status: number): WooRestError => new WooRestError('woocommerce_rest_product_variation_invalid_id', 'Invalid ID.', status);
// rest_authorization_required_code(): 403 because the key's user is logged in.
const parentMismatch = (): WooRestError => new WooRestError('woocommerce_rest_cannot_edit', 'Parent product does not match current variation.', 403);

/** Operations shared by the single endpoints and batch items. Each is all-or-nothing, like one save. */
export class ProductOperations {
  constructor(private readonly state: WooCommerceState) {}

  createProduct(w: ProductWriteInput, rawId: unknown): ProductRecord {
    if (rawId !== undefined && rawId !== null && rawId !== 0 && rawId !== '0' && rawId !== '') {
      throw new WooRestError('woocommerce_rest_product_exists', 'Cannot create existing product.', 400);
    }
    const draft = newProductRecord(this.state, 0);
    applyProductWrite(this.state, draft, w, true);
    draft.id = this.state.nextPostId();
    this.state.posts.set(draft.id, draft);
    this.state.emit({ resource: 'product', event: 'created', id: draft.id });
    return draft;
  }

  /** PUT /products/{id}: unknown id is a 400, a variation id a 404. */
  updateProduct(id: number, w: ProductWriteInput): ProductRecord {
    const existing = this.state.post(id);
    if (!existing) throw productInvalidId(400);
    if (existing.kind === 'variation') throw variationUseOtherEndpoint();
    const draft = structuredClone(existing);
    applyProductWrite(this.state, draft, w, false);
    this.state.touch(draft);
    this.state.posts.set(id, draft);
    return draft;
  }

  deleteProduct(id: number, force: boolean): { before: ProductRecord; after: ProductRecord } {
    const existing = this.state.post(id);
    if (!existing) throw productInvalidId(404);
    if (existing.kind === 'variation') throw variationUseOtherEndpoint();
    const before = structuredClone(existing);
    if (force) {
      for (const childId of existing.variationIds) this.state.posts.delete(childId);
      this.state.posts.delete(id);
      this.state.emit({ resource: 'product', event: 'deleted', id });
      return { before, after: before };
    }
    if (existing.status === 'trash') throw new WooRestError('woocommerce_rest_already_trashed', 'The product has already been deleted.', 410);
    existing.status = 'trash';
    // wp_trash_post: a status change, not a WooCommerce save (product.deleted, not product.updated).
    existing.modified = this.state.nowSeconds();
    this.state.emit({ resource: 'product', event: 'deleted', id });
    return { before, after: existing };
  }

  /** The parent a variation route names; unknown parents are refused like an unknown product. */
  parentFor(parentId: number): ProductRecord {
    const parent = this.state.product(parentId);
    if (!parent) throw productInvalidId(404);
    return parent;
  }

  variationOf(parentId: number, id: number, notFoundStatus: number): VariationRecord {
    const v = this.state.variation(id);
    if (!v) throw variationInvalidId(notFoundStatus);
    if (v.parentId !== parentId) throw parentMismatch();
    return v;
  }

  createVariation(parentId: number, w: ProductWriteInput, rawId: unknown): VariationRecord {
    if (rawId !== undefined && rawId !== null && rawId !== 0 && rawId !== '0' && rawId !== '') {
      throw new WooRestError('woocommerce_rest_product_variation_exists', 'Cannot create existing product_variation.', 400);
    }
    const parent = this.parentFor(parentId);
    const draft = newVariationRecord(this.state, 0, parentId);
    applyVariationWrite(this.state, draft, w);
    draft.id = this.state.nextPostId();
    draft.name = variationName(parent, draft.attributes);
    draft.menuOrder = w.menuOrder ?? parent.variationIds.length;
    this.state.posts.set(draft.id, draft);
    parent.variationIds.push(draft.id);
    this.state.emit({ resource: 'product', event: 'created', id: draft.id });
    afterVariationSave(this.state, draft);
    return draft;
  }

  updateVariation(parentId: number, id: number, w: ProductWriteInput): VariationRecord {
    const existing = this.variationOf(parentId, id, 400);
    const draft = structuredClone(existing);
    applyVariationWrite(this.state, draft, w);
    const parent = this.state.product(parentId);
    if (parent && w.variationAttributes !== undefined) draft.name = variationName(parent, draft.attributes);
    this.state.touch(draft);
    this.state.posts.set(id, draft);
    afterVariationSave(this.state, draft);
    return draft;
  }

  /** Without force a variation is trashed (it has a status, so the CRUD controller supports trash). */
  deleteVariation(parentId: number, id: number, force: boolean): VariationRecord {
    const existing = this.variationOf(parentId, id, 404);
    const parent = this.state.product(parentId);
    if (force) {
      this.state.posts.delete(id);
      if (parent) parent.variationIds = parent.variationIds.filter((c) => c !== id);
    } else {
      if (existing.status === 'trash') {
        throw new WooRestError('woocommerce_rest_already_trashed', 'The product_variation has already been deleted.', 410);
      }
      existing.status = 'trash';
      existing.modified = this.state.nowSeconds();
    }
    this.state.emit({ resource: 'product', event: 'deleted', id });
    if (parent) {
      this.state.syncVariableParent(parent);
      this.state.touch(parent);
    }
    return existing;
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

function idParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  // WordPress routes use (?P<id>[\d]+): anything else matches no route.
  if (!/^\d+$/.test(raw)) throw noRoute();
  return Number(raw);
}

function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string | string[]> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=UTF-8').send(body);
}

function errorItem(id: unknown, err: WooRestError) {
  return { id, error: { code: err.code, message: err.message, data: { status: err.status, ...err.extra } } };
}

/** WC_REST_Controller::batch_items: limit check, then creates, updates and deletes in order, 200 with per-item errors. */
function runBatch(
  body: unknown,
  limit: number,
  handlers: {
    create: (item: Record<string, unknown>) => Record<string, unknown>;
    update: (item: Record<string, unknown>) => Record<string, unknown>;
    delete: (id: number) => Record<string, unknown>;
  },
): unknown {
  const src = isRecord(body) ? body : {};
  const list = (name: string): unknown[] => (Array.isArray(src[name]) ? (src[name] as unknown[]) : []);
  const creates = list('create');
  const updates = list('update');
  const deletes = list('delete');
  if (creates.length + updates.length + deletes.length > limit) {
    throw new WooRestError('woocommerce_rest_request_entity_too_large', `Unable to accept more than ${limit} items for this request.`, 413);
  }
  const out: Record<string, unknown[]> = {};
  const attempt = (fn: () => Record<string, unknown>, errorId: unknown): unknown => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof WooRestError) return errorItem(errorId, err);
      throw err;
    }
  };
  if (creates.length > 0) out.create = creates.map((item) => attempt(() => handlers.create(isRecord(item) ? item : {}), 0));
  if (updates.length > 0) {
    out.update = updates.map((item) => {
      const rec = isRecord(item) ? item : {};
      return attempt(() => handlers.update(rec), rec.id ?? null);
    });
  }
  const deleteIds = deletes.map((d) => toInt(d)).filter((id) => id !== 0);
  if (deleteIds.length > 0) out.delete = deleteIds.map((id) => attempt(() => handlers.delete(id), id));
  // PHP encodes an empty array as [].
  return Object.keys(out).length === 0 ? [] : out;
}

const itemId = (item: Record<string, unknown>): number => (isIntegerLike(item.id) ? Number(item.id) : 0);

export function registerProductRoutes(app: FastifyInstance, ctx: ProductRoutesContext): void {
  const { state } = ctx;
  const ops = new ProductOperations(state);
  const home = (request: FastifyRequest) => homeUrl(request, ctx.assumeHttps);
  const siteOffset = () => state.options.gmtOffsetHours * 3600;

  const productRows = (q: CollectionQuery, filters: { sku?: string; searchSku?: string; type?: ProductType; status?: string; stockStatus?: StockStatus }) => {
    const bySku = filters.sku !== undefined && filters.sku.trim() !== '';
    let skus: Set<string> | undefined;
    if (bySku) {
      const raw = (filters.sku ?? '').trim();
      const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      // WooCommerce also matches the whole comma string, for SKUs that contain commas.
      if (parts.length > 1) parts.push(raw);
      skus = new Set(parts.map((s) => s.toLowerCase()));
    }
    const searchSku = filters.searchSku?.trim().toLowerCase();
    const includeVariations = bySku || (searchSku !== undefined && searchSku !== '');
    const status = filters.status ?? 'any';
    // Candidates from the id list or the SKU index when the query names them (same filter below).
    let candidates: Iterable<PostRecord> = state.posts.values();
    if (q.include && q.include.length > 0) {
      candidates = [...new Set(q.include)].map((id) => state.posts.get(id)).filter((p): p is PostRecord => p !== undefined);
    } else if (skus) {
      const byId = new Map<number, PostRecord>();
      for (const sku of skus) for (const p of state.posts.withSku(sku)) byId.set(p.id, p);
      candidates = byId.values();
    }
    return [...candidates].filter((p) => {
      if (p.kind === 'variation' && !includeVariations) return false;
      if (status === 'any' ? p.status === 'trash' : p.status !== status) return false;
      if (skus && !skus.has(p.sku.toLowerCase())) return false;
      if (searchSku && !p.sku.toLowerCase().includes(searchSku)) return false;
      if (filters.type && (p.kind !== 'product' || p.type !== filters.type)) return false;
      if (filters.stockStatus && p.stockStatus !== filters.stockStatus) return false;
      if (q.search) {
        const needle = q.search.toLowerCase();
        if (!p.name.toLowerCase().includes(needle) && !p.description.toLowerCase().includes(needle)) return false;
      }
      return matchesCollectionFilters(p, q);
    });
  };

  const sortKey = (p: PostRecord, orderby: string): string | number => {
    switch (orderby) {
      case 'title':
        return p.name.toLowerCase();
      case 'slug':
        return p.kind === 'product' ? p.slug : '';
      case 'menu_order':
        return p.menuOrder;
      case 'price':
        return Number(state.activePrice(p) || 0);
      case 'popularity':
        return p.totalSales;
      default:
        return 0;
    }
  };

  // --- products ---

  app.get(`${API}/products`, async (request, reply) => {
    const r = readerFor(request);
    const q = readCollectionQuery(r, { orderbyValues: PRODUCT_ORDERBY }, siteOffset());
    const filters = {
      sku: r.string('sku'),
      searchSku: r.string('search_sku'),
      type: r.oneOf('type', PRODUCT_TYPES),
      status: r.oneOf('status', LIST_STATUSES),
      stockStatus: r.oneOf('stock_status', STOCK_STATUSES),
    };
    r.oneOf('context', ['view', 'edit'] as const);
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const rows = sortRows(productRows(q, filters), q, sortKey);
    const page = paginate(rows, q, request, home(request));
    const body = page.items.map((p) => pickFields(renderProduct(state, p, home(request)), q.fields));
    return sendJson(reply, 200, body, page.headers);
  });

  app.post(`${API}/products`, async (request, reply) => {
    const w = readWriteBody(request.body, 'product', true);
    requireAuth(request, 'create');
    const rawId = isRecord(request.body) ? request.body.id : undefined;
    const p = ops.createProduct(w, rawId);
    const location = apiUrl(home(request), `products/${p.id}`);
    return sendJson(reply, 201, renderProduct(state, p, home(request)), { location });
  });

  app.get(`${API}/products/:id`, async (request, reply) => {
    const id = idParam(request, 'id');
    const fields = readerFor(request).string('_fields');
    requireAuth(request, 'view');
    const p = state.post(id);
    if (!p) throw productInvalidId(404);
    if (p.kind === 'variation') throw variationUseOtherEndpoint();
    return sendJson(reply, 200, pickFields(renderProduct(state, p, home(request)), fields?.split(',').map((f) => f.trim())));
  });

  const updateProductRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = idParam(request, 'id');
    const w = readWriteBody(request.body, 'product', true);
    requireAuth(request, 'edit');
    const p = ops.updateProduct(id, w);
    return sendJson(reply, 200, renderProduct(state, p, home(request)));
  };
  app.put(`${API}/products/:id`, updateProductRoute);
  app.patch(`${API}/products/:id`, updateProductRoute);
  app.post(`${API}/products/:id`, updateProductRoute);

  app.delete(`${API}/products/:id`, async (request, reply) => {
    const id = idParam(request, 'id');
    const force = readerFor(request).bool('force') ?? false;
    requireAuth(request, 'delete');
    const { before, after } = ops.deleteProduct(id, force);
    return sendJson(reply, 200, renderProduct(state, force ? before : after, home(request)));
  });

  const productBatchRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    requireAuth(request, 'batch');
    const h = home(request);
    const result = runBatch(request.body, ctx.batchLimit, {
      create: (item) => renderProduct(state, ops.createProduct(readWriteBody(item, 'product', false), item.id), h),
      update: (item) => renderProduct(state, ops.updateProduct(itemId(item), readWriteBody(item, 'product', false)), h),
      delete: (id) => renderProduct(state, ops.deleteProduct(id, true).before, h),
    });
    return sendJson(reply, 200, result);
  };
  app.post(`${API}/products/batch`, productBatchRoute);
  app.put(`${API}/products/batch`, productBatchRoute);
  app.patch(`${API}/products/batch`, productBatchRoute);

  // --- variations ---

  app.get(`${API}/products/:id/variations`, async (request, reply) => {
    const parentId = idParam(request, 'id');
    const r = readerFor(request);
    const q = readCollectionQuery(r, { orderbyValues: PRODUCT_ORDERBY }, siteOffset());
    const sku = r.string('sku');
    const status = r.oneOf('status', LIST_STATUSES);
    const stockStatus = r.oneOf('stock_status', STOCK_STATUSES);
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const skus = sku !== undefined && sku.trim() !== '' ? new Set(sku.split(',').map((s) => s.trim().toLowerCase())) : undefined;
    // A parent's variations are the ones it lists (kept by create and delete).
    const parent = state.product(parentId);
    const candidates = (parent?.variationIds ?? []).map((id) => state.posts.get(id)).filter((p): p is PostRecord => p !== undefined);
    const rows = candidates.filter((p): p is VariationRecord => {
      if (p.kind !== 'variation' || p.parentId !== parentId) return false;
      if ((status ?? 'any') === 'any' ? p.status === 'trash' : p.status !== status) return false;
      if (skus && !skus.has(p.sku.toLowerCase())) return false;
      if (stockStatus && p.stockStatus !== stockStatus) return false;
      return matchesCollectionFilters(p, q);
    });
    const page = paginate(sortRows(rows, q, sortKey), q, request, home(request));
    const body = page.items.map((v) => pickFields(renderVariation(state, v, home(request)), q.fields));
    return sendJson(reply, 200, body, page.headers);
  });

  app.post(`${API}/products/:id/variations`, async (request, reply) => {
    const parentId = idParam(request, 'id');
    const w = readWriteBody(request.body, 'variation', true);
    requireAuth(request, 'create');
    const rawId = isRecord(request.body) ? request.body.id : undefined;
    const v = ops.createVariation(parentId, w, rawId);
    const location = apiUrl(home(request), `products/${parentId}/variations/${v.id}`);
    return sendJson(reply, 201, renderVariation(state, v, home(request)), { location });
  });

  app.get(`${API}/products/:id/variations/:variationId`, async (request, reply) => {
    const parentId = idParam(request, 'id');
    const id = idParam(request, 'variationId');
    const fields = readerFor(request).string('_fields');
    requireAuth(request, 'view');
    const v = ops.variationOf(parentId, id, 404);
    return sendJson(reply, 200, pickFields(renderVariation(state, v, home(request)), fields?.split(',').map((f) => f.trim())));
  });

  const updateVariationRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const parentId = idParam(request, 'id');
    const id = idParam(request, 'variationId');
    const w = readWriteBody(request.body, 'variation', true);
    requireAuth(request, 'edit');
    const v = ops.updateVariation(parentId, id, w);
    return sendJson(reply, 200, renderVariation(state, v, home(request)));
  };
  app.put(`${API}/products/:id/variations/:variationId`, updateVariationRoute);
  app.patch(`${API}/products/:id/variations/:variationId`, updateVariationRoute);
  app.post(`${API}/products/:id/variations/:variationId`, updateVariationRoute);

  app.delete(`${API}/products/:id/variations/:variationId`, async (request, reply) => {
    const parentId = idParam(request, 'id');
    const id = idParam(request, 'variationId');
    const force = readerFor(request).bool('force') ?? false;
    requireAuth(request, 'delete');
    const v = ops.deleteVariation(parentId, id, force);
    return sendJson(reply, 200, renderVariation(state, v, home(request)));
  });

  const variationBatchRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const parentId = idParam(request, 'id');
    requireAuth(request, 'batch');
    const h = home(request);
    const result = runBatch(request.body, ctx.batchLimit, {
      create: (item) => renderVariation(state, ops.createVariation(parentId, readWriteBody(item, 'variation', false), item.id), h),
      update: (item) => renderVariation(state, ops.updateVariation(parentId, itemId(item), readWriteBody(item, 'variation', false)), h),
      delete: (id) => renderVariation(state, ops.deleteVariation(parentId, id, true), h),
    });
    return sendJson(reply, 200, result);
  };
  app.post(`${API}/products/:id/variations/batch`, variationBatchRoute);
  app.put(`${API}/products/:id/variations/batch`, variationBatchRoute);
  app.patch(`${API}/products/:id/variations/batch`, variationBatchRoute);
}
