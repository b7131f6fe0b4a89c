/**
 * Inventory: Brightpearl → WooCommerce stock levels.
 *
 * For every stock-tracked Brightpearl product (in pages, so memory stays flat at any catalogue
 * size): read its availability, sum `onHand` (in stock minus allocated; never `inStock`) over
 * the configured warehouses, find the WooCommerce product or variation with the same SKU, and
 * write only the levels that differ, in batches, turning `manage_stock` on where needed.
 * A product Brightpearl returns no availability for is Failed, never zeroed.
 *
 * Writes are held across chunks until a batch is full (simple products share one batch stream,
 * variations batch per parent), so a few changes spread over a big catalogue cost the fewest
 * batch requests; what is held is written at the end of the run (or when it is stopped), and at
 * most MAX_HELD_WRITES wait at any time.
 */
import type { AvailabilityResult, BrightpearlClient } from '../brightpearl/client';
import type { ProductAvailability } from '../brightpearl/schemas';
import type { Flow, FlowContext } from '../engine/flow';
import { WOO_MAX_BATCH, type BatchItemResult, type WooCommerceClient } from '../woocommerce/client';
import type { WooProductSummary } from '../woocommerce/schemas';
import type { EntityRef, Outcome } from '../store';

/** What the flow reads from Brightpearl. */
export type InventorySource = Pick<BrightpearlClient, 'search' | 'getProductAvailability'>;

/** What the flow reads and writes in WooCommerce. */
export type InventoryTarget = Pick<WooCommerceClient, 'findBySkus' | 'batchProducts' | 'batchVariations'>;

export interface InventoryFlowOptions {
  brightpearl: InventorySource;
  woocommerce: InventoryTarget;
  /** Warehouses counted for stock; empty means every warehouse (Brightpearl's total). */
  warehouseIds: () => number[];
  /** Brightpearl products handled per step. */
  chunkSize?: number;
}

interface BrightpearlProductRow {
  productId: number;
  name: string;
  sku: string;
}

interface PlannedWrite {
  row: BrightpearlProductRow;
  target: WooProductSummary;
  quantity: number;
  wasManaged: boolean;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Stock writes held for a full batch, by parent (0 = simple products). */
type HeldWrites = Map<number, PlannedWrite[]>;

/** Above this many held writes everything held is written at once (bounds memory on huge catalogues). */
export const MAX_HELD_WRITES = 5000;

export function availableToSell(figures: ProductAvailability, warehouseIds: number[]): number {
  if (warehouseIds.length === 0) return Math.trunc(figures.total.onHand);
  let sum = 0;
  for (const id of warehouseIds) sum += figures.warehouses[String(id)]?.onHand ?? 0;
  return Math.trunc(sum);
}

export class InventoryFlow implements Flow {
  readonly type = 'inventory' as const;
  private readonly chunkSize: number;

  constructor(private readonly options: InventoryFlowOptions) {
    this.chunkSize = options.chunkSize ?? 500;
  }

  async run(ctx: FlowContext): Promise<void> {
    const params: Record<string, string | number> = { columns: 'productId,productName,SKU,stockTracked' };
    if (ctx.scope) {
      const ids = ctx.scope.map(Number).filter((n) => Number.isInteger(n) && n > 0);
      if (ids.length === 0) return;
      params.productId = ids.join(',');
    }
    const seenSkus = new Map<string, number>();
    const held: HeldWrites = new Map();
    try {
      let chunk: BrightpearlProductRow[] = [];
      for await (const row of this.options.brightpearl.search('product-service/product-search', params)) {
        if (row.stockTracked === false) continue; // services and bundles have no stock to push
        chunk.push({
          productId: Number(row.productId),
          name: String(row.productName ?? '').trim() || `Brightpearl product ${String(row.productId)}`,
          sku: String(row.SKU ?? '').trim(),
        });
        if (chunk.length >= this.chunkSize) {
          await this.syncChunk(ctx, chunk, seenSkus, held);
          chunk = [];
          if (ctx.signal.aborted) return;
        }
      }
      if (chunk.length) await this.syncChunk(ctx, chunk, seenSkus, held);
    } finally {
      // Whatever is held is written even when the run stops or a read fails: it was decided.
      await this.flush(ctx, held, true);
    }
  }

  /** Writes every full batch held (or everything held when `all`, or when too much is held). */
  private async flush(ctx: FlowContext, held: HeldWrites, all: boolean): Promise<void> {
    let total = 0;
    for (const group of held.values()) total += group.length;
    const everything = all || total > MAX_HELD_WRITES;
    const ready: PlannedWrite[] = [];
    for (const [parentId, group] of held) {
      const take = everything ? group.length : group.length - (group.length % WOO_MAX_BATCH);
      if (take === 0) continue;
      ready.push(...group.splice(0, take));
      if (group.length === 0) held.delete(parentId);
    }
    if (ready.length) ctx.record(await this.write(ready));
  }

  private async syncChunk(ctx: FlowContext, rows: BrightpearlProductRow[], seenSkus: Map<string, number>, held: HeldWrites): Promise<void> {
    ctx.seen(rows.map((r): EntityRef => ({ entityId: String(r.productId), bpId: String(r.productId), info: r.name })));
    const outcomes: Outcome[] = [];
    const fail = (r: BrightpearlProductRow, message: string, extra: Partial<Extract<Outcome, { status: 'failed' }>> = {}) =>
      outcomes.push({ entityId: String(r.productId), status: 'failed', message, ...extra });

    const matchable: BrightpearlProductRow[] = [];
    for (const r of rows) {
      if (!r.sku) {
        fail(r, 'This Brightpearl product has no SKU, so it cannot be matched to WooCommerce. Add a SKU in Brightpearl.');
      } else if (r.sku.includes(',')) {
        fail(r, `SKU "${r.sku}" contains a comma, which WooCommerce cannot look up. Remove the comma from the SKU in both systems.`);
      } else if (seenSkus.has(r.sku.toLowerCase()) && seenSkus.get(r.sku.toLowerCase()) !== r.productId) {
        fail(r, `SKU "${r.sku}" is also used by Brightpearl product ${seenSkus.get(r.sku.toLowerCase())}; give each product its own SKU in Brightpearl.`);
      } else {
        seenSkus.set(r.sku.toLowerCase(), r.productId);
        matchable.push(r);
      }
    }

    let availability: AvailabilityResult | undefined;
    let wooItems: WooProductSummary[] = [];
    try {
      [availability, wooItems] = await Promise.all([
        matchable.length ? this.options.brightpearl.getProductAvailability(matchable.map((r) => r.productId)) : undefined,
        matchable.length ? this.options.woocommerce.findBySkus(matchable.map((r) => r.sku)) : [],
      ]);
    } catch (err) {
      for (const r of matchable) fail(r, `Could not read stock from Brightpearl or products from WooCommerce: ${errorText(err)}. It will be retried on the next run.`);
      ctx.record(outcomes);
      return;
    }

    const bySku = new Map(wooItems.map((w) => [w.sku.toLowerCase(), w]));
    const rejected = new Map((availability?.rejected ?? []).map((x) => [x.id, x.message]));
    const warehouses = this.options.warehouseIds();
    const writes: PlannedWrite[] = [];
    for (const r of matchable) {
      const figures = availability?.byProduct.get(r.productId);
      const target = bySku.get(r.sku.toLowerCase());
      if (rejected.has(r.productId)) {
        fail(r, `Brightpearl refused the stock request for product ${r.productId} (${rejected.get(r.productId)}); its WooCommerce stock was left unchanged.`);
      } else if (!figures) {
        fail(
          r,
          `Brightpearl returned no stock figures for SKU ${r.sku}, so its WooCommerce stock was left unchanged. Check the product is stock-tracked and has a warehouse in Brightpearl.`,
        );
      } else if (!target) {
        fail(r, `No WooCommerce product or variation has SKU ${r.sku}. Create it in WooCommerce (or enable the product flow); stock syncs on the next run.`);
      } else if (target.type === 'variable' || target.type === 'grouped' || target.type === 'external') {
        fail(r, `SKU ${r.sku} belongs to a ${target.type} product in WooCommerce, which has no stock of its own. Put this SKU on a simple product or a variation.`);
      } else {
        const quantity = availableToSell(figures, warehouses);
        const managed = target.manage_stock === true || target.manage_stock === 'parent';
        if (target.manage_stock === true && target.stock_quantity === quantity) {
          outcomes.push({ entityId: String(r.productId), status: 'unchanged', value: String(quantity), wcId: String(target.id) });
        } else {
          writes.push({ row: r, target, quantity, wasManaged: managed });
        }
      }
    }

    if (wooItems.length) {
      ctx.store.mappings.link(
        matchable
          .map((r) => ({ r, w: bySku.get(r.sku.toLowerCase()) }))
          .filter((x): x is { r: BrightpearlProductRow; w: WooProductSummary } => x.w !== undefined)
          .map(({ r, w }) => ({ type: 'product' as const, bpId: String(r.productId), wcId: String(w.id), wcParentId: w.parent_id ? String(w.parent_id) : null })),
      );
    }

    ctx.record(outcomes);
    for (const w of writes) {
      const parent = w.target.parent_id ?? 0;
      const group = held.get(parent);
      if (group) group.push(w);
      else held.set(parent, [w]);
    }
    await this.flush(ctx, held, false);
  }

  /** Simple products in one batch stream, variations grouped by parent; every item's result checked. */
  private async write(writes: PlannedWrite[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    const groups = new Map<number, PlannedWrite[]>();
    for (const w of writes) {
      const parent = w.target.parent_id ?? 0;
      const group = groups.get(parent);
      if (group) group.push(w);
      else groups.set(parent, [w]);
    }
    for (const [parentId, group] of groups) {
      const update = group.map((w) => ({ id: w.target.id, manage_stock: true, stock_quantity: w.quantity }));
      let results: BatchItemResult<{ id: number; stock_quantity?: number | null; manage_stock?: unknown; stock_status?: string }>[];
      try {
        results = (parentId ? await this.options.woocommerce.batchVariations(parentId, { update }) : await this.options.woocommerce.batchProducts({ update })).update;
      } catch (err) {
        for (const w of group) {
          outcomes.push({
            entityId: String(w.row.productId),
            status: 'failed',
            message: `WooCommerce did not accept the stock update: ${errorText(err)}. It will be retried on the next run.`,
            request: { id: w.target.id, parentId: parentId || undefined, manage_stock: true, stock_quantity: w.quantity },
          });
        }
        continue;
      }
      group.forEach((w, i) => {
        const result = results[i];
        const request = { id: w.target.id, parentId: parentId || undefined, manage_stock: true, stock_quantity: w.quantity };
        if (!result) {
          outcomes.push({ entityId: String(w.row.productId), status: 'failed', message: 'WooCommerce returned no result for this item in the batch; it will be retried.', request });
        } else if (!result.ok) {
          outcomes.push({
            entityId: String(w.row.productId),
            status: 'failed',
            message: `WooCommerce rejected the stock update: ${result.error.code} ${result.error.message}`,
            request,
            response: result.error,
          });
        } else {
          const written = result.item.stock_quantity;
          if (written !== w.quantity) {
            // WooCommerce silently drops stock when stock management is off store-wide.
            outcomes.push({
              entityId: String(w.row.productId),
              status: 'failed',
              message: `WooCommerce accepted the update but kept stock at ${String(written)} instead of ${w.quantity}. Turn on "Enable stock management" in WooCommerce → Settings → Products → Inventory.`,
              request,
              response: { id: result.item.id, stock_quantity: written, manage_stock: result.item.manage_stock },
            });
            return;
          }
          const before = w.target.stock_quantity ?? 'not tracked';
          outcomes.push({
            entityId: String(w.row.productId),
            status: 'synced',
            message: `Stock set to ${w.quantity} (was ${before})${w.wasManaged ? '' : '; stock management turned on'}`,
            value: String(w.quantity),
            wcId: String(w.target.id),
            request,
            response: { id: result.item.id, stock_quantity: written, stock_status: result.item.stock_status },
          });
        }
      });
    }
    return outcomes;
  }
}
