/** Sales credits (refunds): linked by parentId, 207 partial GETs, idempotency, refund payments. */
import type { BrightpearlClient } from '../../src/brightpearl/client';
import type { SalesCreditInput } from '../../src/brightpearl/inputs';
import { ORDER_STATUS } from '../../src/simulators/brightpearl/reference';
import { INSTANCE_ID, newCustomer, productsWithStock, raw, rejection, startSimulator, wooOrder, type TestSim } from './helpers';

describe('Brightpearl sales credits', () => {
  let t: TestSim;
  let bp: BrightpearlClient;
  let customerId: number;
  let products: number[];
  let orderId: number;

  const credit = (externalRef: string, overrides: Partial<SalesCreditInput> = {}): SalesCreditInput => ({
    customer: { id: customerId },
    parentId: orderId,
    ref: `WC-10452-R-${externalRef}`,
    externalRef,
    installedIntegrationInstanceId: INSTANCE_ID,
    channelId: 3,
    statusId: ORDER_STATUS.SALES_CREDIT,
    currency: { code: 'GBP' },
    rows: [
      { productId: products[0] as number, quantity: '1', taxCode: 'T20', net: '10.00', tax: '2.00', nominalCode: '4000', externalRef: 'li_881' },
      { name: 'Refund: shipping', quantity: '1', taxCode: 'T20', net: '3.33', tax: '0.67', nominalCode: '4040' },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    t = await startSimulator();
    bp = t.client();
    customerId = await newCustomer(bp, 'refunds@example.com', 'Rae Fund');
    products = productsWithStock(t.sim, 2);
    orderId = await bp.createSalesOrder(wooOrder(customerId, products, '10452'));
  });
  afterAll(() => t.sim.close());

  it('creates a credit linked to its order by parentId and finds it from the order', async () => {
    const id = await bp.createSalesCredit(credit('10452-refund-77'));
    const [read] = await bp.getSalesCredits([id]);
    expect(read).toMatchObject({
      id,
      parentId: orderId,
      externalRef: '10452-refund-77',
      customerId,
      statusId: ORDER_STATUS.SALES_CREDIT,
      total: { net: '13.3300', tax: '2.6700', gross: '16.0000' },
    });
    // Row order is undefined for credits: compare as sets.
    expect(new Set(read?.rows.map((r) => r.externalRef ?? r.name))).toEqual(new Set(['li_881', 'Refund: shipping']));
    expect(await bp.findCreditsForOrder(orderId)).toEqual([id]);
    expect(await bp.findCreditsForOrder(999999)).toEqual([]);

    const [legacy] = await bp.getOrders([id]);
    expect(legacy).toMatchObject({
      id,
      orderTypeCode: 'SC',
      parentOrderId: orderId,
      orderStatus: { orderStatusId: ORDER_STATUS.SALES_CREDIT, name: 'Sales credit' },
    });
    // Credits do not reserve stock.
    expect(t.sim.state.orders.get(id)?.rows.every((r) => r.allocated === 0)).toBe(true);
  });

  it('answers 207 when only some credits are found, 404 when none, and refuses an empty ID set', async () => {
    const id = await bp.createSalesCredit(credit('10452-refund-78'));
    const all = await raw(t.baseUrl, 'GET', `order-service/sales-credit/${id}`);
    expect(all.status).toBe(200);
    const some = await raw(t.baseUrl, 'GET', `order-service/sales-credit/${id},${orderId},99999999`);
    expect(some.status).toBe(207);
    // A sales order id is not a credit.
    expect(some.json.response.map((c: { id: number }) => c.id)).toEqual([id]);
    const none = await raw(t.baseUrl, 'GET', 'order-service/sales-credit/99999999');
    expect(none.status).toBe(404);
    const empty = await raw(t.baseUrl, 'GET', 'order-service/sales-credit/abc');
    expect(empty.status).toBe(400);

    expect((await bp.getSalesCredits([id, orderId, 99999999])).map((c) => c.id)).toEqual([id]);
    expect(await bp.getSalesCredits([99999999])).toEqual([]);
  });

  it('is idempotent on externalRef + installedIntegrationInstanceId, separately from sales orders', async () => {
    const first = await bp.createSalesCredit(credit('10452-refund-79'));
    const count = t.sim.state.orders.size;
    expect(await bp.createSalesCredit(credit('10452-refund-79', { rows: [] }))).toBe(first);
    expect(t.sim.state.orders.size).toBe(count);
    // A credit never answers with a sales order's id, even when the refs collide.
    const sameRefAsOrder = await bp.createSalesCredit(credit('10452'));
    expect(sameRefAsOrder).not.toBe(orderId);
    expect(await bp.findOrderByExternalRef('10452', { orderTypeId: 3 })).toEqual([sameRefAsOrder]);
    expect(await bp.findOrderByExternalRef('10452', { orderTypeId: 1 })).toEqual([orderId]);
  });

  it('only credits sales orders, with sales-credit statuses', async () => {
    const creditId = await bp.createSalesCredit(credit('10452-refund-80'));
    const onCredit = await rejection(bp.createSalesCredit(credit('x-1', { parentId: creditId })));
    expect(onCredit.status).toBe(400);
    expect(onCredit.message).toMatch(/a credit's parent must be a sales order/);
    const missing = await rejection(bp.createSalesCredit(credit('x-2', { parentId: 99999999 })));
    expect(missing.message).toMatch(/order 99999999 does not exist/);
    const soStatus = await rejection(bp.createSalesCredit(credit('x-3', { statusId: ORDER_STATUS.NEW_WEB_ORDER })));
    expect(soStatus.message).toMatch(/is for SO orders, not SC/);
  });

  it('records the refund as a PAYMENT on the credit', async () => {
    const creditId = await bp.createSalesCredit(credit('10452-refund-81'));
    const refund = {
      paymentType: 'PAYMENT' as const,
      orderId: creditId,
      paymentMethodCode: 'WOO_STRIPE',
      currencyIsoCode: 'GBP',
      amountPaid: '16.00',
      paymentDate: '2025-03-06T12:00:00Z',
      transactionRef: 're_3Qx81',
    };
    const paymentId = await bp.createCustomerPayment(refund);
    expect(await bp.createCustomerPayment(refund)).toBe(paymentId);
    expect(await bp.findCustomerPayments(creditId)).toEqual([expect.objectContaining({ paymentId, paymentType: 'PAYMENT', amountPaid: 16 })]);
    expect((await bp.getSalesCredits([creditId]))[0]?.orderPaymentStatus).toBe('PAID');
  });

  it('moves credits through their own statuses', async () => {
    const creditId = await bp.createSalesCredit(credit('10452-refund-82'));
    await bp.updateOrderStatus(creditId, ORDER_STATUS.CREDIT_COMPLETE, 'Refunded in WooCommerce');
    expect((await bp.getOrders([creditId]))[0]?.orderStatus.name).toBe('Credit complete');
    const wrongType = await rejection(bp.updateOrderStatus(creditId, ORDER_STATUS.INVOICED));
    expect(wrongType.message).toMatch(/is for SO orders, this is a SC/);
  });
});
