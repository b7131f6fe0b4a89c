/**
 * What WooCommerce does when orders are written: items priced from the products, totals and VAT
 * recalculated, status transitions with their side effects (§5.4 / §10.12: stock reduced once when
 * entering processing/on-hold/completed, restored on cancelled/pending, date_paid/date_completed,
 * `refunded` auto-creating a refund for the remainder), refunds as wc_create_refund makes them
 * (§6), order notes, and the events webhook topics listen to. Shared by the REST routes, the seed,
 * the demo activity and test helpers.
 */
import type { Random } from '../shared/random';
import type { ApiKeyRecord, MetaEntry, PostRecord, WooCommerceState } from './data';
import { WooRestError } from './errors';
import {
  ADDRESS_FIELDS,
  COUPONS,
  PAID_STATUSES,
  PAYMENT_GATEWAYS,
  STATUS_LABELS,
  STOCK_REDUCING_STATUSES,
  STOCK_RESTORING_STATUSES,
  VAT,
  blankAddress,
  money,
  priceToPence,
  refundedTotal,
  vatOn,
  type AddressRecord,
  type LineItemRecord,
  type NoteRecord,
  type OrderRecord,
  type OrderStatus,
  type RefundRecord,
  type RefundableItem,
  type TaxLineRecord,
  type TaxSplit,
} from './order-model';

export interface MetaWrite {
  id?: number;
  key: string;
  value: unknown;
}

export interface LineItemWrite {
  /** An existing order item to change (quantity 0 or productId null removes it). */
  id?: number;
  productId?: number | null;
  variationId?: number;
  sku?: string;
  quantity?: number;
  /** Pence, ex VAT; default unit price × quantity. */
  subtotal?: number;
  total?: number;
  name?: string;
  meta?: MetaWrite[];
}

export interface ShippingLineWrite {
  id?: number;
  /** null removes an existing line. */
  methodId?: string | null;
  methodTitle?: string;
  instanceId?: string;
  total?: number;
}

export interface FeeLineWrite {
  id?: number;
  /** null removes an existing line. */
  name?: string | null;
  total?: number;
  taxStatus?: 'taxable' | 'none';
}

export interface CouponLineWrite {
  id?: number;
  /** null removes an existing line. */
  code?: string | null;
}

export interface OrderWrite {
  status?: OrderStatus;
  parentId?: number;
  currency?: string;
  customerId?: number;
  customerNote?: string;
  billing?: Partial<AddressRecord>;
  shipping?: Partial<AddressRecord>;
  paymentMethod?: string;
  paymentMethodTitle?: string;
  transactionId?: string;
  setPaid?: boolean;
  lineItems?: LineItemWrite[];
  shippingLines?: ShippingLineWrite[];
  feeLines?: FeeLineWrite[];
  couponLines?: CouponLineWrite[];
  meta?: MetaWrite[];
  /** Record the status-change note as made by the user (newer source). */
  manualUpdate?: boolean;
  customerIp?: string;
  customerUserAgent?: string;
}

export interface WriteContext {
  /** Unix seconds the write happens at (default: the store clock). */
  at?: number;
  /** The API key's user, when the write comes through REST. */
  user?: ApiKeyRecord;
  createdVia?: string;
  /**
   * Seeding history: stock flags and item `_reduced_stock` are set but product stock is left alone
   * (the seeded stock levels already include those sales) and no events are raised.
   */
  historical?: boolean;
}

export interface RefundLineWrite {
  /** The order item id (line, fee or shipping item). */
  id: number;
  quantity?: number;
  /** Pence, ex VAT. */
  refundTotal?: number;
  /** Tax rate id → pence. */
  refundTax: Map<number, number>;
}

export interface RefundWrite {
  /** Pence; default 0 (wc_create_refund's default). */
  amount?: number;
  reason?: string;
  lineItems?: RefundLineWrite[];
  /** Default true, as in WooCommerce. */
  apiRefund?: boolean;
  /** Default true, as in WooCommerce. */
  apiRestock?: boolean;
  meta?: MetaWrite[];
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

export function randomString(random: Random, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export function randomHex(random: Random, length: number): string {
  return randomString(random, length, HEX);
}

const invalidItem = (): WooRestError => new WooRestError('woocommerce_rest_invalid_item_id', 'Order item ID provided is not associated with order.', 400);
const refundFailure = (message: string): WooRestError => new WooRestError('woocommerce_rest_cannot_create_order_refund', message, 500);

function upsertMeta(state: WooCommerceState, list: MetaEntry[], writes: readonly MetaWrite[] | undefined): void {
  for (const m of writes ?? []) {
    const byId = m.id !== undefined ? list.find((e) => e.id === m.id) : undefined;
    const target = byId ?? (m.key !== '' ? list.find((e) => e.key === m.key) : undefined);
    if (target) {
      if (m.key !== '') target.key = m.key;
      target.value = m.value;
    } else if (m.key !== '') {
      list.push({ id: state.nextMetaId(), key: m.key, value: m.value });
    }
  }
}

function taxSplit(total: number, subtotal: number): TaxSplit[] {
  return [{ rateId: VAT.rateId, total: vatOn(total), subtotal: vatOn(subtotal) }];
}

function sumTaxes(taxes: TaxSplit[], field: 'total' | 'subtotal'): number {
  return taxes.reduce((sum, t) => sum + t[field], 0);
}

export class OrderOperations {
  constructor(
    private readonly state: WooCommerceState,
    private readonly random: Random,
  ) {}

  private now(ctx: WriteContext): number {
    return ctx.at ?? this.state.nowSeconds();
  }

  private emitOrder(order: OrderRecord, event: 'created' | 'updated' | 'deleted', ctx: WriteContext): void {
    if (ctx.historical) return;
    // Drafts are skipped by webhooks (WC_Webhook::is_valid_resource).
    if (event !== 'deleted' && (order.status === 'checkout-draft' || order.status === 'auto-draft')) return;
    this.state.emit({ resource: 'order', event, id: order.id });
  }

  // --- reading ----------------------------------------------------------------------------------

  order(id: number): OrderRecord | undefined {
    return this.state.orders.get(id);
  }

  /** What a refund may still take: total minus refunds so far (pence). */
  remainingRefundAmount(order: OrderRecord): number {
    return order.total - refundedTotal(this.state.refunds, order);
  }

  /** Units of this order item already refunded (positive). */
  refundedQuantity(order: OrderRecord, itemId: number): number {
    let qty = 0;
    for (const id of order.refundIds) {
      const refund = this.state.refunds.get(id);
      for (const item of refund?.lineItems ?? []) if (item.refundedItemId === itemId) qty += -item.quantity;
    }
    return qty;
  }

  // --- building ---------------------------------------------------------------------------------

  private blankOrder(at: number, ctx: WriteContext): OrderRecord {
    return {
      kind: 'order',
      id: 0,
      parentId: 0,
      status: 'pending',
      currency: 'GBP',
      version: this.state.wcVersion,
      pricesIncludeTax: false,
      createdVia: ctx.createdVia ?? 'rest-api',
      orderKey: `wc_order_${randomString(this.random, 13)}`,
      created: at,
      modified: at,
      paid: null,
      completed: null,
      customerId: 0,
      customerIp: '',
      customerUserAgent: '',
      customerNote: '',
      billing: blankAddress(true),
      shipping: blankAddress(false),
      paymentMethod: '',
      paymentMethodTitle: '',
      transactionId: '',
      cartHash: '',
      meta: [],
      lineItems: [],
      shippingLines: [],
      feeLines: [],
      couponLines: [],
      taxLines: [],
      discountTotal: 0,
      discountTax: 0,
      shippingTotal: 0,
      shippingTax: 0,
      cartTax: 0,
      total: 0,
      totalTax: 0,
      refundIds: [],
      stockReduced: false,
      notes: [],
    };
  }

  /** The product or variation a line item write names (by variation id, product id or SKU). */
  private productFor(w: LineItemWrite): PostRecord {
    let post: PostRecord | undefined;
    if (w.variationId) post = this.state.post(w.variationId);
    else if (w.productId) post = this.state.post(w.productId);
    else if (w.sku !== undefined && w.sku !== '') post = this.state.findBySku(w.sku);
    else throw new WooRestError('woocommerce_rest_required_product_reference', 'Product ID or SKU is required.', 400);
    if (!post || post.status === 'trash') throw new WooRestError('woocommerce_rest_invalid_product_id', 'Product ID provided is invalid.', 400);
    return post;
  }

  private newLineItem(w: LineItemWrite): LineItemRecord {
    const post = this.productFor(w);
    const quantity = w.quantity ?? 1;
    const subtotal = w.subtotal ?? priceToPence(this.state.activePrice(post)) * quantity;
    const meta: MetaEntry[] = [];
    if (post.kind === 'variation') {
      for (const a of post.attributes) meta.push({ id: this.state.nextMetaId(), key: a.name.toLowerCase(), value: a.option });
    }
    upsertMeta(this.state, meta, w.meta);
    const total = w.total ?? subtotal;
    return {
      type: 'line_item',
      id: this.state.nextOrderItemId(),
      name: w.name ?? post.name,
      productId: post.kind === 'variation' ? post.parentId : post.id,
      variationId: post.kind === 'variation' ? post.id : 0,
      quantity,
      taxClass: '',
      subtotal,
      subtotalTax: vatOn(subtotal),
      total,
      totalTax: vatOn(total),
      taxes: taxSplit(total, subtotal),
      meta,
      reducedStock: 0,
      restockedRefunded: 0,
    };
  }

  private applyLineItems(order: OrderRecord, writes: LineItemWrite[]): void {
    for (const w of writes) {
      if (w.id !== undefined && w.id !== 0) {
        const item = order.lineItems.find((i) => i.id === w.id);
        if (!item) throw invalidItem();
        if (w.quantity === 0 || w.productId === null) {
          order.lineItems = order.lineItems.filter((i) => i !== item);
          continue;
        }
        if (w.quantity !== undefined && w.quantity !== item.quantity) {
          const unit = item.quantity ? item.subtotal / item.quantity : 0;
          item.quantity = w.quantity;
          item.subtotal = Math.round(unit * w.quantity);
          item.total = item.subtotal;
        }
        if (w.subtotal !== undefined) item.subtotal = w.subtotal;
        if (w.total !== undefined) item.total = w.total;
        if (w.name !== undefined) item.name = w.name;
        upsertMeta(this.state, item.meta, w.meta);
        continue;
      }
      if (w.quantity === 0) continue;
      order.lineItems.push(this.newLineItem(w));
    }
  }

  private applyShippingLines(order: OrderRecord, writes: ShippingLineWrite[]): void {
    for (const w of writes) {
      if (w.id !== undefined && w.id !== 0) {
        const line = order.shippingLines.find((l) => l.id === w.id);
        if (!line) throw invalidItem();
        if (w.methodId === null) {
          order.shippingLines = order.shippingLines.filter((l) => l !== line);
          continue;
        }
        if (w.methodId !== undefined) line.methodId = w.methodId;
        if (w.methodTitle !== undefined) line.methodTitle = w.methodTitle;
        if (w.instanceId !== undefined) line.instanceId = w.instanceId;
        if (w.total !== undefined) line.total = w.total;
        continue;
      }
      if (!w.methodId) throw new WooRestError('woocommerce_rest_invalid_shipping_item', 'Shipping method ID is required.', 400);
      const total = w.total ?? 0;
      order.shippingLines.push({
        type: 'shipping',
        id: this.state.nextOrderItemId(),
        methodId: w.methodId,
        methodTitle: w.methodTitle ?? '',
        instanceId: w.instanceId ?? '0',
        total,
        totalTax: 0,
        taxes: [],
        meta: [],
      });
    }
  }

  private applyFeeLines(order: OrderRecord, writes: FeeLineWrite[]): void {
    for (const w of writes) {
      if (w.id !== undefined && w.id !== 0) {
        const line = order.feeLines.find((l) => l.id === w.id);
        if (!line) throw invalidItem();
        if (w.name === null) {
          order.feeLines = order.feeLines.filter((l) => l !== line);
          continue;
        }
        if (w.name !== undefined) line.name = w.name;
        if (w.total !== undefined) line.total = w.total;
        if (w.taxStatus !== undefined) line.taxStatus = w.taxStatus;
        continue;
      }
      if (!w.name) throw new WooRestError('woocommerce_rest_invalid_fee_item', 'Fee name is required.', 400);
      order.feeLines.push({
        type: 'fee',
        id: this.state.nextOrderItemId(),
        name: w.name,
        taxClass: '',
        taxStatus: w.taxStatus ?? 'taxable',
        total: w.total ?? 0,
        totalTax: 0,
        taxes: [],
        meta: [],
      });
    }
  }

  private applyCouponLines(order: OrderRecord, writes: CouponLineWrite[]): void {
    for (const w of writes) {
      if (w.id !== undefined && w.id !== 0) {
        const line = order.couponLines.find((l) => l.id === w.id);
        if (!line) throw invalidItem();
        if (w.code === null) {
          order.couponLines = order.couponLines.filter((l) => l !== line);
          continue;
        }
        throw new WooRestError('woocommerce_rest_coupon_item_immutable', 'Coupon item ID is readonly.', 400);
      }
      if (!w.code) throw new WooRestError('woocommerce_rest_invalid_coupon', 'Coupon code is required.', 400);
      const code = w.code.trim().toLowerCase();
      if (!COUPONS[code]) throw new WooRestError('woocommerce_rest_invalid_coupon', `Coupon "${code}" does not exist!`, 400);
      if (order.couponLines.some((l) => l.code === code)) continue;
      order.couponLines.push({ type: 'coupon', id: this.state.nextOrderItemId(), code, discount: 0, discountTax: 0, meta: [] });
    }
  }

  /**
   * calculate_totals(): coupon discounts, VAT per item/fee/shipping line, the tax line and the
   * order totals. `resetDiscounts` recomputes item totals from subtotals (coupons changed).
   */
  recalculate(order: OrderRecord, resetDiscounts = false): void {
    if (order.couponLines.length > 0 || resetDiscounts) {
      for (const item of order.lineItems) item.total = item.subtotal;
      for (const line of order.couponLines) {
        const coupon = COUPONS[line.code];
        let discount = 0;
        if (coupon?.type === 'percent') {
          for (const item of order.lineItems) {
            const d = Math.min(item.total, Math.round((item.subtotal * coupon.amount) / 100));
            item.total -= d;
            discount += d;
          }
        } else if (coupon?.type === 'fixed_cart') {
          const base = order.lineItems.reduce((sum, i) => sum + i.total, 0);
          let left = Math.min(coupon.amount, base);
          order.lineItems.forEach((item, index) => {
            const share = index === order.lineItems.length - 1 ? left : Math.min(left, Math.round((coupon.amount * item.total) / Math.max(1, base)));
            item.total -= share;
            left -= share;
            discount += share;
          });
        }
        line.discount = discount;
        line.discountTax = vatOn(discount);
      }
    }
    for (const item of order.lineItems) {
      item.subtotalTax = vatOn(item.subtotal);
      item.totalTax = vatOn(item.total);
      item.taxes = taxSplit(item.total, item.subtotal);
    }
    for (const line of order.shippingLines) {
      line.totalTax = vatOn(line.total);
      line.taxes = line.totalTax !== 0 || line.total !== 0 ? [{ rateId: VAT.rateId, total: line.totalTax, subtotal: 0 }] : [];
    }
    for (const fee of order.feeLines) {
      fee.totalTax = fee.taxStatus === 'taxable' ? vatOn(fee.total) : 0;
      fee.taxes = fee.taxStatus === 'taxable' ? [{ rateId: VAT.rateId, total: fee.totalTax, subtotal: 0 }] : [];
    }
    const itemsTotal = order.lineItems.reduce((sum, i) => sum + i.total, 0);
    const itemsTax = order.lineItems.reduce((sum, i) => sum + i.totalTax, 0);
    const feesTotal = order.feeLines.reduce((sum, f) => sum + f.total, 0);
    const feesTax = order.feeLines.reduce((sum, f) => sum + f.totalTax, 0);
    order.discountTotal = order.lineItems.reduce((sum, i) => sum + (i.subtotal - i.total), 0);
    order.discountTax = order.lineItems.reduce((sum, i) => sum + (i.subtotalTax - i.totalTax), 0);
    order.shippingTotal = order.shippingLines.reduce((sum, l) => sum + l.total, 0);
    order.shippingTax = order.shippingLines.reduce((sum, l) => sum + l.totalTax, 0);
    order.cartTax = itemsTax + feesTax;
    order.totalTax = order.cartTax + order.shippingTax;
    order.total = itemsTotal + feesTotal + order.shippingTotal + order.totalTax;
    order.taxLines = this.taxLinesFor(order.taxLines, order.cartTax, order.shippingTax);
  }

  private taxLinesFor(existing: TaxLineRecord[], taxTotal: number, shippingTaxTotal: number): TaxLineRecord[] {
    if (taxTotal === 0 && shippingTaxTotal === 0) return [];
    const line = existing.find((t) => t.rateId === VAT.rateId);
    return [
      {
        type: 'tax',
        id: line?.id ?? this.state.nextOrderItemId(),
        rateId: VAT.rateId,
        rateCode: VAT.rateCode,
        label: VAT.label,
        compound: VAT.compound,
        taxTotal,
        shippingTaxTotal,
        ratePercent: VAT.percent,
        meta: [],
      },
    ];
  }

  /** Sets the plain fields of a write (everything but status and set_paid); true when totals must be recalculated. */
  private applyFields(order: OrderRecord, w: OrderWrite): { recalc: boolean; resetDiscounts: boolean } {
    if (w.customerId !== undefined && w.customerId !== 0 && !this.state.customers.has(w.customerId)) {
      throw new WooRestError('woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.', 400);
    }
    if (w.parentId !== undefined) order.parentId = w.parentId;
    if (w.currency !== undefined) order.currency = w.currency;
    if (w.customerId !== undefined) order.customerId = w.customerId;
    if (w.customerNote !== undefined) order.customerNote = w.customerNote;
    if (w.paymentMethod !== undefined) order.paymentMethod = w.paymentMethod;
    if (w.paymentMethodTitle !== undefined) order.paymentMethodTitle = w.paymentMethodTitle;
    if (w.transactionId !== undefined) order.transactionId = w.transactionId;
    if (w.customerIp !== undefined) order.customerIp = w.customerIp;
    if (w.customerUserAgent !== undefined) order.customerUserAgent = w.customerUserAgent;
    for (const [which, patch] of [['billing', w.billing], ['shipping', w.shipping]] as const) {
      if (!patch) continue;
      const target = order[which];
      for (const field of ADDRESS_FIELDS) {
        if (field === 'email' && which === 'shipping') continue;
        const v = patch[field];
        if (typeof v === 'string') target[field] = v;
      }
    }
    upsertMeta(this.state, order.meta, w.meta);
    if (w.lineItems) this.applyLineItems(order, w.lineItems);
    if (w.shippingLines) this.applyShippingLines(order, w.shippingLines);
    if (w.feeLines) this.applyFeeLines(order, w.feeLines);
    if (w.couponLines) this.applyCouponLines(order, w.couponLines);
    const recalc = Boolean(w.billing || w.shipping || w.lineItems || w.shippingLines || w.feeLines || w.couponLines);
    return { recalc, resetDiscounts: Boolean(w.couponLines || w.lineItems) };
  }

  // --- writes -----------------------------------------------------------------------------------

  /** POST /orders (and checkout): saved as pending, then paid or moved to the requested status. */
  createOrder(w: OrderWrite, ctx: WriteContext = {}): OrderRecord {
    const at = this.now(ctx);
    const order = this.blankOrder(at, ctx);
    this.applyFields(order, w);
    this.recalculate(order, true);
    order.cartHash = order.createdVia === 'checkout' ? randomHex(this.random, 32) : '';
    if (w.status === 'checkout-draft' || w.status === 'auto-draft') order.status = w.status;
    order.id = this.state.nextPostId();
    if (this.state.sequentialOrderNumbers) order.meta.push({ id: this.state.nextMetaId(), key: '_order_number', value: this.state.nextOrderNumber() });
    this.state.orders.set(order.id, order);
    this.emitOrder(order, 'created', ctx);
    if (w.setPaid) this.paymentComplete(order, w.transactionId, ctx);
    else if (w.status !== undefined && w.status !== order.status && w.status !== 'trash') this.setStatus(order, w.status, ctx, { manual: w.manualUpdate });
    return order;
  }

  /** PUT /orders/{id}: fields first (one save), then set_paid, then the status transition. */
  updateOrder(existing: OrderRecord, w: OrderWrite, ctx: WriteContext = {}): OrderRecord {
    const draft = structuredClone(existing);
    const { recalc, resetDiscounts } = this.applyFields(draft, w);
    if (recalc) this.recalculate(draft, resetDiscounts);
    draft.modified = this.now(ctx);
    this.state.orders.set(draft.id, draft);
    this.emitOrder(draft, 'updated', ctx);
    if (w.setPaid && this.needsPayment(draft)) this.paymentComplete(draft, w.transactionId, ctx);
    if (w.status !== undefined && w.status !== draft.status && w.status !== 'trash') this.setStatus(draft, w.status, ctx, { manual: w.manualUpdate });
    return draft;
  }

  needsPayment(order: OrderRecord): boolean {
    return (order.status === 'pending' || order.status === 'failed') && order.total > 0;
  }

  /** WC_Order::payment_complete */
  paymentComplete(order: OrderRecord, transactionId: string | undefined, ctx: WriteContext = {}): void {
    if (!['on-hold', 'pending', 'failed', 'cancelled'].includes(order.status)) return;
    if (transactionId) order.transactionId = transactionId;
    if (order.paid === null) order.paid = this.now(ctx);
    this.setStatus(order, 'processing', ctx);
  }

  /**
   * update_status(): the status-change note, date_paid/date_completed, the save, then the hooks:
   * stock reduction/restoration and the automatic full refund for `refunded`.
   */
  setStatus(order: OrderRecord, to: OrderStatus, ctx: WriteContext = {}, opts: { note?: string; manual?: boolean } = {}): boolean {
    const from = order.status;
    if (from === to) return false;
    const at = this.now(ctx);
    order.status = to;
    if (PAID_STATUSES.includes(to) && order.paid === null) order.paid = at;
    if (to === 'completed') order.completed = at;
    order.modified = at;
    // status_transition(): the woocommerce_order_status_{to} hooks run first, then the note is added.
    if (STOCK_REDUCING_STATUSES.includes(to)) this.reduceStock(order, ctx);
    if (STOCK_RESTORING_STATUSES.includes(to)) this.restoreStock(order, ctx);
    if (to === 'refunded') this.refundRemainder(order, ctx);
    const text = `${opts.note ? `${opts.note} ` : ''}Order status changed from ${STATUS_LABELS[from] ?? from} to ${STATUS_LABELS[to] ?? to}.`;
    this.addNote(order, text, { ...ctx, user: opts.manual ? ctx.user : undefined, addedByUser: Boolean(opts.manual) });
    this.emitOrder(order, 'updated', ctx);
    return true;
  }

  /** The product whose stock a line item moves: the variation, its parent when the parent manages stock, or none. */
  private stockHolder(item: LineItemRecord): PostRecord | undefined {
    const post = this.state.post(item.variationId || item.productId);
    if (!post) return undefined;
    const managing = this.state.managingStock(post);
    if (managing === 'parent') return this.state.product(post.parentId);
    return managing ? post : undefined;
  }

  private moveStock(holder: PostRecord, delta: number, ctx: WriteContext): { from: number; to: number } {
    const from = holder.stockQuantity ?? 0;
    if (ctx.historical) return { from, to: from + delta };
    holder.stockQuantity = from + delta;
    this.state.validateProps(holder);
    const at = this.now(ctx);
    this.state.touch(holder, at);
    const parent = holder.kind === 'variation' ? this.state.product(holder.parentId) : holder.type === 'variable' ? holder : undefined;
    if (parent) {
      this.state.syncVariableParent(parent);
      if (parent !== holder) this.state.touch(parent, at);
    }
    return { from, to: holder.stockQuantity };
  }

  /** wc_maybe_reduce_stock_levels: once per order; items remember what they took (`_reduced_stock`). */
  reduceStock(order: OrderRecord, ctx: WriteContext = {}): void {
    if (order.stockReduced) return;
    order.stockReduced = true;
    if (this.state.options.woocommerce_manage_stock !== 'yes') return;
    const changes: string[] = [];
    for (const item of order.lineItems) {
      if (item.reducedStock > 0) continue;
      const holder = this.stockHolder(item);
      if (!holder) continue;
      const { from, to } = this.moveStock(holder, -item.quantity, ctx);
      item.reducedStock = item.quantity;
      changes.push(`${item.name} (${holder.sku || `#${holder.id}`}) ${from}&rarr;${to}`);
    }
    if (changes.length > 0) this.addNote(order, `Stock levels reduced: ${changes.join(', ')}`, ctx);
  }

  /** wc_maybe_increase_stock_levels: gives back what the items took. */
  restoreStock(order: OrderRecord, ctx: WriteContext = {}): void {
    if (!order.stockReduced) return;
    order.stockReduced = false;
    const changes: string[] = [];
    for (const item of order.lineItems) {
      if (item.reducedStock <= 0) continue;
      const holder = this.stockHolder(item);
      const qty = item.reducedStock;
      item.reducedStock = 0;
      if (!holder) continue;
      const { from, to } = this.moveStock(holder, qty, ctx);
      changes.push(`${item.name} (${holder.sku || `#${holder.id}`}) ${from}&rarr;${to}`);
    }
    if (changes.length > 0) this.addNote(order, `Stock levels increased: ${changes.join(', ')}`, ctx);
  }

  addNote(order: OrderRecord, text: string, opts: WriteContext & { customerNote?: boolean; addedByUser?: boolean } = {}): NoteRecord {
    const note: NoteRecord = {
      id: this.state.nextCommentId(),
      created: this.now(opts),
      note: text,
      customerNote: Boolean(opts.customerNote),
      author: opts.addedByUser && opts.user ? (opts.user.userDisplayName ?? 'admin') : 'WooCommerce',
    };
    order.notes.push(note);
    return note;
  }

  /** A save with no changes (bulk edits, plugins): date_modified moves, order.updated fires. */
  touch(order: OrderRecord, ctx: WriteContext = {}): void {
    order.modified = this.now(ctx);
    this.emitOrder(order, 'updated', ctx);
  }

  trash(order: OrderRecord, ctx: WriteContext = {}): void {
    if (order.status === 'trash') throw new WooRestError('woocommerce_rest_already_trashed', 'The order has already been deleted.', 410);
    order.statusBeforeTrash = order.status;
    order.status = 'trash';
    order.modified = this.now(ctx);
    this.emitOrder(order, 'deleted', ctx);
  }

  deletePermanently(order: OrderRecord, ctx: WriteContext = {}): void {
    for (const id of order.refundIds) this.state.refunds.delete(id);
    this.state.orders.delete(order.id);
    this.emitOrder(order, 'deleted', ctx);
  }

  // --- refunds ----------------------------------------------------------------------------------

  private refundCopy<T extends RefundableItem>(item: T, line: RefundLineWrite): T {
    const qty = line.quantity ?? 0;
    const total = -(line.refundTotal ?? 0);
    const taxes: TaxSplit[] = [...line.refundTax.entries()].map(([rateId, amount]) => ({ rateId, total: -amount, subtotal: -amount }));
    const tax = sumTaxes(taxes, 'total');
    const meta: MetaEntry[] = [...item.meta.map((m) => ({ ...m, id: this.state.nextMetaId() })), { id: this.state.nextMetaId(), key: '_refunded_item_id', value: String(item.id) }];
    const base = { id: this.state.nextOrderItemId(), meta, refundedItemId: item.id };
    switch (item.type) {
      case 'line_item':
        return { ...item, ...base, quantity: -qty, subtotal: total, subtotalTax: tax, total, totalTax: tax, taxes, reducedStock: 0, restockedRefunded: 0 };
      case 'shipping':
      case 'fee':
        return { ...item, ...base, total, totalTax: tax, taxes };
    }
    return item;
  }

  /**
   * wc_create_refund: validates the amount against what remains, copies the named items with
   * negative values, asks the gateway when api_refund (removing the refund if it cannot), restocks
   * when api_restock, marks the order refunded when nothing remains, and re-saves the order.
   */
  createRefund(order: OrderRecord, w: RefundWrite, ctx: WriteContext = {}): RefundRecord {
    const at = this.now(ctx);
    const amount = w.amount ?? 0;
    const remaining = this.remainingRefundAmount(order);
    if (amount < 0 || amount > remaining) throw refundFailure('Invalid refund amount.');

    const byItem = new Map((w.lineItems ?? []).map((l) => [l.id, l]));
    const pick = <T extends RefundableItem>(items: T[]): T[] =>
      items.flatMap((item) => {
        const line = byItem.get(item.id);
        if (!line) return [];
        if (!line.quantity && !line.refundTotal && [...line.refundTax.values()].every((v) => !v)) return [];
        return [this.refundCopy(item, line)];
      });
    const lineItems = pick(order.lineItems);
    const shippingLines = pick(order.shippingLines);
    const feeLines = pick(order.feeLines);
    const itemTax = [...lineItems, ...feeLines].reduce((sum, i) => sum + i.totalTax, 0);
    const shippingTax = shippingLines.reduce((sum, l) => sum + l.totalTax, 0);
    const meta: MetaEntry[] = [];
    upsertMeta(this.state, meta, w.meta);
    const refund: RefundRecord = {
      kind: 'refund',
      id: this.state.nextPostId(),
      parentId: order.id,
      created: at,
      modified: at,
      amount,
      reason: w.reason ?? '',
      refundedBy: ctx.user?.userId ?? 1,
      refundedPayment: false,
      meta,
      lineItems,
      shippingLines,
      feeLines,
      taxLines: this.taxLinesFor([], itemTax, shippingTax),
    };
    this.state.refunds.set(refund.id, refund);
    order.refundIds.unshift(refund.id);

    if (w.apiRefund ?? true) {
      const gateway = PAYMENT_GATEWAYS[order.paymentMethod];
      const problem = !gateway
        ? 'The payment gateway for this order does not exist.'
        : !gateway.refunds
          ? 'The payment gateway for this order does not support automatic refunds.'
          : undefined;
      if (problem) {
        this.state.refunds.delete(refund.id);
        order.refundIds = order.refundIds.filter((id) => id !== refund.id);
        throw refundFailure(problem);
      }
      refund.refundedPayment = true;
      const reason = refund.reason ? ` – Reason: ${refund.reason}` : '';
      this.addNote(order, `Refunded &pound;${money(amount)} – Refund ID: re_${randomString(this.random, 24)}${reason}`, ctx);
    }
    if (w.apiRestock ?? true) this.restockRefunded(order, w.lineItems ?? [], ctx);

    order.modified = at;
    if (remaining - amount <= 0) this.setStatus(order, 'refunded', ctx);
    // woocommerce_order_refunded (order.updated) and the parent's save.
    this.emitOrder(order, 'updated', ctx);
    return refund;
  }

  /** wc_restock_refunded_items */
  private restockRefunded(order: OrderRecord, lines: RefundLineWrite[], ctx: WriteContext): void {
    for (const line of lines) {
      const item = order.lineItems.find((i) => i.id === line.id);
      const qty = line.quantity ?? 0;
      if (!item || qty <= 0 || item.reducedStock <= 0) continue;
      const holder = this.stockHolder(item);
      if (!holder) continue;
      const { from, to } = this.moveStock(holder, qty, ctx);
      item.reducedStock -= qty;
      item.restockedRefunded += qty;
      this.addNote(order, `Item #${holder.id} stock increased from ${from} to ${to}.`, ctx);
    }
  }

  /** wc_order_fully_refunded: status set to refunded directly → a refund for what remains, no gateway call. */
  private refundRemainder(order: OrderRecord, ctx: WriteContext): void {
    const remaining = this.remainingRefundAmount(order);
    if (remaining <= 0) return;
    this.createRefund(order, { amount: remaining, reason: 'Order fully refunded.', apiRefund: false, apiRestock: false }, ctx);
  }

  deleteRefund(refund: RefundRecord, ctx: WriteContext = {}): void {
    this.state.refunds.delete(refund.id);
    const order = this.state.orders.get(refund.parentId);
    if (!order) return;
    order.refundIds = order.refundIds.filter((id) => id !== refund.id);
    // Newer source binds woocommerce_delete_order_refund to order.updated; the order itself is not re-saved.
    this.emitOrder(order, 'updated', ctx);
  }
}

