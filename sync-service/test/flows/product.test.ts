/**
 * The product flow end to end: both simulators over real HTTP, the real clients, a real SQLite
 * file and the Engine running the flow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrightpearlClient, type SearchParams } from '../../src/brightpearl/client';
import { clearSharedBudgets } from '../../src/brightpearl/budget';
import { Engine } from '../../src/engine/engine';
import { ProductFlow, groupKey, normalizePrice, parentNameFor, parentSku, type ProductSource, type ProductTarget } from '../../src/flows/product';
import { buildCatalog, type Catalog, type CatalogGroup, type CatalogProduct } from '../../src/simulators/catalog';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../../src/simulators/brightpearl/app';
import { setPrice, updateProduct, RETAIL_PRICE_LIST_ID, TRADE_PRICE_LIST_ID, type SimProduct } from '../../src/simulators/brightpearl/data';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../../src/simulators/woocommerce/app';
import { newProductRecord, type PostRecord, type ProductRecord } from '../../src/simulators/woocommerce/data';
import { Store } from '../../src/store';
import { WooCommerceClient } from '../../src/woocommerce/client';

const KEY = 'ck_0123456789abcdef0123456789abcdef01234567';
const SECRET = 'cs_0123456789abcdef0123456789abcdef01234567';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('product flow against the simulators', () => {
  let dir: string;
  let catalog: Catalog;
  let bp: BrightpearlSimulator;
  let wc: WooCommerceSimulator;
  let store: Store;
  let engine: Engine;
  let priceListId: number | null = null;
  /** Every product-search the flow sent, with its parameters. */
  const searches: SearchParams[] = [];
  /** Runs right after a findBySkus answer (to let "someone else" create a product in between). */
  let afterLookup: ((skus: readonly string[]) => void) | undefined;
  /** Runs right after each Brightpearl GET of the flow. */
  let afterBrightpearlGet: ((path: string) => void) | undefined;

  // Catalogue roles (see beforeAll).
  let newGroup: CatalogGroup;
  let drifted: CatalogProduct;
  let skuLess: CatalogProduct;
  let discontinued: CatalogProduct;
  let corrupt: CatalogProduct;
  let wooBefore: { products: number; variations: number };

  const run = async (opts: { scope?: string[]; since?: string } = {}) => engine.start('product', { trigger: 'test', ...opts }).done;
  const item = (p: CatalogProduct | number) => store.items.getByEntity('product', String(typeof p === 'number' ? p : p.bpId));
  const posts = () => [...wc.state.posts.values()].filter((p) => p.status !== 'trash');
  const wooCount = () => ({ products: posts().filter((p) => p.kind === 'product').length, variations: posts().filter((p) => p.kind === 'variation').length });
  const bySku = (sku: string): PostRecord[] => posts().filter((p) => p.sku.toLowerCase() === sku.toLowerCase());
  const one = (sku: string): PostRecord => {
    const found = bySku(sku);
    expect(found).toHaveLength(1);
    return found[0] as PostRecord;
  };
  const wooCalls = async (): Promise<Record<string, number>> => ((await (await fetch(`${wc.url}/__sim/counters`)).json()) as { calls: Record<string, number> }).calls;
  const resetWooCalls = () => fetch(`${wc.url}/__sim/counters`, { method: 'DELETE' });
  const writesIn = (calls: Record<string, number>) =>
    Object.entries(calls)
      .filter(([k]) => !k.startsWith('GET '))
      .reduce((n, [, v]) => n + v, 0);
  const simple = (n: number) => catalog.products.filter((p) => p.groupId === 0)[n] as CatalogProduct;
  const bpProduct = (id: number) => bp.state.products.get(id) as SimProduct;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpwc-product-'));
    catalog = buildCatalog({ seed: 11, simpleCount: 40, variableCount: 4 });
    bp = await createBrightpearlSimulator({ catalog });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET });
    const bpUrl = await bp.listen();
    const wcUrl = await wc.listen();
    const retry = { retries: 4, baseDelayMs: 5, maxDelayMs: 50 };
    const bpClient = new BrightpearlClient({ baseUrl: bpUrl, accountCode: 'demo', auth: { kind: 'system', appRef: 'demo_bpwc', accountToken: 'demo-account-token' }, retry });
    const wcClient = new WooCommerceClient({ url: wcUrl, consumerKey: KEY, consumerSecret: SECRET, retry });
    const source: ProductSource = {
      search: (path, params) => {
        searches.push({ ...params });
        return bpClient.search(path, params);
      },
      get: (async (path: string) => {
        const body = await bpClient.get(path);
        afterBrightpearlGet?.(path);
        return body;
      }) as ProductSource['get'],
      getPriceLists: () => bpClient.getPriceLists(),
    };
    const target: ProductTarget = {
      findBySkus: async (skus) => {
        const found = await wcClient.findBySkus(skus);
        afterLookup?.(skus);
        return found;
      },
      listProducts: (params) => wcClient.listProducts(params),
      listVariations: (parentId, params) => wcClient.listVariations(parentId, params),
      createProduct: (body) => wcClient.createProduct(body),
      batchProducts: (ops) => wcClient.batchProducts(ops),
      batchVariations: (parentId, ops) => wcClient.batchVariations(parentId, ops),
    };
    store = Store.open(join(dir, 'bpwc.sqlite'));
    store.flows.ensure({});
    const flow = new ProductFlow({ brightpearl: source, woocommerce: target, mappings: () => ({ priceListId }), chunkSize: 25 });
    engine = new Engine({ store, flows: { product: flow } });

    // A group the store does not have yet: its variable product and variations must be created.
    newGroup = catalog.groups[catalog.groups.length - 1] as CatalogGroup;
    const parent = one(newGroup.sku) as ProductRecord;
    for (const id of parent.variationIds) wc.state.posts.delete(id);
    wc.state.posts.delete(parent.id);
    // WooCommerce has a stale price for one product.
    drifted = simple(1);
    one(drifted.sku).regularPrice = '1.00';
    // Bad records on the Brightpearl side.
    skuLess = simple(10);
    updateProduct(bp.state, skuLess.bpId, { sku: '' });
    discontinued = simple(11);
    updateProduct(bp.state, discontinued.bpId, { status: 'DISCONTINUED' });
    corrupt = simple(12);
    bpProduct(corrupt.bpId).name = 42 as unknown as string; // salesChannels[0].productName is no longer a string
    wooBefore = wooCount();
  });

  afterAll(async () => {
    await engine.stop();
    store.close();
    await Promise.all([bp.close(), wc.close()]);
    clearSharedBudgets();
    rmSync(dir, { recursive: true, force: true });
  });

  test('naming and price rules', () => {
    expect(parentNameFor('Trail Tee - Blue', ['Blue'])).toBe('Trail Tee');
    expect(parentNameFor('Trail Tee (XL)', ['XL'])).toBe('Trail Tee');
    expect(parentNameFor('Trail Tee Blue / M', ['Blue', 'M'])).toBe('Trail Tee');
    expect(parentNameFor('Trail Tee XL', ['L'])).toBe('Trail Tee XL');
    expect(parentNameFor('Blue', ['Blue'])).toBe('Blue');
    expect(normalizePrice('12.0000')).toBe('12.00');
    expect(normalizePrice('012.5')).toBe('12.50');
    expect(normalizePrice('9.999')).toBe('9.999');
    expect(normalizePrice('-1')).toBeUndefined();
  });

  test('first run: creates what WooCommerce lacks, matches the rest without duplicates, fails only the bad records', async () => {
    const r = await run();
    expect(r.status).toBe('partial');
    expect(r.counts.failed).toBe(2);
    expect(r.counts.seen).toBe(catalog.products.length);
    // Written: the created ones, the stale price, the discontinued product, and the variations whose
    // Brightpearl description differs from their group's (the store had none on them). Nothing else.
    const ownDescription = catalog.groups
      .filter((g) => g.groupId !== newGroup.groupId)
      .flatMap((g) => {
        const members = g.memberIds.map((id) => catalog.products.find((p) => p.bpId === id) as CatalogProduct);
        return members.filter((m) => m.description !== members[0]?.description);
      });
    expect(r.counts.synced).toBe(catalog.quirks.missingInWooCommerce.length + newGroup.memberIds.length + 2 + ownDescription.length);
    for (const m of ownDescription) {
      const v = one(m.sku);
      expect(v.description).toBe(m.description);
      expect(store.items.attempts(item(m)?.id as number)[0]?.message).toBe(`Matched by SKU to WooCommerce variation ${v.id} of ${v.parentId}; updated description`);
    }

    // Two simple products and one variable product (with its variations) are new; nothing else.
    const groupSize = newGroup.memberIds.length;
    expect(wooCount()).toEqual({ products: wooBefore.products + catalog.quirks.missingInWooCommerce.length + 1, variations: wooBefore.variations + groupSize });
    for (const p of catalog.products) if (p.bpId !== skuLess.bpId) one(p.sku);

    for (const sku of catalog.quirks.missingInWooCommerce) {
      const p = catalog.products.find((x) => x.sku === sku) as CatalogProduct;
      const w = one(sku) as ProductRecord;
      expect(w).toMatchObject({ kind: 'product', type: 'simple', name: p.name, regularPrice: p.price, description: p.description, status: 'publish' });
      expect(item(p)).toMatchObject({ status: 'synced', info: String(p.bpId), bpId: String(p.bpId), wcId: String(w.id) });
      expect(store.items.attempts(item(p)?.id as number)[0]?.message).toBe(`Created WooCommerce product ${w.id} (simple)`);
      expect(store.mappings.byBrightpearl('product', String(p.bpId))).toMatchObject({ wcId: String(w.id), wcParentId: null });
    }

    // The new group became one variable product whose variations are the members.
    const groupMapping = store.mappings.byBrightpearl('product', groupKey(newGroup.groupId));
    const parent = wc.state.product(Number(groupMapping?.wcId)) as ProductRecord;
    const members = newGroup.memberIds.map((id) => catalog.products.find((p) => p.bpId === id) as CatalogProduct);
    expect(parent).toMatchObject({ type: 'variable', name: newGroup.name, sku: parentSku(newGroup.groupId), status: 'publish', description: members[0]?.description });
    expect(parent.attributes).toEqual([expect.objectContaining({ name: newGroup.optionName, variation: true, options: members.map((m) => m.option?.optionValue) })]);
    expect(parent.variationIds).toHaveLength(groupSize);
    for (const m of members) {
      const v = one(m.sku);
      expect(v).toMatchObject({ kind: 'variation', parentId: parent.id, regularPrice: m.price, status: 'publish', attributes: [expect.objectContaining({ name: newGroup.optionName, option: m.option?.optionValue })] });
      expect(store.mappings.byBrightpearl('product', String(m.bpId))).toMatchObject({ wcId: String(v.id), wcParentId: String(parent.id) });
      const message = store.items.attempts(item(m)?.id as number)[0]?.message;
      expect(message).toBe(`Created WooCommerce variation ${v.id} of ${parent.id} (${newGroup.optionName}: ${m.option?.optionValue}); created the variable product ${parent.id}`);
    }

    // Existing groups were matched through their variations, not duplicated.
    for (const g of catalog.groups.filter((x) => x.groupId !== newGroup.groupId)) {
      const existing = one(g.sku);
      expect(store.mappings.byBrightpearl('product', groupKey(g.groupId))?.wcId).toBe(String(existing.id));
    }

    // Only what differed was written, and the message says what.
    expect(one(drifted.sku).regularPrice).toBe(drifted.price);
    const driftedId = one(drifted.sku).id;
    expect(store.items.attempts(item(drifted)?.id as number)[0]?.message).toBe(`Matched by SKU to WooCommerce product ${driftedId}; updated regular price`);

    // Not LIVE in Brightpearl → draft, never deleted.
    expect(one(discontinued.sku)).toMatchObject({ status: 'draft', name: discontinued.name });
    expect(item(discontinued)?.status).toBe('synced');
    expect(store.items.attempts(item(discontinued)?.id as number)[0]?.message).toContain('status (draft, Brightpearl status DISCONTINUED)');

    // Bad records fail alone, with something a store owner can act on.
    expect(item(skuLess)).toMatchObject({ status: 'failed', error: `Brightpearl product ${skuLess.bpId} has no SKU; add one in Brightpearl so it can be matched to WooCommerce.` });
    expect(item(corrupt)?.status).toBe('failed');
    expect(item(corrupt)?.error).toContain('salesChannels.0.productName');
    expect(one(corrupt.sku)).toMatchObject({ name: corrupt.name }); // left alone

    expect(store.flows.getCursor('product')).toBe(store.runs.get(r.id)?.startedAt);
  });

  test('a second run reads only what changed and writes nothing', async () => {
    await resetWooCalls();
    searches.length = 0;
    const attemptsBefore = store.db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get();
    const cursor = store.flows.getCursor('product') as string;
    const r = await run();
    expect(r.status).toBe('partial'); // the two bad records are retried and fail the same way
    expect(writesIn(await wooCalls())).toBe(0);
    expect(r.counts.synced).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get()).toBe(attemptsBefore);
    expect(searches[0]?.updatedOn).toBe(`${new Date(Date.parse(cursor) - 5 * 60_000).toISOString()}/`);
  });

  test('a name change and a price change in Brightpearl are picked up incrementally, alone', async () => {
    const renamed = simple(20);
    const variant = catalog.products.find((p) => p.groupId === (catalog.groups[0] as CatalogGroup).groupId) as CatalogProduct;
    const before = { renamed: item(renamed), variant: item(variant) };
    await pause(5);
    updateProduct(bp.state, renamed.bpId, { name: 'Harbour Lamp Deluxe' });
    setPrice(bp.state, variant.bpId, RETAIL_PRICE_LIST_ID, { '1': '77.5000' });
    await resetWooCalls();
    searches.length = 0;
    const r = await run();
    expect(r.counts.synced).toBe(2);
    expect(searches[0]?.updatedOn).toMatch(/\/$/);
    const calls = await wooCalls();
    expect(writesIn(calls)).toBe(2); // one products batch, one variations batch
    expect(calls['POST /wp-json/wc/v3/products/batch']).toBe(1);

    const lamp = one(renamed.sku);
    expect(lamp.name).toBe('Harbour Lamp Deluxe');
    expect(store.items.attempts(item(renamed)?.id as number)[0]?.message).toBe(`Updated name on WooCommerce product ${lamp.id}`);
    const v = one(variant.sku);
    expect(v.regularPrice).toBe('77.50');
    expect(store.items.attempts(item(variant)?.id as number)[0]?.message).toBe(`Updated regular price on WooCommerce variation ${v.id} of ${v.parentId}`);

    for (const [p, b] of [
      [renamed, before.renamed],
      [variant, before.variant],
    ] as const) {
      const after = item(p);
      expect(after?.syncedAt).toBe(b?.syncedAt);
      expect(after && b && after.updatedAt > b.updatedAt).toBe(true);
    }
  });

  test('a SKU WooCommerce already has (created after our lookup) is linked and updated, not duplicated or failed', async () => {
    const id = Math.max(...bp.state.products.keys()) + 1;
    const now = Date.now();
    bp.state.products.set(id, { ...bpProduct(simple(2).bpId), id, sku: 'BP-NEW-LAMP', name: 'Studio Lamp Large', description: '<p>Oak.</p>', createdOn: now, updatedOn: now, version: now });
    bp.state.prices.set(id, new Map([[RETAIL_PRICE_LIST_ID, { '1': '45.00' }]]));
    let racerId = 0;
    afterLookup = (skus) => {
      if (!skus.includes('BP-NEW-LAMP') || racerId) return;
      racerId = wc.state.nextPostId();
      const racer = newProductRecord(wc.state, racerId, { sku: 'BP-NEW-LAMP', name: 'Lamp (imported by hand)', regularPrice: '1.00', description: '<p>Oak.</p>' });
      wc.state.posts.set(racerId, racer);
    };
    try {
      const r = await run();
      expect(r.counts.failed).toBe(2); // only the two bad records from before
    } finally {
      afterLookup = undefined;
    }
    expect(racerId).toBeGreaterThan(0);
    expect(one('BP-NEW-LAMP')).toMatchObject({ id: racerId, name: 'Studio Lamp Large', regularPrice: '45.00' });
    expect(item(id)).toMatchObject({ status: 'synced', wcId: String(racerId) });
    expect(store.items.attempts(item(id)?.id as number)[0]?.message).toBe(
      `Linked to existing WooCommerce product ${racerId} that already had SKU BP-NEW-LAMP; updated name, regular price`,
    );
    expect(store.mappings.byBrightpearl('product', String(id))?.wcId).toBe(String(racerId));
  });

  test('a record fixed in Brightpearl heals on the next run (Failed rows are retried)', async () => {
    bpProduct(corrupt.bpId).name = corrupt.name; // restored without bumping updatedOn
    const r = await run();
    expect(r.counts.failed).toBe(1);
    expect(item(corrupt)?.status).toBe('synced');
  });

  test('scope (a retry of one id) and since (resync) reach what the watermark does not', async () => {
    const [a, b] = [simple(25), simple(26)];
    (one(a.sku) as ProductRecord).name = 'Edited in WooCommerce';
    (one(b.sku) as ProductRecord).name = 'Edited in WooCommerce too';

    const scoped = await run({ scope: [String(a.bpId)] });
    expect(scoped.counts.seen).toBe(1);
    expect(one(a.sku).name).toBe(a.name);
    expect(one(b.sku).name).toBe('Edited in WooCommerce too');
    const cursor = store.flows.getCursor('product');
    expect(cursor).not.toBe(store.runs.get(scoped.id)?.startedAt); // a scoped run leaves the watermark alone

    // A variant retried alone: its group is read for context, but only it is written and logged.
    const variant = catalog.products.find((p) => p.groupId === (catalog.groups[2] as CatalogGroup).groupId) as CatalogProduct;
    one(variant.sku).regularPrice = '3.00';
    await resetWooCalls();
    const scopedVariant = await run({ scope: [String(variant.bpId)] });
    expect(scopedVariant.counts).toMatchObject({ seen: 1, synced: 1 });
    expect(one(variant.sku).regularPrice).toBe(variant.price);
    expect(writesIn(await wooCalls())).toBe(1);

    await run(); // incremental: Brightpearl did not change b, so it is not read
    expect(one(b.sku).name).toBe('Edited in WooCommerce too');

    searches.length = 0;
    const resync = await run({ since: '2020-01-01T00:00:00Z' });
    expect(searches[0]?.updatedOn).toBe('2020-01-01T00:00:00.000Z/');
    expect(resync.counts.seen).toBeGreaterThanOrEqual(catalog.products.length);
    expect(one(b.sku).name).toBe(b.name);
  });

  test('a variation Brightpearl stops selling is disabled (private); its parent stays published', async () => {
    const group = catalog.groups[1] as CatalogGroup;
    const member = group.memberIds[0] as number;
    const sku = (catalog.products.find((p) => p.bpId === member) as CatalogProduct).sku;
    updateProduct(bp.state, member, { status: 'DISCONTINUED' });
    const r = await run();
    expect(r.counts.synced).toBe(1);
    const v = one(sku);
    expect(v.status).toBe('private');
    expect(wc.state.product(v.parentId)?.status).toBe('publish');
  });

  test('a new member of an existing group becomes a variation of the existing variable product, whose options grow', async () => {
    const group = catalog.groups[0] as CatalogGroup;
    const first = bpProduct(group.memberIds[0] as number);
    const id = Math.max(...bp.state.products.keys()) + 1;
    const now = Date.now();
    const value = `${(first.variation?.optionValue ?? 'X')}-PLUS`;
    bp.state.products.set(id, {
      ...first,
      id,
      sku: `BP-${group.groupId}-PLUS`,
      name: `${group.name} - ${value}`,
      variation: { ...(first.variation as NonNullable<SimProduct['variation']>), optionValueId: 999, optionValue: value },
      createdOn: now,
      updatedOn: now,
      version: now,
    });
    bp.state.prices.set(id, new Map([[RETAIL_PRICE_LIST_ID, { '1': '19.99' }]]));
    const parentsBefore = wooCount().products;
    const r = await run();
    expect(r.counts.synced).toBe(1);
    const parent = one(group.sku) as ProductRecord;
    const v = one(`BP-${group.groupId}-PLUS`);
    expect(v).toMatchObject({ kind: 'variation', parentId: parent.id, regularPrice: '19.99' });
    expect(wooCount().products).toBe(parentsBefore);
    expect(parent.attributes[0]?.options).toContain(value);
    expect(store.items.attempts(item(id)?.id as number)[0]?.message).toBe(
      `Created WooCommerce variation ${v.id} of ${parent.id} (${group.optionName}: ${value}); updated options on the variable product ${parent.id}`,
    );
  });

  test("renaming a group's first member renames the variable product (variation names are WooCommerce's own)", async () => {
    const first = bpProduct(newGroup.memberIds[0] as number);
    const value = first.variation?.optionValue as string;
    updateProduct(bp.state, first.id, { name: `Coastal Flask - ${value}` });
    const r = await run();
    expect(r.counts.synced).toBe(1);
    const v = one(first.sku);
    expect(wc.state.product(v.parentId)?.name).toBe('Coastal Flask');
    expect(store.items.attempts(item(first.id)?.id as number)[0]?.message).toBe(
      `WooCommerce variation ${v.id} of ${v.parentId} was up to date; updated name on the variable product ${v.parentId}`,
    );
  });

  test('the configured price list is used; one that does not exist fails the run and keeps the watermark', async () => {
    const p = simple(30);
    const trade = (bp.state.prices.get(p.bpId)?.get(TRADE_PRICE_LIST_ID) ?? {})['1'] as string;
    priceListId = TRADE_PRICE_LIST_ID;
    try {
      await run({ scope: [String(p.bpId)] });
      expect(one(p.sku).regularPrice).toBe(trade);
      priceListId = 99;
      const cursor = store.flows.getCursor('product');
      updateProduct(bp.state, p.bpId, { name: `${p.name} II` });
      const r = await run();
      expect(r.status).toBe('failed');
      expect(r.error).toContain('Price list 99');
      expect(store.flows.getCursor('product')).toBe(cursor);
    } finally {
      priceListId = null;
    }
    await run();
    expect(one(p.sku)).toMatchObject({ name: `${p.name} II`, regularPrice: p.price });
  });

  test('a product without a price in the price list is written without one, and the message says so', async () => {
    const p = simple(32);
    const wooPrice = one(p.sku).regularPrice;
    setPrice(bp.state, p.bpId, RETAIL_PRICE_LIST_ID, {});
    updateProduct(bp.state, p.bpId, { name: 'Meadow Tray (no price yet)' });
    const id = Math.max(...bp.state.products.keys()) + 1;
    const now = Date.now();
    bp.state.products.set(id, { ...bpProduct(simple(3).bpId), id, sku: 'BP-NO-PRICE', name: 'Unpriced Candle', createdOn: now, updatedOn: now, version: now });
    bp.state.prices.set(id, new Map());
    const r = await run();
    expect(r.counts.failed).toBe(1); // the SKU-less product, still

    expect(one(p.sku)).toMatchObject({ name: 'Meadow Tray (no price yet)', regularPrice: wooPrice });
    expect(store.items.attempts(item(p)?.id as number)[0]?.message).toBe(
      `Updated name on WooCommerce product ${one(p.sku).id}; Brightpearl has no price for it in price list "Retail" (1), so the WooCommerce regular price was left as it is`,
    );
    const created = one('BP-NO-PRICE');
    expect(created).toMatchObject({ name: 'Unpriced Candle', regularPrice: '' });
    expect(item(id)).toMatchObject({ status: 'synced' });
    expect(store.items.attempts(item(id)?.id as number)[0]?.message).toBe(
      `Created WooCommerce product ${created.id} (simple); Brightpearl has no price for it in price list "Retail" (1), so it has no regular price in WooCommerce`,
    );
  });

  // Last: it stops the engine.
  test('a shutdown finishes the chunk in hand, records it, and leaves the watermark where it was', async () => {
    const cursor = store.flows.getCursor('product');
    let stopping: Promise<void> | undefined;
    afterBrightpearlGet = () => {
      stopping ??= engine.stop();
    };
    try {
      const r = await run({ since: '2020-01-01T00:00:00Z' });
      expect(r.status).toBe('aborted');
      expect(r.counts.seen).toBeGreaterThan(0);
      expect(r.counts.seen).toBeLessThan(catalog.products.length); // chunks of 25: the rest is left for the next run
      expect(store.db.prepare("SELECT COUNT(*) FROM sync_items WHERE type = 'product' AND status = 'pending'").pluck().get()).toBe(0);
      expect(store.flows.getCursor('product')).toBe(cursor);
    } finally {
      afterBrightpearlGet = undefined;
      await stopping;
    }
  });
});
