/**
 * Contacts, sales orders (flat and legacy shapes), order search, status updates, notes and
 * customer payments: the client against the simulator over real HTTP.
 */
import { BrightpearlOutcomeUnknownError, type BrightpearlClient } from '../../src/brightpearl/client';
import { ORDER_STATUS } from '../../src/simulators/brightpearl/reference';
import { calls, clearFaults, INSTANCE_ID, newCustomer, productsWithStock, raw, rejection, startSimulator, wooOrder, type TestSim } from './helpers';

describe('Brightpearl orders', () => {
  let t: TestSim;
  let bp: BrightpearlClient;
  let customerId: number;
  let products: number[];

  beforeAll(async () => {
    t = await startSimulator();
    bp = t.client();
    customerId = await newCustomer(bp, 'ana.silva@example.com');
    products = productsWithStock(t.sim, 2);
  });
  afterAll(() => t.sim.close());
  beforeEach(() => {
    clearFaults(t.sim);
    t.sim.controls.counters.reset();
  });

  describe('contacts', () => {
    it('searches primaryEmail fuzzily; the client keeps exact (case-insensitive) matches only', async () => {
      const fuzzy = await raw(t.baseUrl, 'GET', 'contact-service/contact-search?primaryEmail=jo@example.com&columns=contactId,primaryEmail');
      const emails = fuzzy.json.response.results.map((r: [number, string]) => r[1]).sort();
      expect(emails).toEqual(['banjo@example.com', 'jo@example.com', 'jo@example.com.au']);

      const exact = await bp.findContactsByEmail(' JO@Example.com ');
      expect(exact.map((c) => c.primaryEmail)).toEqual(['jo@example.com']);
      expect(exact[0]).toMatchObject({ contactId: expect.any(Number), firstName: 'Jo', lastName: 'Bloggs' });
      expect(await bp.findContactsByEmail('nobody@example.com')).toEqual([]);
    });

    it('creates a contact with a postal address and reads it back; a missing contact is a 404 CMNC-404', async () => {
      const [found] = await bp.findContactsByEmail('ana.silva@example.com');
      expect(found?.contactId).toBe(customerId);
      const [contact] = await bp.getContacts([customerId]);
      expect(contact).toMatchObject({
        contactId: customerId,
        firstName: 'Ana',
        lastName: 'Silva',
        communication: { emails: { PRI: { email: 'ana.silva@example.com' } } },
      });
      expect(contact?.postAddressIds?.DEF).toEqual(expect.any(Number));

      const missing = await raw(t.baseUrl, 'GET', 'contact-service/contact/999999');
      expect(missing.status).toBe(404);
      expect(missing.json.errors[0].code).toBe('CMNC-404');
      expect(await bp.getContacts([999999])).toEqual([]);
    });

    it('validates contacts and postal addresses in the errors[] form', async () => {
      const noStreet = await rejection(bp.createPostalAddress({ addressLine1: '', countryIsoCode: 'GB' }));
      expect(noStreet.status).toBe(400);
      expect(noStreet.message).toMatch(/addressLine1 is required/);
      const badAddress = await rejection(bp.createContact({ firstName: 'X', postAddressIds: { DEF: 424242 } }));
      expect(badAddress.message).toMatch(/postal address 424242 does not exist/);
    });
  });

  describe('sales orders', () => {
    it('creates an order atomically and reads it in the flat and the legacy shape', async () => {
      const before = t.sim.state.stock.get(products[0] as number)?.get(2)?.allocated ?? 0;
      const id = await bp.createSalesOrder(wooOrder(customerId, products, '10452'));
      // Stock is reserved for the new order.
      expect(t.sim.state.stock.get(products[0] as number)?.get(2)?.allocated).toBe(before + 2);

      const [flat] = await bp.getSalesOrders([id]);
      expect(flat).toMatchObject({
        id,
        ref: 'WC-10452',
        externalRef: '10452',
        installedIntegrationInstanceId: INSTANCE_ID,
        customerId,
        statusId: 2,
        channelId: 3,
        warehouseId: 2,
        shippingStatusCode: 'SNS',
        orderPaymentStatus: 'UNPAID',
        total: { net: '33.3300', tax: '6.6700', gross: '40.0000' },
      });
      expect(flat?.rows).toHaveLength(3);
      expect(flat?.rows[0]).toMatchObject({
        id: expect.any(Number),
        productId: products[0],
        quantity: '2.0000',
        net: '20.0000',
        tax: '4.0000',
        taxCode: 'T20',
        externalRef: 'li_10452_0',
      });
      expect(flat?.rows[2]).toMatchObject({ name: 'Shipping: Royal Mail 48', nominalCode: '4040' });
      expect(flat?.rows[2]?.productId).toBeUndefined();

      const [legacy] = await bp.getOrders([id]);
      expect(legacy).toMatchObject({
        id,
        orderTypeCode: 'SO',
        parentOrderId: 0,
        reference: 'WC-10452',
        orderStatus: { orderStatusId: 2, name: 'New web order' },
        shippingStatusCode: 'SNS',
      });
      const rowIds = flat?.rows.map((r) => String(r.id));
      expect(Object.keys(legacy?.orderRows ?? {})).toEqual(rowIds);
      const firstRow = legacy?.orderRows[rowIds?.[0] as string];
      expect(firstRow).toMatchObject({
        productId: products[0],
        quantity: { magnitude: '2.0000' },
        rowValue: { taxCode: 'T20', rowNet: { value: '20.0000' }, rowTax: { value: '4.0000' } },
      });
    });

    it('treats a re-POST with the same externalRef + installedIntegrationInstanceId as a duplicate: same id, nothing changes', async () => {
      const body = wooOrder(customerId, products, '20001');
      const first = await bp.createSalesOrder(body);
      const count = t.sim.state.orders.size;
      const updatedOn = t.sim.state.orders.get(first)?.updatedOn;
      const second = await bp.createSalesOrder({ ...body, ref: 'changed', rows: body.rows.slice(0, 1) });
      expect(second).toBe(first);
      expect(t.sim.state.orders.size).toBe(count);
      expect(t.sim.state.orders.get(first)?.ref).toBe('WC-20001');
      expect(t.sim.state.orders.get(first)?.updatedOn).toBe(updatedOn);

      // The pair is the key: the same externalRef from another integration instance is another order.
      const other = await bp.createSalesOrder({ ...body, installedIntegrationInstanceId: INSTANCE_ID + 1 });
      expect(other).not.toBe(first);
      expect(await bp.findOrderByExternalRef('20001')).toEqual([first, other]);
      expect(await bp.findOrderByExternalRef('20001', { installedIntegrationInstanceId: INSTANCE_ID, orderTypeId: 1 })).toEqual([first]);
    });

    it('finds orders by exact externalRef although the search matches text', async () => {
      const a = await bp.createSalesOrder(wooOrder(customerId, products, '3045'));
      const b = await bp.createSalesOrder(wooOrder(customerId, products, '13045'));
      const fuzzy = await raw(t.baseUrl, 'GET', 'order-service/order-search?externalRef=3045&columns=orderId');
      expect(fuzzy.json.response.results).toEqual([[a], [b]]);
      expect(await bp.findOrderByExternalRef('3045')).toEqual([a]);
      expect(await bp.findOrderByExternalRef('nope')).toEqual([]);
    });

    it('answers missing ids as the API does: order GET 200 [], sales-order GET 207 partial / 404 none', async () => {
      const id = await bp.createSalesOrder(wooOrder(customerId, products, '30001'));
      const order = await raw(t.baseUrl, 'GET', 'order-service/order/99999999');
      expect(order).toMatchObject({ status: 200, json: { response: [] } });
      const none = await raw(t.baseUrl, 'GET', 'order-service/sales-order/99999999');
      expect(none.status).toBe(404);
      expect(none.json.errors[0].code).toBe('CMNC-404');
      const some = await raw(t.baseUrl, 'GET', `order-service/sales-order/${id},99999999`);
      expect(some.status).toBe(207);
      expect(some.json.response.map((o: { id: number }) => o.id)).toEqual([id]);

      expect((await bp.getOrders([id, 99999999])).map((o) => o.id)).toEqual([id]);
      expect((await bp.getSalesOrders([id, 99999999])).map((o) => o.id)).toEqual([id]);
      expect(await bp.getSalesOrders([99999999])).toEqual([]);
    });

    it('chunks order GETs at 200 ids', async () => {
      const ids = Array.from({ length: 450 }, (_, i) => 41_001 + i);
      await bp.getOrders(ids);
      expect(calls(t.sim, 'GET', 'order-service/order/:idSet')).toBe(3);
    });

    it('rejects an invalid order with every problem in errors[] and creates nothing', async () => {
      const count = t.sim.state.orders.size;
      const res = await raw(t.baseUrl, 'POST', 'order-service/sales-order', {
        customer: { id: 999999 },
        rows: [
          { productId: 999999, quantity: '1', taxCode: 'T20', net: '1.00', tax: '0.20' },
          { productId: products[0], quantity: '1.5', taxCode: 'T20', net: '1.00', tax: '0.20' },
          { name: 'Fee', quantity: '1', taxCode: 'T99', net: 'abc', tax: '0.20' },
          { quantity: '0', taxCode: 'T20', net: '1.00', tax: '0.20' },
        ],
      });
      expect(res.status).toBe(400);
      const codes = res.json.errors.map((e: { code: string }) => e.code);
      const messages = res.json.errors.map((e: { message: string }) => e.message).join('\n');
      expect(codes).toContain('ORDC-024');
      expect(messages).toMatch(/contact 999999 does not exist/);
      expect(messages).toMatch(/product 999999 does not exist/);
      expect(messages).toMatch(/whole number for a stock-tracked product/);
      expect(messages).toMatch(/tax code T99 does not exist/);
      expect(messages).toMatch(/rows\[2\]\.net must be a decimal/);
      expect(messages).toMatch(/rows\[3\]: productId or name is required/);
      expect(t.sim.state.orders.size).toBe(count);

      const err = await rejection(bp.createSalesOrder({ ...wooOrder(customerId, products, '40001'), statusId: ORDER_STATUS.SALES_CREDIT }));
      expect(err.status).toBe(400);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/is for SC orders, not SO/);
    });
  });

  describe('status updates and notes', () => {
    it('moves an order to another status, adds the note and bumps updatedOn', async () => {
      const id = await bp.createSalesOrder(wooOrder(customerId, products, '50001'));
      const before = (await bp.getSalesOrders([id]))[0]?.updatedOn as string;
      await bp.updateOrderStatus(id, ORDER_STATUS.READY_TO_SHIP, 'Paid via Stripe');
      const [after] = await bp.getOrders([id]);
      expect(after?.orderStatus).toEqual({ orderStatusId: ORDER_STATUS.READY_TO_SHIP, name: 'Ready to ship' });
      expect(Date.parse(after?.updatedOn as string)).toBeGreaterThan(Date.parse(before));
      expect(t.sim.state.orders.get(id)?.notes.map((n) => n.text)).toEqual(['Paid via Stripe']);

      // Without a note Brightpearl writes its own.
      await bp.updateOrderStatus(id, ORDER_STATUS.AWAITING_PAYMENT);
      expect(t.sim.state.orders.get(id)?.notes[1]?.text).toBe('Order status changed from "Ready to ship" to "Awaiting payment"');

      const since = new Date(Date.parse(before) - 1).toISOString();
      const changed = await bp.searchOrders({ updatedOn: `${since}/`, orderStatusId: ORDER_STATUS.AWAITING_PAYMENT });
      expect(changed.map((r) => r.orderId)).toContain(id);
    });

    it('refuses unknown, other-type and hidden statuses', async () => {
      const id = await bp.createSalesOrder(wooOrder(customerId, products, '50002'));
      for (const [statusId, why] of [
        [999, /order status 999 does not exist/],
        [ORDER_STATUS.SALES_CREDIT, /is for SC orders/],
        [ORDER_STATUS.ARCHIVED, /is hidden/],
      ] as const) {
        const err = await rejection(bp.updateOrderStatus(id, statusId));
        expect(err.status).toBe(400);
        expect(err.message).toMatch(why);
      }
      expect(t.sim.state.orders.get(id)?.statusId).toBe(2);
      const missing = await rejection(bp.updateOrderStatus(99999999, ORDER_STATUS.READY_TO_SHIP));
      expect(missing.status).toBe(404);
    });

    it('cancels only orders without goods-out notes, invoice or payments, and gives the stock back', async () => {
      const productId = products[0] as number;
      const allocated = () => t.sim.state.stock.get(productId)?.get(2)?.allocated ?? 0;
      const start = allocated();
      const free = await bp.createSalesOrder(wooOrder(customerId, products, '60001'));
      expect(allocated()).toBe(start + 2);
      await bp.updateOrderStatus(free, ORDER_STATUS.CANCELLED, 'Customer changed their mind');
      expect(allocated()).toBe(start);
      const moved = await rejection(bp.updateOrderStatus(free, ORDER_STATUS.NEW_WEB_ORDER));
      expect(moved.message).toMatch(/cancelled/);

      const paid = await bp.createSalesOrder(wooOrder(customerId, products, '60002'));
      await bp.createCustomerPayment({
        paymentType: 'RECEIPT',
        orderId: paid,
        paymentMethodCode: 'WOO_STRIPE',
        currencyIsoCode: 'GBP',
        amountPaid: 40,
        paymentDate: '2025-03-04T10:23:10+00:00',
        transactionRef: 'ch_60002',
      });
      expect((await rejection(bp.updateOrderStatus(paid, ORDER_STATUS.CANCELLED))).message).toMatch(/with payments cannot be cancelled/);

      const shipped = await bp.createSalesOrder(wooOrder(customerId, products, '60003'));
      t.sim.createGoodsOutNote(shipped);
      expect((await rejection(bp.updateOrderStatus(shipped, ORDER_STATUS.CANCELLED))).message).toMatch(/goods-out notes cannot be cancelled/);

      const invoiced = await bp.createSalesOrder(wooOrder(customerId, products, '60004'));
      await bp.updateOrderStatus(invoiced, ORDER_STATUS.INVOICED);
      expect((await rejection(bp.updateOrderStatus(invoiced, ORDER_STATUS.CANCELLED))).message).toMatch(/invoiced order cannot be cancelled/);
    });

    it('adds notes', async () => {
      const id = await bp.createSalesOrder(wooOrder(customerId, products, '70001'));
      const noteId = await bp.addOrderNote(id, 'Gift message: happy birthday', true);
      const notes = await raw(t.baseUrl, 'GET', `order-service/order/${id}/note`);
      expect(notes.json.response).toEqual([expect.objectContaining({ id: noteId, text: 'Gift message: happy birthday', isPublic: true })]);
      expect((await rejection(bp.addOrderNote(id, ''))).status).toBe(400);
    });
  });

  describe('payments', () => {
    const receipt = (orderId: number, transactionRef: string, amountPaid = 40) => ({
      paymentType: 'RECEIPT' as const,
      orderId,
      paymentMethodCode: 'WOO_STRIPE',
      currencyIsoCode: 'GBP',
      amountPaid,
      paymentDate: '2025-03-04T10:23:10+00:00',
      transactionRef,
      transactionCode: 'WC-80001',
      journalRef: 'Woo order 80001',
    });

    it('records a payment once per transactionRef + paymentMethodCode', async () => {
      const orderId = await bp.createSalesOrder(wooOrder(customerId, products, '80001'));
      const first = await bp.createCustomerPayment(receipt(orderId, 'ch_3Qx.RECEIPT'));
      const again = await bp.createCustomerPayment(receipt(orderId, 'ch_3Qx.RECEIPT'));
      expect(again).toBe(first);
      const payments = await bp.findCustomerPayments(orderId);
      expect(payments).toEqual([
        expect.objectContaining({
          paymentId: first,
          orderId,
          paymentType: 'RECEIPT',
          paymentMethodCode: 'WOO_STRIPE',
          transactionRef: 'ch_3Qx.RECEIPT',
          amountPaid: 40,
        }),
      ]);
      expect((await bp.getSalesOrders([orderId]))[0]?.orderPaymentStatus).toBe('PAID');

      // The same reference with another method is another payment.
      const paypal = await bp.createCustomerPayment({ ...receipt(orderId, 'ch_3Qx.RECEIPT', 0.5), paymentMethodCode: 'WOO_PAYPAL' });
      expect(paypal).not.toBe(first);
    });

    it('refuses the key reused for a different payment, and says so', async () => {
      const a = await bp.createSalesOrder(wooOrder(customerId, products, '80002'));
      const b = await bp.createSalesOrder(wooOrder(customerId, products, '80003'));
      await bp.createCustomerPayment(receipt(a, 'ch_shared'));
      const err = await rejection(bp.createCustomerPayment(receipt(b, 'ch_shared')));
      expect(err.status).toBe(400);
      expect(err.message).toMatch(/ACCC-409 transactionRef ch_shared is already used/);
      expect(await bp.findCustomerPayments(b)).toEqual([]);
    });

    it('validates required fields', async () => {
      const res = await raw(t.baseUrl, 'POST', 'accounting-service/customer-payment', {
        paymentType: 'REFUND',
        orderId: 99999999,
        paymentMethodCode: 'NOPE',
        currencyIsoCode: 'gbp',
      });
      expect(res.status).toBe(400);
      const messages = res.json.errors.map((e: { message: string }) => e.message).join('\n');
      expect(messages).toMatch(/paymentType must be one of/);
      expect(messages).toMatch(/order 99999999 does not exist/);
      expect(messages).toMatch(/payment method NOPE does not exist/);
      expect(messages).toMatch(/currencyIsoCode must be 3 upper-case letters/);
      expect(messages).toMatch(/paymentDate is required/);
    });
  });

  describe('retries of writes', () => {
    it('does not re-send a create without an idempotency key after an ambiguous failure', async () => {
      t.sim.controls.controls.errorRate = 1;
      const err = await rejection(bp.createContact({ firstName: 'Twice', lastName: 'Maybe' }));
      expect(err).toBeInstanceOf(BrightpearlOutcomeUnknownError);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/may or may not have carried out POST contact-service\/contact/);
      expect(calls(t.sim, 'POST', 'contact-service/contact')).toBe(1);
    });

    it('does re-send it after a throttle (nothing was done)', async () => {
      // A short throttle window: the client waits out the period the 503 names.
      const small = await startSimulator({ throttleWindowMs: 100, seedOrders: false });
      try {
        const retried: unknown[] = [];
        const client = small.client({
          onRetry: (e) => {
            retried.push(e);
            small.sim.controls.controls.throttleRate = 0;
          },
        });
        small.sim.controls.controls.throttleRate = 1;
        const id = await client.createContact({ firstName: 'Throttled', lastName: 'Once' });
        expect(small.sim.state.contacts.get(id)?.firstName).toBe('Throttled');
        expect(retried).toHaveLength(1);
        expect(calls(small.sim, 'POST', 'contact-service/contact')).toBe(2);
      } finally {
        await small.sim.close();
      }
    });

    it('retries an order POST that carries externalRef + installedIntegrationInstanceId', async () => {
      const client = t.client({ onRetry: () => clearFaults(t.sim) });
      t.sim.controls.controls.errorRate = 1;
      const id = await client.createSalesOrder(wooOrder(customerId, products, '90001'));
      expect(calls(t.sim, 'POST', 'order-service/sales-order')).toBe(2);
      expect(await bp.findOrderByExternalRef('90001')).toEqual([id]);

      t.sim.controls.controls.errorRate = 1;
      const unkeyed = await rejection(client.createSalesOrder({ ...wooOrder(customerId, products, '90002'), installedIntegrationInstanceId: undefined }));
      expect(unkeyed).toBeInstanceOf(BrightpearlOutcomeUnknownError);
    });
  });
});
