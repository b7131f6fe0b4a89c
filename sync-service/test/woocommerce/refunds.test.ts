/**
 * Refunds (§6) against the simulator over real HTTP: creation rules (amount computed from the
 * lines, too large, gateways without refunds, partial vs full), refund item shape, restocking,
 * store-wide /refunds and the client's window reader with its fallback for stores before 9.0.
 */
import { buildCatalog } from '../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import type { ProductRecord } from '../../src/simulators/woocommerce/data';
import { WooCommerceClient, WooCommerceError } from '../../src/woocommerce/client';
import { refundedItemId, type WooOrder } from '../../src/woocommerce/schemas';
import { asList, asRecord, rawCall } from './helpers';

const catalog = buildCatalog({ simpleCount: 40, variableCount: 4 });
const noSleep = async () => undefined;
const pence = (s: string) => Math.round(Number(s) * 100);
const pounds = (p: number) => (p / 100).toFixed(2);

function client(sim: WooCommerceSimulator, url: string): WooCommerceClient {
  return new WooCommerceClient({ url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, sleep: noSleep, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 } });
}

async function rejection(promise: Promise<unknown>): Promise<WooCommerceError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WooCommerceError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('refunds', () => {
  let sim: WooCommerceSimulator;
  let url: string;
  let wc: WooCommerceClient;
  let clock = Date.now();
  const tick = (seconds = 1) => (clock += seconds * 1000);
  const nowS = () => Math.floor(clock / 1000);
  let product: ProductRecord;

  /** A processing order for two units of the test product (stock reduced), paid by `method`. */
  const order = async (paymentMethod = 'stripe', extra: Parameters<WooCommerceSimulator['placeOrder']>[0] = {}): Promise<WooOrder> => {
    const placed = sim.placeOrder({ items: [{ sku: product.sku, quantity: 2 }], paymentMethod, status: 'processing', shippingMethod: 'flat_rate', ...extra });
    return wc.getOrder(placed.id as number);
  };

  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog, now: () => clock });
    url = await sim.listen();
    wc = client(sim, url);
    const p = [...sim.state.posts.values()].find((x): x is ProductRecord => x.kind === 'product' && x.type === 'simple' && x.sku.startsWith('BP-') && !x.virtual);
    if (!p) throw new Error('no product');
    product = p;
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    product.manageStock = true;
    product.stockQuantity = 10;
    sim.state.validateProps(product);
    wc.resetStats();
    tick();
  });

  it('computes the amount from the lines, copies items negatively with _refunded_item_id, restocks, leaves a partial refund’s order status', async () => {
    const o = await order();
    expect(sim.recordBySku(product.sku)?.stockQuantity).toBe(8);
    const item = o.line_items[0];
    if (!item) throw new Error('no line item');
    const net = pence(item.total) / 2;
    const tax = Math.round(pence(item.total_tax) / 2);
    tick(3);
    const refund = await wc.createRefund(o.id, {
      reason: 'Return RMA-5531 (Brightpearl credit SC-771)',
      line_items: [{ id: item.id, quantity: 1, refund_total: net / 100, refund_tax: [{ id: 1, refund_total: tax / 100 }] }],
    });
    expect(refund).toMatchObject({ parent_id: o.id, amount: pounds(net + tax), reason: 'Return RMA-5531 (Brightpearl credit SC-771)', refunded_payment: false });
    const line = refund.line_items[0];
    expect(line).toMatchObject({ product_id: item.product_id, quantity: -1, total: pounds(-net), total_tax: pounds(-tax), sku: product.sku });
    expect(line?.taxes).toEqual([{ id: 1, total: pounds(-tax), subtotal: pounds(-tax) }]);
    expect(line && refundedItemId(line)).toBe(item.id);
    // api_restock defaults to true in WooCommerce: the returned unit is back in stock.
    expect(sim.recordBySku(product.sku)?.stockQuantity).toBe(9);

    const after = await wc.getOrder(o.id);
    expect(after.status).toBe('processing');
    expect(after.refunds).toEqual([{ id: refund.id, reason: refund.reason, total: `-${refund.amount}` }]);
    expect(after.date_modified_gmt).toBe(sim.state.gmtDate(nowS()));
    expect(after.date_modified_gmt).not.toBe(o.date_modified_gmt);
    expect(await wc.listRefunds(o.id)).toEqual([expect.objectContaining({ id: refund.id, parent_id: o.id })]);
  });

  it('refunds shipping lines, and marks the order refunded once nothing remains', async () => {
    const o = await order();
    const shipping = o.shipping_lines[0];
    if (!shipping) throw new Error('no shipping line');
    const shippingRefund = await wc.createRefund(o.id, {
      reason: 'Late delivery',
      line_items: [{ id: shipping.id, refund_total: shipping.total, refund_tax: [{ id: 1, refund_total: shipping.total_tax }] }],
      api_restock: false,
    });
    expect(shippingRefund.amount).toBe('4.99');
    expect(shippingRefund.line_items).toEqual([]);
    expect(shippingRefund.shipping_lines?.[0]).toMatchObject({ method_id: 'flat_rate', total: '-4.16', total_tax: '-0.83' });
    expect((await wc.getOrder(o.id)).status).toBe('processing');

    const rest = pence(o.total) - 499;
    const last = await wc.createRefund(o.id, { amount: rest / 100, reason: 'Cancelled after dispatch', api_restock: false });
    expect(last.amount).toBe(pounds(rest));
    const done = await wc.getOrder(o.id);
    expect(done.status).toBe('refunded');
    expect(done.refunds.map((r) => r.id)).toEqual([last.id, shippingRefund.id]);
    expect(done.refunds.reduce((sum, r) => sum - pence(r.total), 0)).toBe(pence(o.total));
    // Not restocked: api_restock false.
    expect(sim.recordBySku(product.sku)?.stockQuantity).toBe(8);
  });

  it('refuses more than what remains: 500 "Invalid refund amount.", not retried, nothing created', async () => {
    const o = await order();
    const err = await rejection(wc.createRefund(o.id, { amount: pounds(pence(o.total) + 1) }));
    expect(err).toMatchObject({ status: 500, code: 'woocommerce_rest_cannot_create_order_refund', wooMessage: 'Invalid refund amount.', retryable: false });
    expect(wc.stats()).toEqual({ 'GET orders/:id': 1, 'POST orders/:id/refunds': 1 });
    expect(await wc.listRefunds(o.id)).toEqual([]);
  });

  it('refuses a negative amount with WooCommerce’s bare-number error data (HTTP 500)', async () => {
    const o = await order();
    const raw = await rawCall(sim, 'POST', `orders/${o.id}/refunds`, { body: { amount: '-5.00', api_refund: false } });
    expect(raw.status).toBe(500);
    expect(raw.json).toEqual({ code: 'woocommerce_rest_invalid_order_refund', message: 'Refund amount must be greater than zero.', data: 400 });
    const err = await rejection(wc.createRefund(o.id, { amount: '-5.00' }));
    expect(err).toMatchObject({ code: 'woocommerce_rest_invalid_order_refund', retryable: false });
  });

  it('wants amount as a string (schema type); the client sends numbers as 2-dp strings', async () => {
    const o = await order();
    const raw = await rawCall(sim, 'POST', `orders/${o.id}/refunds`, { body: { amount: 1.5, api_refund: false } });
    expect(raw.status).toBe(400);
    expect(asRecord(asRecord(raw.json).data).params).toEqual({ amount: 'amount is not of type string.' });
    expect((await wc.createRefund(o.id, { amount: 1.5 })).amount).toBe('1.50');
  });

  it('calls the gateway only with api_refund true: bacs and cod cannot refund (refund removed), stripe can', async () => {
    for (const method of ['bacs', 'cod']) {
      const o = await order(method);
      // WooCommerce's own default is api_refund=true.
      const raw = await rawCall(sim, 'POST', `orders/${o.id}/refunds`, { body: { amount: '1.00' } });
      expect(raw.status).toBe(500);
      expect(asRecord(raw.json)).toMatchObject({ code: 'woocommerce_rest_cannot_create_order_refund', message: 'The payment gateway for this order does not support automatic refunds.' });
      const err = await rejection(wc.createRefund(o.id, { amount: '1.00', api_refund: true }));
      expect(err.wooMessage).toBe('The payment gateway for this order does not support automatic refunds.');
      const after = await wc.getOrder(o.id);
      expect(after.refunds).toEqual([]);
      expect(after.date_modified_gmt).toBe(o.date_modified_gmt);
      // The client's default (api_refund false) records the refund without the gateway.
      expect(await wc.createRefund(o.id, { amount: '1.00' })).toMatchObject({ amount: '1.00', refunded_payment: false });
    }
    const card = await order('stripe');
    const paid = await wc.createRefund(card.id, { amount: '2.00', api_refund: true, reason: 'Goodwill' });
    expect(paid.refunded_payment).toBe(true);
    expect((await wc.listOrderNotes(card.id)).some((n) => n.note.startsWith('Refunded &pound;2.00'))).toBe(true);
  });

  it('does not repeat a create after an ambiguous failure, but does after the host throttled it', async () => {
    const o = await order();
    const controls = sim.controls.controls;
    const events: unknown[] = [];
    const make = (sleep: () => Promise<void>) =>
      new WooCommerceClient({ url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, sleep, retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 }, onRetry: (e) => events.push(e) });
    sim.controls.counters.reset();
    controls.errorRate = 1;
    const ambiguous = make(noSleep);
    const err = await ambiguous.createRefund(o.id, { amount: '1.00' }).then(
      () => undefined,
      (e: unknown) => e as { status?: number; retryable?: boolean },
    );
    controls.errorRate = 0;
    // A 5xx may come after WooCommerce created the refund: reported (still worth a later, checked retry), not repeated.
    expect(err).toMatchObject({ status: 500, retryable: true });
    expect(ambiguous.stats()).toEqual({ 'POST orders/:id/refunds': 1 });
    expect(events).toHaveLength(0);
    expect(sim.controls.counters.get('POST /wp-json/wc/v3/orders/:id/refunds')).toBe(1);

    controls.throttleRate = 1;
    const throttled = make(async () => {
      controls.throttleRate = 0;
    });
    const refund = await throttled.createRefund(o.id, { amount: '1.00' });
    expect(throttled.stats()).toEqual({ 'POST orders/:id/refunds': 2 });
    expect((await wc.listRefunds(o.id)).map((r) => r.id)).toEqual([refund.id]);
  });

  it('reads a single refund, and deletes only with force=true', async () => {
    const o = await order();
    const refund = await wc.createRefund(o.id, { amount: '3.00', reason: 'Test' });
    const one = await rawCall(sim, 'GET', `orders/${o.id}/refunds/${refund.id}`);
    expect(asRecord(one.json)).toMatchObject({ id: refund.id, amount: '3.00' });
    const elsewhere = await rawCall(sim, 'GET', `orders/${o.id + 1}/refunds/${refund.id}`);
    expect(elsewhere.status).toBe(404);
    const trash = await rawCall(sim, 'DELETE', `orders/${o.id}/refunds/${refund.id}`);
    expect(trash.status).toBe(501);
    expect(asRecord(trash.json).code).toBe('woocommerce_rest_trash_not_supported');
    expect((await rawCall(sim, 'DELETE', `orders/${o.id}/refunds/${refund.id}`, { query: { force: true } })).status).toBe(200);
    expect(await wc.listRefunds(o.id)).toEqual([]);
    expect((await rawCall(sim, 'GET', 'orders/999999/refunds')).json).toMatchObject({ code: 'woocommerce_rest_invalid_order_id' });
  });

  it('lists refunds store-wide with parent_id; refundsModifiedBetween reads GET /refunds', async () => {
    const from = nowS();
    const a = await order();
    const b = await order();
    const ra = await wc.createRefund(a.id, { amount: '1.00' });
    tick();
    const rb = await wc.createRefund(b.id, { amount: '2.00' });
    tick();
    const list = asList((await rawCall(sim, 'GET', 'refunds', { query: { per_page: 100, after: sim.state.gmtDate(from - 1), dates_are_gmt: true } })).json);
    expect(list.map((r) => [r.id, r.parent_id])).toEqual([
      [rb.id, b.id],
      [ra.id, a.id],
    ]);
    wc.resetStats();
    const got = await wc.refundsModifiedBetween(new Date(from * 1000), new Date(nowS() * 1000));
    expect(got.map((r) => [r.id, r.parent_id, r.amount])).toEqual([
      [ra.id, a.id, '1.00'],
      [rb.id, b.id, '2.00'],
    ]);
    expect(wc.stats()).toEqual({ 'GET refunds': 1 });
  });

  it('reads more than 100 refunds in halved windows (refunds carry no date_modified)', async () => {
    const big = await order('stripe', { items: [{ sku: product.sku, quantity: 3 }] });
    const from = nowS();
    const created: number[] = [];
    for (let i = 0; i < 130; i++) {
      tick();
      created.push(sim.createRefund(big.id, { amount: '0.01', api_refund: false, api_restock: false }).id as number);
    }
    tick();
    const seen: string[] = [];
    const stop = sim.onRequest((method, reqUrl) => {
      if (method === 'GET' && reqUrl.startsWith('/wp-json/wc/v3/refunds')) seen.push(reqUrl);
    });
    try {
      const got = await wc.refundsModifiedBetween(new Date(from * 1000), new Date(nowS() * 1000));
      expect(got.map((r) => r.id)).toEqual(created);
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.every((u) => !/[?&]page=/.test(u))).toBe(true);
    } finally {
      stop();
    }
  });
});

describe('refunds on a store without GET /refunds (WooCommerce 8.9)', () => {
  let sim: WooCommerceSimulator;
  let wc: WooCommerceClient;
  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog, wcVersion: '8.9.3' });
    wc = client(sim, await sim.listen());
  });
  afterAll(() => sim.close());

  it('answers 404 rest_no_route, and the client falls back to the refunds of orders modified in the window', async () => {
    const raw = await rawCall(sim, 'GET', 'refunds');
    expect(raw.status).toBe(404);
    expect(asRecord(raw.json).code).toBe('rest_no_route');
    const from = new Date(Date.now() - 30 * 86_400_000);
    const to = new Date(Date.now() + 1000);
    const got = await wc.refundsModifiedBetween(from, to);
    const want = [...sim.state.refunds.values()].map((r) => [r.id, r.parentId]);
    expect(got.map((r) => [r.id, r.parent_id]).sort()).toEqual(want.sort());
    expect(got).toHaveLength(3);
    const stats = wc.stats();
    expect(stats['GET refunds']).toBe(1);
    expect(stats['GET orders/:id/refunds']).toBe(3);
    // The missing route is remembered.
    wc.resetStats();
    await wc.refundsModifiedBetween(from, to);
    expect(wc.stats()['GET refunds']).toBeUndefined();
  });
});
