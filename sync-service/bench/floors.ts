/**
 * The fewest API calls the documented limits allow, per system. A run is compared with these.
 *
 * Brightpearl (inventory): product-search returns at most 500 rows per page and
 * product-availability takes at most 100 product ids per call (the client's documented chunk), so
 * reading N products costs at least ceil(N / 500) + ceil(N / 100) calls.
 *
 * WooCommerce (inventory): a `sku=` filter matches at most 100 SKUs per page (per_page ≤ 100), so
 * finding N SKUs costs ceil(N / 100) reads; a batch takes at most 100 updates and a variation can
 * only be written through its own parent's batch endpoint, so C changed SKUs cost
 * ceil(C_simple / 100) + Σ over parents p of ceil(C_p / 100) writes.
 */

/** Largest page of a Brightpearl resource search. */
export const BP_SEARCH_PAGE = 500;
/** Product ids per product-availability call (the client's chunk). */
export const BP_AVAILABILITY_IDS = 100;
/** SKUs per WooCommerce `sku=` lookup (per_page cap). */
export const WC_SKU_LOOKUP = 100;
/** Items per WooCommerce batch request (woocommerce_rest_batch_items_limit default). */
export const WC_BATCH = 100;

export interface StockChange {
  /** 0 for a simple product, else the variable parent's id. */
  parentId: number;
}

export interface InventoryFloor {
  brightpearl: number;
  wooReads: number;
  wooWrites: number;
  woocommerce: number;
}

/** Writes needed for a set of changed SKUs: simple products share batches, variations batch per parent. */
export function wooWriteFloor(changes: readonly StockChange[]): number {
  let simple = 0;
  const perParent = new Map<number, number>();
  for (const c of changes) {
    if (c.parentId === 0) simple++;
    else perParent.set(c.parentId, (perParent.get(c.parentId) ?? 0) + 1);
  }
  let writes = Math.ceil(simple / WC_BATCH);
  for (const n of perParent.values()) writes += Math.ceil(n / WC_BATCH);
  return writes;
}

/** An inventory run over `scanned` Brightpearl products (all of them, or a scoped run's ids) that must write `changes`. */
export function inventoryFloor(scanned: number, changes: readonly StockChange[]): InventoryFloor {
  const brightpearl = Math.ceil(scanned / BP_SEARCH_PAGE) + Math.ceil(scanned / BP_AVAILABILITY_IDS);
  const wooReads = Math.ceil(scanned / WC_SKU_LOOKUP);
  const wooWrites = wooWriteFloor(changes);
  return { brightpearl, wooReads, wooWrites, woocommerce: wooReads + wooWrites };
}

/**
 * Orders per real minute the Brightpearl cap allows: every order needs `callsPerOrder` calls and
 * the account gets `cap` calls per minute.
 */
export function throttledOrderFloor(cap: number, callsPerOrder: number): number {
  return callsPerOrder > 0 ? cap / callsPerOrder : 0;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
