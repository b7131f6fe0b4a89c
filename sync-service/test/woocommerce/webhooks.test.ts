/**
 * Webhooks (§8): management through the client, the creation ping, signed asynchronous deliveries
 * received by a real HTTP endpoint (raw body), coalescing, topics, and disabling after failures.
 */
import { buildCatalog } from '../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { WooCommerceClient } from '../../src/woocommerce/client';
import { parseWebhookPing, signWebhookBody, verifyWebhookSignature } from '../../src/woocommerce/webhook-signature';
import { asRecord, eventually, rawCall, startReceiver, type ReceivedRequest, type Receiver } from './helpers';

const catalog = buildCatalog({ simpleCount: 20, variableCount: 2 });
const SECRET = 'whsec_9f2c1e7a5b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const noSleep = async () => undefined;

describe('webhook signatures', () => {
  it('is base64(HMAC-SHA256(raw body, secret)), checked in constant time', () => {
    const body = '{"id":1234,"status":"processing"}';
    expect(signWebhookBody(body, 'whsec_test')).toBe('6w22w26p1nelQ2ROuQ7VBHxkVI2VKyQxdOp8pvx4nys=');
    expect(signWebhookBody(Buffer.from(body), 'whsec_test')).toBe('6w22w26p1nelQ2ROuQ7VBHxkVI2VKyQxdOp8pvx4nys=');
    expect(verifyWebhookSignature(body, 'whsec_test', '6w22w26p1nelQ2ROuQ7VBHxkVI2VKyQxdOp8pvx4nys=')).toBe(true);
    expect(verifyWebhookSignature(body, 'whsec_test', [' 6w22w26p1nelQ2ROuQ7VBHxkVI2VKyQxdOp8pvx4nys= '])).toBe(true);
    expect(verifyWebhookSignature(`${body} `, 'whsec_test', '6w22w26p1nelQ2ROuQ7VBHxkVI2VKyQxdOp8pvx4nys=')).toBe(false);
    expect(verifyWebhookSignature(body, 'other', '6w22w26p1nelQ2ROuQ7VBHxkVI2VKyQxdOp8pvx4nys=')).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec_test', undefined)).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec_test', 'short')).toBe(false);
    expect(verifyWebhookSignature(body, '', signWebhookBody(body, ''))).toBe(false);
    expect(parseWebhookPing('webhook_id=12')).toBe(12);
    expect(parseWebhookPing('{"id":12}')).toBeUndefined();
  });
});

describe('webhooks against a receiver', () => {
  let receiver: Receiver;
  let sim: WooCommerceSimulator;
  let wc: WooCommerceClient;
  const at = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.url === path);
  const payload = (r: ReceivedRequest | undefined): Record<string, unknown> => asRecord(JSON.parse(r?.raw.toString('utf8') ?? 'null'));
  const webhookRecord = (id: number) => {
    const w = sim.state.webhooks.get(id);
    if (!w) throw new Error(`no webhook ${id}`);
    return w;
  };
  const hook = (topic: string, path: string, extra: Record<string, unknown> = {}) =>
    wc.createWebhook({ name: `test ${topic}`, topic, delivery_url: `${receiver.url}${path}`, secret: SECRET, ...extra });
  const anOrder = () => [...sim.state.orders.values()].find((o) => o.status === 'processing')?.id ?? 0;

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await createWooCommerceSimulator({ catalog, seedOrders: 8, webhookDelayMs: 10 });
    wc = new WooCommerceClient({ url: await sim.listen(), consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, sleep: noSleep, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('creates a webhook and pings it with a form body, no signature; the secret is never shown', async () => {
    const w = await hook('order.updated', '/hooks/orders');
    expect(w).toMatchObject({ status: 'active', topic: 'order.updated', resource: 'order', event: 'updated', delivery_url: `${receiver.url}/hooks/orders` });
    expect(w.hooks).toEqual(expect.arrayContaining(['woocommerce_update_order', 'woocommerce_order_refunded']));
    expect(w).not.toHaveProperty('secret');
    // The REST create pings synchronously, before it answers.
    const [ping] = at('/hooks/orders');
    expect(ping?.raw.toString()).toBe(`webhook_id=${w.id}`);
    expect(parseWebhookPing(ping?.raw ?? '')).toBe(w.id);
    expect(ping?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(ping?.headers['x-wc-webhook-signature']).toBeUndefined();
    expect(ping?.headers['x-wc-webhook-topic']).toBeUndefined();
    expect(ping?.headers['user-agent']).toBe('WooCommerce/9.4.2 Hookshot (WordPress/6.6.2)');
    expect((await wc.listWebhooks()).map((x) => x.id)).toContain(w.id);
    expect((await wc.getWebhook(w.id)).name).toBe('test order.updated');
  });

  it('delivers order.updated shortly after the write, signed over the raw body, with the order as GET shows it', async () => {
    receiver.requests.length = 0;
    const id = anOrder();
    await wc.updateOrder(id, { meta_data: [{ key: 'bp_order_id', value: 'SO-1/2' }] });
    expect(at('/hooks/orders')).toHaveLength(0);
    await eventually(() => at('/hooks/orders').length === 1);
    const delivery = at('/hooks/orders')[0] as ReceivedRequest;
    const h = delivery.headers;
    expect(h).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.6.2)',
      'x-wc-webhook-source': `${sim.url}/`,
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-id': String([...sim.state.webhooks.keys()][0]),
    });
    expect(h['x-wc-webhook-delivery-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(verifyWebhookSignature(delivery.raw, SECRET, h['x-wc-webhook-signature'])).toBe(true);
    expect(verifyWebhookSignature(delivery.raw, 'not-the-secret', h['x-wc-webhook-signature'])).toBe(false);
    // PHP's json_encode escapes slashes: a re-serialised body no longer matches the signature.
    expect(delivery.raw.toString()).toContain('SO-1\\/2');
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(delivery.raw.toString())), SECRET, h['x-wc-webhook-signature'])).toBe(false);
    expect(payload(delivery)).toEqual(sim.orderById(id));
    expect(payload(delivery).meta_data).toContainEqual(expect.objectContaining({ key: 'bp_order_id', value: 'SO-1/2' }));
  });

  it('coalesces a burst for the same order into one delivery carrying the latest state', async () => {
    receiver.requests.length = 0;
    const [a, b] = [...sim.state.orders.values()].filter((o) => o.status === 'processing').map((o) => o.id);
    if (!a || !b) throw new Error('need two processing orders');
    for (let i = 1; i <= 5; i++) sim.updateOrder(a, { meta_data: [{ key: 'burst', value: `v${i}` }] });
    sim.updateOrder(b, { customer_note: 'Leave at the door' });
    await sim.flushWebhooks();
    const deliveries = at('/hooks/orders');
    expect(deliveries.map((d) => payload(d).id).sort()).toEqual([a, b].sort());
    const forA = deliveries.find((d) => payload(d).id === a);
    expect(payload(forA).meta_data).toContainEqual(expect.objectContaining({ key: 'burst', value: 'v5' }));
  });

  it('sends refunds as order.updated, order.created at checkout, {id} for deletes, and product topics', async () => {
    await hook('order.created', '/hooks/created');
    await hook('order.deleted', '/hooks/deleted');
    await hook('product.updated', '/hooks/product');
    await hook('product.created', '/hooks/product-created');
    receiver.requests.length = 0;

    const refunded = anOrder();
    await wc.createRefund(refunded, { amount: '1.00', reason: 'Goodwill' });
    await sim.flushWebhooks();
    const refundDelivery = at('/hooks/orders').find((d) => payload(d).id === refunded);
    expect(refundDelivery?.headers['x-wc-webhook-topic']).toBe('order.updated');
    expect(payload(refundDelivery).refunds).toEqual([expect.objectContaining({ reason: 'Goodwill', total: '-1.00' })]);

    receiver.requests.length = 0;
    const placed = sim.placeOrder({ paymentMethod: 'stripe' });
    await sim.flushWebhooks();
    expect(at('/hooks/created').map((d) => payload(d).id)).toEqual([placed.id]);
    // Delivered later than the event: the payload is the current state (already processing).
    expect(payload(at('/hooks/created')[0]).status).toBe('processing');
    expect(at('/hooks/orders').map((d) => payload(d).id)).toEqual([placed.id]);

    receiver.requests.length = 0;
    await rawCall(sim, 'DELETE', `orders/${placed.id as number}`);
    await sim.flushWebhooks();
    expect(at('/hooks/deleted').map((d) => d.raw.toString())).toEqual([`{"id":${placed.id as number}}`]);

    receiver.requests.length = 0;
    const product = [...sim.state.posts.values()].find((p) => p.kind === 'product' && p.type === 'simple');
    if (!product) throw new Error('no product');
    await wc.updateProduct(product.id, { manage_stock: true, stock_quantity: 42 });
    const created = await wc.createProduct({ name: 'Webhook Test Mug', sku: 'BP-WH-1', regular_price: '9.99' });
    await sim.flushWebhooks();
    const productDelivery = at('/hooks/product')[0];
    expect(productDelivery?.headers['x-wc-webhook-resource']).toBe('product');
    expect(payload(productDelivery)).toMatchObject({ id: product.id, stock_quantity: 42, sku: product.sku });
    expect(at('/hooks/product-created').map((d) => payload(d).sku)).toEqual(['BP-WH-1']);
    expect(created.sku).toBe('BP-WH-1');
  });

  it('counts 200-302 as success and never retries a failed delivery; disables the webhook on the 7th consecutive failure', async () => {
    receiver.statusFor.set('/hooks/failing', 500);
    receiver.statusFor.set('/hooks/moved', 302);
    const failing = await hook('order.updated', '/hooks/failing');
    const moved = await hook('order.updated', '/hooks/moved');
    const id = anOrder();
    const attempts = () => at('/hooks/failing').filter((r) => r.headers['x-wc-webhook-topic']).length;
    const before = attempts();
    for (let i = 1; i <= 6; i++) {
      sim.touchOrders([id]);
      await sim.flushWebhooks();
      expect(webhookRecord(failing.id)).toMatchObject({ status: 'active', failureCount: i });
    }
    sim.touchOrders([id]);
    await sim.flushWebhooks();
    expect((await wc.getWebhook(failing.id)).status).toBe('disabled');
    expect(attempts() - before).toBe(7);
    expect(webhookRecord(moved.id)).toMatchObject({ status: 'active', failureCount: 0 });
    expect(sim.webhookLog().filter((l) => l.webhookId === failing.id && l.kind === 'delivery').every((l) => l.status === 500 && !l.ok)).toBe(true);

    // Disabled: nothing more is sent.
    sim.touchOrders([id]);
    await sim.flushWebhooks();
    expect(attempts() - before).toBe(7);

    // Re-enabled once the endpoint is fixed: deliveries resume with a fresh failure count.
    receiver.statusFor.delete('/hooks/failing');
    expect((await wc.updateWebhook(failing.id, { status: 'active' })).status).toBe('active');
    sim.touchOrders([id]);
    await sim.flushWebhooks();
    expect(attempts() - before).toBe(8);
    expect(webhookRecord(failing.id)).toMatchObject({ status: 'active', failureCount: 0 });
  });

  it('counts an unreachable endpoint as a failure', async () => {
    const w = await wc.createWebhook({ topic: 'order.updated', delivery_url: 'http://127.0.0.1:9/nothing-listens', secret: SECRET });
    expect(w.name).toMatch(/^Webhook created on /);
    sim.touchOrders([anOrder()]);
    await sim.flushWebhooks();
    expect(webhookRecord(w.id).failureCount).toBe(1);
    expect(sim.webhookLog().filter((l) => l.webhookId === w.id && l.kind === 'delivery')).toEqual([
      expect.objectContaining({ ok: false, status: undefined, error: expect.any(String) }),
    ]);
    await wc.deleteWebhook(w.id);
  });

  it('sends nothing while paused, and pings on the first activation', async () => {
    const paused = await hook('order.updated', '/hooks/paused', { status: 'paused' });
    sim.touchOrders([anOrder()]);
    await sim.flushWebhooks();
    expect(at('/hooks/paused')).toHaveLength(0);
    await wc.updateWebhook(paused.id, { status: 'active' });
    expect(at('/hooks/paused').map((r) => r.raw.toString())).toEqual([`webhook_id=${paused.id}`]);
    sim.touchOrders([anOrder()]);
    await sim.flushWebhooks();
    expect(at('/hooks/paused')).toHaveLength(2);
    // Pausing again does not ping again when re-activated.
    await wc.updateWebhook(paused.id, { status: 'paused' });
    await wc.updateWebhook(paused.id, { status: 'active' });
    expect(at('/hooks/paused').filter((r) => parseWebhookPing(r.raw) !== undefined)).toHaveLength(1);
  });

  it('validates topic and delivery URL, and deletes only with force=true', async () => {
    const badTopic = await rawCall(sim, 'POST', 'webhooks', { body: { topic: 'order.shipped', delivery_url: `${receiver.url}/x` } });
    expect(badTopic.status).toBe(400);
    expect(asRecord(badTopic.json)).toMatchObject({ code: 'woocommerce_rest_shop_webhook_invalid_topic', message: 'Webhook topic is required and must be valid.' });
    const badUrl = await rawCall(sim, 'POST', 'webhooks', { body: { topic: 'order.updated', delivery_url: 'ftp://example.com/hook' } });
    expect(asRecord(badUrl.json).code).toBe('woocommerce_rest_shop_webhook_invalid_delivery_url');
    const badStatus = await rawCall(sim, 'POST', 'webhooks', { body: { topic: 'order.updated', delivery_url: `${receiver.url}/x`, status: 'enabled' } });
    expect(badStatus.status).toBe(400);

    const w = await hook('order.updated', '/hooks/doomed');
    const trash = await rawCall(sim, 'DELETE', `webhooks/${w.id}`);
    expect(trash.status).toBe(501);
    expect(asRecord(trash.json).code).toBe('woocommerce_rest_trash_not_supported');
    sim.touchOrders([anOrder()]);
    await wc.deleteWebhook(w.id);
    await sim.flushWebhooks();
    // Queued deliveries of a deleted webhook are dropped.
    expect(at('/hooks/doomed').filter((r) => r.headers['x-wc-webhook-topic'])).toHaveLength(0);
    await expect(wc.getWebhook(w.id)).rejects.toMatchObject({ status: 404, code: 'woocommerce_rest_shop_webhook_invalid_id' });
  });
});
