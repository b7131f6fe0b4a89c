/**
 * Orders: the seeded history, GET /orders filters, status side effects and notes in the simulator,
 * and the client's drift-safe modified-window reader (§3) over real HTTP.
 */
import { buildCatalog } from '../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import type { ProductRecord } from '../../src/simulators/woocommerce/data';
import { MockAgent } from 'undici';
import { HttpError } from '../../src/http/request';
import { WooCommerceClient } from '../../src/woocommerce/client';
import type { WooOrder } from '../../src/woocommerce/schemas';
import { asList, asRecord, rawCall } from './helpers';

const catalog = buildCatalog({ simpleCount: 40, variableCount: 4 });
const noSleep = async () => undefined;
const pence = (s: string) => Math.round(Number(s) * 100);

function client(sim: WooCommerceSimulator, url: string): WooCommerceClient {
  return new WooCommerceClient({ url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, sleep: noSleep, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
}

async function all<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

/** A published simple product with managed stock, set to `qty`. */
function stocked(sim: WooCommerceSimulator, qty: number, skip: readonly number[] = []): ProductRecord {
  const p = [...sim.state.posts.values()].find(
    (x): x is ProductRecord => x.kind === 'product' && x.type === 'simple' && x.status === 'publish' && !x.virtual && !skip.includes(x.id) && x.sku.startsWith('BP-'),
  );
  if (!p) throw new Error('no simple product');
  p.manageStock = true;
  p.stockQuantity = qty;
  sim.state.validateProps(p);
  return p;
}

describe('WooCommerce simulator: seeded orders', () => {
  let sim: WooCommerceSimulator;
  let orders: WooOrder[];

  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog });
    const url = await sim.listen();
    orders = await all(client(sim, url).listOrders({ status: 'any' }));
  });
  afterAll(() => sim.close());

  it('has about 30 orders in mixed statuses, mostly processing', () => {
    expect(orders).toHaveLength(30);
    const counts = new Map<string, number>();
    for (const o of orders) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
    for (const status of ['processing', 'completed', 'on-hold', 'pending', 'cancelled', 'refunded']) expect(counts.get(status)).toBeGreaterThan(0);
    expect(Math.max(...counts.values())).toBe(counts.get('processing'));
  });

  it('renders the full order object: GBP, VAT 20% (rate 1), GB addresses, consistent totals as strings', () => {
    for (const o of orders) {
      expect(o).toMatchObject({ currency: 'GBP', prices_include_tax: false });
      expect(o.billing.country).toBe('GB');
      expect(o.billing.email).toMatch(/@example\.co\.uk$/);
      expect(o.shipping).not.toHaveProperty('email');
      expect(o.date_created_gmt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(o.order_key).toMatch(/^wc_order_/);
      const items = o.line_items.reduce((s, i) => s + pence(i.total), 0);
      const fees = o.fee_lines.reduce((s, f) => s + pence(f.total), 0);
      expect(pence(o.total)).toBe(items + fees + pence(o.shipping_total) + pence(o.total_tax));
      expect(pence(o.total_tax)).toBe(pence(o.cart_tax) + pence(o.shipping_tax));
      for (const i of o.line_items) {
        expect(i.taxes).toEqual([{ id: 1, total: i.total_tax, subtotal: i.subtotal_tax }]);
        expect(pence(i.total_tax)).toBe(Math.round(pence(i.total) * 0.2));
        expect(typeof i.price).toBe('number');
      }
      for (const t of o.tax_lines) expect(t).toMatchObject({ rate_id: 1, label: 'VAT', rate_code: 'GB-VAT-1' });
      for (const s of o.shipping_lines) expect(['flat_rate', 'free_shipping']).toContain(s.method_id);
    }
    expect(orders.some((o) => o.shipping_lines[0]?.method_id === 'flat_rate' && o.shipping_lines[0]?.total === '4.16' && o.shipping_lines[0]?.total_tax === '0.83')).toBe(true);
    expect(orders.some((o) => o.shipping_lines[0]?.method_id === 'free_shipping')).toBe(true);
  });

  it('has guests and registered customers, variations, one fee line and one coupon', () => {
    expect(orders.some((o) => o.customer_id === 0)).toBe(true);
    expect(orders.some((o) => o.customer_id > 1)).toBe(true);
    const variationItem = orders.flatMap((o) => o.line_items).find((i) => i.variation_id > 0);
    expect(variationItem).toMatchObject({ parent_name: expect.any(String), meta_data: [expect.objectContaining({ display_key: expect.any(String) })] });
    const withFee = orders.filter((o) => o.fee_lines.length > 0);
    expect(withFee).toHaveLength(1);
    expect(withFee[0]?.fee_lines[0]).toMatchObject({ name: 'Gift wrapping', total: '2.50', total_tax: '0.50' });
    const withCoupon = orders.filter((o) => o.coupon_lines.length > 0);
    expect(withCoupon).toHaveLength(1);
    const coupon = withCoupon[0] as WooOrder;
    expect(coupon.coupon_lines[0]?.code).toBe('spring10');
    expect(pence(coupon.discount_total)).toBeGreaterThan(0);
    expect(pence(coupon.coupon_lines[0]?.discount ?? '0')).toBe(pence(coupon.discount_total));
  });

  it('has one processing order with a SKU Brightpearl does not know', () => {
    const unknown = catalog.quirks.missingInBrightpearl[0]?.sku;
    const hits = orders.filter((o) => o.line_items.some((i) => i.sku === unknown));
    expect(hits.map((o) => o.status)).toEqual(['processing']);
  });

  it('numbers the newest orders with a sequential-number plugin (number ≠ id)', () => {
    const numbered = orders.filter((o) => o.number !== String(o.id));
    expect(numbered.length).toBeGreaterThanOrEqual(5);
    for (const o of numbered) {
      expect(o.number).toMatch(/^100\d\d$/);
      expect(o.meta_data).toContainEqual(expect.objectContaining({ key: '_order_number', value: o.number }));
    }
  });

  it('has a partial line-item refund, a shipping-only refund and a fully refunded order', () => {
    const refunded = orders.filter((o) => o.refunds.length > 0);
    expect(refunded).toHaveLength(3);
    for (const o of refunded) for (const r of o.refunds) expect(r.total).toMatch(/^-\d+\.\d\d$/);
    const full = refunded.find((o) => o.status === 'refunded') as WooOrder;
    expect(full.refunds).toEqual([{ id: expect.any(Number), reason: 'Order fully refunded.', total: `-${full.total}` }]);
    const records = refunded.flatMap((o) => o.refunds.map((r) => sim.refundRecord(r.id)));
    expect(records.some((r) => r && r.lineItems.length === 1 && r.shippingLines.length === 0)).toBe(true);
    expect(records.some((r) => r && r.shippingLines.length === 1 && r.lineItems.length === 0)).toBe(true);
  });

  it('is deterministic for a seed and a clock', async () => {
    const fixed = Date.UTC(2025, 2, 1, 9, 0, 0);
    const render = async () => {
      const s = await createWooCommerceSimulator({ catalog, seed: 3, now: () => fixed });
      try {
        return JSON.stringify([...s.state.orders.keys()].map((id) => s.orderById(id)));
      } finally {
        await s.close();
      }
    };
    expect(await render()).toBe(await render());
  });
});

describe('WooCommerce simulator and client: orders over HTTP', () => {
  let sim: WooCommerceSimulator;
  let url: string;
  let wc: WooCommerceClient;
  // A store clock the tests can move, so each write lands in a later second.
  let clock = Date.now();
  const tick = (seconds = 1) => (clock += seconds * 1000);

  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog, now: () => clock });
    url = await sim.listen();
    wc = client(sim, url);
  });
  afterAll(() => sim.close());

  describe('GET /orders', () => {
    it('filters by status (comma list or array), defaults to any-but-trash, and validates statuses', async () => {
      const states = [...sim.state.orders.values()];
      const want = (list: string[]) => states.filter((o) => list.includes(o.status)).length;
      const comma = await rawCall(sim, 'GET', 'orders', { query: { status: 'processing,on-hold', per_page: 100 } });
      expect(asList(comma.json)).toHaveLength(want(['processing', 'on-hold']));
      expect(comma.headers['x-wp-total']).toBe(String(want(['processing', 'on-hold'])));
      const array = await rawCall(sim, 'GET', '/wp-json/wc/v3/orders?status%5B%5D=completed&status%5B%5D=cancelled&per_page=100');
      expect(asList(array.json).map((o) => o.status).sort()).toEqual(states.filter((o) => ['completed', 'cancelled'].includes(o.status)).map((o) => o.status).sort());
      const bad = await rawCall(sim, 'GET', 'orders', { query: { status: 'shipped' } });
      expect(bad.status).toBe(400);
      expect(asRecord(bad.json)).toMatchObject({ code: 'rest_invalid_param', data: { params: { status: expect.stringContaining('status[0] is not one of any, trash') } } });
      const tooMany = await rawCall(sim, 'GET', 'orders', { query: { per_page: 101 } });
      expect(tooMany.status).toBe(400);
    });

    it('filters by include, customer and search, pages with headers, trims with _fields', async () => {
      const registered = [...sim.state.orders.values()].find((o) => o.customerId > 0);
      if (!registered) throw new Error('no registered customer order');
      const byCustomer = await all(wc.listOrders({ customer: registered.customerId }));
      expect(byCustomer.length).toBeGreaterThan(0);
      expect(byCustomer.every((o) => o.customer_id === registered.customerId)).toBe(true);
      const search = await all(wc.listOrders({ search: registered.billing.last_name }));
      expect(search.map((o) => o.id)).toContain(registered.id);
      const ids = [...sim.state.orders.keys()].slice(0, 3);
      const included = await rawCall(sim, 'GET', 'orders', { query: { include: ids.join(','), orderby: 'id', order: 'asc', _fields: 'id,number,status' } });
      expect(asList(included.json).map((o) => o.id)).toEqual([...ids].sort((a, b) => a - b));
      expect(Object.keys(asList(included.json)[0] ?? {}).sort()).toEqual(['id', 'number', 'status']);
      const page = await rawCall(sim, 'GET', 'orders', { query: { per_page: 10, page: 2 } });
      expect(asList(page.json)).toHaveLength(10);
      expect(String(page.headers.link)).toContain('rel="prev"');
      expect(page.headers['x-wp-totalpages']).toBe('3');
    });

    it('answers unknown ids like WooCommerce (404 on GET, 400 on PUT), refund ids included', async () => {
      const get = await rawCall(sim, 'GET', 'orders/999999');
      expect(get.status).toBe(404);
      expect(asRecord(get.json).code).toBe('woocommerce_rest_shop_order_invalid_id');
      const refundId = [...sim.state.refunds.keys()][0];
      expect((await rawCall(sim, 'GET', `orders/${refundId}`)).status).toBe(404);
      await expect(wc.updateOrder(999999, { status: 'completed' })).rejects.toMatchObject({ status: 400, code: 'woocommerce_rest_shop_order_invalid_id' });
    });

    it('reads line item SKUs live from the product: renamed → new SKU, deleted → null', async () => {
      const p = stocked(sim, 50);
      const placed = sim.placeOrder({ items: [{ productId: p.id, quantity: 1 }] });
      const id = placed.id as number;
      expect((await wc.getOrder(id)).line_items[0]?.sku).toBe(p.sku);
      await wc.updateProduct(p.id, { sku: `${p.sku}-NEW` });
      expect((await wc.getOrder(id)).line_items[0]?.sku).toBe(`${p.sku}-NEW`);
      await wc.delete(`products/${p.id}`, { query: { force: true } });
      const after = await wc.getOrder(id);
      expect(after.line_items[0]).toMatchObject({ sku: null, product_id: p.id, name: p.name });
    });
  });

  describe('writes and status side effects', () => {
    it('reduces stock once when paid, not again on on-hold, restores it on cancelled, and dates the payment', async () => {
      const p = stocked(sim, 10);
      const placed = sim.placeOrder({ items: [{ sku: p.sku, quantity: 2 }], status: 'pending', paymentMethod: 'stripe' });
      const id = placed.id as number;
      expect(placed).toMatchObject({ status: 'pending', date_paid_gmt: null, needs_payment: true });
      expect(sim.recordBySku(p.sku)?.stockQuantity).toBe(10);

      tick();
      const processing = await wc.updateOrder(id, { status: 'processing' });
      expect(processing.date_paid_gmt).toBe(sim.state.gmtDate(Math.floor(clock / 1000)));
      expect(sim.recordBySku(p.sku)?.stockQuantity).toBe(8);
      expect(sim.productBySku(p.sku)?.date_modified_gmt).toBe(processing.date_modified_gmt);

      tick();
      await wc.updateOrder(id, { status: 'on-hold' });
      expect(sim.recordBySku(p.sku)?.stockQuantity).toBe(8);
      tick();
      await wc.updateOrder(id, { status: 'cancelled' });
      expect(sim.recordBySku(p.sku)?.stockQuantity).toBe(10);
      tick();
      await wc.updateOrder(id, { status: 'processing' });
      expect(sim.recordBySku(p.sku)?.stockQuantity).toBe(8);

      const notes = await wc.listOrderNotes(id);
      expect(notes.map((n) => n.note)).toContain('Order status changed from Cancelled to Processing.');
      expect(notes.find((n) => n.note.startsWith('Stock levels increased:'))?.note).toContain(`(${p.sku}) 8&rarr;10`);
      expect(notes.every((n) => n.author === 'system')).toBe(true);
    });

    it('sets date_completed on completion and bumps date_modified on every write', async () => {
      const placed = sim.placeOrder({ paymentMethod: 'stripe' });
      const id = placed.id as number;
      tick(5);
      const same = await wc.updateOrder(id, {});
      expect(same.date_modified_gmt).toBe(sim.state.gmtDate(Math.floor(clock / 1000)));
      expect(String(same.date_modified_gmt) > String(placed.date_modified_gmt)).toBe(true);
      tick(5);
      const completed = await wc.updateOrder(id, { status: 'completed' });
      expect(completed.date_completed_gmt).toBe(completed.date_modified_gmt);
      expect(completed.date_paid_gmt).toBe(placed.date_paid_gmt);
    });

    it('upserts meta_data by key', async () => {
      const id = sim.placeOrder().id as number;
      await wc.updateOrder(id, { meta_data: [{ key: 'bp_order_id', value: 'SO-1' }] });
      const o = await wc.updateOrder(id, { meta_data: [{ key: 'bp_order_id', value: 'SO-2' }] });
      expect(o.meta_data.filter((m) => m.key === 'bp_order_id')).toEqual([expect.objectContaining({ value: 'SO-2' })]);
    });

    it('auto-creates a refund for the remaining amount when set to refunded', async () => {
      const id = sim.placeOrder({ paymentMethod: 'bacs', status: 'processing' }).id as number;
      const o = await wc.updateOrder(id, { status: 'refunded' });
      expect(o.status).toBe('refunded');
      expect(o.refunds).toEqual([{ id: expect.any(Number), reason: 'Order fully refunded.', total: `-${o.total}` }]);
      const refunds = await wc.listRefunds(id);
      expect(refunds[0]).toMatchObject({ amount: o.total, refunded_payment: false, parent_id: id });
      // Nothing left to refund: a second refund of 0.01 is refused.
      await expect(wc.createRefund(id, { amount: '0.01' })).rejects.toMatchObject({ code: 'woocommerce_rest_cannot_create_order_refund' });
    });

    it('creates orders over REST (priced from the products, VAT added, rest-api) and validates them', async () => {
      const p = stocked(sim, 5);
      const created = await wc.createOrder({
        status: 'processing',
        billing: { first_name: 'Ada', last_name: 'Lovelace', address_1: '1 Analytical Row', city: 'London', postcode: 'SW1A 2AA', country: 'GB', email: 'ada@example.co.uk' },
        line_items: [{ product_id: p.id, quantity: 1 }],
        shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', total: '4.16' }],
      });
      expect(created).toMatchObject({ status: 'processing', created_via: 'rest-api', shipping_tax: '0.83' });
      expect(created.line_items[0]).toMatchObject({ sku: p.sku, subtotal: p.regularPrice, quantity: 1 });
      expect(sim.recordBySku(p.sku)?.stockQuantity).toBe(4);
      const noProduct = await rawCall(sim, 'POST', 'orders', { body: { line_items: [{ quantity: 1 }] } });
      expect(asRecord(noProduct.json)).toMatchObject({ code: 'woocommerce_rest_required_product_reference', data: { status: 400 } });
      const badCoupon = await rawCall(sim, 'POST', 'orders', { body: { line_items: [{ product_id: p.id }], coupon_lines: [{ code: 'NOPE' }] } });
      expect(asRecord(badCoupon.json).message).toBe('Coupon "nope" does not exist!');
    });

    it('keeps order notes: system notes, customer notes, notes by the key user; type filter', async () => {
      const id = sim.placeOrder().id as number;
      const internal = await wc.addOrderNote(id, 'Exported to Brightpearl as SO-881');
      expect(internal).toMatchObject({ author: 'system', customer_note: false, note: 'Exported to Brightpearl as SO-881' });
      const forCustomer = await wc.addOrderNote(id, 'Your parcel is on its way', true, { addedByUser: true });
      expect(forCustomer).toMatchObject({ author: 'Shop Manager', customer_note: true });
      const customerOnly = await wc.listOrderNotes(id, 'customer');
      expect(customerOnly.map((n) => n.id)).toEqual([forCustomer.id]);
      const everything = await wc.listOrderNotes(id);
      expect(everything.length).toBeGreaterThan(2);
      const missing = await rawCall(sim, 'POST', `orders/${id}/notes`, { body: {} });
      expect(asRecord(missing.json)).toMatchObject({ code: 'rest_missing_callback_param', data: { status: 400, params: ['note'] } });
      await expect(wc.addOrderNote(999999, 'x')).rejects.toMatchObject({ status: 404, code: 'woocommerce_rest_order_invalid_id' });
    });

    it('trashes on DELETE and deletes permanently with force=true', async () => {
      const id = sim.placeOrder().id as number;
      const trashed = await rawCall(sim, 'DELETE', `orders/${id}`);
      expect(asRecord(trashed.json).status).toBe('trash');
      const listed = await all(wc.listOrders({ include: [id] }));
      expect(listed).toHaveLength(0);
      expect(await all(wc.listOrders({ include: [id], status: 'trash' }))).toHaveLength(1);
      expect((await rawCall(sim, 'DELETE', `orders/${id}`, { query: { force: true } })).status).toBe(200);
      expect((await rawCall(sim, 'GET', `orders/${id}`)).status).toBe(404);
    });
  });
});

describe('WooCommerce simulator: demo activity', () => {
  it('places orders, takes bank-transfer payments and refunds older orders as it runs', async () => {
    const sim = await createWooCommerceSimulator({ catalog, orderActivity: { newOrder: 1, payOnHold: 1, partialRefund: 1 } });
    try {
      const ordersBefore = sim.state.orders.size;
      const refundsBefore = sim.state.refunds.size;
      sim.startActivity(5);
      await new Promise((resolve) => setTimeout(resolve, 80));
      sim.stopActivity();
      const kinds = new Set(sim.state.activityLog.map((e) => e.kind));
      expect([...kinds].sort()).toEqual(['order', 'order-status', 'refund', 'sale']);
      expect(sim.state.orders.size).toBeGreaterThan(ordersBefore);
      expect(sim.state.refunds.size).toBeGreaterThan(refundsBefore);
      const placed = sim.state.activityLog.find((e) => e.kind === 'order');
      const order = placed?.kind === 'order' ? sim.orderRecord(placed.orderId) : undefined;
      expect(order).toMatchObject({ createdVia: 'checkout', stockReduced: true });
      expect(['processing', 'on-hold']).toContain(order?.status);
    } finally {
      await sim.close();
    }
  });
});

describe('WooCommerceClient.ordersModifiedBetween (250 seeded orders)', () => {
  let sim: WooCommerceSimulator;
  let wc: WooCommerceClient;
  let requests: string[] = [];
  // A frozen store clock (near real time: OAuth timestamps must be within 15 minutes).
  const fixed = Math.floor(Date.now() / 1000) * 1000;
  const nowS = fixed / 1000;

  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog: { simpleCount: 30, variableCount: 3 }, seedOrders: 250, now: () => fixed });
    const url = await sim.listen();
    wc = client(sim, url);
    sim.onRequest((method, reqUrl) => {
      if (method === 'GET' && reqUrl.startsWith('/wp-json/wc/v3/orders?')) requests.push(decodeURIComponent(reqUrl));
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    requests = [];
  });

  const everything = () => wc.ordersModifiedBetween(new Date((nowS - 30 * 86_400) * 1000), new Date((nowS + 1) * 1000));

  it('reads every order once, narrowing windows instead of paging', async () => {
    const got = await everything();
    expect(got).toHaveLength(250);
    expect(new Set(got.map((o) => o.id)).size).toBe(250);
    expect(got.map((o) => o.id).sort((a, b) => a - b)).toEqual([...sim.state.orders.keys()].sort((a, b) => a - b));
    // Sorted by modification.
    const mods = got.map((o) => o.date_modified_gmt ?? '');
    expect([...mods].sort()).toEqual(mods);
    // 250 rows, 100 per request: three windows, each the rest of the previous one.
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.length).toBeLessThanOrEqual(5);
    for (const r of requests) {
      expect(r).toMatch(/modified_after=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d&/);
      expect(r).toContain('dates_are_gmt=true');
      expect(r).toContain('orderby=modified');
      expect(r).toContain('order=asc');
      expect(r).toContain('per_page=100');
      expect(r).not.toMatch(/[?&]page=/);
    }
  });

  it('treats `from` as inclusive (modified_after = from − 1 s) and `to` as exclusive', async () => {
    const o = [...sim.state.orders.values()][10];
    if (!o) throw new Error('no order');
    const at = new Date(o.modified * 1000);
    expect((await wc.ordersModifiedBetween(at, new Date((o.modified + 1) * 1000))).map((x) => x.id)).toContain(o.id);
    expect((await wc.ordersModifiedBetween(new Date((o.modified - 5) * 1000), at)).map((x) => x.id)).not.toContain(o.id);
    expect(requests[0]).toContain(`modified_after=${sim.state.gmtDate(o.modified - 1)}&modified_before=${sim.state.gmtDate(o.modified + 1)}`);
  });

  it('passes statuses through', async () => {
    const got = await wc.ordersModifiedBetween(new Date((nowS - 30 * 86_400) * 1000), new Date((nowS + 1) * 1000), ['on-hold', 'pending']);
    const want = [...sim.state.orders.values()].filter((o) => o.status === 'on-hold' || o.status === 'pending');
    expect(got.map((o) => o.id).sort()).toEqual(want.map((o) => o.id).sort());
    expect(requests[0]).toContain('status=on-hold,pending');
  });

  it('pages a 1-second window that holds more than 100 orders (a bulk edit)', async () => {
    const second = nowS - 7200;
    const ids = [...sim.state.orders.keys()].slice(0, 150);
    sim.touchOrders(ids, second);
    const got = await wc.ordersModifiedBetween(new Date((second - 100) * 1000), new Date((second + 100) * 1000));
    expect(got.filter((o) => ids.includes(o.id))).toHaveLength(150);
    expect(requests.some((r) => /[?&]page=2/.test(r))).toBe(true);
    // Only the 1-second window was paged.
    for (const r of requests.filter((x) => /[?&]page=/.test(x))) expect(r).toContain(`modified_after=${sim.state.gmtDate(second - 1)}&modified_before=${sim.state.gmtDate(second + 1)}`);
    const all250 = await everything();
    expect(all250).toHaveLength(250);
  });

  it('walks a paged second again when rows leave it meanwhile, so none is skipped', async () => {
    const second = nowS - 3600;
    const ids = [...sim.state.orders.keys()].slice(100, 230);
    sim.touchOrders(ids, second);
    const mover = Math.min(...ids);
    let moved = false;
    const stop = sim.onRequest((_m, reqUrl) => {
      if (!moved && /[?&]page=2/.test(reqUrl)) {
        moved = true;
        // Saved now (outside the window): page 2 would otherwise start one row late.
        sim.touchOrders([mover], nowS);
      }
    });
    try {
      const got = await wc.ordersModifiedBetween(new Date(second * 1000), new Date((second + 1) * 1000));
      expect(moved).toBe(true);
      const gotIds = new Set(got.map((o) => o.id));
      for (const id of ids) if (id !== mover) expect(gotIds.has(id)).toBe(true);
      expect(requests.filter((r) => !/[?&]page=/.test(r)).length).toBeGreaterThanOrEqual(2);
    } finally {
      stop();
    }
  });

  it('returns [] for an empty or inverted window', async () => {
    expect(await wc.ordersModifiedBetween(new Date((nowS + 100) * 1000), new Date((nowS + 200) * 1000))).toEqual([]);
    expect(await wc.ordersModifiedBetween(new Date((nowS + 200) * 1000), new Date((nowS + 100) * 1000))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('refuses to walk history when the store ignores the window parameters (old WooCommerce)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    // An old store answers the whole list whatever modified_after says.
    const outside = sim.orderById([...sim.state.orders.keys()][0] ?? 0);
    agent
      .get('https://old.example.com')
      .intercept({ path: (p) => p.startsWith('/wp-json/wc/v3/orders'), method: 'GET' })
      .reply(200, [{ ...outside, date_modified_gmt: '2019-01-01T00:00:00' }], { headers: { 'content-type': 'application/json', 'x-wp-total': '1', 'x-wp-totalpages': '1' } })
      .persist();
    const old = new WooCommerceClient({ url: 'https://old.example.com', consumerKey: 'ck_a', consumerSecret: 'cs_b', dispatcher: agent, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await old.ordersModifiedBetween(new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2025, 0, 2))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).code).toBe('bpwc_window_filter_ignored');
    expect((err as HttpError).message).toContain('does not apply modified_after');
    await agent.close();
  });
});
