/** Per-account reference data the sync maps by name/code, and the shared plumbing on the new routes. */
import type { BrightpearlClient } from '../../src/brightpearl/client';
import { calls, clearFaults, raw, startSimulator, type TestSim } from './helpers';

describe('Brightpearl reference data', () => {
  let t: TestSim;
  let bp: BrightpearlClient;

  beforeAll(async () => {
    t = await startSimulator();
    bp = t.client();
  });
  afterAll(() => t.sim.close());
  beforeEach(() => {
    clearFaults(t.sim);
    t.sim.controls.counters.reset();
  });

  it('lists order statuses with their order type and state', async () => {
    const statuses = await bp.getOrderStatuses();
    const byName = new Map(statuses.map((s) => [s.name, s]));
    for (const name of ['Draft / Quote', 'New web order', 'Awaiting payment', 'Ready to ship', 'Invoiced', 'Cancelled', 'Dispatched']) {
      expect(byName.get(name)?.orderTypeCode).toBe('SO');
    }
    expect(byName.get('Sales credit')).toMatchObject({ statusId: 31, orderTypeCode: 'SC' });
    expect(byName.get('Draft / Quote')?.state).toBe('draft');
    expect(byName.get('Cancelled')?.state).toBe('cancelled');
    expect(statuses.some((s) => s.visible === false)).toBe(true);

    const some = await raw(t.baseUrl, 'GET', 'order-service/order-status/1-3,31');
    expect(some.json.response.map((s: { statusId: number }) => s.statusId)).toEqual([1, 2, 3, 31]);
    expect(some.json.response[0]).toEqual(
      expect.objectContaining({
        sortOrder: expect.any(Number),
        disabled: false,
        visible: true,
        color: expect.any(String),
        alertEmails: [],
        batchProcess: false,
      }),
    );
  });

  it('lists channels, shipping methods (with carriers), tax codes, payment methods and nominal codes', async () => {
    expect((await bp.getChannels()).map((c) => [c.id, c.name])).toEqual(
      expect.arrayContaining([
        [1, 'Brightpearl'],
        [3, 'WooCommerce'],
      ]),
    );
    const methods = await bp.getShippingMethods();
    expect(methods.find((m) => m.name === 'Royal Mail 48')).toMatchObject({ code: 'RM48', carrier: 'Royal Mail' });
    expect(methods.find((m) => m.name === 'DPD Next Day')).toMatchObject({ code: 'DPDND', carrier: 'DPD' });
    const one = await raw(t.baseUrl, 'GET', 'warehouse-service/shipping-method/4');
    expect(one.json.response).toEqual([expect.objectContaining({ id: 4, name: 'DPD Next Day' })]);

    const taxCodes = await bp.getTaxCodes();
    expect(taxCodes.map((c) => [c.code, c.rate])).toEqual(
      expect.arrayContaining([
        ['T20', 20],
        ['T5', 5],
        ['T0', 0],
      ]),
    );
    const paymentMethods = await bp.getPaymentMethods();
    expect(paymentMethods.map((m) => m.code)).toEqual(expect.arrayContaining(['WOO_STRIPE', 'WOO_PAYPAL', 'WOO_BACS', 'WOO_COD']));
    const nominal = await bp.getNominalCodes();
    expect(nominal.map((n) => n.code)).toEqual(expect.arrayContaining(['4000', '4040']));
  });

  it('serves the fixed code tables', async () => {
    const types = await raw(t.baseUrl, 'GET', 'order-service/order-type');
    expect(types.json.response.map((x: { id: number; code: string }) => [x.id, x.code])).toEqual([
      [1, 'SO'],
      [2, 'PO'],
      [3, 'SC'],
      [4, 'PC'],
    ]);
    const shipping = await raw(t.baseUrl, 'GET', 'order-service/order-shipping-status');
    expect(shipping.json.response.map((x: { code: string }) => x.code)).toEqual(['NST', 'SNS', 'SPS', 'ASS']);
  });

  it('names statuses and types in order-search reference tables', async () => {
    const res = await raw(t.baseUrl, 'GET', 'order-service/order-search?columns=orderId,orderTypeId,orderStatusId&orderTypeId=1');
    expect(res.json.response.results.length).toBeGreaterThan(0);
    expect(res.json.reference.orderTypeNames).toEqual({ '1': 'Sales order' });
    expect(Object.values(res.json.reference.orderStatusNames)).toContain('Invoiced');
    const bad = await raw(t.baseUrl, 'GET', 'order-service/order-search?orderStatusId=abc');
    expect(bad.status).toBe(500);
    expect(bad.json.errors[0].code).toBe('CMNC-018');
  });

  it('puts the new routes behind the same throttle headers, counters and fault injection', async () => {
    const res = await raw(t.baseUrl, 'GET', 'accounting-service/tax-code');
    expect(res.headers['brightpearl-requests-remaining']).toEqual(expect.any(String));
    expect(res.headers['brightpearl-next-throttle-period']).toEqual(expect.any(String));

    const client = t.client({ onRetry: () => clearFaults(t.sim) });
    t.sim.controls.controls.errorRate = 1;
    expect((await client.getOrderStatuses()).length).toBeGreaterThan(0);
    expect(calls(t.sim, 'GET', 'order-service/order-status')).toBe(2);
    expect(client.stats().calls['GET order-service/order-status']).toBe(2);
  });
});
