/**
 * A storefront checkout: what a shopper's order looks like when it reaches WooCommerce (GB
 * addresses, VAT, flat-rate or free shipping, a gateway), created through the same operations as
 * REST writes. Used by the seed, the demo activity and tests (`sim.placeOrder`).
 */
import { pick, randomInt, type Random } from '../shared/random';
import type { PostRecord, WooCommerceState } from './data';
import { FREE_SHIPPING_FROM, PAYMENT_GATEWAYS, SHIPPING_METHODS, priceToPence, type AddressRecord, type CustomerRecord, type OrderRecord } from './order-model';
import { randomString, type LineItemWrite, type OrderOperations, type WriteContext } from './order-ops';

export interface CheckoutItem {
  sku?: string;
  productId?: number;
  variationId?: number;
  quantity?: number;
}

export interface CheckoutInput {
  /** Default: one to three random sellable products or variations. */
  items?: CheckoutItem[];
  /** A registered customer id (2..9 in the seed), 0 for a guest; default random. */
  customerId?: number;
  /** stripe (refundable through the gateway), bacs or cod (not refundable); default stripe. */
  paymentMethod?: string;
  /** Default: free_shipping from £50 ex VAT, else flat_rate. */
  shippingMethod?: 'flat_rate' | 'free_shipping' | 'none';
  coupons?: string[];
  /** Fee lines, totals in pounds ex VAT. */
  fees?: { name: string; total: string; taxStatus?: 'taxable' | 'none' }[];
  customerNote?: string;
  /**
   * Where the order ends up: stripe/cod → processing (paid, stock reduced), bacs → on-hold
   * (stock reduced, awaiting payment); `pending` leaves it unpaid; completed/cancelled/failed go on from there.
   */
  status?: 'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'failed';
  meta?: { key: string; value: unknown }[];
}

const FIRST = ['Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Harry', 'Oliver', 'George', 'Noah', 'Jack', 'Leo', 'Freya', 'Arthur', 'Grace', 'Oscar', 'Lily', 'Siân', 'Eilidh'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright', 'Evans', 'Thomas', "O'Brien", 'Walker', 'Khan', 'Hughes'];
const PLACES = [
  { city: 'London', postcode: 'SW1A 2AA', street: 'Whitehall', county: '' },
  { city: 'Leeds', postcode: 'LS1 6HW', street: 'Briggate', county: 'West Yorkshire' },
  { city: 'Manchester', postcode: 'M1 1AE', street: 'Market Street', county: 'Greater Manchester' },
  { city: 'Bristol', postcode: 'BS1 5TR', street: 'Park Street', county: '' },
  { city: 'Edinburgh', postcode: 'EH2 2ER', street: 'Princes Street', county: '' },
  { city: 'Cardiff', postcode: 'CF10 1EP', street: 'Queen Street', county: '' },
  { city: 'Birmingham', postcode: 'B2 4QA', street: 'New Street', county: 'West Midlands' },
  { city: 'York', postcode: 'YO1 8AS', street: 'Stonegate', county: 'North Yorkshire' },
  { city: 'Norwich', postcode: 'NR3 1HN', street: 'Elm Hill', county: 'Norfolk' },
  { city: 'Brighton', postcode: 'BN1 1UB', street: 'North Street', county: 'East Sussex' },
];
const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15',
];
const NOTES = ['Please leave with a neighbour if out.', 'Gift – no prices on the delivery note please.', 'Side door, ring twice.'];

export function randomAddress(random: Random, withEmail: boolean): AddressRecord {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const place = pick(random, PLACES);
  const a: AddressRecord = {
    first_name: first,
    last_name: last,
    company: random() < 0.1 ? `${last} & Co Ltd` : '',
    address_1: `${randomInt(random, 1, 180)} ${place.street}`,
    address_2: random() < 0.2 ? `Flat ${randomInt(random, 1, 12)}` : '',
    city: place.city,
    state: place.county,
    postcode: place.postcode,
    country: 'GB',
    phone: `07700 900${String(randomInt(random, 0, 999)).padStart(3, '0')}`,
  };
  if (withEmail) a.email = `${first}.${last}${randomInt(random, 1, 99)}@example.co.uk`.toLowerCase().replace(/[^a-z0-9.@-]/g, '');
  return a;
}

function withoutEmail(a: AddressRecord): AddressRecord {
  const copy = { ...a };
  delete copy.email;
  return copy;
}

/** The registered customers (ids 2..9; 1 is the shop manager). */
export function seedCustomers(state: WooCommerceState, random: Random, count = 8): void {
  for (let i = 0; i < count; i++) {
    const id = 2 + i;
    const billing = randomAddress(random, true);
    const customer: CustomerRecord = { id, email: billing.email ?? '', firstName: billing.first_name, lastName: billing.last_name, billing };
    state.customers.set(id, customer);
  }
}

/** Published simple products and variations with a price (what a shopper can put in the basket). */
export function sellableProducts(state: WooCommerceState, exclude: ReadonlySet<string> = new Set()): PostRecord[] {
  return [...state.posts.values()].filter((p) => {
    if (p.status !== 'publish' || exclude.has(p.sku) || state.activePrice(p) === '') return false;
    if (p.kind === 'variation') return state.product(p.parentId)?.status === 'publish';
    return p.type === 'simple';
  });
}

export interface CheckoutContext {
  state: WooCommerceState;
  ops: OrderOperations;
  random: Random;
  /** SKUs random baskets never contain (the deliberate "unknown in Brightpearl" ones). */
  excludeSkus?: ReadonlySet<string>;
}

function randomItems(ctx: CheckoutContext): LineItemWrite[] {
  const pool = sellableProducts(ctx.state, ctx.excludeSkus);
  if (pool.length === 0) throw new Error('the store has nothing to sell');
  const roll = ctx.random();
  const count = Math.min(pool.length, roll < 0.6 ? 1 : roll < 0.9 ? 2 : 3);
  const chosen = new Set<PostRecord>();
  while (chosen.size < count) chosen.add(pick(ctx.random, pool));
  return [...chosen].map((p) => {
    const q = ctx.random();
    return { productId: p.kind === 'variation' ? p.parentId : p.id, variationId: p.kind === 'variation' ? p.id : undefined, quantity: q < 0.75 ? 1 : q < 0.95 ? 2 : 3 };
  });
}

/** Places an order as checkout would, at `wctx.at` (default now). */
export function checkout(ctx: CheckoutContext, input: CheckoutInput = {}, wctx: WriteContext = {}): OrderRecord {
  const { state, ops, random } = ctx;
  const customers = [...state.customers.values()];
  const customerId = input.customerId ?? (customers.length > 0 && random() < 0.55 ? pick(random, customers).id : 0);
  const customer = state.customers.get(customerId);
  const billing = customer ? { ...customer.billing } : randomAddress(random, true);
  const shipping = withoutEmail(random() < 0.8 ? billing : randomAddress(random, false));
  const paymentMethod = input.paymentMethod ?? 'stripe';
  const lineItems: LineItemWrite[] = input.items
    ? input.items.map((i) => ({ sku: i.sku, productId: i.productId, variationId: i.variationId, quantity: i.quantity ?? 1 }))
    : randomItems(ctx);
  // Shipping is chosen on the basket value before VAT, as the free-shipping minimum is set up here.
  let basket = 0;
  for (const item of lineItems) {
    const post = item.variationId ? state.post(item.variationId) : item.productId ? state.post(item.productId) : item.sku ? state.findBySku(item.sku) : undefined;
    basket += post ? priceToPence(state.activePrice(post)) * (item.quantity ?? 1) : 0;
  }
  const methodKey = input.shippingMethod ?? (basket >= FREE_SHIPPING_FROM ? 'free_shipping' : 'flat_rate');
  const method = methodKey === 'none' ? undefined : SHIPPING_METHODS[methodKey];
  const order = ops.createOrder(
    {
      customerId,
      billing,
      shipping,
      paymentMethod,
      paymentMethodTitle: PAYMENT_GATEWAYS[paymentMethod]?.title ?? paymentMethod,
      customerNote: input.customerNote ?? (random() < 0.1 ? pick(random, NOTES) : ''),
      customerIp: `81.2.69.${randomInt(random, 2, 250)}`,
      customerUserAgent: pick(random, AGENTS),
      lineItems,
      shippingLines: method ? [{ methodId: method.methodId, methodTitle: method.title, instanceId: method.instanceId, total: method.cost }] : [],
      feeLines: (input.fees ?? []).map((f) => ({ name: f.name, total: Math.round(Number(f.total) * 100), taxStatus: f.taxStatus ?? 'taxable' })),
      couponLines: (input.coupons ?? []).map((code) => ({ code })),
      meta: input.meta,
    },
    { ...wctx, createdVia: 'checkout' },
  );
  // Shipping line "Items" meta, as checkout records it.
  const summary = order.lineItems.map((i) => `${i.name} &times; ${i.quantity}`).join(', ');
  for (const line of order.shippingLines) line.meta.push({ id: state.nextMetaId(), key: 'Items', value: summary });

  const target = input.status ?? (paymentMethod === 'bacs' ? 'on-hold' : 'processing');
  if (target === 'pending') return order;
  if (target === 'failed') {
    ops.setStatus(order, 'failed', wctx, { note: 'Payment failed: card declined.' });
    return order;
  }
  if (paymentMethod === 'bacs') {
    ops.setStatus(order, 'on-hold', wctx, { note: 'Awaiting BACS payment.' });
    if (target === 'processing' || target === 'completed') ops.paymentComplete(order, undefined, wctx);
  } else if (paymentMethod === 'stripe') {
    if (target === 'on-hold') ops.setStatus(order, 'on-hold', wctx, { note: 'Stripe charge authorized (Charge ID: ch_pending).' });
    else ops.paymentComplete(order, `pi_3Q${randomString(random, 22)}`, wctx);
  } else {
    ops.setStatus(order, target === 'on-hold' ? 'on-hold' : 'processing', wctx, { note: 'Payment to be made upon delivery.' });
  }
  if (target === 'completed') ops.setStatus(order, 'completed', wctx);
  if (target === 'cancelled') ops.setStatus(order, 'cancelled', wctx);
  return order;
}
