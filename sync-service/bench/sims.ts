/**
 * Child process: the two simulators (Brightpearl and WooCommerce) seeded from one catalogue,
 * driven by the benchmark over IPC. Running them here keeps their memory and CPU out of the
 * service-side figures.
 */
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../src/simulators/brightpearl/app';
import { updateProduct } from '../src/simulators/brightpearl/data';
import { buildCatalog, type CatalogOptions } from '../src/simulators/catalog';
import { seededRandom } from '../src/simulators/shared/random';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../src/simulators/woocommerce/app';
import type { PostRecord } from '../src/simulators/woocommerce/data';
import { serveRequests } from './ipc';
import { WC_KEY, WC_SECRET, type CounterSnapshot, type PlannedStock, type SimsInfo, type SimsStartArgs } from './shared';

let bp: BrightpearlSimulator | undefined;
let wc: WooCommerceSimulator | undefined;
let firstApiAt: number | undefined;
let stockSnapshot: Map<number, Pick<PostRecord, 'manageStock' | 'stockQuantity' | 'stockStatus' | 'modified'>> | undefined;

const need = <T>(x: T | undefined, what: string): T => {
  if (x === undefined) throw new Error(`${what} is not started`);
  return x;
};

/** SKU → the live WooCommerce record (one pass; the simulator's own lookup is a scan per call). */
function wooBySku(): Map<string, PostRecord> {
  const map = new Map<string, PostRecord>();
  for (const p of need(wc, 'WooCommerce').state.posts.values()) if (p.sku && p.status !== 'trash') map.set(p.sku, p);
  return map;
}

function onHand(productId: number, warehouseIds: number[]): number {
  const levels = need(bp, 'Brightpearl').state.stock.get(productId);
  let sum = 0;
  for (const [w, level] of levels ?? []) if (warehouseIds.length === 0 || warehouseIds.includes(w)) sum += level.inStock - level.allocated;
  return sum;
}

serveRequests({
  async start(args: SimsStartArgs): Promise<SimsInfo> {
    const t0 = Date.now();
    const catalog = buildCatalog({ quirks: false, ...args.catalog });
    bp = await createBrightpearlSimulator({
      catalog,
      requestsPerMinute: args.requestsPerMinute ?? 1_000_000_000,
      throttleWindowMs: args.throttleWindowMs ?? 60_000,
      seedOrders: args.bpSeedOrders ?? false,
      orderActivity: false,
    });
    // Before listen(): when the first API request arrived (the throttle window opens with it).
    bp.app.addHook('onRequest', async (request) => {
      if (firstApiAt === undefined && request.url.startsWith('/public-api/')) firstApiAt = Date.now();
    });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: WC_KEY, consumerSecret: WC_SECRET, seedOrders: 0, webhookDelayMs: 60_000 });
    const bpUrl = await bp.listen(0, '127.0.0.1');
    const wcUrl = await wc.listen(0, '127.0.0.1');
    const variations = catalog.products.filter((p) => p.groupId !== 0).length;
    return {
      bpUrl,
      wcUrl,
      skus: catalog.products.length,
      simple: catalog.products.length - variations,
      variations,
      parents: catalog.groups.length,
      seedMs: Date.now() - t0,
      rssBytes: process.memoryUsage.rss(),
    };
  },

  counters(): { bp: CounterSnapshot; wc: CounterSnapshot } {
    const b = need(bp, 'Brightpearl').controls.counters;
    const w = need(wc, 'WooCommerce').controls.counters;
    return { bp: { total: b.total(), calls: b.snapshot() }, wc: { total: w.total(), calls: w.snapshot() } };
  },

  resetCounters(): void {
    need(bp, 'Brightpearl').controls.counters.reset();
    need(wc, 'WooCommerce').controls.counters.reset();
  },

  /** Every stock write the inventory flow should make now (the same rule as the flow: managed and equal = unchanged). */
  inventoryPlan(args: { warehouseIds?: number[]; onlyIds?: number[] }): { changed: PlannedStock[]; tracked: number } {
    const b = need(bp, 'Brightpearl');
    const w = need(wc, 'WooCommerce');
    const bySku = wooBySku();
    const only = args.onlyIds ? new Set(args.onlyIds) : undefined;
    const changed: PlannedStock[] = [];
    let tracked = 0;
    for (const p of b.state.products.values()) {
      if (!p.stockTracked || (only && !only.has(p.id))) continue;
      tracked++;
      const rec = bySku.get(p.sku);
      if (!rec) continue;
      const quantity = onHand(p.id, args.warehouseIds ?? []);
      if (w.state.managingStock(rec) === true && w.state.shownStockQuantity(rec) === quantity) continue;
      changed.push({ bpId: p.id, sku: p.sku, wcId: rec.id, parentId: rec.kind === 'variation' ? rec.parentId : 0, quantity });
    }
    return { changed, tracked };
  },

  /** Changes the stock of `count` products spread over the catalogue (deterministic for `seed`); returns their ids. */
  changeStock(args: { count: number; seed: number; exclude?: number[] }): number[] {
    const b = need(bp, 'Brightpearl');
    const random = seededRandom(args.seed);
    const ids = [...b.state.products.values()].filter((p) => p.stockTracked && !(args.exclude ?? []).includes(p.id)).map((p) => p.id);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(args.count, ids.length)) chosen.add(ids[Math.floor(random() * ids.length)] as number);
    for (const id of chosen) {
      const level = b.state.stock.get(id)?.get(2) ?? { inStock: 0, allocated: 0 };
      b.setStock(id, 2, { inStock: level.inStock + 7 + Math.floor(random() * 20) });
    }
    return [...chosen].sort((x, y) => x - y);
  },

  snapshotWooStock(): number {
    stockSnapshot = new Map();
    for (const p of need(wc, 'WooCommerce').state.posts.values()) {
      stockSnapshot.set(p.id, { manageStock: p.manageStock, stockQuantity: p.stockQuantity, stockStatus: p.stockStatus, modified: p.modified });
    }
    return stockSnapshot.size;
  },

  /** Puts WooCommerce stock back as it was at the snapshot (after the naive baseline wrote it). */
  restoreWooStock(): number {
    const snap = need(stockSnapshot, 'a stock snapshot');
    const w = need(wc, 'WooCommerce');
    let n = 0;
    for (const [id, s] of snap) {
      const p = w.state.posts.get(id);
      if (!p) continue;
      Object.assign(p, s);
      n++;
    }
    stockSnapshot = undefined;
    return n;
  },

  /** Product id mappings by SKU (what a product or inventory run would have linked). */
  productLinks(): { type: 'product'; bpId: string; wcId: string; wcParentId: string | null }[] {
    const bySku = wooBySku();
    const out: { type: 'product'; bpId: string; wcId: string; wcParentId: string | null }[] = [];
    for (const p of need(bp, 'Brightpearl').state.products.values()) {
      const rec = bySku.get(p.sku);
      if (rec) out.push({ type: 'product', bpId: String(p.id), wcId: String(rec.id), wcParentId: rec.kind === 'variation' ? String(rec.parentId) : null });
    }
    return out;
  },

  /**
   * Storefront orders, paid by card, so they are `processing`; their last change spread over the
   * `spreadSeconds` before `endSecondsAgo` (as a day's orders would be), so the order flow's
   * settle margin (it leaves the last seconds for the next run) does not hide them.
   */
  placeOrders(args: { count: number; spreadSeconds?: number; endSecondsAgo?: number }): { ids: number[]; ms: number } {
    const w = need(wc, 'WooCommerce');
    const t0 = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < args.count; i++) {
      const order = w.placeOrder({ paymentMethod: 'stripe', status: 'processing' });
      ids.push(order.id as number);
    }
    const end = w.state.nowSeconds() - (args.endSecondsAgo ?? 600);
    const spread = args.spreadSeconds ?? 86_400;
    ids.forEach((id, i) => w.touchOrders([id], end - spread + Math.floor(((i + 1) * spread) / ids.length)));
    return { ids, ms: Date.now() - t0 };
  },

  /** Sales orders the sync created (they carry an integration instance id), by creation time. */
  orderTimeline(): { firstApiAt: number | null; created: number[]; salesOrders: number; throttle: unknown } {
    const b = need(bp, 'Brightpearl');
    const created: number[] = [];
    for (const o of b.state.orders.values()) if (o.orderTypeCode === 'SO' && o.installedIntegrationInstanceId !== undefined) created.push(o.createdOn);
    created.sort((x, y) => x - y);
    // The cap's own tally (requests it refused, windows), where the simulator keeps one.
    const throttle = (b.throttle as { stats?: () => unknown }).stats?.() ?? null;
    return { firstApiAt: firstApiAt ?? null, created, salesOrders: created.length, throttle };
  },

  resetFirstApi(): void {
    firstApiAt = undefined;
    need(bp, 'Brightpearl').throttle.reset();
  },

  /** Renames every `every`-th simple Brightpearl product, so a product sync has something to write. */
  mutateProducts(args: { every: number }): number {
    const b = need(bp, 'Brightpearl');
    let n = 0;
    let i = 0;
    for (const p of b.state.products.values()) {
      if (p.productGroupId !== 0 || i++ % args.every !== 0) continue;
      updateProduct(b.state, p.id, { name: `${p.name} (new season)` });
      n++;
    }
    return n;
  },

  /** CPU time used by the simulators process so far (user + system, ms). */
  cpu(): number {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  },

  rss(): number {
    return process.memoryUsage.rss();
  },

  async close(): Promise<void> {
    await Promise.all([bp?.close(), wc?.close()]);
    bp = undefined;
    wc = undefined;
  },
});
