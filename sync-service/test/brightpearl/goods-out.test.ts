/**
 * Goods-out notes: partial fulfilment, tracking locked after shipping, If-Match on events, the
 * order's shipping status SNS → SPS → ASS, searches by shippedOn, and the demo activity shipping
 * an order.
 */
import type { BrightpearlClient } from '../../src/brightpearl/client';
import { ORDER_STATUS, SHIPPING_METHOD } from '../../src/simulators/brightpearl/reference';
import { newCustomer, productsWithStock, raw, rejection, startSimulator, wooOrder, type TestSim } from './helpers';

describe('Brightpearl goods-out notes', () => {
  let t: TestSim;
  let bp: BrightpearlClient;
  let customerId: number;
  let products: number[];

  /** An order of products[0] ×2 and products[1] ×1 (+ shipping); its two product rows. */
  const newOrder = async (ref: string) => {
    const id = await bp.createSalesOrder(wooOrder(customerId, products, ref));
    const [order] = await bp.getSalesOrders([id]);
    const rows = (order?.rows ?? []).filter((r) => r.productId);
    return { id, first: rows[0]?.id as number, second: rows[1]?.id as number };
  };

  beforeAll(async () => {
    t = await startSimulator();
    bp = t.client();
    customerId = await newCustomer(bp, 'ship@example.com', 'Shi Pping');
    products = productsWithStock(t.sim, 2);
  });
  afterAll(() => t.sim.close());

  it('ships part of an order, then the rest: SNS → SPS → ASS', async () => {
    const order = await newOrder('G-1');
    const productId = products[0] as number;
    const stock = () => ({ ...(t.sim.state.stock.get(productId)?.get(2) ?? { inStock: 0, allocated: 0 }) });
    const before = stock();

    // One of the two items of the first row.
    const [noteId] = await bp.createGoodsOutNotes(order.id, {
      warehouses: [{ warehouseId: 2, releaseDate: '2025-03-04T10:30:00Z', products: [{ productId, salesOrderRowId: order.first, quantity: 1 }] }],
      priority: false,
      shippingMethodId: SHIPPING_METHOD.ROYAL_MAIL_48,
    });
    expect(noteId).toEqual(expect.any(Number));
    expect((await bp.getOrders([order.id]))[0]?.shippingStatusCode).toBe('SNS');

    const [note] = await bp.getGoodsOutNotes([order.id]);
    expect(note).toMatchObject({
      id: noteId,
      orderId: order.id,
      warehouseId: 2,
      transfer: false,
      status: { shipped: false },
      shipping: { reference: '', shippingMethodId: SHIPPING_METHOD.ROYAL_MAIL_48 },
      orderRows: { [String(order.first)]: [{ productId, quantity: 1, locationId: expect.any(Number) }] },
      events: [{ eventCode: 'PLA', occured: expect.any(String), eventOwnerId: expect.any(Number) }],
    });

    await bp.updateGoodsOutNote(noteId as number, { shipping: { reference: 'RM123456785GB', boxes: 1, weight: '0.80' } });
    const version = (await bp.getGoodsOutNotes('*', [noteId as number]))[0]?.lastEventVersion as number;
    await bp.addGoodsOutEvents(noteId as number, [{ eventCode: 'SHW', occured: '2025-03-05T09:30:00+00:00', eventOwnerId: 4 }], { ifMatch: version });

    const [shipped] = await bp.getGoodsOutNotes('*', [noteId as number]);
    expect(shipped?.status).toMatchObject({ printed: true, picked: true, packed: true, shipped: true, shippedOn: '2025-03-05T09:30:00.000Z', shippedById: 4 });
    expect(shipped?.shipping).toMatchObject({ reference: 'RM123456785GB', boxes: 1, weight: '0.80' });
    // PRI/PIC/PAC were created before SHW.
    expect(shipped?.events.map((e) => e.eventCode)).toEqual(['PLA', 'PRI', 'PIC', 'PAC', 'SHW']);
    expect(shipped?.lastEventVersion).toBeGreaterThan(version);
    expect((await bp.getOrders([order.id]))[0]?.shippingStatusCode).toBe('SPS');
    // The item left the warehouse and its reservation with it.
    expect(stock()).toEqual({ inStock: before.inStock - 1, allocated: before.allocated - 1 });

    // Everything left (1 of row one, row two) on a second note.
    const [rest] = await bp.createGoodsOutNotes(order.id, {
      warehouses: [
        {
          warehouseId: 2,
          products: [
            { salesOrderRowId: order.first, quantity: 1 },
            { salesOrderRowId: order.second, quantity: 1 },
          ],
        },
      ],
    });
    await bp.addGoodsOutEvents(rest as number, [{ eventCode: 'SHW' }]);
    const [legacy] = await bp.getOrders([order.id]);
    expect(legacy?.shippingStatusCode).toBe('ASS');
    expect((await bp.getSalesOrders([order.id]))[0]?.stockStatusCode).toBe('SOA');
    expect((await bp.getGoodsOutNotes([order.id])).map((n) => n.id)).toEqual([noteId, rest]);
  });

  it('refuses more than is left to send, free-text rows and rows of other orders', async () => {
    const order = await newOrder('G-2');
    const other = await newOrder('G-3');
    const attempt = (products: { salesOrderRowId: number; quantity: number }[]) =>
      rejection(bp.createGoodsOutNotes(order.id, { warehouses: [{ warehouseId: 2, products }] }));
    expect((await attempt([{ salesOrderRowId: order.first, quantity: 3 }])).message).toMatch(/quantity 3 is more than the 2 of row/);
    const shippingRowId = t.sim.state.orders.get(order.id)?.rows.find((r) => !r.productId)?.id as number;
    expect((await attempt([{ salesOrderRowId: shippingRowId, quantity: 1 }])).message).toMatch(/free-text row/);
    expect((await attempt([{ salesOrderRowId: other.first, quantity: 1 }])).message).toMatch(/has no row/);
    // Nothing was created by the refused requests.
    expect(await bp.getGoodsOutNotes([order.id])).toEqual([]);
    const missing = await raw(t.baseUrl, 'POST', 'warehouse-service/order/99999999/goods-note/goods-out', { warehouses: [] });
    expect(missing.status).toBe(404);
  });

  it('locks tracking once shipped and accepts no events after SHW', async () => {
    const order = await newOrder('G-4');
    const noteId = t.sim.createGoodsOutNote(order.id);
    await bp.updateGoodsOutNote(noteId, { shipping: { reference: 'x'.repeat(64) } });
    expect((await rejection(bp.updateGoodsOutNote(noteId, { shipping: { reference: 'x'.repeat(65) } }))).status).toBe(400);
    await bp.updateGoodsOutNote(noteId, { shipping: { reference: '15501234567890', shippingMethodId: SHIPPING_METHOD.DPD_NEXT_DAY } });
    await bp.addGoodsOutEvents(noteId, [{ eventCode: 'SHW' }]);

    const locked = await rejection(bp.updateGoodsOutNote(noteId, { shipping: { reference: 'too late' } }));
    expect(locked.status).toBe(400);
    expect(locked.message).toMatch(/has been shipped; it can no longer be changed/);
    const more = await rejection(bp.addGoodsOutEvents(noteId, [{ eventCode: 'PRI' }]));
    expect(more.message).toMatch(/no more events are accepted/);
    expect((await bp.getGoodsOutNotes('*', [noteId]))[0]?.shipping.reference).toBe('15501234567890');
  });

  it('honours If-Match: a stale lastEventVersion is refused with 412 and changes nothing', async () => {
    const order = await newOrder('G-5');
    const noteId = t.sim.createGoodsOutNote(order.id);
    const stale = t.sim.state.goodsOutNotes.get(noteId)?.lastEventVersion as number;
    await bp.addGoodsOutEvents(noteId, [{ eventCode: 'PRI' }], { ifMatch: stale });
    const err = await rejection(bp.addGoodsOutEvents(noteId, [{ eventCode: 'SHW' }], { ifMatch: stale }));
    expect(err.status).toBe(412);
    expect(err.message).toMatch(/WHSC-412/);
    const [note] = await bp.getGoodsOutNotes([order.id]);
    expect(note?.status.shipped).toBe(false);
    expect(note?.events.map((e) => e.eventCode)).toEqual(['PLA', 'PRI']);
    // SHW must come last in a request.
    const res = await raw(t.baseUrl, 'POST', `warehouse-service/goods-note/goods-out/${noteId}/event`, {
      events: [{ eventCode: 'SHW' }, { eventCode: 'PAC' }],
    });
    expect(res.status).toBe(400);
  });

  it('finds newly shipped notes by shippedOn; transfer notes are flagged', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const order = await newOrder('G-6');
    const noteId = t.sim.shipOrder(order.id) as number;
    const recent = await bp.searchGoodsOutNotes({ shippedOn: `${since}/` });
    expect(recent.map((r) => r.goodsOutNoteId)).toContain(noteId);
    expect(recent.find((r) => r.goodsOutNoteId === noteId)).toMatchObject({ orderId: order.id, shipped: true, transfer: false, warehouseId: 2, channelId: 3 });
    // Seeded history is older than the watermark.
    expect(recent.every((r) => Date.parse(r.shippedOn as string) >= Date.parse(since))).toBe(true);

    const all = await bp.searchGoodsOutNotes({ shipped: true });
    const transfer = all.find((r) => r.transfer);
    expect(transfer?.orderId).toBe(0);
    const waiting = await bp.searchGoodsOutNotes({ shipped: false });
    expect(waiting.every((r) => r.shipped === false)).toBe(true);
    expect((await bp.getGoodsOutNotes('*', [transfer?.goodsOutNoteId as number]))[0]).toMatchObject({ transfer: true, orderId: 0 });
  });

  it('reads seeded phone orders: shipped, part shipped, waiting', async () => {
    const seeded = [...t.sim.state.orders.values()].filter((o) => o.ref?.startsWith('PHONE-') && o.orderTypeCode === 'SO');
    const legacy = await bp.getOrders(seeded.map((o) => o.id));
    const codes = legacy.map((o) => o.shippingStatusCode);
    expect(codes).toEqual(expect.arrayContaining(['ASS', 'SPS', 'SNS']));
    const notes = await bp.getGoodsOutNotes(seeded.map((o) => o.id));
    expect(notes.some((n) => n.status.shipped && /^RM\d{9}GB$/.test(n.shipping.reference ?? ''))).toBe(true);
    expect(notes.some((n) => !n.status.shipped)).toBe(true);
  });

  it('the demo activity ships an order the sync created, with tracking in the carrier format, then invoices it', async () => {
    const activity = await startSimulator({ seed: 3 });
    try {
      const client = activity.client();
      const customer = await newCustomer(client, 'demo@example.com');
      const orderId = await client.createSalesOrder(wooOrder(customer, productsWithStock(activity.sim, 2), 'DEMO-1'));
      let ticks = 0;
      while ((await client.getOrders([orderId]))[0]?.shippingStatusCode !== 'ASS') {
        activity.sim.activityTick();
        if (++ticks > 200) throw new Error('the activity never shipped the order');
      }
      const notes = await client.getGoodsOutNotes([orderId]);
      expect(notes.length).toBeGreaterThan(0);
      for (const note of notes) {
        expect(note.status.shipped).toBe(true);
        expect(note.shipping.reference).toMatch(/^RM\d{9}GB$/);
        expect(note.events.map((e) => e.eventCode)).toEqual(['PLA', 'PRI', 'PIC', 'PAC', 'SHW']);
      }
      for (let i = 0; i < 200 && activity.sim.state.orders.get(orderId)?.statusId !== ORDER_STATUS.INVOICED; i++) activity.sim.activityTick();
      expect((await client.getOrders([orderId]))[0]?.orderStatus.name).toBe('Invoiced');
    } finally {
      await activity.sim.close();
    }
  });

  it('runs the activity on an interval until stopped', async () => {
    const activity = await startSimulator({ seed: 5 });
    try {
      const client = activity.client();
      const customer = await newCustomer(client, 'interval@example.com');
      const orderId = await client.createSalesOrder(wooOrder(customer, productsWithStock(activity.sim, 1), 'DEMO-2'));
      activity.sim.startActivity(5);
      for (let i = 0; i < 300 && (await client.getOrders([orderId]))[0]?.shippingStatusCode !== 'ASS'; i++) await new Promise((r) => setTimeout(r, 10));
      activity.sim.stopActivity();
      expect((await client.getOrders([orderId]))[0]?.shippingStatusCode).toBe('ASS');
    } finally {
      await activity.sim.close();
    }
  });
});
