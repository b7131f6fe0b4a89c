/**
 * The store's and the warehouse's side of a failure-suite run: WooCommerce orders and refunds,
 * and Brightpearl shipping the sales orders the service created (some in two parts).
 */
import type { BrightpearlSimulator } from '../../../src/simulators/brightpearl/app';
import { unfulfilledRows } from '../../../src/simulators/brightpearl/goods-out';
import type { Random } from '../../../src/simulators/shared/random';
import type { WooCommerceSimulator } from '../../../src/simulators/woocommerce/app';
import type { OrderRecord } from '../../../src/simulators/woocommerce/order-model';

const money = (pence: number) => (pence / 100).toFixed(2);

/**
 * Places `count` paid orders in `processing` (stripe, cash on delivery or a paid bank transfer);
 * returns their ids. `overSeconds`: they are dated as placed over that many seconds up to now
 * (a store takes orders one by one; hundreds saved in the same second is a bulk edit, another test).
 */
export function placeOrders(wc: WooCommerceSimulator, random: Random, count: number, overSeconds = 0): number[] {
  const ids: number[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i++) {
    const roll = random();
    const paymentMethod = roll < 0.6 ? 'stripe' : roll < 0.85 ? 'cod' : 'bacs';
    const order = wc.placeOrder({ paymentMethod, status: 'processing' });
    const id = order.id as number;
    ids.push(id);
    if (overSeconds > 0) {
      const at = now - overSeconds + Math.floor((i * overSeconds) / count);
      const record = wc.orderRecord(id) as OrderRecord;
      record.created = at;
      if (record.paid !== null) record.paid = at;
      wc.touchOrders([id], at);
    }
  }
  return ids;
}

export interface PlannedRefund {
  orderId: number;
  /** Made before the service first starts, or while it is being killed and restarted. */
  when: 'before' | 'during';
  kind: 'amount' | 'item';
  refundId?: number;
}

/** About `share` of the orders get a refund, a third of those a second one; half of the first ones exist before the sync starts. */
export function planRefunds(orderIds: number[], random: Random, share = 0.1): PlannedRefund[] {
  const plans: PlannedRefund[] = [];
  for (const orderId of orderIds) {
    if (random() >= share) continue;
    plans.push({ orderId, when: random() < 0.5 ? 'before' : 'during', kind: random() < 0.35 ? 'item' : 'amount' });
    if (random() < 0.35) plans.push({ orderId, when: 'during', kind: 'amount' });
  }
  return plans;
}

/** Makes a planned refund in WooCommerce (paid back outside WooCommerce: `api_refund` false). */
export function makeRefund(wc: WooCommerceSimulator, plan: PlannedRefund, random: Random): void {
  if (plan.refundId !== undefined) return;
  const order = wc.orderRecord(plan.orderId) as OrderRecord;
  const item = order.lineItems[0];
  const net = item ? Math.round(item.total / item.quantity) : 0;
  const tax = item ? Math.round(item.totalTax / item.quantity) : 0;
  // Never the whole order: a fully refunded order becomes `refunded`, which is not exported.
  if (plan.kind === 'item' && item && item.quantity >= 1 && !order.refundIds.length && net + tax < order.total - 100) {
    const refund = wc.createRefund(plan.orderId, {
      amount: money(net + tax),
      reason: 'Returned: damaged in transit',
      api_refund: false,
      line_items: [{ id: item.id, quantity: 1, refund_total: money(net), refund_tax: [{ id: 1, refund_total: money(tax) }] }],
    });
    plan.refundId = refund.id as number;
    return;
  }
  const refunded = order.refundIds.reduce((sum, id) => sum + (wc.refundRecord(id)?.amount ?? 0), 0);
  const amount = Math.max(1, Math.min(100 + Math.floor(random() * 300), Math.floor((order.total - refunded) / 4)));
  const refund = wc.createRefund(plan.orderId, { amount: money(amount), reason: 'Goodwill', api_refund: false });
  plan.refundId = refund.id as number;
}

/**
 * The warehouse: ships the sales orders of our WooCommerce orders as they appear in Brightpearl.
 * About a quarter go in two parts (one unit of the first row, later the rest), some wait a while.
 * Tracking numbers are unique, so each can be followed onto its WooCommerce order.
 */
export class Warehouse {
  private readonly firstSeen = new Map<number, number>();
  private tick = 0;
  private sequence = 0;
  notesShipped = 0;
  partials = 0;

  constructor(private readonly bp: BrightpearlSimulator) {}

  private reference(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${String(this.sequence).padStart(9, '0')}GB`;
  }

  /** One step: new sales orders are noticed, older ones shipped (or part-shipped). `all`: ship everything left. */
  step(all = false): void {
    this.tick += 1;
    for (const so of this.bp.state.orders.values()) {
      if (so.orderTypeCode !== 'SO' || so.cancelled) continue;
      const left = unfulfilledRows(this.bp.state, so);
      if (left.length === 0) continue;
      const seen = this.firstSeen.get(so.id);
      if (seen === undefined && !all) {
        this.firstSeen.set(so.id, this.tick);
        continue;
      }
      const age = this.tick - (seen ?? this.tick);
      const split = so.id % 4 === 1;
      const noted = left.length !== so.rows.filter((r) => r.stockTracked && r.productId !== undefined).length || left.some((r) => r.remaining < Math.round(r.row.quantity / 10_000));
      if (split && !noted) {
        // First part: one unit of the first row.
        const first = left[0] as (typeof left)[number];
        const noteId = this.bp.createGoodsOutNote(so.id, { rows: [{ rowId: first.row.id, quantity: 1 }] });
        this.bp.shipGoodsOutNote(noteId, { reference: this.reference('PS') });
        this.notesShipped += 1;
        this.partials += 1;
        continue;
      }
      // Some wait a few ticks; the rest goes now.
      if (!all && age < (so.id % 3) * 3) continue;
      if (this.bp.shipOrder(so.id, { reference: this.reference('FS') }) !== undefined) this.notesShipped += 1;
    }
  }
}
