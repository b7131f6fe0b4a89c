import { request } from 'undici';
import { apiCounterKey, createBrightpearlSimulator, SIMULATOR_DEFAULTS, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';
import { onChange, type DataChange } from '../../src/simulators/brightpearl/data';

const SYSTEM = {
  'brightpearl-app-ref': SIMULATOR_DEFAULTS.appRef,
  'brightpearl-account-token': SIMULATOR_DEFAULTS.accountToken,
};

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // Arbitrary API JSON, only ever asserted on.
  json: any;
}

async function call(
  base: string,
  path: string,
  opts: { method?: 'GET' | 'OPTIONS' | 'PUT'; headers?: Record<string, string>; account?: string; body?: unknown } = {},
): Promise<RawResponse> {
  const res = await request(`${base}/public-api/${opts.account ?? 'demo'}/${path}`, {
    method: opts.method ?? 'GET',
    headers: { ...(opts.headers ?? SYSTEM), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
    body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.statusCode, headers: res.headers, json };
}

describe('Brightpearl simulator', () => {
  let sim: BrightpearlSimulator;
  let base: string;

  beforeAll(async () => {
    sim = await createBrightpearlSimulator();
    base = await sim.listen();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.throttle.reset());

  describe('authentication', () => {
    it('accepts the system, staff and OAuth header sets', async () => {
      const staff = { 'brightpearl-app-ref': 'demo_bpwc', 'brightpearl-staff-token': SIMULATOR_DEFAULTS.staffToken };
      const oauth = {
        authorization: `Bearer ${SIMULATOR_DEFAULTS.oauthToken}`,
        'brightpearl-app-ref': 'demo_bpwc',
        'brightpearl-dev-ref': SIMULATOR_DEFAULTS.devRef,
      };
      for (const headers of [SYSTEM, staff, oauth]) {
        expect((await call(base, 'warehouse-service/warehouse', { headers })).status).toBe(200);
      }
    });

    it('answers 401 with a bare string and no WWW-Authenticate', async () => {
      const attempts: Record<string, string>[] = [
        {},
        { ...SYSTEM, 'brightpearl-account-token': 'nope' },
        { authorization: 'Bearer expired', 'brightpearl-app-ref': 'demo_bpwc' },
      ];
      for (const headers of attempts) {
        const res = await call(base, 'warehouse-service/warehouse', { headers });
        expect(res.status).toBe(401);
        expect(typeof res.json.response).toBe('string');
        expect(res.json.errors).toBeUndefined();
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
      const expired = await call(base, 'warehouse-service/warehouse', { headers: { authorization: 'Bearer old', 'brightpearl-app-ref': 'demo_bpwc', 'brightpearl-dev-ref': 'demo_dev' } });
      expect(expired.json).toEqual({ response: 'Authorization token expired' });
    });

    it('answers a wrong account code with a 404 errors envelope', async () => {
      const res = await call(base, 'warehouse-service/warehouse', { account: 'someone-else' });
      expect(res.status).toBe(404);
      expect(res.json.errors[0].code).toBe('CMNC-404');
    });
  });

  describe('products', () => {
    it('returns products for single, range, list and mixed ID sets with the documented fields', async () => {
      const single = await call(base, 'product-service/product/1001');
      expect(single.status).toBe(200);
      const p = single.json.response[0];
      expect(p).toMatchObject({ id: 1001, identity: { sku: 'BP-1001' }, stock: { stockTracked: true }, productGroupId: 0, status: 'LIVE' });
      expect(p.salesChannels[0]).toMatchObject({ salesChannelName: 'Brightpearl', productName: expect.any(String) });
      expect(typeof p.version).toBe('number');
      expect(p.updatedOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      const ids = async (set: string) => (await call(base, `product-service/product/${set}`)).json.response.map((x: { id: number }) => x.id);
      expect(await ids('1001-1003')).toEqual([1001, 1002, 1003]);
      expect(await ids('1005,1002')).toEqual([1002, 1005]);
      expect(await ids('1001-1002,1010,junk')).toEqual([1001, 1002, 1010]);
      expect(await ids('999999')).toEqual([]);
    });

    it('shows variants with their group and option', async () => {
      const group = sim.state.catalog.groups[0];
      const res = await call(base, `product-service/product/${group?.memberIds[0]}`);
      expect(res.json.response[0].productGroupId).toBe(group?.groupId);
      expect(res.json.response[0].variations[0]).toMatchObject({ optionName: group?.optionName, optionValue: expect.any(String) });
    });

    it('refuses more than 200 ids per GET', async () => {
      const res = await call(base, 'product-service/product/1001-1201');
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/at most 200/);
    });

    it('answers OPTIONS with the GET URIs that respect the cap', async () => {
      const res = await call(base, 'product-service/product/1001-1450', { method: 'OPTIONS' });
      const last = Math.max(...sim.state.products.keys());
      expect(res.json.response.getUris).toEqual(['/product/1001-1200', `/product/1201-${Math.min(1400, last)}`, ...(last > 1400 ? [`/product/1401-${Math.min(1450, last)}`] : [])]);
    });
  });

  describe('product search', () => {
    it('pages with positional rows and full metaData', async () => {
      const total = sim.state.products.size;
      const res = await call(base, 'product-service/product-search?pageSize=100&firstResult=101');
      const { results, metaData } = res.json.response;
      expect(results).toHaveLength(100);
      expect(metaData).toMatchObject({ morePagesAvailable: true, resultsAvailable: total, resultsReturned: 100, firstResult: 101, lastResult: 200 });
      expect(metaData.columns[0]).toMatchObject({ name: 'productId', reportDataType: 'IDSET', referenceData: ['productCategoryMembership'] });
      expect(metaData.columns.find((c: { name: string }) => c.name === 'SKU').reportDataType).toBe('STRING');
      expect(Object.keys(res.json.reference.productCategoryMembership)).toHaveLength(100);
      expect(Array.isArray(results[0])).toBe(true);
    });

    it('restricts and reorders columns, sorts and filters', async () => {
      const res = await call(base, 'product-service/product-search?columns=SKU,productId&sort=productId.DESC&productGroupId=0&stockTracked=true&pageSize=3');
      const { results, metaData } = res.json.response;
      expect(metaData.columns.map((c: { name: string }) => c.name)).toEqual(['SKU', 'productId']);
      const ids = results.map((r: [string, number]) => r[1]);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
      expect(results[0][0]).toBe(`BP-${results[0][1]}`);
      expect(Object.keys(res.json.reference.productCategoryMembership).map(Number).sort()).toEqual([...ids].sort());
      const noIdColumn = await call(base, 'product-service/product-search?columns=SKU&pageSize=1');
      expect(noIdColumn.json.reference).toEqual({});
      const serviceItem = sim.state.catalog.quirks.notStockTracked[0] as number;
      const all = await call(base, `product-service/product-search?stockTracked=true&productId=${serviceItem}`);
      expect(all.json.response.results).toEqual([]);
    });

    it('filters by exact SKU, name text and updatedOn periods with either side open', async () => {
      const bySku = await call(base, 'product-service/product-search?SKU=BP-1004&columns=productId');
      expect(bySku.json.response.results).toEqual([[1004]]);
      const name = sim.state.products.get(1004)?.name ?? '';
      const byName = await call(base, `product-service/product-search?productName=${encodeURIComponent(name.toLowerCase())}&columns=productId`);
      expect(byName.json.response.results).toContainEqual([1004]);

      sim.setStock(1006, 2, { inStock: 77 });
      const since = new Date(Date.now() - 60_000).toISOString();
      const recent = await call(base, `product-service/product-search?updatedOn=${encodeURIComponent(since)}/&columns=productId`);
      expect(recent.json.response.results).toContainEqual([1006]);
      const before = await call(base, `product-service/product-search?updatedOn=/${encodeURIComponent(since)}&columns=productId`);
      expect(before.json.response.results).not.toContainEqual([1006]);
    });

    it('answers an unparsable filter with HTTP 500 CMNC-018', async () => {
      const res = await call(base, 'product-service/product-search?productGroupId=abc');
      expect(res.status).toBe(500);
      expect(res.json.errors[0]).toEqual({ code: 'CMNC-018', message: 'The filter productGroupId=abc cannot be parsed as: INTEGER' });
      // An unencoded `+` offset arrives as a space: unparsable, as for real.
      const plus = await call(base, 'product-service/product-search?updatedOn=2025-03-04T00:00:00+00:00/');
      expect(plus.status).toBe(500);
      expect(plus.json.errors[0].code).toBe('CMNC-018');
      const encoded = await call(base, 'product-service/product-search?updatedOn=2025-03-04T00:00:00%2B00:00/');
      expect(encoded.status).toBe(200);
    });

    it('caps pageSize at 500', async () => {
      const res = await call(base, 'product-service/product-search?pageSize=5000&columns=productId');
      expect(res.json.response.metaData.resultsReturned).toBe(Math.min(500, sim.state.products.size));
    });

    it('searches warehouses', async () => {
      const res = await call(base, 'warehouse-service/warehouse-search?typeCode=store');
      expect(res.json.response.results).toEqual([[5, 'London Store', 'store']]);
    });
  });

  describe('availability', () => {
    it('keys by product then warehouse, with onHand = inStock − allocated', async () => {
      sim.setStock(1001, 2, { inStock: 30, allocated: 5 });
      sim.setStock(1001, 5, { inStock: 10, allocated: 2 });
      sim.setStock(1001, 7, { inStock: 0, allocated: 0 });
      const res = await call(base, 'warehouse-service/product-availability/1001');
      expect(res.json.response).toEqual({
        '1001': {
          total: { inStock: 40, onHand: 33, allocated: 7, inTransit: 0 },
          warehouses: {
            '2': { inStock: 30, onHand: 25, allocated: 5, inTransit: 0 },
            '5': { inStock: 10, onHand: 8, allocated: 2, inTransit: 0 },
            '7': { inStock: 0, onHand: 0, allocated: 0, inTransit: 0 },
          },
        },
      });
    });

    it('omits products that are not stock-tracked and the noAvailability quirk', async () => {
      const { notStockTracked, noAvailability } = sim.state.catalog.quirks;
      const res = await call(base, 'warehouse-service/product-availability/1001-1020');
      const keys = Object.keys(res.json.response).map(Number);
      expect(keys).toContain(1001);
      for (const id of [...notStockTracked, ...noAvailability]) expect(keys).not.toContain(id);
    });

    it('fails the whole request with 400 if one id is not a valid number', async () => {
      const res = await call(base, 'warehouse-service/product-availability/1001,2147483648,1002');
      expect(res.status).toBe(400);
      expect(res.json.errors[0].message).toMatch(/2147483648/);
    });
  });

  describe('prices and warehouses', () => {
    it('serves warehouses, price lists and string prices', async () => {
      const warehouses = await call(base, 'warehouse-service/warehouse');
      expect(warehouses.json.response.map((w: { id: number }) => w.id)).toEqual([2, 5, 7]);
      const lists = await call(base, 'product-service/price-list');
      expect(lists.json.response[0]).toMatchObject({ id: 1, name: { text: 'Retail' }, currencyCode: 'GBP', priceListTypeCode: 'SELL' });
      expect(lists.json.response[1]).toMatchObject({ id: 2, name: { text: 'Trade' } });
      const prices = await call(base, 'product-service/product-price/1001/price-list/1');
      const catalogPrice = sim.state.catalog.products[0]?.price;
      expect(prices.json.response).toEqual([
        { productId: 1001, priceLists: [{ priceListId: 1, currencyCode: 'GBP', currencyId: 1, sku: 'BP-1001', quantityPrice: { '1': catalogPrice } }] },
      ]);
    });
  });

  describe('throttling and faults', () => {
    it('puts the throttle headers on every response and 503s over the cap for the rest of the window', async () => {
      const small = await createBrightpearlSimulator({ requestsPerMinute: 3, throttleWindowMs: 300 });
      const url = await small.listen();
      try {
        const seen: RawResponse[] = [];
        for (let i = 0; i < 5; i++) seen.push(await call(url, 'warehouse-service/warehouse'));
        expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 503, 503]);
        expect(seen.map((r) => r.headers['brightpearl-requests-remaining'])).toEqual(['2', '1', '0', '0', '0']);
        for (const r of seen) expect(Number(r.headers['brightpearl-next-throttle-period'])).toBeLessThanOrEqual(300);
        expect(seen[3]?.json.errors[0].message).toMatch(/too many requests/i);
        await new Promise((resolve) => setTimeout(resolve, Number(seen[4]?.headers['brightpearl-next-throttle-period']) + 10));
        expect((await call(url, 'warehouse-service/warehouse')).status).toBe(200);
      } finally {
        await small.close();
      }
    });

    it('injects faults in Brightpearl forms and counts calls per route', async () => {
      sim.controls.counters.reset();
      sim.controls.controls.throttleRate = 1;
      const throttled = await call(base, 'warehouse-service/warehouse');
      sim.controls.controls.throttleRate = 0;
      expect(throttled.status).toBe(503);
      expect(throttled.headers['brightpearl-requests-remaining']).toBe('0');
      expect(Number(throttled.headers['brightpearl-next-throttle-period'])).toBeGreaterThan(0);

      sim.controls.controls.errorRate = 1;
      const first = await call(base, 'warehouse-service/warehouse');
      const second = await call(base, 'warehouse-service/warehouse');
      sim.controls.controls.errorRate = 0;
      expect([first.status, second.status]).toEqual([500, 502]);
      expect(first.json.errors[0].code).toBeDefined();

      const counters = await request(`${base}/__sim/counters`).then((r) => r.body.json() as Promise<{ calls: Record<string, number> }>);
      expect(counters.calls[apiCounterKey('GET', 'warehouse-service/warehouse')]).toBe(3);
    });
  });

  describe('data changes', () => {
    it('setStock bumps updatedOn and version and announces on-hand-modified', async () => {
      const changes: DataChange[] = [];
      const off = onChange(sim.state, (c) => changes.push(c));
      const before = (await call(base, 'product-service/product/1002')).json.response[0];
      sim.setStock(1002, 2, { inStock: 12 });
      sim.setStock(1002, 2, { allocated: 1 });
      off();
      const after = (await call(base, 'product-service/product/1002')).json.response[0];
      expect(after.version).toBeGreaterThan(before.version);
      expect(Date.parse(after.updatedOn)).toBeGreaterThan(Date.parse(before.updatedOn));
      expect(changes.map((c) => c.fullEvent)).toEqual(['product.modified.on-hand-modified', 'product.modified.on-hand-modified']);
      expect(changes[0]?.ids).toEqual([1002]);
      expect(sim.state.stock.get(1002)?.get(2)).toEqual({ inStock: 12, allocated: 1 });
    });

    it('demo activity changes stock on an interval until stopped', async () => {
      const changes: DataChange[] = [];
      const off = onChange(sim.state, (c) => changes.push(c));
      sim.startActivity(20);
      await new Promise((resolve) => setTimeout(resolve, 110));
      sim.stopActivity();
      const count = changes.length;
      await new Promise((resolve) => setTimeout(resolve, 60));
      off();
      expect(count).toBeGreaterThanOrEqual(3);
      expect(changes.length).toBe(count);
    });
  });
});
