/**
 * Orders, refunds and notes in the wc/v3 controllers' shapes (§5.2, §6). Line item `sku`,
 * `parent_name` and `image` are looked up from the current product at render time (§10.13).
 */
import type { MetaEntry, WooCommerceState } from './data';
import {
  money,
  orderNumber,
  refundsOf,
  type AddressRecord,
  type CouponLineRecord,
  type FeeLineRecord,
  type LineItemRecord,
  type NoteRecord,
  type OrderRecord,
  type RefundRecord,
  type ShippingLineRecord,
  type TaxLineRecord,
  type TaxSplit,
} from './order-model';

const API = '/wp-json/wc/v3';

function apiUrl(home: string, path: string): string {
  return `${home}${API}/${path}`;
}

function datepair(state: WooCommerceState, name: string, seconds: number | null): Record<string, string | null> {
  return {
    [name]: seconds === null ? null : state.siteDate(seconds),
    [`${name}_gmt`]: seconds === null ? null : state.gmtDate(seconds),
  };
}

function displayKey(key: string): string {
  return key.startsWith('_') ? key : key.replace(/[-_]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

/** Item meta as v3 shows it: with display_key / display_value. */
function itemMeta(meta: MetaEntry[]) {
  return meta.map((m) => ({ id: m.id, key: m.key, value: m.value, display_key: displayKey(m.key), display_value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value) }));
}

function orderMeta(meta: MetaEntry[]) {
  return meta.map((m) => ({ id: m.id, key: m.key, value: m.value }));
}

function taxes(list: TaxSplit[], dp: number, withSubtotal: boolean) {
  return list.map((t) => ({ id: t.rateId, total: money(t.total, dp), subtotal: withSubtotal ? money(t.subtotal, dp) : '' }));
}

function address(a: AddressRecord): AddressRecord {
  return { ...a };
}

export function renderLineItem(state: WooCommerceState, item: LineItemRecord, dp: number): Record<string, unknown> {
  const post = state.post(item.variationId || item.productId);
  const parent = item.variationId ? state.product(item.productId) : undefined;
  return {
    id: item.id,
    name: item.name,
    product_id: item.productId,
    variation_id: item.variationId,
    quantity: item.quantity,
    tax_class: item.taxClass,
    subtotal: money(item.subtotal, dp),
    subtotal_tax: money(item.subtotalTax, dp),
    total: money(item.total, dp),
    total_tax: money(item.totalTax, dp),
    taxes: taxes(item.taxes, dp, true),
    meta_data: itemMeta(item.meta),
    // Live from the product: a deleted product has no SKU any more.
    sku: post ? post.sku : null,
    global_unique_id: '',
    // Unrounded float, as PHP computes it (total / quantity).
    price: item.quantity ? item.total / 100 / item.quantity : 0,
    image: { id: '', src: '' },
    parent_name: item.variationId ? (parent?.name ?? null) : null,
  };
}

function renderShippingLine(line: ShippingLineRecord, dp: number): Record<string, unknown> {
  return {
    id: line.id,
    method_title: line.methodTitle,
    method_id: line.methodId,
    instance_id: line.instanceId,
    total: money(line.total, dp),
    total_tax: money(line.totalTax, dp),
    taxes: taxes(line.taxes, dp, false),
    tax_status: 'taxable',
    meta_data: itemMeta(line.meta),
  };
}

function renderFeeLine(line: FeeLineRecord, dp: number): Record<string, unknown> {
  return {
    id: line.id,
    name: line.name,
    tax_class: line.taxClass,
    tax_status: line.taxStatus,
    amount: money(line.total, dp),
    total: money(line.total, dp),
    total_tax: money(line.totalTax, dp),
    taxes: taxes(line.taxes, dp, false),
    meta_data: itemMeta(line.meta),
  };
}

function renderCouponLine(line: CouponLineRecord, dp: number): Record<string, unknown> {
  return { id: line.id, code: line.code, discount: money(line.discount, dp), discount_tax: money(line.discountTax, dp), meta_data: itemMeta(line.meta) };
}

function renderTaxLine(line: TaxLineRecord, dp: number): Record<string, unknown> {
  return {
    id: line.id,
    rate_code: line.rateCode,
    rate_id: line.rateId,
    label: line.label,
    compound: line.compound,
    tax_total: money(line.taxTotal, dp),
    shipping_tax_total: money(line.shippingTaxTotal, dp),
    rate_percent: line.ratePercent,
    meta_data: itemMeta(line.meta),
  };
}

export function renderOrder(state: WooCommerceState, order: OrderRecord, home: string, dp = 2): Record<string, unknown> {
  const links: Record<string, { href: string }[]> = {
    self: [{ href: apiUrl(home, `orders/${order.id}`) }],
    collection: [{ href: apiUrl(home, 'orders') }],
  };
  if (order.customerId) links.customer = [{ href: apiUrl(home, `customers/${order.customerId}`) }];
  const needsPayment = (order.status === 'pending' || order.status === 'failed') && order.total > 0;
  const created = datepair(state, 'date_created', order.created);
  const modified = datepair(state, 'date_modified', order.modified);
  const completed = datepair(state, 'date_completed', order.completed);
  const paid = datepair(state, 'date_paid', order.paid);
  return {
    id: order.id,
    parent_id: order.parentId,
    status: order.status,
    currency: order.currency,
    version: order.version,
    prices_include_tax: order.pricesIncludeTax,
    date_created: created.date_created,
    date_modified: modified.date_modified,
    discount_total: money(order.discountTotal, dp),
    discount_tax: money(order.discountTax, dp),
    shipping_total: money(order.shippingTotal, dp),
    shipping_tax: money(order.shippingTax, dp),
    cart_tax: money(order.cartTax, dp),
    total: money(order.total, dp),
    total_tax: money(order.totalTax, dp),
    customer_id: order.customerId,
    order_key: order.orderKey,
    billing: address(order.billing),
    shipping: address(order.shipping),
    payment_method: order.paymentMethod,
    payment_method_title: order.paymentMethodTitle,
    transaction_id: order.transactionId,
    customer_ip_address: order.customerIp,
    customer_user_agent: order.customerUserAgent,
    created_via: order.createdVia,
    customer_note: order.customerNote,
    date_completed: completed.date_completed,
    date_paid: paid.date_paid,
    cart_hash: order.cartHash,
    number: orderNumber(order),
    meta_data: orderMeta(order.meta),
    line_items: order.lineItems.map((i) => renderLineItem(state, i, dp)),
    tax_lines: order.taxLines.map((t) => renderTaxLine(t, dp)),
    shipping_lines: order.shippingLines.map((l) => renderShippingLine(l, dp)),
    fee_lines: order.feeLines.map((l) => renderFeeLine(l, dp)),
    coupon_lines: order.couponLines.map((l) => renderCouponLine(l, dp)),
    refunds: refundsOf(state.refunds, order).map((r) => ({ id: r.id, reason: r.reason, total: money(-r.amount, dp) })),
    payment_url: `${home}/checkout/order-pay/${order.id}/?pay_for_order=true&key=${order.orderKey}`,
    is_editable: ['pending', 'on-hold', 'auto-draft', 'checkout-draft'].includes(order.status),
    needs_payment: needsPayment,
    needs_processing: order.lineItems.length > 0,
    date_created_gmt: created.date_created_gmt,
    date_modified_gmt: modified.date_modified_gmt,
    date_completed_gmt: completed.date_completed_gmt,
    date_paid_gmt: paid.date_paid_gmt,
    currency_symbol: order.currency === 'GBP' ? '£' : order.currency,
    _links: links,
  };
}

export function renderRefund(state: WooCommerceState, refund: RefundRecord, home: string, dp = 2, withParent = false): Record<string, unknown> {
  const created = datepair(state, 'date_created', refund.created);
  return {
    id: refund.id,
    ...(withParent ? { parent_id: refund.parentId } : {}),
    date_created: created.date_created,
    date_created_gmt: created.date_created_gmt,
    amount: money(refund.amount, dp),
    reason: refund.reason,
    refunded_by: refund.refundedBy,
    refunded_payment: refund.refundedPayment,
    meta_data: orderMeta(refund.meta),
    line_items: refund.lineItems.map((i) => renderLineItem(state, i, dp)),
    shipping_lines: refund.shippingLines.map((l) => renderShippingLine(l, dp)),
    tax_lines: refund.taxLines.map((t) => renderTaxLine(t, dp)),
    fee_lines: refund.feeLines.map((l) => renderFeeLine(l, dp)),
    _links: {
      self: [{ href: apiUrl(home, `orders/${refund.parentId}/refunds/${refund.id}`) }],
      collection: [{ href: apiUrl(home, `orders/${refund.parentId}/refunds`) }],
      up: [{ href: apiUrl(home, `orders/${refund.parentId}`) }],
    },
  };
}

export function renderNote(state: WooCommerceState, orderId: number, note: NoteRecord, home: string): Record<string, unknown> {
  return {
    id: note.id,
    // v3: notes WooCommerce added itself carry author "system".
    author: note.author === 'WooCommerce' ? 'system' : note.author,
    date_created: state.siteDate(note.created),
    date_created_gmt: state.gmtDate(note.created),
    note: note.note,
    customer_note: note.customerNote,
    _links: {
      self: [{ href: apiUrl(home, `orders/${orderId}/notes/${note.id}`) }],
      collection: [{ href: apiUrl(home, `orders/${orderId}/notes`) }],
      up: [{ href: apiUrl(home, `orders/${orderId}`) }],
    },
  };
}
