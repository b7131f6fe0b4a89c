/**
 * The order flow end to end: both simulators over real HTTP, the real clients, a real SQLite file
 * and the Engine running the flow. One clock (moved by hand) drives both simulators and the store,
 * so "time passes" between runs without sleeping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrightpearlClient, BrightpearlOutcomeUnknownError } from '../../src/brightpearl/client';
import { clearSharedBudgets } from '../../src/brightpearl/budget';
import { Engine } from '../../src/engine/engine';
import { FlowBusyError } from '../../src/engine/errors';
import { OrderFlow, alpha3, decimal, parseState, type OrderMappings, type OrderSource } from '../../src/flows/order';
import { HttpError } from '../../src/http/request';
import { buildCatalog, type Catalog } from '../../src/simulators/catalog';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';
import { UNITS } from '../../src/simulators/brightpearl/decimal';
import { CHANNEL, ORDER_STATUS, SHIPPING_METHOD } from '../../src/simulators/brightpearl/reference';
import { orderTotals, type SimOrder } from '../../src/simulators/brightpearl/sales';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { Store } from '../../src/store';
import { WooCommerceClient } from '../../src/woocommerce/client';
import { OrderSchema, type WooOrder } from '../../src/woocommerce/schemas';

const KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const SECRET = 'cs_0123456789abcdef0123456789abcdef01234567';
/** A pid no process can have (above the largest pid_max): its lock counts as left by a dead process. */
const DEAD_OWNER = `${hostname()}:${2 ** 22 + 1}:crashed0`;

describe('order flow against the simulators', () => {
  let dir: string;
  let file: string;
  let catalog: Catalog;
  let bp: BrightpearlSimulator;
  let wc: WooCommerceSimulator;
  let bpUrl: string;
  let bpClient: BrightpearlClient;
  let wcClient: WooCommerceClient;
  let store: Store;
  let engine: Engine;
  let nowMs = Math.floor(Date.now() / 1000) * 1000;
  /** Replaces the real createSalesOrder while set (crash and timeout injection). */
  let createHook: ((body: Parameters<OrderSource['createSalesOrder']>[0]) => Promise<number>) | undefined;

  const mappings: OrderMappings = {
    exportOrderStatuses: ['processing'],
    orderStatusMap: {
      // Deliberately asymmetric: a status written by the sync and echoed back must not bounce.
      toBrightpearl: { processing: ORDER_STATUS.NEW_WEB_ORDER, 'on-hold': ORDER_STATUS.AWAITING_PAYMENT, completed: ORDER_STATUS.INVOICED },
      toWooCommerce: { [String(ORDER_STATUS.DISPATCHED)]: 'completed', [String(ORDER_STATUS.AWAITING_PAYMENT)]: 'pending' },
    },
    paymentMethodMap: { stripe: 'WOO_STRIPE', bacs: 'WOO_BACS' },
    shippingMethodMap: { flat_rate: SHIPPING_METHOD.ROYAL_MAIL_48, free_shipping: SHIPPING_METHOD.FREE_UK },
    defaultTaxCode: 'T20',
    nominalCodes: { sales: '4000', shipping: '4040' },
    channelId: CHANNEL.WOOCOMMERCE,
    orderWarehouseId: null,
  };

  const tick = (ms = 10_000) => {
    nowMs += ms;
  };
  const source = (): OrderSource => ({
    search: (path, params) => bpClient.search(path, params),
    findOrderByExternalRef: (ref, opts) => bpClient.findOrderByExternalRef(ref, opts),
    findContactsByEmail: (email) => bpClient.findContactsByEmail(email),
    createPostalAddress: (a) => bpClient.createPostalAddress(a),
    createContact: (c) => bpClient.createContact(c),
    createSalesOrder: (body) => (createHook ? createHook(body) : bpClient.createSalesOrder(body)),
    updateOrderStatus: (id, status, note) => bpClient.updateOrderStatus(id, status, note),
    createCustomerPayment: (p) => bpClient.createCustomerPayment(p),
    findCustomerPayments: (id) => bpClient.findCustomerPayments(id),
    getTaxCodes: () => bpClient.getTaxCodes(),
    getOrderStatuses: () => bpClient.getOrderStatuses(),
  });
  const newFlow = () => new OrderFlow({ brightpearl: source(), woocommerce: wcClient, mappings: () => mappings, chunkSize: 10, settleMs: 2000 });
  const open = (owner?: string) => {
    const s = Store.open(file, () => new Date(nowMs));
    s.flows.ensure({});
    return { store: s, engine: new Engine({ store: s, flows: { order: newFlow() }, ...(owner ? { owner } : {}) }) };
  };
  const run = async (opts: { scope?: string[]; since?: string } = {}) => engine.start('order', { trigger: 'test', ...opts }).done;

  const wooOrder = (id: number): WooOrder => OrderSchema.parse(wc.orderById(id));
  const wooOrders = () => [...wc.state.orders.keys()].map(wooOrder);
  const bpOrdersFor = (number: string): SimOrder[] => [...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SO' && o.externalRef === number);
  const onlyBpOrder = (number: string): SimOrder => {
    const found = bpOrdersFor(number);
    expect(found).toHaveLength(1);
    return found[0] as SimOrder;
  };
  const paymentsOf = (bpId: number) => [...bp.state.payments.values()].filter((p) => p.orderId === bpId);
  const item = (id: number) => store.items.getByEntity('order', String(id));
  const lastMessage = (id: number) => store.items.attempts(item(id)?.id as number)[0]?.message;
  const u = (money: string) => Math.round(Number(money) * UNITS);
  const counts = () => ({
    orders: [...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SO').length,
    contacts: bp.state.contacts.size,
    payments: bp.state.payments.size,
    notes: [...bp.state.orders.values()].reduce((n, o) => n + o.notes.length, 0),
  });
  const place = (input: Parameters<WooCommerceSimulator['placeOrder']>[0]) => wooOrder(Number(wc.placeOrder(input).id));
  const controls = async (body: Record<string, number>) => {
    const res = await fetch(`${bpUrl}/__sim/controls`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };
  const unknownSku = () => catalog.quirks.missingInBrightpearl[0]?.sku as string;

  /** Orders placed before the first run (see beforeAll). */
  let twice: WooOrder[];
  let cod: WooOrder;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpwc-order-'));
    file = join(dir, 'bpwc.sqlite');
    catalog = buildCatalog({ seed: 5, simpleCount: 30, variableCount: 3 });
    const now = () => nowMs;
    bp = await createBrightpearlSimulator({ catalog, now, requestsPerMinute: 100_000, orderActivity: false, webhookDelayMs: 10 });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET, now, seedOrders: 30 });
    const retry = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };
    bpUrl = await bp.listen();
    bpClient = new BrightpearlClient({ baseUrl: bpUrl, accountCode: 'demo', auth: { kind: 'system', appRef: 'demo_bpwc', accountToken: 'demo-account-token' }, retry });
    wcClient = new WooCommerceClient({ url: await wc.listen(), consumerKey: KEY, consumerSecret: SECRET, retry });
    ({ store, engine } = open());

    // The same registered customer twice, and a cash-on-delivery order (a gateway with no mapping).
    twice = [place({ customerId: 2, paymentMethod: 'stripe' }), place({ customerId: 2, paymentMethod: 'stripe', shippingMethod: 'free_shipping' })];
    cod = place({ customerId: 3, paymentMethod: 'cod' });
    tick();
  });

  afterAll(async () => {
    await engine.stop();
    store.close();
    await Promise.all([bp.close(), wc.close()]);
    clearSharedBudgets();
    rmSync(dir, { recursive: true, force: true });
  });

  test('helpers', () => {
    expect(decimal('20.83')).toBe('20.83');
    expect(decimal('1.234567')).toBe('1.2346');
    expect(decimal('abc')).toBeUndefined();
    expect(alpha3('gb')).toBe('GBR');
    expect(alpha3('US')).toBe('USA');
    expect(parseState('{"intent":{}}')).toBeUndefined();
  });

  test('first run: processing orders become Brightpearl orders with their rows, customer and payment; the unknown SKU fails alone', async () => {
    const before = counts();
    const r = await run();
    expect(r.status).toBe('partial');
    expect(r.counts.failed).toBe(1);

    const all = wooOrders();
    const processing = all.filter((o) => o.status === 'processing');
    const withUnknown = processing.filter((o) => o.line_items.some((i) => i.sku === unknownSku()));
    expect(withUnknown).toHaveLength(1);
    const exported = processing.filter((o) => !withUnknown.includes(o));
    expect(exported.length).toBeGreaterThan(10);
    expect(r.counts.synced).toBe(exported.length);

    for (const o of exported) {
      const bpOrder = onlyBpOrder(o.number);
      expect(store.mappings.byWooCommerce('order', String(o.id))?.bpId).toBe(String(bpOrder.id));
      expect(item(o.id)).toMatchObject({ status: 'synced', info: o.number, wcId: String(o.id), bpId: String(bpOrder.id) });
      expect(bpOrder).toMatchObject({ ref: o.number, channelId: CHANNEL.WOOCOMMERCE, statusId: ORDER_STATUS.NEW_WEB_ORDER, placedOn: Date.parse(`${o.date_created_gmt}Z`) });
      expect(bpOrder.currency.code).toBe(o.currency);
      // Rows: one per line item (SKU → Brightpearl product), then shipping and fees; totals as in WooCommerce.
      for (const li of o.line_items) {
        const row = bpOrder.rows.find((x) => x.externalRef === String(li.id));
        const product = catalog.products.find((p) => p.sku === li.sku);
        expect(row).toMatchObject({ productId: product?.bpId, quantity: li.quantity * UNITS, net: u(li.total), tax: u(li.total_tax), taxCode: 'T20', nominalCode: '4000' });
      }
      for (const line of o.shipping_lines) {
        const row = bpOrder.rows.find((x) => x.externalRef === String(line.id));
        expect(row).toMatchObject({ name: `Shipping: ${line.method_title}`, net: u(line.total), tax: u(line.total_tax), nominalCode: '4040', taxCode: u(line.total_tax) ? 'T20' : 'T0' });
        expect(bpOrder.delivery.shippingMethodId).toBe(line.method_id === 'flat_rate' ? SHIPPING_METHOD.ROYAL_MAIL_48 : SHIPPING_METHOD.FREE_UK);
      }
      for (const fee of o.fee_lines) expect(bpOrder.rows.find((x) => x.externalRef === String(fee.id))).toMatchObject({ name: fee.name, net: u(fee.total) });
      expect(bpOrder.rows).toHaveLength(o.line_items.length + o.shipping_lines.length + o.fee_lines.length);
      expect(orderTotals(bpOrder).gross).toBe(u(o.total));

      // Paid with a mapped gateway: exactly one receipt for the total; cash on delivery is not mapped.
      const payments = paymentsOf(bpOrder.id);
      if (o.payment_method === 'cod') {
        expect(payments).toHaveLength(0);
        expect(lastMessage(o.id)).toContain('no Brightpearl payment method is mapped for the WooCommerce gateway "cod"');
      } else {
        expect(payments).toHaveLength(1);
        expect(payments[0]).toMatchObject({ paymentType: 'RECEIPT', amountPaid: u(o.total), paymentMethodCode: mappings.paymentMethodMap[o.payment_method], transactionRef: o.transaction_id || `wc-${o.id}` });
        expect(lastMessage(o.id)).toMatch(new RegExp(`^Created Brightpearl sales order ${bpOrder.id} \\(.*\\); recorded payment \\d+ of GBP ${o.total.replace('.', '\\.')}`));
      }
    }
    expect(exported.some((o) => o.fee_lines.length > 0)).toBe(true);
    expect(exported.some((o) => o.coupon_lines.length > 0 && Number(o.discount_total) > 0)).toBe(true);
    expect(exported.map((o) => o.id)).toEqual(expect.arrayContaining([...twice.map((o) => o.id), cod.id]));

    // Two orders of one customer: one contact, found by email the second time.
    const email = twice[0]?.billing.email as string;
    const contacts = [...bp.state.contacts.values()].filter((c) => c.emails.PRI === email);
    expect(contacts).toHaveLength(1);
    for (const o of twice) expect(onlyBpOrder(o.number).customerId).toBe(contacts[0]?.id);
    expect(bp.state.postalAddresses.get(contacts[0]?.postAddressIds.DEF as number)?.countryIsoCode).toBe('GBR');
    expect(onlyBpOrder(twice[0]?.number as string).customerAddress?.countryIsoCode).toBe('GB');

    // The unknown SKU: Failed naming it, nothing created for it.
    const bad = withUnknown[0] as WooOrder;
    expect(item(bad.id)).toMatchObject({
      status: 'failed',
      error: `Line item '${catalog.quirks.missingInBrightpearl[0]?.name}' has SKU ${unknownSku()}, which no Brightpearl product has. Create the product in Brightpearl (or fix the SKU) and retry.`,
    });
    expect(bpOrdersFor(bad.number)).toHaveLength(0);
    expect(store.mappings.byWooCommerce('order', String(bad.id))).toBeUndefined();

    // Orders in other statuses were not exported.
    for (const o of all.filter((x) => x.status !== 'processing')) {
      expect(bpOrdersFor(o.number)).toHaveLength(0);
      expect(item(o.id)).toBeUndefined();
    }
    expect(counts().orders - before.orders).toBe(exported.length);
  });

  test('a second run creates nothing', async () => {
    const before = counts();
    const failedAttempts = store.items.attempts(store.items.entityIds('order', 'failed').map((id) => item(Number(id))?.id as number)[0] as number).length;
    tick();
    const r = await run();
    expect(r.counts).toMatchObject({ synced: 0, failed: 1 });
    expect(counts()).toEqual(before);
    // The same failure again adds no history row.
    expect(store.items.attempts(store.items.entityIds('order', 'failed').map((id) => item(Number(id))?.id as number)[0] as number)).toHaveLength(failedAttempts);
  });

  test('a replayed or duplicated trigger creates nothing', async () => {
    const before = counts();
    const ids = wooOrders()
      .filter((o) => o.status === 'processing')
      .map((o) => String(o.id));
    tick();
    const first = engine.start('order', { trigger: 'webhook', scope: ids });
    expect(() => engine.start('order', { trigger: 'webhook', scope: ids })).toThrow(FlowBusyError);
    await first.done;
    const replay = await engine.start('order', { trigger: 'webhook', scope: ids }).done;
    expect(replay.counts.synced).toBe(0);
    expect(counts()).toEqual(before);
  });

  test('a status added to the exported ones brings its older orders; paying one later records the payment and moves the status', async () => {
    const onHold = wooOrders().filter((o) => o.status === 'on-hold');
    expect(onHold.length).toBeGreaterThan(0);
    mappings.exportOrderStatuses = ['processing', 'on-hold'];
    tick();
    const r = await run();
    expect(r.counts.synced).toBe(onHold.length);
    for (const o of onHold) {
      const bpOrder = onlyBpOrder(o.number);
      expect(bpOrder.statusId).toBe(ORDER_STATUS.AWAITING_PAYMENT);
      expect(paymentsOf(bpOrder.id)).toHaveLength(0);
      expect(lastMessage(o.id)).toContain('not paid yet in WooCommerce');
    }

    // The bank transfer arrives and the store owner marks the order processing (WooCommerce sets date_paid).
    const paid = onHold[0] as WooOrder;
    tick();
    wc.setOrderStatus(paid.id, 'processing');
    expect(wooOrder(paid.id).date_paid_gmt).not.toBeNull();
    tick();
    await run();
    const bpOrder = onlyBpOrder(paid.number);
    expect(bpOrder.statusId).toBe(ORDER_STATUS.NEW_WEB_ORDER);
    expect(paymentsOf(bpOrder.id)).toEqual([expect.objectContaining({ paymentMethodCode: 'WOO_BACS', amountPaid: u(paid.total) })]);
    expect(lastMessage(paid.id)).toMatch(/^WooCommerce status processing → Brightpearl 'New web order'; recorded payment \d+ of GBP/);
  });

  test('status changes flow both ways through the map, and never bounce back', async () => {
    const [a, b] = wooOrders().filter((o) => o.status === 'processing' && store.mappings.byWooCommerce('order', String(o.id)));
    if (!a || !b) throw new Error('need two exported processing orders');
    const bpA = onlyBpOrder(a.number);
    const bpB = onlyBpOrder(b.number);

    // Brightpearl → WooCommerce: Dispatched → completed. (completed → Invoiced must not be sent back.)
    bp.setOrderStatus(bpA.id, ORDER_STATUS.DISPATCHED);
    tick();
    await run();
    expect(wooOrder(a.id).status).toBe('completed');
    expect(lastMessage(a.id)).toBe("Brightpearl status 'Dispatched' → WooCommerce completed");
    expect(bp.state.orders.get(bpA.id)?.statusId).toBe(ORDER_STATUS.DISPATCHED);

    // WooCommerce → Brightpearl: on-hold → Awaiting payment, with a note. (3 → pending must not be sent back.)
    wc.setOrderStatus(b.id, 'on-hold');
    tick();
    await run();
    expect(bp.state.orders.get(bpB.id)?.statusId).toBe(ORDER_STATUS.AWAITING_PAYMENT);
    expect(bp.state.orders.get(bpB.id)?.notes.at(-1)?.text).toContain(`WooCommerce order ${b.number} is now "on-hold"`);
    expect(lastMessage(b.id)).toBe("WooCommerce status on-hold → Brightpearl 'Awaiting payment'");
    expect(wooOrder(b.id).status).toBe('on-hold');

    // Each side now sees the other's echo of our own writes: nothing happens.
    const before = { counts: counts(), a: wooOrder(a.id).date_modified_gmt, b: wooOrder(b.id).date_modified_gmt, attempts: [a, b].map((o) => store.items.attempts(item(o.id)?.id as number).length) };
    tick();
    const quiet = await run();
    expect(quiet.counts.synced).toBe(0);
    expect(counts()).toEqual(before.counts);
    expect(wooOrder(a.id)).toMatchObject({ status: 'completed', date_modified_gmt: before.a });
    expect(wooOrder(b.id)).toMatchObject({ status: 'on-hold', date_modified_gmt: before.b });
    expect(bp.state.orders.get(bpA.id)?.statusId).toBe(ORDER_STATUS.DISPATCHED);
    expect(bp.state.orders.get(bpB.id)?.statusId).toBe(ORDER_STATUS.AWAITING_PAYMENT);
    expect([a, b].map((o) => store.items.attempts(item(o.id)?.id as number).length)).toEqual(before.attempts);
  });

  test('a crash between the remote create and the local commit: the restarted service links, never duplicates', async () => {
    const order = place({ customerId: 4, paymentMethod: 'stripe' });
    tick();
    // A second process on the same file whose create reaches Brightpearl, then the process dies.
    const crashed = open(DEAD_OWNER);
    let created: number | undefined;
    createHook = async (body) => {
      created = await bpClient.createSalesOrder(body);
      crashed.store.close();
      throw new Error('the process died');
    };
    await expect(crashed.engine.start('order', { trigger: 'test' }).done).rejects.toThrow();
    createHook = undefined;
    expect(onlyBpOrder(order.number).id).toBe(created);
    expect(store.mappings.byWooCommerce('order', String(order.id))).toBeUndefined();
    expect(store.items.intentOf('order', String(order.id))).toBeDefined();

    // Restart: a fresh Store and Engine on the same file.
    await engine.stop();
    store.close();
    ({ store, engine } = open());
    tick();
    const r = await run();
    expect(r.status).not.toBe('failed');
    const bpOrder = onlyBpOrder(order.number);
    expect(bpOrder.id).toBe(created);
    expect(store.mappings.byWooCommerce('order', String(order.id))?.bpId).toBe(String(created));
    expect(item(order.id)).toMatchObject({ status: 'synced', bpId: String(created) });
    expect(lastMessage(order.id)).toMatch(new RegExp(`^Found existing Brightpearl order ${created} for this WooCommerce order; linked instead of creating a second; recorded payment \\d+`));
    expect(paymentsOf(bpOrder.id)).toHaveLength(1);
    expect(parseState(item(order.id)?.lastValue)).toMatchObject({ bp: created, wc: 'processing' });
  });

  test('a create Brightpearl does not confirm (timeout) is checked by externalRef before trying again', async () => {
    // (a) The request times out before Brightpearl takes it: nothing exists, the retry creates it once.
    const lost = place({ customerId: 5 });
    tick();
    createHook = async (body) => {
      await controls({ timeoutRate: 1, hangMs: 50 });
      try {
        return await bpClient.createSalesOrder(body);
      } finally {
        await controls({ timeoutRate: 0 });
      }
    };
    await run();
    createHook = undefined;
    expect(item(lost.id)?.status).toBe('failed');
    expect(item(lost.id)?.error).toMatch(/^Brightpearl did not confirm the new sales order \(.*\); the next run checks by externalRef \S+ before trying again/);
    expect(bpOrdersFor(lost.number)).toHaveLength(0);
    expect(store.items.intentOf('order', String(lost.id))).toBeDefined();
    tick();
    await run();
    expect(item(lost.id)?.status).toBe('synced');
    expect(lastMessage(lost.id)).toMatch(/^Created Brightpearl sales order/);
    onlyBpOrder(lost.number);

    // (b) Brightpearl creates it but the answer is lost: the retry finds it and links it.
    const unanswered = place({ customerId: 6 });
    tick();
    let created: number | undefined;
    createHook = async (body) => {
      created = await bpClient.createSalesOrder(body);
      throw new BrightpearlOutcomeUnknownError(new HttpError('POST timed out after 30000 ms', 'timeout', undefined, undefined, true), 'POST', 'order-service/sales-order');
    };
    await run();
    createHook = undefined;
    expect(item(unanswered.id)?.status).toBe('failed');
    expect(item(unanswered.id)?.error).toContain('Brightpearl did not confirm the new sales order');
    tick();
    await run();
    expect(onlyBpOrder(unanswered.number).id).toBe(created);
    expect(item(unanswered.id)).toMatchObject({ status: 'synced', bpId: String(created) });
    expect(lastMessage(unanswered.id)).toMatch(/^Found existing Brightpearl order \d+ for this WooCommerce order; linked instead of creating a second/);
    expect(paymentsOf(created as number)).toHaveLength(1);
  });

  test('a WooCommerce order our schema cannot read fails alone, naming the field, and heals on the next run', async () => {
    const good = place({ customerId: 7 });
    const bad = place({ customerId: 8 });
    const record = wc.orderRecord(bad.id);
    if (!record) throw new Error('no record');
    record.currency = 42 as unknown as string;
    tick();
    const r = await run();
    expect(r.status).toBe('partial');
    expect(item(good.id)?.status).toBe('synced');
    onlyBpOrder(good.number);
    expect(item(bad.id)?.status).toBe('failed');
    expect(item(bad.id)?.error).toMatch(/^WooCommerce sent order data the sync cannot read \(currency: .*\)/);
    expect(bpOrdersFor(bad.number)).toHaveLength(0);

    record.currency = 'GBP';
    tick();
    await run();
    expect(item(bad.id)?.status).toBe('synced');
    onlyBpOrder(bad.number);

    // The same on the Brightpearl side: an order-search row we cannot read fails that order only.
    const bpOrder = onlyBpOrder(good.number);
    bpOrder.statusId = 'Dispatched' as unknown as number;
    tick();
    bpOrder.updatedOn = nowMs;
    const r2 = await run();
    expect(r2.counts).toMatchObject({ failed: 2, synced: 0 }); // this one and the unknown SKU (retried every run)
    expect(item(good.id)?.error).toMatch(new RegExp(`^Brightpearl sent order ${bpOrder.id} in a form the sync cannot read \\(orderStatusId: .*\\)`));
    bpOrder.statusId = ORDER_STATUS.NEW_WEB_ORDER;
    tick();
    await run();
    expect(item(good.id)?.status).toBe('synced');
  });

  test('after everything, one Brightpearl order per exported WooCommerce order', () => {
    for (const m of store.mappings.all('order')) {
      const o = wooOrder(Number(m.wcId));
      expect(onlyBpOrder(o.number).id).toBe(Number(m.bpId));
      expect(paymentsOf(Number(m.bpId)).length).toBeLessThanOrEqual(1);
    }
  });
});
