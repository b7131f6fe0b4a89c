import { buildCatalog } from '../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { asList, asRecord, rawCall } from './helpers';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const catalog = buildCatalog();

describe('WooCommerce simulator: seeded store', () => {
  let sim: WooCommerceSimulator;
  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog });
  });
  afterAll(() => sim.close());

  it('has every catalogue product except the ones missing in WooCommerce, plus the WooCommerce-only ones', () => {
    const { state } = sim;
    for (const sku of catalog.quirks.missingInWooCommerce) expect(state.findBySku(sku)).toBeUndefined();
    for (const extra of catalog.quirks.missingInBrightpearl) expect(state.findBySku(extra.sku)).toMatchObject({ kind: 'product', type: 'simple' });
    const simple = catalog.products.find((p) => p.groupId === 0 && !catalog.quirks.missingInWooCommerce.includes(p.sku));
    expect(state.findBySku(simple?.sku ?? '')).toMatchObject({ kind: 'product', type: 'simple', name: simple?.name, regularPrice: simple?.price });
  });

  it('makes each group a variable product with one variation per member, ids shared and increasing from 100', () => {
    const { state } = sim;
    const group = catalog.groups[0];
    if (!group) throw new Error('catalogue has no groups');
    const parent = state.findBySku(group.sku);
    expect(parent).toMatchObject({ kind: 'product', type: 'variable', attributes: [{ name: group.optionName, variation: true }] });
    if (parent?.kind !== 'product') return;
    expect(parent.variationIds).toHaveLength(group.memberIds.length);
    for (const id of parent.variationIds) {
      expect(state.variation(id)).toMatchObject({ parentId: parent.id });
      expect(id).toBeGreaterThan(parent.id);
    }
    const ids = [...state.posts.keys()];
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(100);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('starts with roughly a third of the stock unmanaged (quantity null) and the rest managed', () => {
    const sellable = [...sim.state.posts.values()].filter((p) => !(p.kind === 'product' && p.type === 'variable'));
    const unmanaged = sellable.filter((p) => !p.manageStock);
    expect(unmanaged.length / sellable.length).toBeGreaterThan(0.2);
    expect(unmanaged.length / sellable.length).toBeLessThan(0.45);
    for (const p of unmanaged) expect(p.stockQuantity).toBeNull();
    for (const p of sellable.filter((x) => x.manageStock)) expect(typeof p.stockQuantity).toBe('number');
    expect(sim.state.options.woocommerce_manage_stock).toBe('yes');
  });

  it('renders dates in site time and GMT with 1-second precision', () => {
    const product = sim.productBySku(catalog.products[0]?.sku ?? '');
    expect(product?.date_modified).toMatch(DATE);
    expect(product?.date_modified_gmt).toMatch(DATE);
    expect(product?.date_created_gmt).toMatch(DATE);
    const site = Date.parse(`${String(product?.date_modified)}Z`);
    const gmt = Date.parse(`${String(product?.date_modified_gmt)}Z`);
    expect(site - gmt).toBe(sim.state.options.gmtOffsetHours * 3_600_000);
  });
});

describe('WooCommerce simulator over HTTP', () => {
  let sim: WooCommerceSimulator;
  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog });
    await sim.listen();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await rawCall(sim, 'PUT', '/__sim/controls', { auth: 'none', body: { errorRate: 0, throttleRate: 0, timeoutRate: 0, malformedRate: 0 } });
  });

  describe('authentication over plain HTTP', () => {
    it('accepts OAuth 1.0a', async () => {
      const res = await rawCall(sim, 'GET', 'products', { query: { per_page: 1 } });
      expect(res.status).toBe(200);
      expect(asList(res.json)).toHaveLength(1);
    });

    it('ignores Basic auth and consumer_key params (anonymous → woocommerce_rest_cannot_view)', async () => {
      for (const auth of ['basic', 'query', 'none'] as const) {
        const res = await rawCall(sim, 'GET', 'products', { auth });
        expect(res.status).toBe(401);
        expect(res.json).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
      }
      const create = await rawCall(sim, 'POST', 'products', { auth: 'basic', body: { name: 'x' } });
      expect(asRecord(create.json).code).toBe('woocommerce_rest_cannot_create');
    });

    it('answers a wrong secret, a bad key and partial parameters in WooCommerce words', async () => {
      const wrong = await rawCall(sim, 'GET', 'products', { consumerSecret: 'cs_wrong' });
      expect(wrong.status).toBe(401);
      expect(wrong.json).toEqual({
        code: 'woocommerce_rest_authentication_error',
        message: 'Invalid signature - provided signature does not match.',
        data: { status: 401 },
      });
      const badKey = await rawCall(sim, 'GET', 'products', { consumerKey: 'ck_unknown' });
      expect(asRecord(badKey.json).message).toBe('Consumer key is invalid.');
      const stale = await rawCall(sim, 'GET', 'products', { timestamp: sim.state.nowSeconds() - 3600 });
      expect(asRecord(stale.json).message).toBe('Invalid timestamp.');
      const partial = await rawCall(sim, 'GET', 'products', { auth: 'none', query: { oauth_consumer_key: sim.consumerKey } });
      expect(partial.status).toBe(401);
      expect(asRecord(partial.json).code).toBe('woocommerce_rest_authentication_missing_parameter');
    });

    it('rejects a replayed request (same nonce)', async () => {
      const { signUrl } = await import('../../src/woocommerce/oauth');
      const { request } = await import('undici');
      const url = signUrl({ method: 'GET', url: `${sim.url}/wp-json/wc/v3/products?per_page=1`, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret });
      const first = await request(url);
      await first.body.text();
      expect(first.statusCode).toBe(200);
      const replay = await request(url);
      expect(replay.statusCode).toBe(401);
      expect(await replay.body.json()).toMatchObject({ message: 'Invalid nonce - nonce has already been used.' });
    });
  });

  describe('collections', () => {
    it('validates per_page like WordPress (101 → 400 rest_invalid_param with params)', async () => {
      const res = await rawCall(sim, 'GET', 'products', { query: { per_page: 101 } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        code: 'rest_invalid_param',
        message: 'Invalid parameter(s): per_page',
        data: { status: 400, params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } },
      });
      const bad = await rawCall(sim, 'GET', 'products', { query: { type: 'bundle', orderby: 'nope' } });
      expect(asRecord(asRecord(bad.json).data).params).toEqual({
        type: 'type is not one of simple, grouped, external, and variable.',
        orderby: expect.stringContaining('orderby is not one of date, id'),
      });
    });

    it('pages with X-WP-Total, X-WP-TotalPages and Link prev/next; default 10; out of range is 200 []', async () => {
      const total = [...sim.state.posts.values()].filter((p) => p.kind === 'product' && p.status !== 'trash').length;
      const first = await rawCall(sim, 'GET', 'products');
      expect(asList(first.json)).toHaveLength(10);
      expect(first.headers['x-wp-total']).toBe(String(total));
      expect(first.headers['x-wp-totalpages']).toBe(String(Math.ceil(total / 10)));
      const second = await rawCall(sim, 'GET', 'products', { query: { per_page: 100, page: 2 } });
      const link = String(second.headers.link);
      expect(link).toContain('rel="prev"');
      expect(link).toContain('rel="next"');
      expect(link).toContain('page=3');
      expect(link).not.toContain('oauth_');
      const beyond = await rawCall(sim, 'GET', 'products', { query: { per_page: 100, page: 99 } });
      expect(beyond.status).toBe(200);
      expect(beyond.json).toEqual([]);
      expect(beyond.headers['x-wp-total']).toBe(String(total));
    });

    it('searches products and variations by an exact comma-separated sku list', async () => {
      const group = catalog.groups[1];
      const member = catalog.products.find((p) => p.bpId === group?.memberIds[0]);
      const simple = catalog.products[0];
      const res = await rawCall(sim, 'GET', 'products', { query: { sku: `${member?.sku},${simple?.sku},NOPE`, _fields: 'id,sku,parent_id,type' } });
      const items = asList(res.json);
      expect(items).toHaveLength(2);
      const variation = items.find((i) => i.sku === member?.sku);
      expect(variation).toMatchObject({ type: 'variation', parent_id: sim.state.findBySku(group?.sku ?? '')?.id });
      expect(Object.keys(variation ?? {}).sort()).toEqual(['id', 'parent_id', 'sku', 'type']);
      // Without sku the list holds products only.
      const list = await rawCall(sim, 'GET', 'products', { query: { per_page: 100, type: 'variable' } });
      expect(asList(list.json).every((p) => p.type === 'variable')).toBe(true);
    });

    it('filters by include, orders by id, and windows on modified dates (exclusive, GMT)', async () => {
      const ids = [...sim.state.posts.values()].filter((p) => p.kind === 'product').map((p) => p.id).slice(0, 5);
      const res = await rawCall(sim, 'GET', 'products', { query: { include: ids.join(','), orderby: 'id', order: 'asc' } });
      expect(asList(res.json).map((p) => p.id)).toEqual([...ids].sort((a, b) => a - b));
      // PHP-style arrays (include[]=) work too, and orderby=include keeps the given order.
      const reversed = [...ids].reverse();
      const arrayStyle = await rawCall(sim, 'GET', `/wp-json/wc/v3/products?${reversed.map((id) => `include%5B%5D=${id}`).join('&')}&orderby=include&order=asc`);
      expect(asList(arrayStyle.json).map((p) => p.id)).toEqual(reversed);

      const target = sim.state.product(ids[2] ?? 0);
      if (!target) throw new Error('no product');
      const at = sim.state.gmtDate(target.modified);
      const before = sim.state.gmtDate(target.modified + 1);
      const window = await rawCall(sim, 'GET', 'products', { query: { modified_after: sim.state.gmtDate(target.modified - 1), modified_before: before, dates_are_gmt: true, per_page: 100 } });
      expect(asList(window.json).map((p) => p.id)).toContain(target.id);
      const exclusive = await rawCall(sim, 'GET', 'products', { query: { modified_after: at, dates_are_gmt: true, include: String(target.id) } });
      expect(exclusive.json).toEqual([]);
      // Without dates_are_gmt the value is site time (GMT+1 here): one hour earlier in GMT terms.
      const siteTime = await rawCall(sim, 'GET', 'products', { query: { modified_after: sim.state.siteDate(target.modified - 1), include: String(target.id) } });
      expect(asList(siteTime.json).map((p) => p.id)).toEqual([target.id]);
      const badDate = await rawCall(sim, 'GET', 'products', { query: { modified_after: 'yesterday' } });
      expect(badDate.status).toBe(400);
    });
  });

  describe('single products', () => {
    it('refuses a variation id on /products/{id} and distinguishes unknown ids on GET (404) and PUT (400)', async () => {
      const variationSku = catalog.products.find((p) => p.groupId !== 0)?.sku ?? '';
      const variation = sim.state.findBySku(variationSku);
      const get = await rawCall(sim, 'GET', `products/${variation?.id}`);
      expect(get.status).toBe(404);
      expect(asRecord(get.json).code).toBe('woocommerce_rest_invalid_product_id');
      const put = await rawCall(sim, 'PUT', `products/${variation?.id}`, { body: { stock_quantity: 3 } });
      expect(put.status).toBe(404);
      expect(asRecord(put.json).code).toBe('woocommerce_rest_invalid_product_id');
      const unknownGet = await rawCall(sim, 'GET', 'products/999999');
      expect([unknownGet.status, asRecord(unknownGet.json).code, asRecord(unknownGet.json).message]).toEqual([404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.']);
      const unknownPut = await rawCall(sim, 'PUT', 'products/999999', { body: { name: 'x' } });
      expect([unknownPut.status, asRecord(unknownPut.json).code]).toEqual([400, 'woocommerce_rest_product_invalid_id']);
      const noRoute = await rawCall(sim, 'GET', 'products/abc');
      expect(asRecord(noRoute.json).code).toBe('rest_no_route');
    });

    it('creates with 201 + Location and refuses a duplicate SKU with resource_id and unique_sku', async () => {
      const created = await rawCall(sim, 'POST', 'products', { body: { name: 'Test Lamp', sku: 'TEST-LAMP-1', regular_price: '12.50', manage_stock: true, stock_quantity: 4 } });
      expect(created.status).toBe(201);
      const product = asRecord(created.json);
      expect(created.headers.location).toBe(`${sim.url}/wp-json/wc/v3/products/${product.id}`);
      expect(product).toMatchObject({ sku: 'TEST-LAMP-1', price: '12.50', manage_stock: true, stock_quantity: 4, stock_status: 'instock', type: 'simple', status: 'publish' });

      const dup = await rawCall(sim, 'POST', 'products', { body: { name: 'Again', sku: 'TEST-LAMP-1' } });
      expect(dup.status).toBe(400);
      expect(dup.json).toEqual({
        code: 'product_invalid_sku',
        message: 'Invalid or duplicated SKU.',
        data: { status: 400, resource_id: product.id, unique_sku: 'TEST-LAMP-1-1' },
      });
      // A variation's SKU is reserved too.
      const variation = sim.state.findBySku(catalog.products.find((p) => p.groupId !== 0)?.sku ?? '');
      const dupVariation = await rawCall(sim, 'POST', 'products', { body: { name: 'Clash', sku: variation?.sku } });
      expect(asRecord(asRecord(dupVariation.json).data).resource_id).toBe(variation?.id);

      const numericPrice = await rawCall(sim, 'POST', 'products', { body: { name: 'Bad', regular_price: 12.5 } });
      expect(numericPrice.status).toBe(400);
      expect(asRecord(asRecord(numericPrice.json).data).params).toEqual({ regular_price: 'regular_price is not of type string.' });
    });

    it('applies the stock rules of §4.3', async () => {
      const unmanaged = [...sim.state.posts.values()].find((p) => p.kind === 'product' && p.type === 'simple' && !p.manageStock);
      if (!unmanaged) throw new Error('no unmanaged product');
      const before = unmanaged.modified;
      sim.state.posts.get(unmanaged.id)!.modified = before - 100;

      // stock_quantity alone on an unmanaged product is dropped, silently.
      const ignored = asRecord((await rawCall(sim, 'PUT', `products/${unmanaged.id}`, { body: { stock_quantity: 7 } })).json);
      expect(ignored).toMatchObject({ manage_stock: false, stock_quantity: null });
      expect(Date.parse(`${String(ignored.date_modified_gmt)}Z`) / 1000).toBeGreaterThan(before - 100);

      const managed = asRecord((await rawCall(sim, 'PUT', `products/${unmanaged.id}`, { body: { manage_stock: true, stock_quantity: 7, stock_status: 'outofstock' } })).json);
      expect(managed).toMatchObject({ manage_stock: true, stock_quantity: 7, stock_status: 'instock' });

      const empty = asRecord((await rawCall(sim, 'PUT', `products/${unmanaged.id}`, { body: { stock_quantity: 0 } })).json);
      expect(empty).toMatchObject({ stock_quantity: 0, stock_status: 'outofstock' });
      const backorder = asRecord((await rawCall(sim, 'PUT', `products/${unmanaged.id}`, { body: { backorders: 'notify' } })).json);
      expect(backorder).toMatchObject({ stock_status: 'onbackorder', backorders_allowed: true });

      const off = asRecord((await rawCall(sim, 'PUT', `products/${unmanaged.id}`, { body: { manage_stock: false } })).json);
      expect(off).toMatchObject({ manage_stock: false, stock_quantity: null, backorders: 'no' });

      // Store-wide "Manage stock" off: the products endpoint ignores stock fields except stock_status.
      sim.state.options.woocommerce_manage_stock = 'no';
      try {
        const ignoredAll = asRecord((await rawCall(sim, 'PUT', `products/${unmanaged.id}`, { body: { manage_stock: true, stock_quantity: 9, stock_status: 'outofstock' } })).json);
        expect(ignoredAll).toMatchObject({ manage_stock: false, stock_quantity: null, stock_status: 'outofstock' });
      } finally {
        sim.state.options.woocommerce_manage_stock = 'yes';
      }
    });

    it('updates variations through their own route and re-syncs the parent stock status', async () => {
      const group = catalog.groups[2];
      const parent = sim.state.findBySku(group?.sku ?? '');
      if (parent?.kind !== 'product') throw new Error('no parent');
      for (const id of parent.variationIds) {
        const res = await rawCall(sim, 'PUT', `products/${parent.id}/variations/${id}`, { body: { manage_stock: true, stock_quantity: 0 } });
        expect(asRecord(res.json)).toMatchObject({ id, parent_id: parent.id, manage_stock: true, stock_quantity: 0, stock_status: 'outofstock' });
      }
      expect(sim.productBySku(parent.sku)?.stock_status).toBe('outofstock');
      const firstId = parent.variationIds[0];
      await rawCall(sim, 'PUT', `products/${parent.id}/variations/${firstId}`, { body: { stock_quantity: 5 } });
      expect(sim.productBySku(parent.sku)?.stock_status).toBe('instock');

      // A variation under the wrong parent, and a variation whose parent manages stock.
      const wrong = await rawCall(sim, 'GET', `products/${parent.id + 100000}/variations/${firstId}`);
      expect(asRecord(wrong.json).code).toBe('woocommerce_rest_cannot_edit');
      sim.state.posts.get(parent.id)!.manageStock = true;
      sim.state.product(parent.id)!.stockQuantity = 11;
      await rawCall(sim, 'PUT', `products/${parent.id}/variations/${firstId}`, { body: { manage_stock: false } });
      const inherited = asRecord((await rawCall(sim, 'GET', `products/${parent.id}/variations/${firstId}`)).json);
      expect(inherited).toMatchObject({ manage_stock: 'parent', stock_quantity: 11 });
    });
  });

  describe('batches', () => {
    it('answers more than the limit with 413', async () => {
      const update = Array.from({ length: 101 }, (_, i) => ({ id: 100 + i, stock_quantity: 1 }));
      const res = await rawCall(sim, 'POST', 'products/batch', { body: { update } });
      expect(res.status).toBe(413);
      expect(res.json).toEqual({
        code: 'woocommerce_rest_request_entity_too_large',
        message: 'Unable to accept more than 100 items for this request.',
        data: { status: 413 },
      });
    });

    it('returns 200 with per-item errors, creates failing with id 0, updates needing an id, deletes permanent', async () => {
      const existing = [...sim.state.posts.values()].find((p) => p.kind === 'product' && p.type === 'simple');
      const variation = [...sim.state.posts.values()].find((p) => p.kind === 'variation');
      const res = await rawCall(sim, 'PUT', 'products/batch', {
        body: {
          create: [{ name: 'Batch New', sku: 'BATCH-NEW-1' }, { name: 'Dup', sku: existing?.sku }],
          update: [{ id: existing?.id, manage_stock: true, stock_quantity: 3 }, { id: 999999, stock_quantity: 1 }, { stock_quantity: 2 }, { id: variation?.id, stock_quantity: 1 }],
          delete: [999998],
        },
      });
      expect(res.status).toBe(200);
      const body = asRecord(res.json);
      const create = asList(body.create);
      expect(create[0]).toMatchObject({ sku: 'BATCH-NEW-1' });
      expect(create[1]).toMatchObject({ id: 0, error: { code: 'product_invalid_sku', data: { status: 400, resource_id: existing?.id } } });
      const update = asList(body.update);
      expect(update[0]).toMatchObject({ id: existing?.id, stock_quantity: 3 });
      expect(update[1]).toEqual({ id: 999999, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
      expect(update[2]).toMatchObject({ id: null, error: { code: 'woocommerce_rest_product_invalid_id' } });
      expect(update[3]).toMatchObject({ id: variation?.id, error: { code: 'woocommerce_rest_invalid_product_id', data: { status: 404 } } });
      expect(asList(body.delete)[0]).toMatchObject({ id: 999998, error: { code: 'woocommerce_rest_product_invalid_id', data: { status: 404 } } });

      const newId = Number(create[0]?.id);
      const del = await rawCall(sim, 'POST', 'products/batch', { body: { delete: [newId] } });
      expect(asList(asRecord(del.json).delete)[0]).toMatchObject({ id: newId, sku: 'BATCH-NEW-1' });
      expect(sim.state.post(newId)).toBeUndefined();
      expect(Object.keys(asRecord(del.json))).toEqual(['delete']);
    });

    it('batches variations under their parent', async () => {
      const parent = sim.state.findBySku(catalog.groups[3]?.sku ?? '');
      if (parent?.kind !== 'product') throw new Error('no parent');
      const update = parent.variationIds.map((id) => ({ id, manage_stock: true, stock_quantity: 6 }));
      const res = await rawCall(sim, 'POST', `products/${parent.id}/variations/batch`, { body: { update } });
      expect(asList(asRecord(res.json).update).map((v) => v.stock_quantity)).toEqual(update.map(() => 6));
    });
  });

  describe('faults and counters', () => {
    it('throttles with 429 + Retry-After and fails with 500/502/503 in host forms, counting every call', async () => {
      await rawCall(sim, 'DELETE', '/__sim/counters', { auth: 'none' });
      await rawCall(sim, 'PUT', '/__sim/controls', { auth: 'none', body: { throttleRate: 1 } });
      const throttled = await rawCall(sim, 'GET', 'products');
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('1');
      await rawCall(sim, 'PUT', '/__sim/controls', { auth: 'none', body: { throttleRate: 0, errorRate: 1 } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await rawCall(sim, 'GET', 'products')).status);
      expect(statuses.sort()).toEqual([500, 502, 503]);
      await rawCall(sim, 'PUT', '/__sim/controls', { auth: 'none', body: { errorRate: 0, malformedRate: 1 } });
      const malformed = await rawCall(sim, 'GET', 'products');
      expect([malformed.status, malformed.json]).toEqual([200, undefined]);
      await rawCall(sim, 'PUT', '/__sim/controls', { auth: 'none', body: { malformedRate: 0 } });
      const counters = asRecord((await rawCall(sim, 'GET', '/__sim/counters', { auth: 'none' })).json);
      expect(asRecord(counters.calls)['GET /wp-json/wc/v3/products']).toBe(5);
    });
  });

  it('demo activity sells managed stock', async () => {
    const totalBefore = [...sim.state.posts.values()].reduce((sum, p) => sum + (p.manageStock ? (p.stockQuantity ?? 0) : 0), 0);
    sim.startActivity(5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    sim.stopActivity();
    const totalAfter = [...sim.state.posts.values()].reduce((sum, p) => sum + (p.manageStock ? (p.stockQuantity ?? 0) : 0), 0);
    expect(sim.state.activityLog.length).toBeGreaterThan(0);
    expect(totalAfter).toBeLessThan(totalBefore);
  });
});

describe('WooCommerce simulator behind HTTPS (assumeHttps)', () => {
  let sim: WooCommerceSimulator;
  beforeAll(async () => {
    sim = await createWooCommerceSimulator({ catalog: { simpleCount: 20, variableCount: 2 }, assumeHttps: true, batchLimit: 5 });
    await sim.listen();
  });
  afterAll(() => sim.close());

  it('accepts Basic auth and consumer_key/consumer_secret params', async () => {
    expect((await rawCall(sim, 'GET', 'products', { auth: 'basic' })).status).toBe(200);
    expect((await rawCall(sim, 'GET', 'products', { auth: 'query' })).status).toBe(200);
  });

  it('answers a wrong secret with 401 and WWW-Authenticate, and an unknown key as anonymous', async () => {
    const wrong = await rawCall(sim, 'GET', 'products', { auth: 'basic', consumerSecret: 'cs_nope' });
    expect(wrong.status).toBe(401);
    expect(asRecord(wrong.json)).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Consumer secret is invalid.' });
    expect(String(wrong.headers['www-authenticate'])).toContain('Basic realm=');
    const unknown = await rawCall(sim, 'GET', 'products', { auth: 'basic', consumerKey: 'ck_nope' });
    expect(asRecord(unknown.json).code).toBe('woocommerce_rest_cannot_view');
  });

  it('signs OAuth against the https home URL', async () => {
    // A client that signs the http URL it connects to fails, as on a real store reached through a proxy.
    const res = await rawCall(sim, 'GET', 'products');
    expect(asRecord(res.json).message).toBe('Invalid signature - provided signature does not match.');
  });

  it('honours a configured batch limit', async () => {
    const res = await rawCall(sim, 'POST', 'products/batch', { auth: 'basic', body: { delete: [1, 2, 3, 4, 5, 6] } });
    expect(res.status).toBe(413);
    expect(asRecord(res.json).message).toBe('Unable to accept more than 5 items for this request.');
  });
});
