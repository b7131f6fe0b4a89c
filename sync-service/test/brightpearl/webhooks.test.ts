/** Webhook registration (validation, listing, deletion) and real deliveries to a tiny receiver. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { BrightpearlClient } from '../../src/brightpearl/client';
import { formatIdSet } from '../../src/brightpearl/idset';
import type { WebhookInput } from '../../src/brightpearl/inputs';
import { ORDER_STATUS } from '../../src/simulators/brightpearl/reference';
import { eventually, newCustomer, productsWithStock, raw, rejection, startSimulator, wooOrder, type TestSim } from './helpers';

interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body: string;
}

/** The reference's example template. */
const BODY_TEMPLATE =
  '{"accountCode":"${account-code}","resourceType":"${resource-type}","id":"${resource-id}","lifecycleEvent":"${lifecycle-event}","fullEvent":"${full-event}","raisedOn":"${raised-on}"}';

describe('Brightpearl webhooks', () => {
  let t: TestSim;
  let bp: BrightpearlClient;
  let receiver: FastifyInstance;
  let receiverUrl: string;
  const received: Received[] = [];
  /** path → statuses to answer before answering 200. */
  const failures = new Map<string, number[]>();
  let customerId: number;
  let products: number[];

  const at = (path: string) => received.filter((r) => r.path === path);
  const hook = (path: string, overrides: Partial<WebhookInput> = {}): WebhookInput => ({
    subscribeTo: 'goods-out-note.modified.shipped',
    httpMethod: 'POST',
    uriTemplate: `${receiverUrl}${path}?token=S3cr3t&account=\${account-code}`,
    bodyTemplate: BODY_TEMPLATE,
    contentType: 'application/json',
    idSetAccepted: true,
    qualityOfService: 1,
    ...overrides,
  });

  beforeAll(async () => {
    receiver = Fastify();
    receiver.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    receiver.removeContentTypeParser('application/json');
    receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    receiver.all('/*', async (request, reply) => {
      const path = request.url.split('?')[0] as string;
      received.push({
        method: request.method,
        path,
        query: request.query as Record<string, string>,
        contentType: request.headers['content-type'],
        body: typeof request.body === 'string' ? request.body : '',
      });
      const status = failures.get(path)?.shift();
      return reply.code(status ?? 200).send({ ok: status === undefined });
    });
    receiverUrl = await receiver.listen({ host: '127.0.0.1', port: 0 });
    t = await startSimulator({ webhookDelayMs: 10, webhookRetryDelayMs: 5 });
    bp = t.client();
    customerId = await newCustomer(bp, 'hooks@example.com', 'Hoo Ks');
    products = productsWithStock(t.sim, 2);
  });
  afterAll(async () => {
    await t.sim.close();
    await receiver.close();
  });

  describe('registration', () => {
    it('refuses events that cannot be subscribed to with 400 INTC-064', async () => {
      for (const subscribeTo of ['order.created', 'contact.created', 'goods-out-note.teleported']) {
        const err = await rejection(bp.createWebhook(hook('/never', { subscribeTo })));
        expect(err.status).toBe(400);
        expect(err.code).toBe('INTC-064');
        expect(err.retryable).toBe(false);
      }
    });

    it('validates method, URI and body template', async () => {
      expect((await rejection(bp.createWebhook(hook('/never', { bodyTemplate: undefined })))).message).toMatch(/bodyTemplate is required for POST/);
      expect((await rejection(bp.createWebhook(hook('/never', { uriTemplate: 'not a url' })))).message).toMatch(/not an absolute URL/);
      const res = await raw(t.baseUrl, 'POST', 'integration-service/webhook', { ...hook('/never'), httpMethod: 'PATCH' });
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/httpMethod must be one of GET, POST, PUT, DELETE/);
    });

    it("lists every hook on the account (other integrations' too) and deletes", async () => {
      const id = await bp.createWebhook(hook('/listed'));
      const hooks = await bp.listWebhooks();
      expect(hooks.find((h) => h.id === id)).toMatchObject({
        subscribeTo: 'goods-out-note.modified.shipped',
        httpMethod: 'POST',
        idSetAccepted: true,
        qualityOfService: 1,
      });
      expect(hooks.some((h) => h.uriTemplate.startsWith('https://erp-addon.example.com/'))).toBe(true);
      expect(await bp.deleteWebhook(id)).toBe(true);
      expect(await bp.deleteWebhook(id)).toBe(false);
      expect((await bp.listWebhooks()).some((h) => h.id === id)).toBe(false);
    });
  });

  describe('delivery', () => {
    it('sends changes close together as one call carrying an ID set, rendered from the templates', async () => {
      const id = await bp.createWebhook(hook('/shipped'));
      const a = await bp.createSalesOrder(wooOrder(customerId, products, 'W-1'));
      const b = await bp.createSalesOrder(wooOrder(customerId, products, 'W-2'));
      const before = Date.now();
      const noteA = t.sim.shipOrder(a) as number;
      const noteB = t.sim.shipOrder(b) as number;
      // Delivered asynchronously, after webhookDelayMs.
      expect(at('/shipped')).toHaveLength(0);
      await t.sim.webhooksIdle();

      const calls = at('/shipped');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: 'POST', query: { token: 'S3cr3t', account: 'demo' }, contentType: 'application/json' });
      const body = JSON.parse(calls[0]?.body ?? '{}');
      expect(body).toEqual({
        accountCode: 'demo',
        resourceType: 'goods-out-note',
        id: formatIdSet([noteA, noteB]),
        lifecycleEvent: 'modified',
        fullEvent: 'goods-out-note.modified.shipped',
        raisedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      expect(Date.parse(body.raisedOn)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      // The receiver fetches the notes named by the ID set in one GET.
      const notes = await bp.getGoodsOutNotes('*', [noteA, noteB]);
      expect(notes.map((n) => n.orderId)).toEqual([a, b]);
      await bp.deleteWebhook(id);
    });

    it('sends one call per id when idSetAccepted is false, and covers sub-events of a subscription', async () => {
      const id = await bp.createWebhook(
        hook('/order-modified', {
          subscribeTo: 'order.modified',
          httpMethod: 'GET',
          uriTemplate: `${receiverUrl}/order-modified?event=\${full-event}&id=\${resource-id}&type=\${resource-type}`,
          bodyTemplate: undefined,
          contentType: undefined,
          idSetAccepted: false,
        }),
      );
      const a = await bp.createSalesOrder(wooOrder(customerId, products, 'W-3'));
      const b = await bp.createSalesOrder(wooOrder(customerId, products, 'W-4'));
      await t.sim.webhooksIdle();
      received.length = 0;
      await bp.updateOrderStatus(a, ORDER_STATUS.READY_TO_SHIP);
      await bp.updateOrderStatus(b, ORDER_STATUS.READY_TO_SHIP);
      await t.sim.webhooksIdle();
      const calls = at('/order-modified');
      expect(calls.map((c) => c.query).sort((x, y) => Number(x.id) - Number(y.id))).toEqual([
        { event: 'order.modified.order-status', id: String(a), type: 'order' },
        { event: 'order.modified.order-status', id: String(b), type: 'order' },
      ]);
      expect(calls.every((c) => c.method === 'GET' && c.body === '')).toBe(true);
      await bp.deleteWebhook(id);
    });

    it('announces new sales orders and fully shipped orders', async () => {
      const created = await bp.createWebhook(hook('/created', { subscribeTo: 'sales-order.created' }));
      const shipped = await bp.createWebhook(hook('/fully-shipped', { subscribeTo: 'order.modified.fully-shipped' }));
      const orderId = await bp.createSalesOrder(wooOrder(customerId, products, 'W-5'));
      // A credit raises no subscribable creation event.
      await bp.createSalesCredit({ ...wooOrder(customerId, products, 'W-5-R'), parentId: orderId, statusId: ORDER_STATUS.SALES_CREDIT });
      await t.sim.webhooksIdle();
      expect(at('/created').map((c) => JSON.parse(c.body).id)).toEqual([String(orderId)]);
      expect(JSON.parse(at('/created')[0]?.body ?? '{}')).toMatchObject({
        resourceType: 'sales-order',
        lifecycleEvent: 'created',
        fullEvent: 'sales-order.created',
      });

      const [row] = (await bp.getSalesOrders([orderId]))[0]?.rows ?? [];
      const partial = t.sim.createGoodsOutNote(orderId, { rows: [{ rowId: row?.id as number, quantity: 1 }] });
      t.sim.shipGoodsOutNote(partial, { reference: 'RM000000001GB' });
      await t.sim.webhooksIdle();
      expect(at('/fully-shipped')).toHaveLength(0);
      t.sim.shipOrder(orderId);
      await t.sim.webhooksIdle();
      expect(at('/fully-shipped').map((c) => JSON.parse(c.body).id)).toEqual([String(orderId)]);
      await bp.deleteWebhook(created);
      await bp.deleteWebhook(shipped);
    });

    it('retries QoS 1 deliveries answered with a 5xx (not 4xx), and QoS 0 only on 503', async () => {
      const qos1 = await bp.createWebhook(hook('/flaky', { subscribeTo: 'sales-order.created' }));
      const rejecting = await bp.createWebhook(hook('/rejecting', { subscribeTo: 'sales-order.created' }));
      const qos0 = await bp.createWebhook(hook('/at-most-once', { subscribeTo: 'sales-order.created', qualityOfService: 0 }));
      failures.set('/flaky', [500, 502]);
      failures.set('/rejecting', [400]);
      failures.set('/at-most-once', [500]);
      const orderId = await bp.createSalesOrder(wooOrder(customerId, products, 'W-6'));
      await t.sim.webhooksIdle();

      const flaky = at('/flaky');
      expect(flaky).toHaveLength(3);
      expect(new Set(flaky.map((c) => c.body)).size).toBe(1);
      expect(JSON.parse(flaky[0]?.body ?? '{}').id).toBe(String(orderId));
      expect(at('/rejecting')).toHaveLength(1);
      expect(at('/at-most-once')).toHaveLength(1);
      const log = t.sim.state.webhookDeliveries.filter((d) => d.webhookId === qos1);
      expect(log.map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 502],
        [3, 200],
      ]);
      for (const id of [qos1, rejecting, qos0]) await bp.deleteWebhook(id);
    });

    it('gives up after the bounded number of attempts, and keeps trying an unreachable receiver only that long', async () => {
      const id = await bp.createWebhook(hook('/down', { subscribeTo: 'sales-order.created', uriTemplate: 'http://127.0.0.1:9/down?x=${resource-id}' }));
      await bp.createSalesOrder(wooOrder(customerId, products, 'W-7'));
      await t.sim.webhooksIdle();
      const log = t.sim.state.webhookDeliveries.filter((d) => d.webhookId === id);
      expect(log).toHaveLength(5);
      expect(log.every((d) => d.status === undefined && d.error)).toBe(true);
      await bp.deleteWebhook(id);
    });

    it('simulates a delivery with test data (at most 10 ids)', async () => {
      const id = await bp.createWebhook(hook('/simulated', { subscribeTo: 'product.modified.on-hand-modified' }));
      const ok = await raw(t.baseUrl, 'POST', `integration-service/webhook/${id}/simulate`, { testData: { '${resource-id}': '1-5' } });
      expect(ok.status).toBe(200);
      const call = await eventually(() => at('/simulated')[0]);
      expect(JSON.parse(call.body)).toMatchObject({ id: '1-5', resourceType: 'product', fullEvent: 'product.modified.on-hand-modified' });
      const tooMany = await raw(t.baseUrl, 'POST', `integration-service/webhook/${id}/simulate`, { testData: { '${resource-id}': '1-11' } });
      expect(tooMany.status).toBe(400);
      await bp.deleteWebhook(id);
    });

    it('delivers stock changes to product subscribers', async () => {
      const id = await bp.createWebhook(hook('/stock', { subscribeTo: 'product.modified.on-hand-modified' }));
      t.sim.setStock(1001, 2, { inStock: 50 });
      t.sim.setStock(1002, 2, { inStock: 50 });
      t.sim.setStock(1003, 5, { inStock: 50 });
      await t.sim.webhooksIdle();
      expect(at('/stock').map((c) => JSON.parse(c.body).id)).toEqual(['1001-1003']);
      await bp.deleteWebhook(id);
    });
  });
});
