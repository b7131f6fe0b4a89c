import { request } from 'undici';
import { RequestBudget, clearSharedBudgets } from '../../src/brightpearl/budget';
import { BrightpearlClient, type BrightpearlAuth, type BrightpearlClientOptions } from '../../src/brightpearl/client';
import { productName } from '../../src/brightpearl/schemas';
import { HttpError, type RetryEvent } from '../../src/http/request';
import { apiCounterKey, createBrightpearlSimulator, SIMULATOR_DEFAULTS, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';

const SYSTEM_AUTH: BrightpearlAuth = { kind: 'system', appRef: SIMULATOR_DEFAULTS.appRef, accountToken: SIMULATOR_DEFAULTS.accountToken };
const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

function calls(sim: BrightpearlSimulator, method: string, route: string): number {
  return sim.controls.counters.get(apiCounterKey(method, route));
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

describe('BrightpearlClient against the simulator', () => {
  let sim: BrightpearlSimulator;
  let baseUrl: string;
  const client = (overrides: Partial<BrightpearlClientOptions> = {}) =>
    new BrightpearlClient({ baseUrl, accountCode: 'demo', auth: SYSTEM_AUTH, timeoutMs: 5_000, retry: FAST_RETRY, ...overrides });

  beforeAll(async () => {
    // A high cap: these tests are about everything but throttling.
    sim = await createBrightpearlSimulator({ requestsPerMinute: 100_000 });
    baseUrl = await sim.listen();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.controls.counters.reset();
    sim.controls.controls = { ...sim.controls.controls, errorRate: 0, malformedRate: 0, timeoutRate: 0, throttleRate: 0 };
  });

  describe('auth', () => {
    it.each<[string, BrightpearlAuth]>([
      ['system', SYSTEM_AUTH],
      ['staff', { kind: 'staff', appRef: SIMULATOR_DEFAULTS.appRef, staffToken: SIMULATOR_DEFAULTS.staffToken }],
      ['oauth', { kind: 'oauth', appRef: SIMULATOR_DEFAULTS.appRef, devRef: SIMULATOR_DEFAULTS.devRef, accessToken: SIMULATOR_DEFAULTS.oauthToken }],
    ])('sends the %s headers', async (_name, auth) => {
      const warehouses = await client({ auth }).getWarehouses();
      expect(warehouses.map((w) => w.name)).toEqual(['Leeds DC', 'London Store', 'Fulfilment Partner']);
    });

    it('turns the 401 bare string into a non-retryable error with that text', async () => {
      const err = await rejection(client({ auth: { kind: 'oauth', appRef: 'demo_bpwc', devRef: 'demo_dev', accessToken: 'stale' } }).getWarehouses());
      expect(err.status).toBe(401);
      expect(err.retryable).toBe(false);
      expect(err.message).toBe('Brightpearl did not accept the credentials for GET warehouse-service/warehouse: Authorization token expired');
      expect(calls(sim, 'GET', 'warehouse-service/warehouse')).toBe(1);
    });

    it('reports a wrong account code', async () => {
      const err = await rejection(client({ accountCode: 'nobody' }).getWarehouses());
      expect(err.status).toBe(404);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/CMNC-404 Account nobody was not found/);
    });
  });

  describe('search', () => {
    it('pages through every result and zips rows by column name, whatever the column order', async () => {
      const bp = client();
      const plain = await bp.searchAll('product-service/product-search', { pageSize: 50 });
      const pages = Math.ceil(sim.state.products.size / 50);
      expect(calls(sim, 'GET', 'product-service/product-search')).toBe(pages);
      expect(plain.rows).toHaveLength(sim.state.products.size);

      const reordered = await bp.searchAll('product-service/product-search', { pageSize: 50, columns: 'SKU,productName,stockTracked,productId' });
      expect(calls(sim, 'GET', 'product-service/product-search')).toBe(2 * pages);
      for (const row of reordered.rows) {
        const product = sim.state.products.get(row.productId as number);
        expect(row).toEqual({ SKU: product?.sku, productName: product?.name, stockTracked: product?.stockTracked, productId: product?.id });
      }
      expect(plain.rows.map((r) => [r.productId, r.SKU])).toEqual(reordered.rows.map((r) => [r.productId, r.SKU]));
      // Each page's reference table is merged.
      expect(Object.keys(reordered.reference.productCategoryMembership ?? {})).toHaveLength(sim.state.products.size);
    });

    it('streams rows and stops requesting pages when the caller stops', async () => {
      const seen: unknown[] = [];
      for await (const row of client().search('product-service/product-search', { pageSize: 20, productGroupId: 0 })) {
        seen.push(row.productId);
        if (seen.length === 30) break;
      }
      expect(seen).toHaveLength(30);
      expect(calls(sim, 'GET', 'product-service/product-search')).toBe(2);
    });

    it('encodes + in date offsets', async () => {
      const { rows } = await client().searchAll('product-service/product-search', { updatedOn: '2025-01-01T00:00:00+00:00/', columns: 'productId' });
      expect(rows.length).toBeGreaterThan(0);
    });

    it('keeps a query written into the path', async () => {
      const { rows } = await client().searchAll('product-service/product-search?columns=productId', { SKU: 'BP-1004' });
      expect(rows).toEqual([{ productId: 1004 }]);
    });

    it('does not retry CMNC-018 and says what Brightpearl said', async () => {
      const retries: RetryEvent[] = [];
      const err = await rejection(client({ onRetry: (e) => retries.push(e) }).searchAll('product-service/product-search', { productGroupId: 'abc' }));
      expect(err.status).toBe(500);
      expect(err.code).toBe('CMNC-018');
      expect(err.retryable).toBe(false);
      expect(err.message).toBe(
        'Brightpearl rejected GET product-service/product-search: CMNC-018 The filter productGroupId=abc cannot be parsed as: INTEGER',
      );
      expect(retries).toEqual([]);
      expect(calls(sim, 'GET', 'product-service/product-search')).toBe(1);
    });
  });

  describe('products and prices', () => {
    it('fetches 450 ids in 3 GETs of compact ranges', async () => {
      const ids = Array.from({ length: 450 }, (_, i) => 1450 - i);
      const products = await client().getProducts(ids);
      expect(calls(sim, 'GET', 'product-service/product/:idSet')).toBe(3);
      const existing = ids.filter((id) => sim.state.products.has(id));
      expect(products.map((p) => p.id).sort()).toEqual(existing.sort());
      const first = products.find((p) => p.id === 1001);
      expect(first?.identity.sku).toBe('BP-1001');
      expect(first && productName(first)).toBe(sim.state.products.get(1001)?.name);
    });

    it('counts its calls per method and path pattern', async () => {
      const bp = client();
      await bp.getProducts([1001, 1002, 1003]);
      await bp.getPriceLists();
      expect(bp.stats()).toEqual({
        calls: { 'GET product-service/price-list': 1, 'GET product-service/product/{ID-SET}': 1 },
        total: 2,
        retries: 0,
        throttled: 0,
      });
    });

    it('reads price lists and string prices', async () => {
      const bp = client();
      const lists = await bp.getPriceLists();
      expect(lists.map((l) => [l.id, l.name, l.currencyCode, l.priceListTypeCode])).toEqual([
        [1, 'Retail', 'GBP', 'SELL'],
        [2, 'Trade', 'GBP', 'SELL'],
      ]);
      const prices = await bp.getProductPrices([1001, 1002], 1);
      expect(prices).toHaveLength(2);
      expect(prices[0]?.priceLists).toEqual([expect.objectContaining({ priceListId: 1, quantityPrice: { '1': sim.state.catalog.products[0]?.price } })]);
      const all = await bp.getProductPrices([1001]);
      expect(all[0]?.priceLists.map((l) => l.priceListId)).toEqual([1, 2]);
    });

    it('asks OPTIONS for the GET URIs', async () => {
      expect(await client().options('product-service/product/1001-1250')).toEqual(['/product/1001-1200', '/product/1201-1250']);
    });

    it('does not retry a 4xx', async () => {
      const err = await rejection(client().get('product-service/product/1001-1300'));
      expect(err.status).toBe(400);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/^Brightpearl rejected GET product-service\/product\/1001-1300: CMNC-400 Too many product ids/);
      expect(calls(sim, 'GET', 'product-service/product/:idSet')).toBe(1);
    });
  });

  describe('availability', () => {
    it('chunks by 100 and leaves out what Brightpearl leaves out', async () => {
      const ids = Array.from({ length: 250 }, (_, i) => 1001 + i);
      const result = await client().getProductAvailability(ids);
      expect(calls(sim, 'GET', 'warehouse-service/product-availability/:idSet')).toBe(3);
      expect(result.rejected).toEqual([]);
      const { notStockTracked, noAvailability } = sim.state.catalog.quirks;
      for (const id of [...notStockTracked, ...noAvailability]) expect(result.byProduct.has(id)).toBe(false);
      expect(result.byProduct.size).toBe(ids.filter((id) => sim.state.products.has(id)).length - notStockTracked.length - noAvailability.length);
      const a = result.byProduct.get(1001);
      expect(a?.total.onHand).toBe((a?.total.inStock ?? 0) - (a?.total.allocated ?? 0));
    });

    it('isolates the ids Brightpearl refuses and keeps the rest', async () => {
      sim.state.availabilityRejected.add(1040);
      try {
        const ids = [...Array.from({ length: 150 }, (_, i) => 1001 + i), 2_147_483_648];
        const result = await client().getProductAvailability(ids);
        expect(result.rejected.map((r) => r.id).sort()).toEqual([1040, 2_147_483_648]);
        expect(result.rejected.find((r) => r.id === 1040)?.message).toMatch(/400|cannot be queried/);
        const { notStockTracked, noAvailability } = sim.state.catalog.quirks;
        const expected = ids.filter((id) => sim.state.products.has(id) && id !== 1040 && !notStockTracked.includes(id) && !noAvailability.includes(id));
        expect([...result.byProduct.keys()].sort()).toEqual(expected.sort());
        // 2 chunks, halved down to each bad id: far fewer calls than one per id.
        expect(calls(sim, 'GET', 'warehouse-service/product-availability/:idSet')).toBeLessThan(30);
      } finally {
        sim.state.availabilityRejected.delete(1040);
      }
    });

    it('reports ids that cannot be written into an ID set without asking', async () => {
      const result = await client().getProductAvailability([1001, -4, 1.5]);
      expect(result.rejected.map((r) => r.id)).toEqual([-4, 1.5]);
      expect(result.byProduct.has(1001)).toBe(true);
    });
  });

  describe('retries', () => {
    it.each([
      ['a 5xx', { errorRate: 1 }, 'status'],
      ['a proxy page instead of JSON', { malformedRate: 1 }, 'malformed'],
      ['a timeout', { timeoutRate: 1, hangMs: 400 }, 'timeout'],
    ])('retries %s', async (_name, fault, kind) => {
      sim.controls.controls = { ...sim.controls.controls, ...fault };
      const retries: (RetryEvent & { method: string; path: string })[] = [];
      const bp = client({
        timeoutMs: 150,
        onRetry: (e) => {
          retries.push(e);
          sim.controls.controls = { ...sim.controls.controls, errorRate: 0, malformedRate: 0, timeoutRate: 0 };
        },
      });
      const warehouses = await bp.getWarehouses();
      expect(warehouses).toHaveLength(3);
      expect(retries).toHaveLength(1);
      expect(retries[0]?.error.kind).toBe(kind);
      expect(retries[0]?.error.retryable).toBe(true);
      expect(retries[0]).toMatchObject({ method: 'GET', path: 'warehouse-service/warehouse' });
      expect(bp.stats().retries).toBe(1);
    });

    it('gives up after the retry budget with a readable error', async () => {
      sim.controls.controls = { ...sim.controls.controls, errorRate: 1 };
      const err = await rejection(client().getWarehouses());
      expect(err.retryable).toBe(true);
      expect(err.message).toMatch(/^Brightpearl failed GET warehouse-service\/warehouse: CMNC-50[02]/);
      expect(calls(sim, 'GET', 'warehouse-service/warehouse')).toBe(FAST_RETRY.retries + 1);
    });
  });
});

describe('BrightpearlClient throttling', () => {
  const WINDOW_MS = 400;
  let sim: BrightpearlSimulator;
  let baseUrl: string;

  beforeEach(async () => {
    // Ports get reused; a budget must not outlive its simulator.
    clearSharedBudgets();
    sim = await createBrightpearlSimulator({ requestsPerMinute: 5, throttleWindowMs: WINDOW_MS });
    baseUrl = await sim.listen();
  });
  afterEach(() => sim.close());

  const newClient = (onRetry: (e: RetryEvent) => void) =>
    new BrightpearlClient({
      baseUrl,
      accountCode: 'demo',
      auth: SYSTEM_AUTH,
      timeoutMs: 5_000,
      retry: FAST_RETRY,
      budget: new RequestBudget({ jitterMs: 20 }),
      onRetry,
    });

  it('waits out the period after a 503 and never gets a second one', async () => {
    // Someone else on the account has spent the window.
    for (let i = 0; i < 5; i++) {
      await request(`${baseUrl}/public-api/demo/warehouse-service/warehouse`, {
        headers: { 'brightpearl-app-ref': 'demo_bpwc', 'brightpearl-account-token': SIMULATOR_DEFAULTS.accountToken },
      }).then((r) => r.body.dump());
    }
    const retries: RetryEvent[] = [];
    const bp = newClient((e) => retries.push(e));
    const started = Date.now();
    // ~360 products in pages of 100 = 4 pages, with 3 requests per window (reserve 2).
    const { rows } = await bp.searchAll('product-service/product-search', { pageSize: 100, columns: 'productId' });
    const elapsed = Date.now() - started;

    expect(rows).toHaveLength(sim.state.products.size);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.error.status).toBe(503);
    expect(retries[0]?.error.retryAfterMs).toBeGreaterThan(0);
    expect(retries[0]?.error.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
    expect(bp.stats().throttled).toBe(1);
    // The rest of the first window, then one full window while holding back the reserve.
    expect(elapsed).toBeGreaterThanOrEqual(WINDOW_MS);
  });

  it('shares one budget between clients of the same account', async () => {
    const a = new BrightpearlClient({ baseUrl, accountCode: 'demo', auth: SYSTEM_AUTH, retry: FAST_RETRY });
    const b = new BrightpearlClient({ baseUrl, accountCode: 'demo', auth: SYSTEM_AUTH, retry: FAST_RETRY });
    const retried: RetryEvent[] = [];
    const c = new BrightpearlClient({ baseUrl, accountCode: 'demo', auth: SYSTEM_AUTH, retry: FAST_RETRY, onRetry: (e) => retried.push(e) });
    for (let i = 0; i < 3; i++) {
      await a.getWarehouses();
      await b.getWarehouses();
      await c.getWarehouses();
    }
    expect(retried).toEqual([]);
    expect(a.stats().throttled + b.stats().throttled + c.stats().throttled).toBe(0);
  });

  it('retries an injected throttle after the period it names', async () => {
    sim.controls.controls.throttleRate = 1;
    const retries: RetryEvent[] = [];
    const bp = newClient((e) => {
      retries.push(e);
      sim.controls.controls.throttleRate = 0;
    });
    expect(await bp.getWarehouses()).toHaveLength(3);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.delayMs).toBe(retries[0]?.error.retryAfterMs);
  });
});
