/**
 * The shipment flow end to end: the Brightpearl simulator and two WooCommerce simulators (one with
 * the Shipment Tracking extension, one without) over real HTTP, the real clients, real SQLite files
 * and the Engine running the flow. The Brightpearl sales orders (what the order flow would have
 * created) are made here through the client and linked with an 'order' id mapping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestBudget, clearSharedBudgets } from '../../src/brightpearl/budget';
import { BrightpearlClient } from '../../src/brightpearl/client';
import { Engine } from '../../src/engine/engine';
import {
  SHIPMENTS_META_KEY,
  ShipmentFlow,
  matchTrackingProvider,
  partialNoteMarker,
  readShipmentsMeta,
  type ShipmentTarget,
} from '../../src/flows/shipment';
import { buildCatalog, type Catalog } from '../../src/simulators/catalog';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';
import { createTransferNote } from '../../src/simulators/brightpearl/goods-out';
import { SHIPPING_METHOD } from '../../src/simulators/brightpearl/reference';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { Store } from '../../src/store';
import { WooCommerceClient } from '../../src/woocommerce/client';

const KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const SECRET = 'cs_0123456789abcdef0123456789abcdef01234567';
const RETRY = { retries: 3, baseDelayMs: 2, maxDelayMs: 20 };

interface Shop {
  sim: WooCommerceSimulator;
  client: WooCommerceClient;
}

describe('shipment flow against the simulators', () => {
  let dir: string;
  let catalog: Catalog;
  let bp: BrightpearlSimulator;
  let bpClient: BrightpearlClient;
  let tracked: Shop;
  let plain: Shop;
  let customerId: number;
  let store: Store;
  let engine: Engine;

  const skus = () => catalog.products.filter((p) => p.groupId === 0 && p.stockTracked).map((p) => p.sku);
  const bpProductOf = (sku: string) => catalog.products.find((p) => p.sku === sku)?.bpId as number;
  const open = (file: string, woocommerce: ShipmentTarget) => {
    const s = Store.open(join(dir, file));
    s.flows.ensure({});
    return { store: s, engine: new Engine({ store: s, flows: { shipment: new ShipmentFlow({ brightpearl: bpClient, woocommerce }) } }) };
  };
  const run = async (e: Engine = engine, opts: { scope?: string[] } = {}) => e.start('shipment', { trigger: 'test', ...opts }).done;

  /** A paid WooCommerce order, the Brightpearl sales order made of it, linked in `into`. */
  const exportedOrder = async (shop: Shop, into: Store, items: { sku: string; quantity: number }[], shippingMethodId: number = SHIPPING_METHOD.ROYAL_MAIL_TRACKED_24) => {
    const placed = shop.sim.placeOrder({ items, paymentMethod: 'stripe', shippingMethod: 'flat_rate', customerId: 0 });
    const order = await shop.client.getOrder(placed.id as number);
    const salesOrderId = await bpClient.createSalesOrder({
      customer: { id: customerId },
      ref: order.number,
      externalRef: order.number,
      channelId: 3,
      warehouseId: 2,
      delivery: { shippingMethodId },
      currency: { code: 'GBP' },
      rows: order.line_items.map((li) => ({
        productId: bpProductOf(li.sku as string),
        quantity: String(li.quantity),
        taxCode: 'T20',
        net: li.total,
        tax: li.total_tax,
        nominalCode: '4000',
        externalRef: String(li.id),
      })),
    });
    into.mappings.link([{ type: 'order', bpId: String(salesOrderId), wcId: String(order.id), wcParentId: null }]);
    const rows = bp.state.orders.get(salesOrderId)?.rows ?? [];
    return { order, salesOrderId, rows };
  };

  const statusOf = (shop: Shop, id: number) => shop.sim.orderRecord(id)?.status;
  const notesOf = (shop: Shop, id: number) => shop.sim.orderRecord(id)?.notes ?? [];
  const customerNotes = (shop: Shop, id: number) => notesOf(shop, id).filter((n) => n.customerNote);
  const trackingsOf = async (id: number) => (await tracked.client.listShipmentTrackings(id)) ?? [];
  const completions = (shop: Shop, id: number) => notesOf(shop, id).filter((n) => /to Completed/i.test(n.note)).length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpwc-shipment-'));
    catalog = buildCatalog({ seed: 31, simpleCount: 12, variableCount: 1, quirks: false });
    bp = await createBrightpearlSimulator({ catalog, requestsPerMinute: 100_000, orderActivity: false });
    const bpUrl = await bp.listen();
    bpClient = new BrightpearlClient({
      baseUrl: bpUrl,
      accountCode: 'demo',
      auth: { kind: 'system', appRef: 'demo_bpwc', accountToken: 'demo-account-token' },
      retry: RETRY,
      budget: new RequestBudget(),
    });
    const shop = async (shipmentTracking: boolean): Promise<Shop> => {
      const sim = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET, seedOrders: 0, extensions: { shipmentTracking } });
      const url = await sim.listen();
      return { sim, client: new WooCommerceClient({ url, consumerKey: KEY, consumerSecret: SECRET, retry: RETRY }) };
    };
    tracked = await shop(true);
    plain = await shop(false);
    const addressId = await bpClient.createPostalAddress({ addressLine1: '1 High St', addressLine3: 'Leeds', postalCode: 'LS1 1AA', countryIsoCode: 'GB' });
    customerId = await bpClient.createContact({ firstName: 'Shay', lastName: 'Ping', postAddressIds: { DEF: addressId, BIL: addressId, DEL: addressId } });
    ({ store, engine } = open('bpwc.sqlite', tracked.client));
  });

  afterAll(async () => {
    await engine.stop();
    store.close();
    await Promise.all([bp.close(), tracked.sim.close(), plain.sim.close()]);
    clearSharedBudgets();
    rmSync(dir, { recursive: true, force: true });
  });

  test('carrier names map to Shipment Tracking providers', () => {
    expect(matchTrackingProvider(['Royal Mail', 'Royal Mail Tracked 24'])).toBe('Royal Mail');
    expect(matchTrackingProvider([undefined, 'DPD Next Day'])).toBe('DPD');
    expect(matchTrackingProvider([undefined, 'Collect in store'])).toBeUndefined();
    expect(matchTrackingProvider(['UPSIDE Couriers'])).toBeUndefined();
  });

  test('a full shipment adds the tracking through Shipment Tracking and completes the order', async () => {
    const [a, b] = skus();
    const { order, salesOrderId } = await exportedOrder(tracked, store, [
      { sku: a as string, quantity: 2 },
      { sku: b as string, quantity: 1 },
    ]);
    const noteId = bp.shipOrder(salesOrderId, { reference: 'RM123456785GB' }) as number;

    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(result.counts).toMatchObject({ synced: 1, failed: 0 });
    expect(await trackingsOf(order.id)).toEqual([
      expect.objectContaining({ tracking_number: 'RM123456785GB', tracking_provider: 'Royal Mail', tracking_link: expect.stringContaining('RM123456785GB') }),
    ]);
    expect(statusOf(tracked, order.id)).toBe('completed');
    const item = store.items.getByEntity('shipment', String(noteId));
    expect(item).toMatchObject({ status: 'synced', info: String(noteId), bpId: String(salesOrderId), wcId: String(order.id), lastValue: 'RM123456785GB' });
    expect(store.items.attempts(item?.id as number)[0]?.message).toBe(
      `Tracking RM123456785GB (Royal Mail) added to WooCommerce order #${order.number}; everything has shipped, so WooCommerce order #${order.number} was completed.`,
    );
  });

  test('a partial shipment leaves the order processing with a note; the rest shipping completes it', async () => {
    const [, , c, d] = skus();
    const { order, salesOrderId, rows } = await exportedOrder(
      tracked,
      store,
      [
        { sku: c as string, quantity: 1 },
        { sku: d as string, quantity: 3 },
      ],
      SHIPPING_METHOD.DPD_NEXT_DAY,
    );
    const firstRow = rows.find((r) => r.productId === bpProductOf(c as string));
    const first = bp.createGoodsOutNote(salesOrderId, { rows: [{ rowId: firstRow?.id as number, quantity: 1 }] });
    bp.shipGoodsOutNote(first, { reference: '15501234567890' });

    expect((await run()).counts).toMatchObject({ synced: 1, failed: 0 });
    expect(statusOf(tracked, order.id)).toBe('processing');
    expect((await trackingsOf(order.id)).map((t) => [t.tracking_number, t.tracking_provider])).toEqual([['15501234567890', 'DPD']]);
    const partial = notesOf(tracked, order.id).filter((n) => n.note.includes(partialNoteMarker(first)));
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatchObject({ customerNote: false });
    expect(partial[0]?.note).toMatch(/^Partially shipped: 1 × .+ with DPD Next Day, tracking 15501234567890 \(Brightpearl goods-out note \d+\)\./);
    expect(store.items.getByEntity('shipment', String(first))?.status).toBe('synced');

    // The rest ships.
    const second = bp.shipOrder(salesOrderId, { reference: '15509876543210' }) as number;
    expect((await run()).counts).toMatchObject({ synced: 1, failed: 0 });
    expect(statusOf(tracked, order.id)).toBe('completed');
    expect((await trackingsOf(order.id)).map((t) => t.tracking_number)).toEqual(['15501234567890', '15509876543210']);
    expect(notesOf(tracked, order.id).filter((n) => n.note.startsWith('Partially shipped'))).toHaveLength(1);
    expect(store.items.getByEntity('shipment', String(second))?.status).toBe('synced');
  });

  test('an order already completed in WooCommerce keeps its status; only new tracking is added', async () => {
    const [e] = skus().slice(4);
    const { order, salesOrderId, rows } = await exportedOrder(tracked, store, [{ sku: e as string, quantity: 2 }]);
    tracked.sim.setOrderStatus(order.id, 'completed');
    const noteId = bp.createGoodsOutNote(salesOrderId, { rows: [{ rowId: rows[0]?.id as number, quantity: 1 }] });
    bp.shipGoodsOutNote(noteId, { reference: 'RM000000017GB' });
    expect((await run()).counts).toMatchObject({ synced: 1, failed: 0 });
    expect(statusOf(tracked, order.id)).toBe('completed');
    expect((await trackingsOf(order.id)).map((t) => t.tracking_number)).toEqual(['RM000000017GB']);
    expect(notesOf(tracked, order.id).some((n) => n.note.startsWith('Partially shipped'))).toBe(false);
    expect(store.items.getByEntity('shipment', String(noteId))?.error ?? null).toBeNull();
    const item = store.items.getByEntity('shipment', String(noteId));
    expect(store.items.attempts(item?.id as number)[0]?.message).toMatch(/is already completed, so its status was left as it is\.$/);
  });

  test('transfer notes and notes of orders that did not come from WooCommerce are ignored', async () => {
    const now = Date.now();
    const transfer = createTransferNote(bp.state, {
      warehouseId: 2,
      targetWarehouseId: 5,
      lines: [{ productId: bpProductOf(skus()[5] as string), quantity: 1 }],
      createdOn: now,
      shippedOn: now,
    });
    const phoneOrder = await bpClient.createSalesOrder({
      customer: { id: customerId },
      ref: 'PHONE-77',
      warehouseId: 2,
      rows: [{ productId: bpProductOf(skus()[6] as string), quantity: '1', taxCode: 'T20', net: '10.00', tax: '2.00' }],
    });
    const phoneNote = bp.shipOrder(phoneOrder, { reference: 'RM999999999GB' }) as number;
    const result = await run();
    expect(result.counts).toMatchObject({ seen: 0, synced: 0, failed: 0 });
    expect(store.items.getByEntity('shipment', String(transfer))).toBeUndefined();
    expect(store.items.getByEntity('shipment', String(phoneNote))).toBeUndefined();
  });

  test('a second run adds nothing', async () => {
    const ids = [...tracked.sim.state.orders.keys()];
    const before = await Promise.all(ids.map(async (id) => [(await trackingsOf(id)).length, notesOf(tracked, id).length, statusOf(tracked, id)]));
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(again.counts).toMatchObject({ synced: 0, failed: 0 });
    let after = await Promise.all(ids.map(async (id) => [(await trackingsOf(id)).length, notesOf(tracked, id).length, statusOf(tracked, id)]));
    expect(after).toEqual(before);

    // A retry of chosen rows (scoped run) finds everything in place too.
    const rows = store.items.page({ type: 'shipment' }, 100).items;
    store.items.requeue({ ids: rows.map((r) => r.id) });
    const retried = await run(engine, { scope: rows.map((r) => r.entityId) });
    expect(retried.counts).toMatchObject({ seen: rows.length, synced: 0, unchanged: rows.length, failed: 0 });
    expect(store.items.counts('shipment')).toMatchObject({ synced: rows.length, pending: 0, failed: 0 });
    after = await Promise.all(ids.map(async (id) => [(await trackingsOf(id)).length, notesOf(tracked, id).length, statusOf(tracked, id)]));
    expect(after).toEqual(before);
  });

  test('a store without Shipment Tracking gets order meta and one customer note per shipment, also on re-runs', async () => {
    const other = open('plain.sqlite', plain.client);
    try {
      const [f] = skus().slice(7);
      const { order, salesOrderId, rows } = await exportedOrder(plain, other.store, [{ sku: f as string, quantity: 2 }]);
      const first = bp.createGoodsOutNote(salesOrderId, { rows: [{ rowId: rows[0]?.id as number, quantity: 1 }] });
      bp.shipGoodsOutNote(first, { reference: 'RM111111110GB' });
      expect((await run(other.engine)).counts).toMatchObject({ synced: 1, failed: 0 });
      expect(customerNotes(plain, order.id).map((n) => n.note)).toEqual(['Your order has shipped with Royal Mail Tracked 24: RM111111110GB']);
      expect(statusOf(plain, order.id)).toBe('processing');
      expect(notesOf(plain, order.id).filter((n) => n.note.includes(partialNoteMarker(first)))).toHaveLength(1);

      const second = bp.shipOrder(salesOrderId, { reference: 'RM222222221GB' }) as number;
      expect((await run(other.engine)).counts).toMatchObject({ synced: 1, failed: 0 });
      expect(statusOf(plain, order.id)).toBe('completed');
      const wooOrder = await plain.client.getOrder(order.id);
      expect(readShipmentsMeta(wooOrder)).toEqual([
        expect.objectContaining({ noteId: first, trackingNumber: 'RM111111110GB', carrier: 'Royal Mail Tracked 24' }),
        expect.objectContaining({ noteId: second, trackingNumber: 'RM222222221GB', note: 'Your order has shipped with Royal Mail Tracked 24: RM222222221GB' }),
      ]);
      expect(wooOrder.meta_data.filter((m) => m.key === SHIPMENTS_META_KEY)).toHaveLength(1);
      expect(customerNotes(plain, order.id)).toHaveLength(2);

      const notes = notesOf(plain, order.id).length;
      const again = await run(other.engine);
      expect(again.counts).toMatchObject({ synced: 0, failed: 0 });
      expect(notesOf(plain, order.id)).toHaveLength(notes);
      expect(readShipmentsMeta(await plain.client.getOrder(order.id))).toHaveLength(2);
    } finally {
      await other.engine.stop();
      other.store.close();
    }
  });

  test('a crash between the WooCommerce write and the local commit adds no duplicate tracking or note', async () => {
    // With Shipment Tracking: the tracking lands, then the process dies.
    const [g, h] = skus().slice(8);
    const crashTracking: ShipmentTarget = Object.assign(Object.create(tracked.client) as ShipmentTarget, {
      addShipmentTracking: async (...args: Parameters<ShipmentTarget['addShipmentTracking']>) => {
        await tracked.client.addShipmentTracking(...args);
        throw new Error('killed right after the write');
      },
    });
    let dead = open('crash-tracked.sqlite', crashTracking);
    const t = await exportedOrder(tracked, dead.store, [{ sku: g as string, quantity: 1 }]);
    const tNote = bp.shipOrder(t.salesOrderId, { reference: 'RM333333332GB' }) as number;
    await run(dead.engine);
    expect(dead.store.items.getByEntity('shipment', String(tNote))).toMatchObject({
      status: 'failed',
      error: 'Could not add this shipment to WooCommerce: killed right after the write. It will be retried on the next run (nothing is added twice).',
    });
    expect(dead.store.items.intentOf('shipment', String(tNote))?.intent).toMatchObject({ tracking: 'RM333333332GB' });
    expect(await trackingsOf(t.order.id)).toHaveLength(1);
    await dead.engine.stop();
    dead.store.close();
    let next = open('crash-tracked.sqlite', tracked.client);
    try {
      await run(next.engine);
      expect(next.store.items.getByEntity('shipment', String(tNote))?.status).toBe('synced');
      expect((await trackingsOf(t.order.id)).map((x) => x.tracking_number)).toEqual(['RM333333332GB']);
      expect(statusOf(tracked, t.order.id)).toBe('completed');
      expect(completions(tracked, t.order.id)).toBe(1);
      await run(next.engine);
      expect(await trackingsOf(t.order.id)).toHaveLength(1);
    } finally {
      await next.engine.stop();
      next.store.close();
    }

    // Without it: the customer note lands, then the process dies before the meta is written.
    const crashNote: ShipmentTarget = Object.assign(Object.create(plain.client) as ShipmentTarget, {
      addOrderNote: async (...args: Parameters<ShipmentTarget['addOrderNote']>) => {
        const note = await plain.client.addOrderNote(...args);
        if (args[2] === true) throw new Error('killed right after the write');
        return note;
      },
    });
    dead = open('crash-plain.sqlite', crashNote);
    const p = await exportedOrder(plain, dead.store, [{ sku: h as string, quantity: 1 }]);
    const pNote = bp.shipOrder(p.salesOrderId, { reference: 'RM444444443GB' }) as number;
    await run(dead.engine);
    expect(dead.store.items.getByEntity('shipment', String(pNote))?.status).toBe('failed');
    expect(customerNotes(plain, p.order.id)).toHaveLength(1);
    expect(readShipmentsMeta(await plain.client.getOrder(p.order.id))).toEqual([]);
    await dead.engine.stop();
    dead.store.close();
    next = open('crash-plain.sqlite', plain.client);
    try {
      await run(next.engine);
      expect(next.store.items.getByEntity('shipment', String(pNote))?.status).toBe('synced');
      expect(customerNotes(plain, p.order.id).map((n) => n.note)).toEqual(['Your order has shipped with Royal Mail Tracked 24: RM444444443GB']);
      expect(readShipmentsMeta(await plain.client.getOrder(p.order.id))).toEqual([expect.objectContaining({ noteId: pNote })]);
      expect(statusOf(plain, p.order.id)).toBe('completed');
      const item = next.store.items.getByEntity('shipment', String(pNote));
      expect(next.store.items.attempts(item?.id as number)[0]?.message).toMatch(/was already on WooCommerce order #\S+ \(an earlier run stopped before recording it\)/);
      await run(next.engine);
      expect(customerNotes(plain, p.order.id)).toHaveLength(1);
    } finally {
      await next.engine.stop();
      next.store.close();
    }
  });
});
