/**
 * The refund flow end to end: both simulators over real HTTP, the real clients, real SQLite files
 * and the Engine running the flow. The Brightpearl sales orders (what the order flow would have
 * created) are made here through the client and linked with an 'order' id mapping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestBudget, clearSharedBudgets } from '../../src/brightpearl/budget';
import { BrightpearlClient } from '../../src/brightpearl/client';
import type { SalesCreditInput } from '../../src/brightpearl/inputs';
import { Engine } from '../../src/engine/engine';
import { RefundFlow, creditExternalRef, refundTransactionRef, type RefundMappings, type RefundTarget } from '../../src/flows/refund';
import { DEFAULT_MAPPINGS } from '../../src/settings/mappings';
import { buildCatalog, type Catalog } from '../../src/simulators/catalog';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';
import type { SimOrder } from '../../src/simulators/brightpearl/sales';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { Store } from '../../src/store';
import { WooCommerceClient } from '../../src/woocommerce/client';
import type { WooOrder } from '../../src/woocommerce/schemas';

const KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const SECRET = 'cs_0123456789abcdef0123456789abcdef01234567';
const INSTANCE_ID = 27;
const RETRY = { retries: 3, baseDelayMs: 2, maxDelayMs: 20 };

describe('refund flow against the simulators', () => {
  let dir: string;
  let catalog: Catalog;
  let bp: BrightpearlSimulator;
  let wc: WooCommerceSimulator;
  let bpUrl: string;
  let wcUrl: string;
  let bpClient: BrightpearlClient;
  let wcClient: WooCommerceClient;
  let customerId: number;
  let mappings: RefundMappings;
  let store: Store;
  let engine: Engine;

  const skus = () => catalog.products.filter((p) => p.groupId === 0 && p.stockTracked).map((p) => p.sku);
  const bpProductOf = (sku: string) => catalog.products.find((p) => p.sku === sku)?.bpId as number;
  const flowWith = (brightpearl: RefundTarget = bpClient, integrationInstanceId: number | undefined = INSTANCE_ID) =>
    new RefundFlow({ woocommerce: wcClient, brightpearl, mappings: () => mappings, integrationInstanceId });
  const open = (file: string, flow: RefundFlow) => {
    const s = Store.open(join(dir, file));
    s.flows.ensure({});
    return { store: s, engine: new Engine({ store: s, flows: { refund: flow } }) };
  };
  const run = async (e: Engine = engine, opts: { scope?: string[] } = {}) => e.start('refund', { trigger: 'test', ...opts }).done;

  const creditsOf = (salesOrderId: number): SimOrder[] =>
    [...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SC' && o.parentId === salesOrderId).sort((a, b) => a.id - b.id);
  const paymentsOf = (orderId: number) => [...bp.state.payments.values()].filter((p) => p.orderId === orderId);
  const num = (s: string | number | null | undefined) => Number(s ?? 0);

  /** A paid WooCommerce order and the Brightpearl sales order the order flow would have made of it. */
  const exportedOrder = async (
    items: { sku: string; quantity: number }[],
    opts: { link?: boolean; paymentMethod?: string; shipping?: 'flat_rate' | 'none' } = {},
  ): Promise<{ order: WooOrder; salesOrderId: number }> => {
    const placed = wc.placeOrder({ items, paymentMethod: opts.paymentMethod ?? 'stripe', shippingMethod: opts.shipping ?? 'flat_rate', customerId: 0 });
    const order = await wcClient.getOrder(placed.id as number);
    const salesOrderId = await bpClient.createSalesOrder({
      customer: { id: customerId },
      ref: order.number,
      externalRef: order.number,
      installedIntegrationInstanceId: INSTANCE_ID,
      channelId: 3,
      warehouseId: 2,
      currency: { code: order.currency },
      rows: [
        ...order.line_items.map((li) => ({
          productId: bpProductOf(li.sku as string),
          quantity: String(li.quantity),
          taxCode: 'T20',
          net: li.total,
          tax: li.total_tax,
          nominalCode: '4000',
          externalRef: String(li.id),
        })),
        ...order.shipping_lines.map((s) => ({ name: `Shipping: ${s.method_title}`, quantity: '1', taxCode: 'T20', net: s.total, tax: s.total_tax, nominalCode: '4040' })),
      ],
    });
    if (opts.link !== false) store.mappings.link([{ type: 'order', bpId: String(salesOrderId), wcId: String(order.id), wcParentId: null }]);
    return { order, salesOrderId };
  };

  /** Refunds `quantity` of a line item at its own price (WooCommerce computes the amount). */
  const refundLine = (order: WooOrder, index: number, quantity: number) => {
    const li = order.line_items[index] as WooOrder['line_items'][number];
    const share = quantity / li.quantity;
    const total = (num(li.total) * share).toFixed(2);
    const tax = (num(li.total_tax) * share).toFixed(2);
    return { line: { id: li.id, quantity, refund_total: total, refund_tax: [{ id: Number(li.taxes[0]?.id ?? 1), refund_total: tax }] }, gross: num(total) + num(tax), net: num(total), tax: num(tax) };
  };
  const refundShipping = (order: WooOrder) => {
    const s = order.shipping_lines[0] as WooOrder['shipping_lines'][number];
    return {
      line: { id: s.id, refund_total: s.total, refund_tax: [{ id: Number(s.taxes[0]?.id ?? 1), refund_total: s.total_tax }] },
      gross: num(s.total) + num(s.total_tax),
      net: num(s.total),
      tax: num(s.total_tax),
    };
  };
  const refund = (orderId: number, body: Record<string, unknown>) => wc.createRefund(orderId, { api_refund: false, api_restock: false, ...body }).id as number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpwc-refund-'));
    catalog = buildCatalog({ seed: 21, simpleCount: 12, variableCount: 1, quirks: false });
    bp = await createBrightpearlSimulator({ catalog, requestsPerMinute: 100_000, orderActivity: false });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET, seedOrders: 0 });
    bpUrl = await bp.listen();
    wcUrl = await wc.listen();
    bpClient = new BrightpearlClient({
      baseUrl: bpUrl,
      accountCode: 'demo',
      auth: { kind: 'system', appRef: 'demo_bpwc', accountToken: 'demo-account-token' },
      retry: RETRY,
      budget: new RequestBudget(),
    });
    wcClient = new WooCommerceClient({ url: wcUrl, consumerKey: KEY, consumerSecret: SECRET, retry: RETRY });
    const addressId = await bpClient.createPostalAddress({ addressLine1: '1 High St', addressLine3: 'Leeds', postalCode: 'LS1 1AA', countryIsoCode: 'GB' });
    customerId = await bpClient.createContact({ firstName: 'Rae', lastName: 'Fund', postAddressIds: { DEF: addressId, BIL: addressId, DEL: addressId } });
    mappings = { ...DEFAULT_MAPPINGS, paymentMethodMap: { stripe: 'WOO_STRIPE' } };
    ({ store, engine } = open('bpwc.sqlite', flowWith()));
  });

  afterAll(async () => {
    await engine.stop();
    store.close();
    await Promise.all([bp.close(), wc.close()]);
    clearSharedBudgets();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a partial refund and then a second one on the same order become two credits with their rows and payments', async () => {
    const [a, b] = skus();
    const { order, salesOrderId } = await exportedOrder([
      { sku: a as string, quantity: 2 },
      { sku: b as string, quantity: 1 },
    ]);

    const first = refundLine(order, 0, 1);
    const r1 = refund(order.id, { line_items: [first.line], reason: 'One was chipped' });
    const run1 = await run();
    expect(run1.status).toBe('succeeded');
    expect(run1.counts).toMatchObject({ synced: 1, failed: 0 });

    let credits = creditsOf(salesOrderId);
    expect(credits).toHaveLength(1);
    const [c1] = await bpClient.getSalesCredits([credits[0]?.id as number]);
    expect(c1).toMatchObject({
      parentId: salesOrderId,
      customerId,
      ref: `WC-${order.number}-R1`,
      externalRef: creditExternalRef(order.number, r1),
      installedIntegrationInstanceId: INSTANCE_ID,
      channelId: 3,
      warehouseId: 2,
      currency: { code: 'GBP' },
    });
    expect(c1?.rows).toHaveLength(1);
    expect(c1?.rows[0]).toMatchObject({ productId: bpProductOf(a as string), externalRef: String(order.line_items[0]?.id), taxCode: 'T20', nominalCode: '4000' });
    expect(num(c1?.rows[0]?.quantity)).toBe(1);
    expect(num(c1?.rows[0]?.net)).toBeCloseTo(first.net, 2);
    expect(num(c1?.rows[0]?.tax)).toBeCloseTo(first.tax, 2);
    const [p1] = paymentsOf(c1?.id as number);
    expect(paymentsOf(c1?.id as number)).toHaveLength(1);
    expect(p1).toMatchObject({ paymentType: 'PAYMENT', paymentMethodCode: 'WOO_STRIPE', currencyIsoCode: 'GBP', transactionRef: refundTransactionRef(r1) });
    expect((p1?.amountPaid ?? 0) / 10_000).toBeCloseTo(first.gross, 2);

    const item1 = store.items.getByEntity('refund', String(r1));
    expect(item1).toMatchObject({ status: 'synced', info: String(r1), wcId: String(order.id), bpId: String(c1?.id), lastValue: `credit ${c1?.id}` });
    expect(store.mappings.byWooCommerce('refund', String(r1))).toMatchObject({ bpId: String(c1?.id), wcParentId: String(order.id) });
    expect(store.items.attempts(item1?.id as number)[0]?.message).toMatch(new RegExp(`^Sales credit ${c1?.id} created against sales order ${salesOrderId} \\(1 item\\) for order #${order.number}; ${first.gross.toFixed(2)} GBP paid back via WOO_STRIPE\\.$`));

    // The second refund: the other item and the shipping.
    const second = refundLine(order, 1, 1);
    const ship = refundShipping(order);
    const r2 = refund(order.id, { line_items: [second.line, ship.line] });
    const run2 = await run();
    expect(run2.counts).toMatchObject({ synced: 1, failed: 0 });
    credits = creditsOf(salesOrderId);
    expect(credits).toHaveLength(2);
    expect(await bpClient.findCreditsForOrder(salesOrderId)).toEqual(credits.map((c) => c.id));
    const [c2] = await bpClient.getSalesCredits([credits[1]?.id as number]);
    expect(c2).toMatchObject({ parentId: salesOrderId, ref: `WC-${order.number}-R2`, externalRef: creditExternalRef(order.number, r2) });
    const product = c2?.rows.find((r) => r.productId);
    const shipping = c2?.rows.find((r) => !r.productId);
    expect(c2?.rows).toHaveLength(2);
    expect(product).toMatchObject({ productId: bpProductOf(b as string), externalRef: String(order.line_items[1]?.id) });
    expect(num(product?.net)).toBeCloseTo(second.net, 2);
    expect(shipping).toMatchObject({ nominalCode: '4040', name: expect.stringMatching(/^Refund: shipping/) });
    expect(num(shipping?.net)).toBeCloseTo(ship.net, 2);
    expect(num(shipping?.tax)).toBeCloseTo(ship.tax, 2);
    expect(num(c2?.total?.gross)).toBeCloseTo(second.gross + ship.gross, 2);
    expect(paymentsOf(c2?.id as number).map((p) => p.transactionRef)).toEqual([refundTransactionRef(r2)]);
    expect((paymentsOf(c2?.id as number)[0]?.amountPaid ?? 0) / 10_000).toBeCloseTo(second.gross + ship.gross, 2);
  });

  test('a shipping-only refund is one free-text shipping row; an amount-only refund is one "Refund adjustment" row', async () => {
    const [, , c] = skus();
    const { order, salesOrderId } = await exportedOrder([{ sku: c as string, quantity: 3 }]);
    const ship = refundShipping(order);
    const rShip = refund(order.id, { line_items: [ship.line] });
    const rAmount = refund(order.id, { amount: '5.00', reason: 'Goodwill' });
    // Items plus a little more than their value: the difference becomes an adjustment row.
    const line = refundLine(order, 0, 1);
    const rMore = refund(order.id, { amount: (line.gross + 1.5).toFixed(2), line_items: [line.line] });

    const result = await run();
    expect(result.counts).toMatchObject({ synced: 3, failed: 0 });
    const byRef = new Map(creditsOf(salesOrderId).map((credit) => [credit.externalRef, credit.id]));
    const read = async (refundId: number) => (await bpClient.getSalesCredits([byRef.get(creditExternalRef(order.number, refundId)) as number]))[0];

    const shipCredit = await read(rShip);
    expect(shipCredit?.rows).toHaveLength(1);
    expect(shipCredit?.rows[0]).toMatchObject({ nominalCode: '4040', name: expect.stringMatching(/^Refund: shipping/) });
    expect(shipCredit?.rows[0]?.productId ?? undefined).toBeUndefined();
    expect(num(shipCredit?.total?.gross)).toBeCloseTo(ship.gross, 2);

    const amountCredit = await read(rAmount);
    expect(amountCredit?.rows).toHaveLength(1);
    expect(amountCredit?.rows[0]).toMatchObject({ name: 'Refund adjustment', nominalCode: '4000', taxCode: 'T20' });
    expect(num(amountCredit?.rows[0]?.net)).toBe(5);
    expect(num(amountCredit?.rows[0]?.tax)).toBe(0);
    expect((paymentsOf(amountCredit?.id as number)[0]?.amountPaid ?? 0) / 10_000).toBe(5);

    const moreCredit = await read(rMore);
    expect(moreCredit?.rows).toHaveLength(2);
    const adjustment = moreCredit?.rows.find((r) => r.name === 'Refund adjustment');
    expect(num(adjustment?.net)).toBeCloseTo(1.5, 2);
    expect(num(moreCredit?.total?.gross)).toBeCloseTo(line.gross + 1.5, 2);
    expect(store.items.getByEntity('refund', String(rMore))?.status).toBe('synced');
  });

  test('a second run creates nothing', async () => {
    const creditsBefore = [...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SC').length;
    const paymentsBefore = bp.state.payments.size;
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(again.counts).toMatchObject({ synced: 0, failed: 0 });
    expect([...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SC')).toHaveLength(creditsBefore);
    expect(bp.state.payments.size).toBe(paymentsBefore);

    // A retry of chosen rows (scoped run, through each refund's order) finds the credits and payments in place.
    const rows = store.items.page({ type: 'refund' }, 100).items;
    store.items.requeue({ ids: rows.map((r) => r.id) });
    const retried = await run(engine, { scope: rows.map((r) => r.entityId) });
    expect(retried.counts).toMatchObject({ seen: rows.length, synced: 0, unchanged: rows.length, failed: 0 });
    expect(store.items.counts('refund')).toMatchObject({ synced: rows.length, pending: 0, failed: 0 });
    expect([...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SC')).toHaveLength(creditsBefore);
    expect(bp.state.payments.size).toBe(paymentsBefore);
  });

  test('a payment method without a mapping leaves the credit in place; the payment follows once it is mapped, the credit is not made twice', async () => {
    const [d] = skus().slice(3);
    const { order, salesOrderId } = await exportedOrder([{ sku: d as string, quantity: 1 }], { paymentMethod: 'cod' });
    const r = refund(order.id, { amount: '3.00' });
    const first = await run();
    expect(first.counts).toMatchObject({ failed: 1 });
    const item = store.items.getByEntity('refund', String(r));
    const [credit] = creditsOf(salesOrderId);
    expect(item?.status).toBe('failed');
    expect(item?.error).toMatch(new RegExp(`^Sales credit ${credit?.id} created .*no Brightpearl payment method\\. Choose one under Settings → Payment methods`));
    expect(paymentsOf(credit?.id as number)).toHaveLength(0);

    mappings = { ...mappings, paymentMethodMap: { ...mappings.paymentMethodMap, cod: 'WOO_COD' } };
    const second = await run();
    expect(second.counts).toMatchObject({ synced: 1, failed: 0 });
    expect(creditsOf(salesOrderId)).toHaveLength(1);
    expect(paymentsOf(credit?.id as number).map((p) => [p.paymentMethodCode, p.transactionRef])).toEqual([['WOO_COD', refundTransactionRef(r)]]);
    expect(store.items.getByEntity('refund', String(r))?.status).toBe('synced');
  });

  test('a refund of an order not yet in Brightpearl waits, then heals by itself once the order is mapped', async () => {
    const [e] = skus().slice(4);
    const { order, salesOrderId } = await exportedOrder([{ sku: e as string, quantity: 1 }], { link: false });
    const r = refund(order.id, { amount: '4.00' });
    const waiting = `Order #${order.number} is not in Brightpearl yet; this refund syncs after the order does.`;

    expect((await run()).counts).toMatchObject({ failed: 1 });
    const item = store.items.getByEntity('refund', String(r));
    expect(item).toMatchObject({ status: 'failed', error: waiting, wcId: String(order.id) });
    const attempts = store.items.attempts(item?.id as number).length;
    // Still waiting: the same failure adds no history row.
    expect((await run()).counts).toMatchObject({ failed: 1 });
    expect(store.items.attempts(item?.id as number)).toHaveLength(attempts);
    expect(creditsOf(salesOrderId)).toHaveLength(0);

    // The order flow links the order; the next run credits the refund.
    store.mappings.link([{ type: 'order', bpId: String(salesOrderId), wcId: String(order.id), wcParentId: null }]);
    expect((await run()).counts).toMatchObject({ synced: 1, failed: 0 });
    expect(creditsOf(salesOrderId)).toHaveLength(1);
    expect(store.items.getByEntity('refund', String(r))?.status).toBe('synced');
  });

  test('a waiting refund outside the window heals too (retried from the log, through its order)', async () => {
    const [f] = skus().slice(5);
    const { order, salesOrderId } = await exportedOrder([{ sku: f as string, quantity: 1 }], { link: false });
    const r = refund(order.id, { amount: '2.50' });
    expect((await run()).counts).toMatchObject({ failed: 1 });
    // Much later: the window no longer holds the refund; only the log remembers it.
    store.flows.setCursor('refund', new Date(Date.now() + 3_600_000).toISOString());
    store.mappings.link([{ type: 'order', bpId: String(salesOrderId), wcId: String(order.id), wcParentId: null }]);
    expect((await run()).counts).toMatchObject({ synced: 1, failed: 0 });
    expect(creditsOf(salesOrderId).map((c) => c.externalRef)).toEqual([creditExternalRef(order.number, r)]);
    store.flows.setCursor('refund', new Date().toISOString());
  });

  test('a restart between the remote create and the local commit still leaves one credit', async () => {
    const [g] = skus().slice(6);
    const { order, salesOrderId } = await exportedOrder([{ sku: g as string, quantity: 2 }]);
    // Its own database, and no integration instance id: Brightpearl's own idempotency key cannot help.
    const crashing: RefundTarget = {
      getSalesOrders: (ids) => bpClient.getSalesOrders(ids),
      findOrderByExternalRef: (ref, opts) => bpClient.findOrderByExternalRef(ref, opts),
      findCustomerPayments: (id) => bpClient.findCustomerPayments(id),
      createCustomerPayment: (p) => bpClient.createCustomerPayment(p),
      createSalesCredit: async (credit: SalesCreditInput) => {
        await bpClient.createSalesCredit(credit);
        throw new Error('the service was killed before it wrote down the credit id');
      },
    };
    const dead = open('crash.sqlite', flowWith(crashing, undefined));
    dead.store.mappings.link([{ type: 'order', bpId: String(salesOrderId), wcId: String(order.id), wcParentId: null }]);
    const r = refund(order.id, { line_items: [refundLine(order, 0, 1).line] });
    await run(dead.engine);
    const before = dead.store.items.getByEntity('refund', String(r));
    expect(before).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Creating the sales credit for order #\S+ failed \(the service was killed .*\)\. The next run looks for it by its reference \S+ before creating one/) });
    expect(dead.store.items.intentOf('refund', String(r))?.intent).toMatchObject({ externalRef: creditExternalRef(order.number, r) });
    expect(dead.store.mappings.byWooCommerce('refund', String(r))).toBeUndefined();
    expect(creditsOf(salesOrderId)).toHaveLength(1);
    await dead.engine.stop();
    dead.store.close();

    // A fresh process on the same file, with a client that works.
    const next = open('crash.sqlite', flowWith(bpClient, undefined));
    try {
      // (Other tests' refunds are in this database's window too, with orders it does not know: only this one matters.)
      await run(next.engine);
      expect(next.store.items.getByEntity('refund', String(r))?.status).toBe('synced');
      const credits = creditsOf(salesOrderId);
      expect(credits).toHaveLength(1);
      expect(next.store.mappings.byWooCommerce('refund', String(r))?.bpId).toBe(String(credits[0]?.id));
      expect(next.store.items.getByEntity('refund', String(r))?.error ?? null).toBeNull();
      const item = next.store.items.getByEntity('refund', String(r));
      expect(next.store.items.attempts(item?.id as number)[0]?.message).toMatch(/^Linked to sales credit \d+ already in Brightpearl with reference /);
      expect(paymentsOf(credits[0]?.id as number)).toHaveLength(1);
      // And once more: nothing new.
      await run(next.engine);
      expect(creditsOf(salesOrderId)).toHaveLength(1);
      expect(paymentsOf(credits[0]?.id as number)).toHaveLength(1);
    } finally {
      await next.engine.stop();
      next.store.close();
    }
  });
});
