/**
 * Order history for the simulated store: `count` orders over the last days (at least four, about
 * 25 a day), mostly processing, some completed, on-hold (bank transfer), pending and cancelled;
 * guests and registered customers; variations; one order with a fee, one with a coupon; one with a
 * product Brightpearl does not know (catalog.quirks.missingInBrightpearl); a partial line-item
 * refund, a shipping-only refund and a fully refunded order. The newest few carry a
 * sequential-number plugin's number. Deterministic for a seed and the store clock.
 *
 * History does not move stock: the seeded stock levels already reflect these sales.
 */
import type { Catalog } from '../catalog';
import { randomInt, seededRandom } from '../shared/random';
import type { WooCommerceState } from './data';
import { checkout, seedCustomers, type CheckoutInput } from './checkout';
import type { OrderRecord } from './order-model';
import { OrderOperations, type WriteContext } from './order-ops';

export interface SeedOrdersOptions {
  count: number;
  seed: number;
  catalog: Catalog;
}

type Plan = 'processing' | 'completed' | 'on-hold' | 'pending' | 'cancelled' | 'refunded';

const DAY = 86_400;

export function seedOrders(state: WooCommerceState, opts: SeedOrdersOptions): void {
  const random = seededRandom(opts.seed * 31 + 5);
  const ops = new OrderOperations(state, random);
  if (state.customers.size === 0) seedCustomers(state, random);
  const count = Math.max(0, Math.floor(opts.count));
  if (count === 0) return;

  const unknownSkus = opts.catalog.quirks.missingInBrightpearl.map((x) => x.sku).filter((sku) => state.findBySku(sku));
  const ctx = { state, ops, random, excludeSkus: new Set(unknownSkus) };
  const now = state.nowSeconds();
  const span = Math.max(4, Math.ceil(count / 25)) * DAY;
  const start = now - span;
  const latest = now - 30;
  const cap = (t: number) => Math.min(t, latest);

  const specials = count >= 12;
  const at = (fraction: number) => Math.floor(count * fraction);
  const special = {
    unknownSku: specials ? count - 3 : -1,
    fee: specials ? count - 6 : -1,
    coupon: specials ? count - 9 : -1,
    partialRefund: specials ? at(0.3) : -1,
    shippingRefund: specials ? at(0.5) : -1,
    fullRefund: specials ? at(0.2) : -1,
  };
  const numberedFrom = count - 6;
  const keepNumbering = state.sequentialOrderNumbers;

  for (let i = 0; i < count; i++) {
    state.sequentialOrderNumbers = keepNumbering && i >= numberedFrom;
    const created = Math.min(latest - 60, start + Math.floor(((i + random() * 0.8) * span) / count));
    const hist = (t: number): WriteContext => ({ at: cap(t), historical: true });

    const roll = random();
    let plan: Plan = roll < 0.55 ? 'processing' : roll < 0.75 ? 'completed' : roll < 0.85 ? 'on-hold' : roll < 0.92 ? 'pending' : 'cancelled';
    const input: CheckoutInput = {};
    if (i === special.unknownSku || i === special.fee || i === special.coupon || i === special.shippingRefund) plan = 'processing';
    if (i === special.partialRefund) plan = 'completed';
    if (i === special.fullRefund) plan = 'refunded';

    const payRoll = random();
    input.paymentMethod = plan === 'on-hold' ? 'bacs' : payRoll < 0.75 ? 'stripe' : payRoll < 0.9 ? 'bacs' : 'cod';
    if (i === special.unknownSku && unknownSkus[0]) input.items = [{ sku: unknownSkus[0], quantity: 1 }];
    if (i % 6 === 2 && !input.items) {
      const variation = [...state.posts.values()].find((p, n) => p.kind === 'variation' && p.status === 'publish' && n % 7 === i % 7);
      if (variation) input.items = [{ variationId: variation.id, productId: variation.parentId, quantity: randomInt(random, 1, 2) }];
    }
    if (i === special.fee) input.fees = [{ name: 'Gift wrapping', total: '2.50' }];
    if (i === special.coupon) input.coupons = ['spring10'];
    if (i === special.shippingRefund) {
      input.shippingMethod = 'flat_rate';
      input.paymentMethod = 'stripe';
    }

    // Placed (pending), then paid or put on hold a few seconds later.
    const placedStatus = plan === 'pending' || plan === 'cancelled' ? 'pending' : input.paymentMethod === 'bacs' ? 'on-hold' : 'processing';
    const order = checkout(ctx, { ...input, status: placedStatus }, hist(created + randomInt(random, 5, 40)));
    order.created = created;

    let t = order.modified;
    if (input.paymentMethod === 'bacs' && plan !== 'on-hold' && plan !== 'pending' && plan !== 'cancelled') {
      t = cap(t + randomInt(random, 2, 20) * 3600);
      ops.paymentComplete(order, undefined, hist(t));
    }
    if (plan === 'cancelled') {
      t = cap(t + randomInt(random, 1, 6) * 3600);
      ops.setStatus(order, 'cancelled', hist(t), { note: 'Unpaid order cancelled - time limit reached.' });
    }
    if (plan === 'completed' || plan === 'refunded') {
      const done = t + randomInt(random, 1, 2) * DAY + randomInt(random, 0, 6 * 3600);
      if (done < latest) {
        t = done;
        ops.setStatus(order, plan === 'refunded' ? 'refunded' : 'completed', hist(t));
      }
    }
    if (i === special.partialRefund) refundFirstUnit(ops, order, hist(t + randomInt(random, 1, 3) * 3600));
    if (i === special.shippingRefund) refundShipping(ops, order, hist(t + randomInt(random, 2, 8) * 3600));
  }
  state.sequentialOrderNumbers = keepNumbering;
}

/** A return of one unit of the first line item, VAT included, paid back outside WooCommerce. */
function refundFirstUnit(ops: OrderOperations, order: OrderRecord, ctx: WriteContext): void {
  const item = order.lineItems[0];
  if (!item || item.quantity < 1) return;
  const net = Math.round(item.total / item.quantity);
  const tax = Math.round(item.totalTax / item.quantity);
  ops.createRefund(
    order,
    { amount: net + tax, reason: 'Damaged in transit (RMA-1042)', apiRefund: false, apiRestock: false, lineItems: [{ id: item.id, quantity: 1, refundTotal: net, refundTax: new Map([[1, tax]]) }] },
    ctx,
  );
}

function refundShipping(ops: OrderOperations, order: OrderRecord, ctx: WriteContext): void {
  const line = order.shippingLines[0];
  if (!line || line.total === 0) return;
  const amount = line.total + line.totalTax;
  if (amount > ops.remainingRefundAmount(order)) return;
  ops.createRefund(
    order,
    { amount, reason: 'Late delivery: shipping refunded', apiRefund: false, apiRestock: false, lineItems: [{ id: line.id, refundTotal: line.total, refundTax: new Map([[1, line.totalTax]]) }] },
    ctx,
  );
}
