import { signWebhookBody } from '../../src/woocommerce/webhook-signature';
import { createApiHarness, dumpItems, type ApiHarness } from '../helpers/context';
import { FakeFlow } from '../helpers/fake-flow';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-api-webhooks-');
const WC_SECRET = 'wc-webhook-secret-0123456789';
const BP_SECRET = 'bp-webhook-secret-0123456789';
let h: ApiHarness;
let flows: Record<'inventory' | 'product' | 'order' | 'refund' | 'shipment', FakeFlow>;

beforeEach(async () => {
  flows = {
    inventory: new FakeFlow('inventory', [{ entityId: '1001', outcome: 'synced' }, { entityId: '1002', outcome: 'synced' }, { entityId: '1003', outcome: 'synced' }]),
    product: new FakeFlow('product'),
    order: new FakeFlow('order'),
    refund: new FakeFlow('refund'),
    shipment: new FakeFlow('shipment'),
  };
  h = await createApiHarness({ file: tmp.path(), flows });
  h.ctx.webhooks = { woocommerceSecret: WC_SECRET, brightpearlSecret: BP_SECRET, brightpearlAccount: 'demo' };
});
afterEach(async () => h.close());

const settle = () => new Promise((r) => setTimeout(r, 50));
const snapshot = () => ({ ...dumpItems(h.ctx.store), deliveries: h.ctx.store.db.prepare('SELECT * FROM webhook_deliveries').all() });

function wooDelivery(body: string, headers: Record<string, string> = {}) {
  return h.request({
    method: 'POST',
    url: '/webhooks/woocommerce',
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-delivery-id': 'd-1',
      'x-wc-webhook-signature': signWebhookBody(body, WC_SECRET),
      ...headers,
    },
  });
}

describe('POST /webhooks/woocommerce', () => {
  const body = JSON.stringify({ id: 1234, status: 'processing' });

  it('verifies the signature on the raw body, records the delivery and asks for order and refund runs', async () => {
    const res = await wooDelivery(body);
    expect(res.statusCode).toBe(202);
    expect(res.json().runs.map((r: { type: string }) => r.type)).toEqual(['order', 'refund']);
    await settle();
    expect(flows.order.runs).toHaveLength(1);
    expect(flows.order.runs[0]?.trigger).toBe('webhook');
    expect(flows.refund.runs).toHaveLength(1);
  });

  it('does nothing new for a replayed delivery', async () => {
    await wooDelivery(body);
    await settle();
    const before = snapshot();
    const replay = await wooDelivery(body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ duplicate: true });
    await settle();
    expect(flows.order.runs).toHaveLength(1);
    expect(snapshot()).toEqual(before);
  });

  it.each([
    ['a wrong signature', { 'x-wc-webhook-signature': signWebhookBody(body, 'another-secret-0123456789') }, 401, 'invalid_signature'],
    ['a missing signature', { 'x-wc-webhook-signature': '' }, 401, 'invalid_signature'],
    ['a signature of another body', { 'x-wc-webhook-signature': signWebhookBody('{"id":1}', WC_SECRET) }, 401, 'invalid_signature'],
  ])('refuses %s and queues nothing', async (_name, headers, status, code) => {
    const before = snapshot();
    const res = await wooDelivery(body, headers);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    await settle();
    expect(flows.order.runs).toHaveLength(0);
    expect(snapshot()).toEqual(before);
  });

  it('answers the creation ping (form body, no signature) with 200 and queues nothing', async () => {
    const res = await h.request({ method: 'POST', url: '/webhooks/woocommerce', payload: 'webhook_id=17', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ping: true });
    expect(h.ctx.store.webhooks.count()).toBe(0);
  });

  it('rejects signed garbage with a clear 400 and changes nothing', async () => {
    const before = snapshot();
    for (const [payload, headers, message] of [
      ['{"id": 12', {}, /not valid JSON/],
      [JSON.stringify({ status: 'processing' }), {}, /^body\.id: /],
      [JSON.stringify({ id: 5 }), { 'x-wc-webhook-topic': '' }, /^headers\.x-wc-webhook-topic: /],
    ] as const) {
      const res = await wooDelivery(payload, { ...headers, 'x-wc-webhook-signature': signWebhookBody(payload, WC_SECRET) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(message);
    }
    expect(snapshot()).toEqual(before);
  });

  it('records product topics without running anything (products flow from Brightpearl)', async () => {
    const res = await wooDelivery(JSON.stringify({ id: 812 }), { 'x-wc-webhook-topic': 'product.updated', 'x-wc-webhook-delivery-id': 'p-1' });
    expect(res.statusCode).toBe(202);
    expect(res.json().runs).toEqual([]);
  });

  it('refuses every delivery when no webhook secret is configured', async () => {
    h.ctx.webhooks = {};
    const res = await wooDelivery(body);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('BPWC_WC_WEBHOOK_SECRET');
  });
});

describe('POST /webhooks/brightpearl', () => {
  const event = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      accountCode: 'demo',
      resourceType: 'product',
      id: '1001-1002,1003',
      lifecycleEvent: 'modified',
      fullEvent: 'product.modified.on-hand-modified',
      raisedOn: '2026-12-03T10:00:00Z',
      ...over,
    });
  const send = (payload: string, token = BP_SECRET) =>
    h.request({ method: 'POST', url: `/webhooks/brightpearl?token=${encodeURIComponent(token)}`, payload, headers: { 'content-type': 'application/json' } });

  it('turns a stock event with an ID set into a scoped inventory run', async () => {
    const res = await send(event());
    expect(res.statusCode).toBe(202);
    await settle();
    expect(flows.inventory.runs[0]?.scope).toEqual(['1001', '1002', '1003']);
  });

  it('does nothing new for a replay, and a goods-out event asks for a shipment run', async () => {
    await send(event());
    await settle();
    expect((await send(event())).json()).toMatchObject({ duplicate: true });
    await settle();
    expect(flows.inventory.runs).toHaveLength(1);
    const shipped = await send(event({ resourceType: 'goods-out-note', id: '812', fullEvent: 'goods-out-note.modified.shipped' }));
    expect(shipped.statusCode).toBe(202);
    await settle();
    expect(flows.shipment.runs).toHaveLength(1);
  });

  it.each([
    ['a wrong token', event(), 'wrong-token-0123456789', 401, /does not match/],
    ['a bad ID set', event({ id: '12-3' }), BP_SECRET, 400, /^body\.id: /],
    ['a missing field', JSON.stringify({ accountCode: 'demo', id: '1' }), BP_SECRET, 400, /^body\.resourceType: /],
    ['another account', event({ accountCode: 'other' }), BP_SECRET, 400, /^body\.accountCode: /],
    ['broken JSON', '{"accountCode":', BP_SECRET, 400, /not valid JSON/],
  ])('refuses %s and changes nothing', async (_name, payload, token, status, message) => {
    const before = snapshot();
    const res = await send(payload, token);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toMatch(message);
    await settle();
    expect(flows.inventory.runs).toHaveLength(0);
    expect(snapshot()).toEqual(before);
  });

  it('needs the token in the URL', async () => {
    const res = await h.request({ method: 'POST', url: '/webhooks/brightpearl', payload: event(), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^query\.token: /);
  });
});
