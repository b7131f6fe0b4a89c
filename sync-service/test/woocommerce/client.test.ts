import { MockAgent } from 'undici';
import { HttpError, type RetryEvent } from '../../src/http/request';
import { buildCatalog } from '../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { chooseAuthMode, errorFromResponse, parseRetryAfter, WooCommerceClient, WooCommerceError, type WooCommerceClientOptions } from '../../src/woocommerce/client';
import { asRecord, rawCall } from './helpers';

const catalog = buildCatalog();
const noSleep = async () => undefined;

async function simCounters(sim: WooCommerceSimulator): Promise<Record<string, number>> {
  const res = await rawCall(sim, 'GET', '/__sim/counters', { auth: 'none' });
  return asRecord(asRecord(res.json).calls) as Record<string, number>;
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('WooCommerceClient against the simulator (OAuth over http)', () => {
  let sim: WooCommerceSimulator;
  let url: string;
  const make = (extra: Partial<WooCommerceClientOptions> = {}) =>
    new WooCommerceClient({ url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, sleep: noSleep, ...extra });

  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog });
    url = await sim.listen();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    Object.assign(sim.controls.controls, { errorRate: 0, throttleRate: 0, timeoutRate: 0, malformedRate: 0, hangMs: 30_000 });
    sim.controls.counters.reset();
  });

  it('authenticates with OAuth 1.0a over plain http and returns data plus headers', async () => {
    const client = make();
    expect(client.authMode).toBe('oauth');
    const res = await client.get('products', { query: { per_page: 2, _fields: ['id', 'sku'] } });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.data)).toBe(true);
    expect(Number(res.headers['x-wp-total'])).toBeGreaterThan(200);
    // A query written into the path is signed and sent too.
    const inline = await client.get('products?per_page=3');
    expect((inline.data as unknown[]).length).toBe(3);
  });

  it('turns a wrong secret into the WooCommerce 401, not retried', async () => {
    const client = make({ consumerSecret: 'cs_wrong' });
    const err = await rejection(client.get('products'));
    expect(err).toBeInstanceOf(WooCommerceError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('woocommerce_rest_authentication_error');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('WooCommerce rejected GET products: woocommerce_rest_authentication_error Invalid signature - provided signature does not match.');
    expect(client.stats()).toEqual({ 'GET products': 1 });
  });

  it('is refused when it sends Basic auth over plain http (anonymous)', async () => {
    const err = await rejection(make({ authMode: 'basic' }).get('products'));
    expect(err.code).toBe('woocommerce_rest_cannot_view');
    expect(err.message).toContain('WooCommerce rejected GET products: woocommerce_rest_cannot_view Sorry, you cannot list resources.');
    expect(err.message).toContain('check the API key');
  });

  it('walks every page with per_page=100 following X-WP-TotalPages', async () => {
    const client = make();
    const total = [...sim.state.posts.values()].filter((p) => p.kind === 'product' && p.status !== 'trash').length;
    const ids: number[] = [];
    for await (const product of client.listProducts({ orderby: 'id', order: 'asc' })) ids.push(product.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(client.stats()).toEqual({ 'GET products': Math.ceil(total / 100) });
    const pages = [];
    for await (const page of client.listPages('products', { per_page: 100 })) pages.push(page);
    expect(pages[0]).toMatchObject({ page: 1, total, totalPages: Math.ceil(total / 100) });
  });

  it('surfaces per_page=101 as rest_invalid_param (400, not retried)', async () => {
    const client = make();
    const err = await rejection(client.get('products', { query: { per_page: 101 } }));
    expect([err.status, err.code, err.retryable]).toEqual([400, 'rest_invalid_param', false]);
    expect(err.message).toBe('WooCommerce rejected GET products: rest_invalid_param Invalid parameter(s): per_page');
    expect(client.stats()).toEqual({ 'GET products': 1 });
  });

  it('finds products and variations by SKU (variations carry parent_id), in input order', async () => {
    const client = make();
    const variant = catalog.products.find((p) => p.groupId !== 0);
    const simple = catalog.products[0];
    const parent = sim.state.findBySku(`BP-${variant?.groupId}`);
    const found = await client.findBySkus([variant?.sku ?? '', 'NOT-THERE', simple?.sku ?? '', simple?.sku ?? '', ' ']);
    expect(found.map((f) => f.sku)).toEqual([variant?.sku, simple?.sku]);
    expect(found[0]).toMatchObject({ parent_id: parent?.id, type: 'variation' });
    expect(found[1]).toMatchObject({ parent_id: 0, type: 'simple' });
    expect(Object.keys(found[0] ?? {}).sort()).toEqual(['id', 'manage_stock', 'name', 'parent_id', 'sku', 'stock_quantity', 'stock_status', 'type']);
  });

  it('chunks a long SKU list so each request stays within 100 results', async () => {
    const client = make();
    const skus = catalog.products.map((p) => p.sku).slice(0, 250);
    const found = await client.findBySkus(skus);
    const expected = skus.filter((s) => sim.state.findBySku(s));
    expect(found.map((f) => f.sku)).toEqual(expected);
    expect(client.stats()).toEqual({ 'GET products': 3 });
  });

  it('batches 250 updates in 3 requests and reports every per-item error in input order', async () => {
    const client = make();
    const simpleProducts = [...sim.state.posts.values()].filter((p) => p.kind === 'product' && p.type === 'simple');
    // More items than the store has simple products: repeating an id is a valid update.
    const simple = Array.from({ length: 247 }, (_, i) => simpleProducts[i % simpleProducts.length] as (typeof simpleProducts)[number]);
    const variation = [...sim.state.posts.values()].find((p) => p.kind === 'variation');
    const update = [
      ...simple.slice(0, 100).map((p) => ({ id: p.id, manage_stock: true, stock_quantity: 42 })),
      { id: 999_999, manage_stock: true, stock_quantity: 1 },
      { id: variation?.id ?? 0, manage_stock: true, stock_quantity: 1 },
      ...simple.slice(100).map((p) => ({ id: p.id, manage_stock: true, stock_quantity: 42 })),
      { id: 999_998, stock_quantity: 1 },
    ];
    expect(update).toHaveLength(250);
    const result = await client.batchProducts({ update });
    expect(result.requests).toBe(3);
    expect((await simCounters(sim))['POST /wp-json/wc/v3/products/batch']).toBe(3);
    expect(result.update).toHaveLength(250);
    expect(result.failed).toBe(3);
    result.update.forEach((r, i) => expect(r.id).toBe(update[i]?.id));
    expect(result.update[100]).toEqual({ ok: false, id: 999_999, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', status: 400 } });
    expect(result.update[101]).toMatchObject({ ok: false, error: { code: 'woocommerce_rest_invalid_product_id', status: 404 } });
    const ok = result.update[0];
    expect(ok?.ok && ok.item.stock_quantity).toBe(42);
    expect(sim.state.product(simple[0]?.id ?? 0)?.stockQuantity).toBe(42);
  });

  it('reports batch creates (duplicate SKU with resourceId) and variation batches', async () => {
    const client = make({ batchSize: 2 });
    const existing = sim.state.findBySku(catalog.products[1]?.sku ?? '');
    const result = await client.batchProducts({
      create: [
        { name: 'Client Batch A', sku: 'CLIENT-BATCH-A', regular_price: '5.00' },
        { name: 'Clash', sku: existing?.sku },
        { name: 'Client Batch B', sku: 'CLIENT-BATCH-B' },
      ],
    });
    expect(result.requests).toBe(2);
    expect(result.create.map((r) => r.ok)).toEqual([true, false, true]);
    expect(result.create[1]).toEqual({
      ok: false,
      id: 0,
      error: { code: 'product_invalid_sku', message: 'Invalid or duplicated SKU.', status: 400, resourceId: existing?.id, uniqueSku: `${existing?.sku}-1` },
    });
    const parent = sim.state.findBySku(catalog.groups[0]?.sku ?? '');
    if (parent?.kind !== 'product') throw new Error('no parent');
    const variations = await client.batchVariations(parent.id, { update: parent.variationIds.map((id) => ({ id, manage_stock: true, stock_quantity: 2 })) });
    expect(variations.update.every((r) => r.ok && r.item.stock_quantity === 2 && r.item.parent_id === parent.id)).toBe(true);
  });

  it('creates and updates single products and variations, with readable errors', async () => {
    const client = make();
    const created = await client.createProduct({ name: 'Client Single', sku: 'CLIENT-SINGLE', regular_price: '9.99', manage_stock: true, stock_quantity: 3 });
    expect(created).toMatchObject({ sku: 'CLIENT-SINGLE', stock_quantity: 3, manage_stock: true });
    const dup = await rejection(client.createProduct({ name: 'Again', sku: 'CLIENT-SINGLE' }));
    expect(dup).toBeInstanceOf(WooCommerceError);
    expect((dup as WooCommerceError).resourceId).toBe(created.id);
    expect(dup.message).toBe('WooCommerce rejected POST products: product_invalid_sku Invalid or duplicated SKU.');

    const updated = await client.updateProduct(created.id, { stock_quantity: 8 });
    expect(updated.stock_quantity).toBe(8);
    const missing = await rejection(client.updateProduct(812_000, { stock_quantity: 1 }));
    expect(missing.message).toBe('WooCommerce rejected PUT products/812000: woocommerce_rest_product_invalid_id Invalid ID.');

    const variation = [...sim.state.posts.values()].find((p) => p.kind === 'variation');
    if (variation?.kind !== 'variation') throw new Error('no variation');
    const wrongRoute = await rejection(client.updateProduct(variation.id, { stock_quantity: 1 }));
    expect(wrongRoute.message).toContain('/products/<product_id>/variations/<id> endpoint.');
    const v = await client.updateVariation(variation.parentId, variation.id, { manage_stock: true, stock_quantity: 13 });
    expect(v).toMatchObject({ id: variation.id, stock_quantity: 13, manage_stock: true });
    expect(client.stats()['PUT products/:id/variations/:id']).toBe(1);
  });

  describe('retries', () => {
    const flakyOnce = (apply: () => void, clear: () => void) => {
      apply();
      const events: (RetryEvent & { method: string; path: string })[] = [];
      return {
        events,
        options: {
          retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 },
          sleep: async () => clear(),
          onRetry: (e: RetryEvent & { method: string; path: string }) => events.push(e),
        },
      };
    };
    const c = () => sim.controls.controls;

    it('retries a 5xx and succeeds', async () => {
      const { events, options } = flakyOnce(() => (c().errorRate = 1), () => (c().errorRate = 0));
      const res = await make(options).get('products', { query: { per_page: 1 } });
      expect(res.status).toBe(200);
      expect(events).toHaveLength(1);
      expect(events[0]?.error.status).toBe(500);
      expect(events[0]?.error.message).toContain('WooCommerce failed on GET products (HTTP 500): internal_server_error There has been a critical error');
    });

    it('retries a 429 honouring Retry-After', async () => {
      const { events, options } = flakyOnce(() => (c().throttleRate = 1), () => (c().throttleRate = 0));
      await make(options).get('products', { query: { per_page: 1 } });
      expect(events.map((e) => [e.error.status, e.delayMs, e.method, e.path])).toEqual([[429, 1000, 'GET', 'products']]);
      expect(events[0]?.error.message).toContain('throttling');
    });

    it('retries a non-JSON 200 (a host challenge page)', async () => {
      const { events, options } = flakyOnce(() => (c().malformedRate = 1), () => (c().malformedRate = 0));
      await make(options).get('products', { query: { per_page: 1 } });
      expect(events.map((e) => e.error.kind)).toEqual(['malformed']);
      expect(events[0]?.error.message).toContain('not JSON');
    });

    it('retries a timeout', async () => {
      const { events, options } = flakyOnce(
        () => Object.assign(c(), { timeoutRate: 1, hangMs: 400 }),
        () => (c().timeoutRate = 0),
      );
      await make({ ...options, timeoutMs: 150 }).get('products', { query: { per_page: 1 } });
      expect(events.map((e) => e.error.kind)).toEqual(['timeout']);
      expect(events[0]?.error.message).toBe('WooCommerce did not answer within 150 ms on GET products');
    });

    it('does not retry a 4xx', async () => {
      const events: RetryEvent[] = [];
      const client = make({ onRetry: (e) => events.push(e) });
      await rejection(client.put('products/999999', { body: { name: 'x' } }));
      expect(events).toHaveLength(0);
      expect(client.stats()).toEqual({ 'PUT products/:id': 1 });
    });

    it('gives up after the configured retries with a retryable error', async () => {
      c().errorRate = 1;
      const client = make({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
      const err = await rejection(client.get('products'));
      expect(err.retryable).toBe(true);
      expect(client.stats()).toEqual({ 'GET products': 3 });
    });

    it('reports every item of a batch whose request failed, and sends nothing after it', async () => {
      c().errorRate = 1;
      const client = make({ retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 }, batchSize: 2 });
      const result = await client.batchProducts({ update: [{ id: 101 }, { id: 102 }, { id: 103 }] });
      expect(result.requests).toBe(1);
      expect(result.failed).toBe(3);
      expect(result.update.map((r) => r.ok)).toEqual([false, false, false]);
      const last = result.update[2];
      expect(!last?.ok && last?.error.message).toMatch(/^Not sent because an earlier batch request failed/);
    });
  });
});

describe('WooCommerceClient auth choice', () => {
  it('uses Basic over https and OAuth over http', () => {
    expect(chooseAuthMode('https://shop.example.com')).toBe('basic');
    expect(chooseAuthMode('http://127.0.0.1:8080')).toBe('oauth');
    expect(chooseAuthMode('https://shop.example.com', 'query')).toBe('query');
  });

  it('sends an Authorization: Basic header and no OAuth params to an https store', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const seen: string[] = [];
    agent
      .get('https://shop.example.com')
      .intercept({ path: (p) => (seen.push(p), p.startsWith('/shop/wp-json/wc/v3/products')), method: 'GET', headers: { authorization: `Basic ${Buffer.from('ck_a:cs_b').toString('base64')}` } })
      .reply(200, [{ id: 1 }], { headers: { 'content-type': 'application/json', 'x-wp-total': '1', 'x-wp-totalpages': '1' } });
    const client = new WooCommerceClient({ url: 'https://shop.example.com/shop/', consumerKey: 'ck_a', consumerSecret: 'cs_b', dispatcher: agent, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const res = await client.get('products', { query: { per_page: 1 } });
    expect(res.data).toEqual([{ id: 1 }]);
    expect([...new Set(seen)]).toEqual(['/shop/wp-json/wc/v3/products?per_page=1']);
    await agent.close();
  });

  it('Basic auth works against a store WordPress sees as HTTPS', async () => {
    const sim = await createWooCommerceSimulator({ catalog: { simpleCount: 12, variableCount: 1 }, assumeHttps: true });
    try {
      const url = await sim.listen();
      const client = new WooCommerceClient({ url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, authMode: 'basic' });
      const found = await client.findBySkus(['BP-1001']);
      expect(found).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });
});

describe('WooCommerce error classification', () => {
  const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

  it('makes 5xx, 429 and 408 retryable, other 4xx final; HTML errors are described, not dumped', () => {
    expect(errorFromResponse(res(502, '<html><h1>502 Bad Gateway</h1></html>'), 'GET', 'orders')).toMatchObject({
      retryable: true,
      message: "The store's server answered GET orders with HTTP 502 instead of a WooCommerce response: 502 Bad Gateway",
    });
    expect(errorFromResponse(res(429, '', { 'retry-after': '7' }), 'GET', 'orders')).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(errorFromResponse(res(403, '<html>Forbidden</html>'), 'GET', 'orders').retryable).toBe(false);
    expect(errorFromResponse(res(404, JSON.stringify({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } })), 'GET', 'x')).toMatchObject({
      retryable: false,
      code: 'rest_no_route',
    });
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('99999')).toBe(600_000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
