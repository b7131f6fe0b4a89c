/**
 * The inventory flow end to end: real simulators over HTTP, real clients, a real SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrightpearlClient } from '../../src/brightpearl/client';
import { clearSharedBudgets } from '../../src/brightpearl/budget';
import { Engine } from '../../src/engine/engine';
import { InventoryFlow } from '../../src/flows/inventory';
import { buildCatalog, type Catalog, type CatalogProduct } from '../../src/simulators/catalog';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { Store } from '../../src/store';
import { WooCommerceClient } from '../../src/woocommerce/client';

const KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const SECRET = 'cs_0123456789abcdef0123456789abcdef01234567';

describe('inventory flow against the simulators', () => {
  let dir: string;
  let catalog: Catalog;
  let bp: BrightpearlSimulator;
  let bpUrl: string;
  let wc: WooCommerceSimulator;
  let bpClient: BrightpearlClient;
  let wcClient: WooCommerceClient;
  let store: Store;
  let warehouses: number[];
  const retries = { brightpearl: 0, woocommerce: 0 };
  let engine: Engine;

  const onHandTotal = (p: CatalogProduct, only?: number[]) =>
    [...(bp.state.stock.get(p.bpId)?.entries() ?? [])]
      .filter(([w]) => !only || only.includes(w))
      .reduce((sum, [, s]) => sum + (s.inStock - s.allocated), 0);

  const wooCalls = async (): Promise<Record<string, number>> => {
    const res = await fetch(`${wc.url}/__sim/counters`);
    return ((await res.json()) as { calls: Record<string, number> }).calls;
  };
  const writesIn = (calls: Record<string, number>) =>
    Object.entries(calls)
      .filter(([k]) => !k.startsWith('GET '))
      .reduce((n, [, v]) => n + v, 0);

  const run = async (scope?: string[]) => {
    const { done } = engine.start('inventory', { trigger: 'test', scope });
    return done;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpwc-inventory-'));
    catalog = buildCatalog({ seed: 7, simpleCount: 60, variableCount: 6 });
    bp = await createBrightpearlSimulator({ catalog });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET });
    bpUrl = await bp.listen();
    const wcUrl = await wc.listen();
    bpClient = new BrightpearlClient({
      baseUrl: bpUrl,
      accountCode: 'demo',
      auth: { kind: 'system', appRef: 'demo_bpwc', accountToken: 'demo-account-token' },
      retry: { retries: 6, baseDelayMs: 5, maxDelayMs: 50 },
      onRetry: () => retries.brightpearl++,
    });
    wcClient = new WooCommerceClient({ url: wcUrl, consumerKey: KEY, consumerSecret: SECRET, retry: { retries: 6, baseDelayMs: 5, maxDelayMs: 50 }, onRetry: () => retries.woocommerce++ });
    store = Store.open(join(dir, 'bpwc.sqlite'));
    store.flows.ensure({});
    warehouses = [];
    const flow = new InventoryFlow({ brightpearl: bpClient, woocommerce: wcClient, warehouseIds: () => warehouses, chunkSize: 40 });
    engine = new Engine({ store, flows: { inventory: flow } });
  });

  afterAll(async () => {
    await engine.stop();
    store.close();
    await Promise.all([bp.close(), wc.close()]);
    clearSharedBudgets();
    rmSync(dir, { recursive: true, force: true });
  });

  test('first run: stock lands on simple products and variations, bad records fail with reasons', async () => {
    const untouched = catalog.quirks.noAvailability.map((id) => {
      const sku = (catalog.products.find((x) => x.bpId === id) as CatalogProduct).sku;
      return { id, sku, before: wc.productBySku(sku) as { stock_quantity: number | null; manage_stock: unknown; date_modified_gmt: string } };
    });
    // Make the "never zero" check meaningful: these products hold stock in WooCommerce.
    for (const u of untouched) {
      const rec = wc.recordBySku(u.sku);
      if (!rec) throw new Error(`${u.sku} missing in the WooCommerce simulator`);
      rec.manageStock = true;
      rec.stockQuantity = 25;
    }
    const run1 = await run();
    expect(run1.status).toBe('partial');

    const tracked = catalog.products.filter((p) => p.stockTracked);
    const bad = new Set([...catalog.quirks.noAvailability, ...catalog.products.filter((p) => catalog.quirks.missingInWooCommerce.includes(p.sku)).map((p) => p.bpId)]);
    for (const p of tracked.filter((x) => !bad.has(x.bpId))) {
      const woo = wc.productBySku(p.sku) as { stock_quantity: number; manage_stock: unknown };
      expect(woo.manage_stock).toBe(true);
      expect(woo.stock_quantity).toBe(onHandTotal(p));
      const item = store.items.getByEntity('inventory', String(p.bpId));
      expect(item).toMatchObject({ status: 'synced', info: p.name, bpId: String(p.bpId) });
    }
    // Variations are written through their own endpoint.
    const variant = tracked.find((p) => p.groupId !== 0 && !bad.has(p.bpId)) as CatalogProduct;
    expect((wc.productBySku(variant.sku) as { parent_id: number }).parent_id).toBeGreaterThan(0);

    for (const sku of catalog.quirks.missingInWooCommerce) {
      const p = catalog.products.find((x) => x.sku === sku) as CatalogProduct;
      const item = store.items.getByEntity('inventory', String(p.bpId));
      expect(item?.status).toBe('failed');
      expect(item?.error).toContain(`No WooCommerce product or variation has SKU ${sku}`);
    }
    for (const u of untouched) {
      const item = store.items.getByEntity('inventory', String(u.id));
      expect(item?.status).toBe('failed');
      expect(item?.error).toContain('returned no stock figures');
      // Never zeroed: WooCommerce keeps what it had.
      expect((wc.productBySku(u.sku) as { stock_quantity: number | null }).stock_quantity).toBe(25);
    }
    // A service item without stock is not an inventory entity at all.
    for (const id of catalog.quirks.notStockTracked) expect(store.items.getByEntity('inventory', String(id))).toBeUndefined();

    expect(run1.counts.failed).toBe(bad.size);
    expect(run1.counts.seen).toBe(tracked.length);
    const history = store.items.attempts((store.items.getByEntity('inventory', String(variant.bpId)) as { id: number }).id);
    expect(history[0]).toMatchObject({ outcome: 'synced' });
    expect(history[0]?.message).toMatch(/^Stock set to \d+/);
    expect(store.mappings.byBrightpearl('product', String(variant.bpId))?.wcParentId).not.toBeNull();
  });

  test('a second run with nothing changed writes nothing to WooCommerce and adds no history', async () => {
    await fetch(`${wc.url}/__sim/counters`, { method: 'DELETE' });
    const attemptsBefore = store.db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get();
    const run2 = await run();
    expect(writesIn(await wooCalls())).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get()).toBe(attemptsBefore);
    expect(run2.counts.synced).toBe(0);
    expect(run2.counts.unchanged).toBe(run2.counts.seen - run2.counts.failed);
  });

  test('a stock change in Brightpearl is written alone, and Updated At moves', async () => {
    const simple = catalog.products.find((p) => p.groupId === 0 && p.stockTracked && !catalog.quirks.noAvailability.includes(p.bpId) && !catalog.quirks.missingInWooCommerce.includes(p.sku)) as CatalogProduct;
    const variant = catalog.products.find((p) => p.groupId !== 0) as CatalogProduct;
    const itemBefore = store.items.getByEntity('inventory', String(simple.bpId));
    bp.setStock(simple.bpId, 2, { inStock: 500, allocated: 20 });
    bp.setStock(variant.bpId, 5, { inStock: 77, allocated: 0 });
    await fetch(`${wc.url}/__sim/counters`, { method: 'DELETE' });
    await new Promise((r) => setTimeout(r, 5));
    const run3 = await run();
    expect(run3.counts.synced).toBe(2);
    const calls = await wooCalls();
    expect(writesIn(calls)).toBe(2); // one products batch, one variations batch
    expect((wc.productBySku(simple.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(simple));
    expect((wc.productBySku(variant.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(variant));
    const itemAfter = store.items.getByEntity('inventory', String(simple.bpId));
    expect(itemAfter?.syncedAt).toBe(itemBefore?.syncedAt);
    expect(itemAfter && itemBefore && itemAfter.updatedAt > itemBefore.updatedAt).toBe(true);
  });

  test('changes spread over several chunks are held and written in one batch per endpoint', async () => {
    const ok = (p: CatalogProduct) => p.groupId === 0 && p.stockTracked && !catalog.quirks.noAvailability.includes(p.bpId) && !catalog.quirks.missingInWooCommerce.includes(p.sku);
    const simple = catalog.products.filter(ok);
    // chunkSize is 40: the first, a middle and the last simple product are read in different chunks.
    const spread = [simple[1], simple[45], simple[simple.length - 1]] as CatalogProduct[];
    for (const p of spread) bp.setStock(p.bpId, 7, { inStock: 33, allocated: 2 });
    await fetch(`${wc.url}/__sim/counters`, { method: 'DELETE' });
    const r = await run();
    expect(r.counts.synced).toBe(3);
    expect(writesIn(await wooCalls())).toBe(1);
    for (const p of spread) expect((wc.productBySku(p.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(p));
  });

  test('only the configured warehouses count, using onHand (in stock minus allocated), never inStock', async () => {
    warehouses = [2];
    const p = catalog.products.find((x) => x.groupId === 0 && x.stockTracked && !catalog.quirks.noAvailability.includes(x.bpId) && !catalog.quirks.missingInWooCommerce.includes(x.sku)) as CatalogProduct;
    bp.setStock(p.bpId, 2, { inStock: 30, allocated: 12 });
    bp.setStock(p.bpId, 5, { inStock: 40, allocated: 0 });
    await run();
    expect((wc.productBySku(p.sku) as { stock_quantity: number }).stock_quantity).toBe(18);
    warehouses = [];
    await run();
    expect((wc.productBySku(p.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(p));
  });

  test('a scoped run (retry of chosen rows) touches only those products', async () => {
    const [a, b] = catalog.products.filter((x) => x.groupId === 0 && x.stockTracked && !catalog.quirks.noAvailability.includes(x.bpId) && !catalog.quirks.missingInWooCommerce.includes(x.sku)).slice(5, 7) as [CatalogProduct, CatalogProduct];
    bp.setStock(a.bpId, 7, { inStock: 11, allocated: 1 });
    bp.setStock(b.bpId, 7, { inStock: 12, allocated: 1 });
    const scoped = await run([String(a.bpId)]);
    expect(scoped.counts.seen).toBe(1);
    expect((wc.productBySku(a.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(a));
    expect((wc.productBySku(b.sku) as { stock_quantity: number }).stock_quantity).not.toBe(onHandTotal(b));
    await run();
    expect((wc.productBySku(b.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(b));
  });

  test('WooCommerce ignoring stock (store-wide stock management off) is a Failed row that says what to switch on', async () => {
    const p = catalog.products.find((x) => x.groupId === 0 && x.stockTracked && !catalog.quirks.noAvailability.includes(x.bpId) && !catalog.quirks.missingInWooCommerce.includes(x.sku)) as CatalogProduct;
    wc.state.options.woocommerce_manage_stock = 'no';
    try {
      bp.setStock(p.bpId, 2, { inStock: 9, allocated: 0 });
      const r = await run([String(p.bpId)]);
      expect(r.counts.failed).toBe(1);
      expect(store.items.getByEntity('inventory', String(p.bpId))?.error).toContain('Enable stock management');
    } finally {
      wc.state.options.woocommerce_manage_stock = 'yes';
    }
    await run([String(p.bpId)]);
    expect(store.items.getByEntity('inventory', String(p.bpId))?.status).toBe('synced');
  });

  test('with a third of calls faulted on both sides (5xx, HTML bodies, throttling) everything still ends Synced, after retries', async () => {
    for (const p of catalog.products.filter((x) => x.stockTracked).slice(0, 30)) bp.setStock(p.bpId, 2, { inStock: 60, allocated: 3 });
    const faults = { errorRate: 0.2, malformedRate: 0.1, throttleRate: 0.05 };
    await fetch(`${bpUrl}/__sim/controls`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 0.2, malformedRate: 0.15 }) });
    const set = await fetch(`${wc.url}/__sim/controls`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    expect(set.status).toBe(200);
    await fetch(`${wc.url}/__sim/counters`, { method: 'DELETE' });
    try {
      const r = await run();
      expect(r.status).toBe('partial'); // only the deliberately bad records
      const bad = catalog.quirks.noAvailability.length + catalog.quirks.missingInWooCommerce.length;
      expect(r.counts.failed).toBe(bad);
      expect(retries.brightpearl).toBeGreaterThan(0);
      expect(retries.woocommerce).toBeGreaterThan(0);
    } finally {
      const off = JSON.stringify({ errorRate: 0, malformedRate: 0, throttleRate: 0 });
      await fetch(`${bpUrl}/__sim/controls`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: off });
      await fetch(`${wc.url}/__sim/controls`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: off });
    }
    for (const p of catalog.products.filter((x) => x.stockTracked).slice(0, 30)) {
      if (catalog.quirks.noAvailability.includes(p.bpId) || catalog.quirks.missingInWooCommerce.includes(p.sku)) continue;
      expect((wc.productBySku(p.sku) as { stock_quantity: number }).stock_quantity).toBe(onHandTotal(p));
    }
  });
});
