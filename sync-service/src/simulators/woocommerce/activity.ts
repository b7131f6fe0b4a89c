/**
 * Demo store activity: what happens in a live shop between two syncs. A shopper buys managed stock
 * (a stock change with no order, as a POS or another channel would make), and, with some
 * probability per tick, a new checkout order arrives (processing, stock reduced), a bank-transfer
 * order is paid (on-hold → processing), or an older order gets a partial refund.
 */
import { pick, randomInt, type Random } from '../shared/random';
import { checkout, type CheckoutContext } from './checkout';
import type { PostRecord, WooCommerceState } from './data';
import { money } from './order-model';

interface EventBase {
  /** GMT, `YYYY-MM-DDTHH:MM:SS`. */
  at: string;
}

export type ActivityEvent =
  | (EventBase & { kind: 'sale'; productId: number; sku: string; quantity: number; stockAfter: number })
  | (EventBase & { kind: 'order'; orderId: number; status: string; total: string })
  | (EventBase & { kind: 'order-status'; orderId: number; from: string; to: string })
  | (EventBase & { kind: 'refund'; orderId: number; refundId: number; amount: string });

const MAX_LOG = 200;

/** Chances per tick of each order event. */
export interface OrderActivityRates {
  newOrder: number;
  payOnHold: number;
  partialRefund: number;
}

export const DEFAULT_ORDER_ACTIVITY: OrderActivityRates = { newOrder: 0.35, payOnHold: 0.2, partialRefund: 0.1 };

function log(state: WooCommerceState, event: ActivityEvent): ActivityEvent {
  state.activityLog.push(event);
  if (state.activityLog.length > MAX_LOG) state.activityLog.splice(0, state.activityLog.length - MAX_LOG);
  return event;
}

function sellable(state: WooCommerceState, p: PostRecord): boolean {
  if (!p.manageStock || (p.stockQuantity ?? 0) <= 0 || p.status !== 'publish') return false;
  if (p.kind === 'variation') return state.product(p.parentId)?.status === 'publish';
  return p.type === 'simple';
}

/** One purchase: stock goes down by 1..2 (never below zero), the product is saved. */
export function simulatePurchase(state: WooCommerceState, random: Random): ActivityEvent | undefined {
  if (state.options.woocommerce_manage_stock !== 'yes') return undefined;
  const candidates = [...state.posts.values()].filter((p) => sellable(state, p));
  if (candidates.length === 0) return undefined;
  const p = pick(random, candidates);
  const quantity = Math.min(randomInt(random, 1, 2), p.stockQuantity ?? 0);
  p.stockQuantity = (p.stockQuantity ?? 0) - quantity;
  p.totalSales += quantity;
  state.validateProps(p);
  state.touch(p);
  if (p.kind === 'variation') {
    const parent = state.product(p.parentId);
    if (parent) {
      parent.totalSales += quantity;
      state.syncVariableParent(parent);
      state.touch(parent);
    }
  }
  return log(state, { at: state.gmtDate(state.nowSeconds()), kind: 'sale', productId: p.id, sku: p.sku, quantity, stockAfter: p.stockQuantity ?? 0 });
}

/** A new checkout order: paid by card (processing) or bank transfer (on-hold); stock reduced either way. */
export function simulateNewOrder(ctx: CheckoutContext): ActivityEvent {
  const { state, random } = ctx;
  const order = checkout(ctx, { paymentMethod: random() < 0.8 ? 'stripe' : 'bacs' });
  return log(state, { at: state.gmtDate(state.nowSeconds()), kind: 'order', orderId: order.id, status: order.status, total: money(order.total) });
}

/** A bank transfer arrives: the oldest on-hold order becomes processing. */
export function simulatePayment(ctx: CheckoutContext): ActivityEvent | undefined {
  const { state, ops } = ctx;
  const order = [...state.orders.values()].filter((o) => o.status === 'on-hold').sort((a, b) => a.created - b.created)[0];
  if (!order) return undefined;
  ops.paymentComplete(order, undefined);
  return log(state, { at: state.gmtDate(state.nowSeconds()), kind: 'order-status', orderId: order.id, from: 'on-hold', to: order.status });
}

/** A return on an order at least an hour old: one unit of one item, VAT included, paid back elsewhere. */
export function simulatePartialRefund(ctx: CheckoutContext): ActivityEvent | undefined {
  const { state, ops, random } = ctx;
  const cutoff = state.nowSeconds() - 3600;
  const candidates = [...state.orders.values()].filter((o) => (o.status === 'processing' || o.status === 'completed') && o.created < cutoff);
  const options = candidates.flatMap((order) =>
    order.lineItems.filter((i) => i.quantity - ops.refundedQuantity(order, i.id) > 0).map((item) => ({ order, item })),
  );
  if (options.length === 0) return undefined;
  const { order, item } = pick(random, options);
  const net = Math.round(item.total / item.quantity);
  const tax = Math.round(item.totalTax / item.quantity);
  if (net + tax > ops.remainingRefundAmount(order)) return undefined;
  const refund = ops.createRefund(order, {
    amount: net + tax,
    reason: `Return RMA-${randomInt(random, 2000, 9999)}`,
    apiRefund: false,
    apiRestock: false,
    lineItems: [{ id: item.id, quantity: 1, refundTotal: net, refundTax: new Map([[1, tax]]) }],
  });
  return log(state, { at: state.gmtDate(state.nowSeconds()), kind: 'refund', orderId: order.id, refundId: refund.id, amount: money(refund.amount) });
}

/** One activity tick: the stock sale, then each order event with its chance. */
export function activityTick(ctx: CheckoutContext, saleRandom: Random, rates: OrderActivityRates = DEFAULT_ORDER_ACTIVITY): void {
  simulatePurchase(ctx.state, saleRandom);
  if (ctx.random() < rates.newOrder) simulateNewOrder(ctx);
  if (ctx.random() < rates.payOnHold) simulatePayment(ctx);
  if (ctx.random() < rates.partialRefund) simulatePartialRefund(ctx);
}
