/**
 * Shipment tracking (§7): the Shipment Tracking extension's routes in both namespaces, storage in
 * `_wc_shipment_tracking_items`, and a store without the extension (the client answers null).
 */
import { buildCatalog } from '../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { WooCommerceClient } from '../../src/woocommerce/client';
import { asList, asRecord, rawCall } from './helpers';

const catalog = buildCatalog({ simpleCount: 20, variableCount: 2 });
const noSleep = async () => undefined;

function client(sim: WooCommerceSimulator, url: string): WooCommerceClient {
  return new WooCommerceClient({ url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, sleep: noSleep, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
}

describe('shipment tracking installed', () => {
  let sim: WooCommerceSimulator;
  let wc: WooCommerceClient;
  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog, seedOrders: 5 });
    wc = client(sim, await sim.listen());
  });
  afterAll(() => sim.close());

  it('adds tracking under wc/v3, stores it in order meta, and completes the order afterwards', async () => {
    const id = sim.placeOrder().id as number;
    expect(await wc.listShipmentTrackings(id)).toEqual([]);
    const item = await wc.addShipmentTracking(id, { tracking_provider: 'Royal Mail', tracking_number: 'AB123456789GB', date_shipped: '2025-03-02' });
    expect(item).toEqual({
      tracking_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      tracking_provider: 'Royal Mail',
      tracking_link: 'https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB',
      tracking_number: 'AB123456789GB',
      date_shipped: '2025-03-02',
    });
    expect(wc.shipmentTrackingNamespace()).toBe('wc/v3');
    expect(await wc.listShipmentTrackings(id)).toEqual([item]);

    const order = await wc.getOrder(id);
    const meta = order.meta_data.find((m) => m.key === '_wc_shipment_tracking_items');
    expect(meta?.value).toEqual([
      {
        tracking_provider: 'royal-mail',
        custom_tracking_provider: '',
        custom_tracking_link: '',
        tracking_number: 'AB123456789GB',
        date_shipped: String(Date.UTC(2025, 2, 2) / 1000),
        tracking_id: item?.tracking_id,
      },
    ]);
    const completed = await wc.updateOrder(id, { status: 'completed' });
    expect(completed.status).toBe('completed');
    expect(completed.date_completed_gmt).not.toBeNull();
  });

  it('answers the same routes under wc-shipment-tracking/v3, with custom providers and the providers list', async () => {
    const id = sim.placeOrder().id as number;
    const created = await rawCall(sim, 'POST', `/wp-json/wc-shipment-tracking/v3/orders/${id}/shipment-trackings`, {
      body: { custom_tracking_provider: 'Leeds Couriers', custom_tracking_link: 'https://track.example.com/?n=%1$s', tracking_number: 'LC-77' },
    });
    expect(created.status).toBe(201);
    expect(asRecord(created.json)).toMatchObject({ tracking_provider: 'Leeds Couriers', tracking_link: 'https://track.example.com/?n=LC-77', date_shipped: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    const listed = asList((await rawCall(sim, 'GET', `orders/${id}/shipment-trackings`)).json);
    expect(listed.map((t) => t.tracking_number)).toEqual(['LC-77']);
    const providers = asRecord((await rawCall(sim, 'GET', `orders/${id}/shipment-trackings/providers`)).json);
    expect(Object.keys(asRecord(providers['United Kingdom']))).toEqual(expect.arrayContaining(['DPD', 'Royal Mail', 'Evri']));
    const missing = await rawCall(sim, 'POST', `orders/${id}/shipment-trackings`, { body: { tracking_provider: 'DPD' } });
    expect(asRecord(missing.json)).toMatchObject({ code: 'rest_missing_callback_param', data: { status: 400 } });
  });

  it('deletes a tracking item, and reports bad orders and ids', async () => {
    const id = sim.placeOrder().id as number;
    const item = await wc.addShipmentTracking(id, { tracking_provider: 'DPD', tracking_number: '15501234567890' });
    expect(item?.tracking_link).toBe('https://track.dpd.co.uk/parcels/15501234567890');
    expect(await wc.deleteShipmentTracking(id, item?.tracking_id ?? '')).toBe(true);
    expect(await wc.listShipmentTrackings(id)).toEqual([]);
    await expect(wc.deleteShipmentTracking(id, 'nope')).rejects.toMatchObject({ status: 404, wooMessage: 'Invalid tracking ID.' });
    await expect(wc.listShipmentTrackings(999999)).rejects.toMatchObject({ status: 404, code: 'woocommerce_rest_order_invalid_id' });
  });

  it('bumps the order’s date_modified (order.updated) when tracking is added', async () => {
    const id = sim.placeOrder().id as number;
    const record = sim.orderRecord(id);
    if (!record) throw new Error('no order');
    record.modified -= 60;
    const earlier = record.modified;
    await wc.addShipmentTracking(id, { tracking_provider: 'Evri', tracking_number: 'H01ABC' });
    expect(sim.orderRecord(id)?.modified).toBeGreaterThan(earlier);
  });
});

describe('store without Shipment Tracking', () => {
  let sim: WooCommerceSimulator;
  let wc: WooCommerceClient;
  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog, seedOrders: 3, extensions: { shipmentTracking: false } });
    wc = client(sim, await sim.listen());
  });
  afterAll(() => sim.close());

  it('answers rest_no_route in both namespaces', async () => {
    const id = [...sim.state.orders.keys()][0];
    for (const path of [`orders/${id}/shipment-trackings`, `/wp-json/wc-shipment-tracking/v3/orders/${id}/shipment-trackings`]) {
      const res = await rawCall(sim, 'GET', path);
      expect(res.status).toBe(404);
      expect(asRecord(res.json).code).toBe('rest_no_route');
    }
  });

  it('gives null from the client (after asking both namespaces once) so the flow can fall back to a note', async () => {
    const id = [...sim.state.orders.keys()][0] ?? 0;
    expect(await wc.listShipmentTrackings(id)).toBeNull();
    expect(wc.stats()).toEqual({ 'GET orders/:id/shipment-trackings': 1, 'GET wc-shipment-tracking/v3/orders/:id/shipment-trackings': 1 });
    expect(wc.shipmentTrackingNamespace()).toBeNull();
    expect(await wc.addShipmentTracking(id, { tracking_number: 'X1', tracking_provider: 'DPD' })).toBeNull();
    // Remembered: no further requests.
    expect(Object.values(wc.stats()).reduce((a, b) => a + b, 0)).toBe(2);
    // The fallback: a customer note.
    const note = await wc.addOrderNote(id, 'Shipped with DPD, tracking number X1', true);
    expect(note.customer_note).toBe(true);
  });
});
